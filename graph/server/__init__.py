"""A guarded SPARQL endpoint for the graph, and publishing to other stores.

- :class:`Server` runs ``python -m graph.server`` (what ``evg serve`` runs):
  Starlette under uvicorn on 127.0.0.1, queries checked and run in worker
  processes that are killed at the time limit (:mod:`graph.server.pool`),
  the web editor at ``/`` (:mod:`graph.server.app`).
- :func:`publish` uploads the graph to a SPARQL 1.1 Graph Store HTTP
  Protocol endpoint, or in ``INSERT DATA`` batches to an update endpoint.
"""

from __future__ import annotations

import os
import re
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

from graph.model.errors import EvidenceGraphError
from graph.model.words import plural

__all__ = [
    "DEFAULT_LOOKUP_WORKERS",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "PublishResult",
    "Server",
    "ServerError",
    "descendants",
    "find_oxigraph",
    "netrc_credentials",
    "publish",
    "store_location",
    "update_batches",
]

#: Seconds a query may run on ``evg serve`` before its worker is stopped.
DEFAULT_TIMEOUT = 30.0
#: Worker processes of ``evg serve``.
DEFAULT_WORKERS = 2
#: Worker processes kept for bound named queries (see :mod:`graph.server.lanes`).
DEFAULT_LOOKUP_WORKERS = 2


class ServerError(EvidenceGraphError):
    """The SPARQL server could not be started, or an endpoint refused a request."""


def find_oxigraph() -> str:
    """The ``oxigraph`` server command: on PATH, or beside this Python."""
    found = shutil.which("oxigraph")
    if found:
        return found
    beside = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    if beside.is_file():
        return str(beside)
    raise ServerError("the `oxigraph` server command is not installed; install it with `pip install oxigraph`")


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (for ``evg serve``: the fork server, its
    resource tracker and the query workers), read from ``/proc``; empty where
    there is no ``/proc``."""
    children: dict[int, list[int]] = {}
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else ():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


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


def store_location(eg) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """An on-disk Oxigraph store holding the graph, which worker processes can
    open read-only: the cache's own store when the graph comes from there,
    else a temporary copy (returned too, for the caller to clean up)."""
    path = eg.backend.path
    if path is not None and Path(path).is_dir():
        return Path(path), None
    import pyoxigraph as ox

    tmp = tempfile.TemporaryDirectory(prefix="evg-serve-")
    location = Path(tmp.name) / "store"
    store = ox.Store(str(location))
    store.bulk_load(eg.backend.serialize("nt"), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    del store  # closed before the workers open it read-only
    return location, tmp


class Server:
    """``evg serve`` for one graph, as a child process on 127.0.0.1.

    >>> with Server(eg, port=7878) as server:      # doctest: +SKIP
    ...     print(server.query_url)
    """

    def __init__(
        self,
        eg,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        timeout: float = DEFAULT_TIMEOUT,
        workers: int = DEFAULT_WORKERS,
        lookup_workers: int = DEFAULT_LOOKUP_WORKERS,
        allow_service: bool = False,
    ):
        self.eg = eg
        self.lookup_workers = lookup_workers
        self.host = host
        self.port = port or free_port(host)
        self.timeout, self.workers, self.allow_service = timeout, workers, allow_service
        self.process: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._log = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 query endpoint."""
        return self.base_url + "/query"

    def start(self, wait: float = 60.0) -> Server:
        """Start the server and return once it answers queries."""
        location, self._tmp = store_location(self.eg)
        cmd = [
            sys.executable,
            "-m",
            "graph.server",
            "--location",
            str(location),
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--timeout",
            str(self.timeout),
            "--workers",
            str(self.workers),
            "--lookup-workers",
            str(self.lookup_workers),
        ]
        if self.allow_service:
            cmd.append("--allow-service")
        # The log goes to a file, not a pipe nobody drains; on Linux the server dies with us.
        self._log = tempfile.TemporaryFile(mode="w+", prefix="evg-serve-")  # noqa: SIM115 (open while it runs)
        self.process = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=self._log, text=True, preexec_fn=_die_with_parent
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                err = self._log.read().strip()
                self.stop()
                raise ServerError(err.splitlines()[-1] if err else "the server exited at start")
            try:
                urllib.request.urlopen(self.query_url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2).read()
                return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        self.stop()
        raise ServerError(f"the server did not answer on {self.base_url} within {wait:.0f} s")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and remove temporary files."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- publishing: the Graph Store protocol, or SPARQL Update batches ------------------

#: Triples per ``INSERT DATA`` request (a blank node's triples always travel together).
BATCH_TRIPLES = 2000
#: Graph Store answers after which ``publish`` falls back to SPARQL Update, when it has an update URL.
FALLBACK_STATUSES = frozenset({400, 404, 405, 406, 411, 413, 415, 501})


class PublishResult:
    """What :func:`publish` did: ``via`` is ``"graph-store"`` or ``"update"``;
    ``requests`` how many HTTP requests carried the data."""

    def __init__(self, url: str, triples: int, status: int, via: str = "graph-store", requests: int = 1):
        self.url, self.triples, self.status, self.via, self.requests = url, triples, status, via, requests


class _HTTPStatusError(ServerError):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def _graph_store_url(endpoint: str, graph_iri: str | None) -> str:
    sep = "&" if "?" in endpoint else "?"
    if graph_iri:
        return f"{endpoint}{sep}graph={urllib.parse.quote(graph_iri, safe='')}"
    return f"{endpoint}{sep}default"


def netrc_credentials(url: str, path: str | None = None) -> tuple[str, str]:
    """The login and password for ``url``'s host from a netrc file (``path``,
    else ``$NETRC``, else ``~/.netrc``); ServerError in one line otherwise."""
    import netrc

    path = path or os.environ.get("NETRC") or str(Path.home() / ".netrc")
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        entry = netrc.netrc(path).authenticators(host)
    except FileNotFoundError:
        raise ServerError(f"{path}: no such netrc file") from None
    except netrc.NetrcParseError as exc:
        raise ServerError(f"{exc.filename}:{exc.lineno}: {exc.msg}") from None
    except OSError as exc:
        raise ServerError(f"{path}: {exc.strerror or exc}") from None
    if entry is None or entry[2] is None:
        raise ServerError(f"{path}: no machine {host} (nor default) with a password")
    return entry[0], entry[2]


def _opener(url: str, auth: tuple[str, str] | None):
    """A urllib opener that answers Basic and Digest challenges with ``auth``."""
    if auth is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    parts = urllib.parse.urlsplit(url)
    passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/", auth[0], auth[1])
    return urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)
    )


def _send(opener, url: str, body: bytes, method: str, content_type: str, timeout: float, shown: str) -> int:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        raw = exc.read().decode("utf-8", "replace")
        lines = [] if "html" in (exc.headers.get("Content-Type") or "").lower() else raw.strip().splitlines()
        message = f"{shown}: HTTP {exc.code} {exc.reason}" + (f": {lines[0].strip()[:300]}" if lines else "")
        if exc.code in (401, 403):
            message += " (check --user/--password or --netrc, and that the user may write)"
        raise _HTTPStatusError(message, exc.code) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServerError(f"{shown}: cannot connect: {reason}") from None


#: A blank node in the object position of an N-Triples line (a literal ends with a quote, an IRI with >).
_OBJECT_NODE = re.compile(r"\s(_:[^\s\"<>]+)\s*\.\s*$")


def _nodes(line: str) -> list[str]:
    """The blank nodes of one N-Triples line (subject, object)."""
    subject = line.split(" ", 1)[0]
    found = _OBJECT_NODE.search(line)
    return [t for t in (subject, found.group(1) if found else "") if t.startswith("_:")]


def _has_blank(group: list[str]) -> bool:
    return any(_nodes(line) for line in group)


def _components(lines: list[str]) -> list[list[str]]:
    """N-Triples lines grouped so that all the triples that share a blank node
    are in one group (a blank node label means one node only within one request)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keyed = []
    for line in lines:
        nodes = _nodes(line)
        for other in nodes[1:]:
            parent[find(other)] = find(nodes[0])
        keyed.append((line, nodes[0] if nodes else None))
    groups: dict[str, list[str]] = {}
    out: list[list[str]] = []
    for line, node in keyed:
        if node is None:
            out.append([line])
        else:
            groups.setdefault(find(node), []).append(line)
    return out + list(groups.values())


def update_batches(ntriples: bytes, graph_iri: str | None, size: int = BATCH_TRIPLES) -> list[str]:
    """SPARQL Update requests of about ``size`` triples each, into ``graph_iri``
    or the default graph: ``INSERT DATA`` for triples without blank nodes; the
    triples that share blank nodes travel together, in ``INSERT { ... } WHERE {}``
    requests (some stores, Virtuoso among them, refuse blank nodes in
    ``INSERT DATA``; in a template each label is one fresh node per request,
    as in the graph)."""
    lines = [line for line in ntriples.decode("utf-8").splitlines() if line.strip() and not line.startswith("#")]
    plain: list[list[str]] = [[]]
    blank: list[list[str]] = [[]]
    for group in _components(lines):
        into = blank if _has_blank(group) else plain
        if into[-1] and len(into[-1]) + len(group) > size:
            into.append([])
        into[-1].extend(group)

    def wrap(data: str) -> str:
        return f"GRAPH <{graph_iri}> {{\n{data}\n}}" if graph_iri else data

    out = [f"INSERT DATA {{ {wrap(chr(10).join(b))} }}" for b in plain if b]
    out += [f"INSERT {{ {wrap(chr(10).join(b))} }} WHERE {{}}" for b in blank if b]
    return out


def publish(
    eg,
    endpoint: str | None,
    graph_iri: str | None = None,
    *,
    replace: bool = True,
    timeout: float = 300,
    auth: tuple[str, str] | None = None,
    update_endpoint: str | None = None,
    batch: int = BATCH_TRIPLES,
) -> PublishResult:
    """Upload the whole graph (derived links included) into ``graph_iri`` or
    the default graph.

    With ``endpoint`` (a SPARQL 1.1 Graph Store URL) the graph goes as one
    N-Triples request: PUT (``replace``, the graph's old content goes) or POST
    (adds). With ``update_endpoint`` (a SPARQL 1.1 Update URL) it goes as
    ``INSERT DATA`` batches (after ``CLEAR SILENT GRAPH``/``CLEAR DEFAULT``
    when replacing): alone, or as the fallback when the Graph Store answers
    with one of :data:`FALLBACK_STATUSES`. ``auth`` is (user, password) for
    Basic or Digest authentication."""
    for url in (endpoint, update_endpoint):
        if url is not None and not url.startswith(("http://", "https://")):
            raise ServerError(f"endpoint {url!r} is not an http(s) URL")
    if endpoint is None and update_endpoint is None:
        raise ServerError("give a Graph Store endpoint, an update endpoint, or both")
    body = eg.backend.serialize("nt")
    if endpoint is not None:
        url = _graph_store_url(endpoint, graph_iri)
        try:
            status = _send(
                _opener(url, auth),
                url,
                body,
                "PUT" if replace else "POST",
                "application/n-triples; charset=utf-8",
                timeout,
                endpoint,
            )
            return PublishResult(url, len(eg), status)
        except _HTTPStatusError as exc:
            if update_endpoint is None or exc.code not in FALLBACK_STATUSES:
                raise ServerError(str(exc)) from None
    opener = _opener(update_endpoint, auth)
    requests = update_batches(body, graph_iri, batch)
    if replace:
        requests.insert(0, f"CLEAR SILENT GRAPH <{graph_iri}>" if graph_iri else "CLEAR DEFAULT")
    status, done = 0, 0
    try:
        for text in requests:
            status = _send(
                opener,
                update_endpoint,
                text.encode("utf-8"),
                "POST",
                "application/sparql-update; charset=utf-8",
                timeout,
                update_endpoint,
            )
            done += 1
    except ServerError as exc:
        if done:
            raise ServerError(
                f"{exc} (after {done} of {plural(len(requests), 'update request')}: the graph holds part of the upload)"
            ) from None
        raise ServerError(str(exc)) from None
    return PublishResult(update_endpoint, len(eg), status, via="update", requests=len(requests))
