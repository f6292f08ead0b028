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

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "PublishResult",
    "Server",
    "ServerError",
    "find_oxigraph",
    "publish",
    "store_location",
]

#: Seconds a query may run on ``evg serve`` before its worker is stopped.
DEFAULT_TIMEOUT = 30.0
#: Worker processes of ``evg serve``.
DEFAULT_WORKERS = 2


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
        allow_service: bool = False,
    ):
        self.eg = eg
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
