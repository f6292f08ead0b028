"""A real SPARQL endpoint for the graph, and SPARQL over HTTP.

- :class:`Server` runs the Oxigraph server (the ``oxigraph`` command from the
  PyPI package of that name) on 127.0.0.1, read-only, with a query timeout,
  loaded with the graph.
- :func:`publish` uploads the graph to any SPARQL 1.1 Graph Store HTTP
  Protocol endpoint (``PUT`` replaces the target graph, ``POST`` adds to it).

Only the standard library talks HTTP here.
"""

from __future__ import annotations

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

from graph.model.errors import EvidenceGraphError

__all__ = ["DEFAULT_TIMEOUT", "PublishResult", "Server", "ServerError", "find_oxigraph", "publish"]

#: Seconds a query may run on ``evg serve`` before the server stops it.
DEFAULT_TIMEOUT = 30.0


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
