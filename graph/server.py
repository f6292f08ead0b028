"""A real SPARQL endpoint for the graph, and SPARQL over HTTP.

- :class:`Server` runs the Oxigraph server (the ``oxigraph`` command from the
  PyPI package of that name) on 127.0.0.1, read-only, with a query timeout,
  loaded with the graph.
- :func:`publish` uploads the graph to any SPARQL 1.1 Graph Store HTTP
  Protocol endpoint (``PUT`` replaces the target graph, ``POST`` adds to it).
- :class:`RemoteBackend` answers :meth:`EvidenceGraph.select` and friends
  from a remote SPARQL 1.1 query endpoint, so ``evg query --endpoint`` runs
  the named queries there with the same code as locally.

Only the standard library talks HTTP here.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .errors import EvidenceGraphError, QueryError

__all__ = ["DEFAULT_TIMEOUT", "PublishResult", "RemoteBackend", "Server", "find_oxigraph", "publish", "remote_graph"]

#: Seconds a query may run on ``evg serve`` before the server stops it.
DEFAULT_TIMEOUT = 30.0


class ServerError(EvidenceGraphError):
    """The SPARQL server could not be started, or an endpoint refused a request."""


_CANCELLED = b"The SPARQL operation has been cancelled"


def find_oxigraph() -> str:
    """The ``oxigraph`` server command: on PATH, or beside this Python."""
    found = shutil.which("oxigraph")
    if found:
        return found
    beside = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    if beside.is_file():
        return str(beside)
    raise ServerError("the `oxigraph` server command is not installed; install it with `pip install oxigraph`")


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to send SIGTERM when the parent dies,
    so a killed ``evg serve`` leaves no orphan server. A no-op elsewhere."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except Exception:
        pass


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class Server:
    """An Oxigraph SPARQL server for one graph, on 127.0.0.1.

    >>> with Server(eg, port=7878) as server:      # doctest: +SKIP
    ...     print(server.query_url)

    When the graph comes from the on-disk cache, the server reads that store
    directly; otherwise the graph is first written to a temporary store.
    """

    def __init__(self, eg, *, port: int | None = None, host: str = "127.0.0.1", timeout: float = DEFAULT_TIMEOUT):
        self.eg = eg
        self.host = host
        self.port = port or free_port(host)
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 query endpoint."""
        return self.base_url + "/query"

    def _location(self, binary: str) -> Path:
        path = getattr(self.eg.backend, "path", None)
        if path is not None and Path(path).is_dir():
            return Path(path)
        self._tmp = tempfile.TemporaryDirectory(prefix="evg-serve-")
        folder = Path(self._tmp.name)
        data = folder / "graph.nt"
        data.write_bytes(self.eg.backend.serialize("nt"))
        result = subprocess.run(
            [binary, "load", "--location", str(folder / "store"), "--file", str(data), "--format", "nt"],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise ServerError(f"oxigraph load failed: {result.stderr.strip() or result.stdout.strip()}")
        data.unlink()
        return folder / "store"

    def start(self, wait: float = 30.0) -> Server:
        """Start the server and return once it answers queries."""
        binary = find_oxigraph()
        location = self._location(binary)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            if s.connect_ex((self.host, self.port)) == 0:
                raise ServerError(f"port {self.port} on {self.host} is already in use; choose another with --port")
        cmd = [binary, "serve-read-only", "--location", str(location), "--bind", f"{self.host}:{self.port}"]
        if self.timeout:
            cmd += ["--timeout-s", str(max(1, round(self.timeout)))]
        # The server's log goes to a file, not a pipe nobody drains (a full pipe
        # would stall a long-running server); on Linux it also dies with us.
        self._log = tempfile.TemporaryFile(mode="w+", prefix="evg-oxigraph-")  # noqa: SIM115 (open while it runs)
        self.process = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=self._log, text=True, preexec_fn=_die_with_parent
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                err = self._log.read().strip()
                self.stop()
                raise ServerError(f"oxigraph server exited at start: {err or 'no message'}")
            try:
                urllib.request.urlopen(self.query_url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2).read()
                return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        self.stop()
        raise ServerError(f"oxigraph server did not answer on {self.base_url} within {wait:.0f} s")

    def stop(self) -> None:
        """Stop the server (politely, then firmly) and remove temporary files."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- Graph Store protocol -----------------------------------------------------------


class PublishResult:
    def __init__(self, url: str, triples: int, status: int):
        self.url, self.triples, self.status = url, triples, status


def _graph_store_url(endpoint: str, graph_iri: str | None) -> str:
    sep = "&" if "?" in endpoint else "?"
    if graph_iri:
        return f"{endpoint}{sep}graph={urllib.parse.quote(graph_iri, safe='')}"
    return f"{endpoint}{sep}default"


def publish(
    eg, endpoint: str, graph_iri: str | None = None, *, replace: bool = True, timeout: float = 300
) -> PublishResult:
    """Upload the whole graph (derived links included) as N-Triples to a
    SPARQL 1.1 Graph Store endpoint: into ``graph_iri``, or the default graph.
    ``replace`` uses PUT (the graph's old content goes), else POST (adds)."""
    if not endpoint.startswith(("http://", "https://")):
        raise ServerError(f"endpoint {endpoint!r} is not an http(s) URL")
    url = _graph_store_url(endpoint, graph_iri)
    body = eg.backend.serialize("nt")
    request = urllib.request.Request(
        url,
        data=body,
        method="PUT" if replace else "POST",
        headers={"Content-Type": "application/n-triples; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        message = f"{endpoint}: HTTP {exc.code} {exc.reason}" + (f": {detail[0]}" if detail else "")
        raise ServerError(message) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServerError(f"{endpoint}: cannot connect: {reason}") from None
    return PublishResult(url, len(eg), status)


# --- remote queries -------------------------------------------------------------------


def _term(binding: dict):
    from rdflib import BNode, Literal, URIRef

    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    lang = binding.get("xml:lang")
    datatype = binding.get("datatype")
    if lang:
        return Literal(value, lang=lang)
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


class RemoteBackend:
    """A remote SPARQL 1.1 query endpoint, behind the store interface."""

    name = "remote"

    def __init__(self, endpoint: str, *, timeout: float = 120):
        if not endpoint.startswith(("http://", "https://")):
            raise ServerError(f"endpoint {endpoint!r} is not an http(s) URL")
        self.endpoint = endpoint
        self.timeout = timeout
        self.path = None

    def _post(self, query: str, accept: str) -> bytes:
        request = urllib.request.Request(
            self.endpoint,
            data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()
            first = detail.splitlines()[0] if detail else exc.reason
            if "timeout" in detail.lower() or "timed out" in detail.lower() or exc.code in (503, 504):
                raise QueryError(
                    f"{self.endpoint}: the endpoint stopped the query at its time limit (HTTP {exc.code}: {first}); "
                    "simplify the query or raise the server's --timeout"
                ) from None
            raise QueryError(f"{self.endpoint}: HTTP {exc.code}: {first}") from None
        except TimeoutError:
            raise QueryError(f"{self.endpoint}: no answer within {self.timeout:.0f} s") from None
        except (urllib.error.URLError, OSError) as exc:
            raise QueryError(f"{self.endpoint}: cannot connect: {getattr(exc, 'reason', exc)}") from None
        # Oxigraph streams results; a query stopped by its timeout ends the stream with this note.
        if body.rstrip().endswith(_CANCELLED):
            raise QueryError(
                f"{self.endpoint}: the server stopped the query when it ran past its time limit; "
                "simplify the query or restart `evg serve` with a longer --timeout"
            )
        return body

    @staticmethod
    def _prepared(query: str, prefixes: dict | None, bindings: dict | None) -> str:
        from .store.oxigraph import _bind

        query, subs = _bind(query, bindings)
        if subs:
            raise QueryError("blank nodes cannot be sent as parameters to a remote endpoint")
        if prefixes:
            from .namespaces import prefix_header

            query = prefix_header(prefixes) + query
        return query

    def _results(self, query: str, prefixes=None, bindings=None) -> dict:
        raw = self._post(self._prepared(query, prefixes, bindings), "application/sparql-results+json")
        try:
            return json.loads(raw)
        except ValueError:
            raise QueryError(f"{self.endpoint}: the answer is not SPARQL JSON results") from None

    def select(self, query: str, bindings: dict | None = None) -> list[dict]:
        data = self._results(query, None, bindings)
        names = data.get("head", {}).get("vars", [])
        return [
            {n: (_term(row[n]) if n in row else None) for n in names}
            for row in data.get("results", {}).get("bindings", [])
        ]

    def ask(self, query: str, bindings: dict | None = None) -> bool:
        return bool(self._results(query, None, bindings).get("boolean"))

    def query(self, query: str, prefixes: dict | None = None, bindings: dict | None = None):
        from rdflib import Graph, Variable
        from rdflib.query import Result

        from .sparql import query_form

        form = query_form(query)  # run_query has checked it: parsing it again would only cost time
        if form in ("CONSTRUCT", "DESCRIBE"):
            raw = self._post(self._prepared(query, prefixes, bindings), "application/n-triples")
            out = Result(form)
            g = Graph()
            g.parse(data=raw.decode("utf-8"), format="nt")
            out.graph = g
            return out
        data = self._results(query, prefixes, bindings)
        if form == "ASK":
            out = Result("ASK")
            out.askAnswer = bool(data.get("boolean"))
            return out
        out = Result("SELECT")
        out.vars = [Variable(v) for v in data.get("head", {}).get("vars", [])]
        out.bindings = [
            {Variable(k): _term(v) for k, v in row.items()} for row in data.get("results", {}).get("bindings", [])
        ]
        return out

    def describe(self, node):
        from rdflib import Graph

        g = Graph()
        raw = self._post(f"DESCRIBE <{node}>", "application/n-triples")
        g.parse(data=raw.decode("utf-8"), format="nt")
        return g

    def describe_many(self, nodes):
        from rdflib import Graph

        g, nodes = Graph(), list(nodes)
        for i in range(0, len(nodes), 200):  # a few requests, each of a bounded size
            raw = self._post("DESCRIBE " + " ".join(f"<{n}>" for n in nodes[i : i + 200]), "application/n-triples")
            g.parse(data=raw.decode("utf-8"), format="nt")
        return g

    def serialize(self, fmt: str = "nt") -> bytes:
        return self._post("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"]) if rows else 0

    @property
    def rdf(self):
        from rdflib import Graph

        g = Graph()
        g.parse(data=self.serialize().decode("utf-8"), format="nt")
        return g


def remote_graph(endpoint: str):
    """An :class:`EvidenceGraph` whose questions go to a remote SPARQL endpoint."""
    from .core import EvidenceGraph

    return EvidenceGraph(backend=RemoteBackend(endpoint))
