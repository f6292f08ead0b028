"""Queries run in worker processes, each holding the store open read-only.

A query that runs past the time limit is stopped by killing its worker (the
only way to stop a query of any shape, aggregates and ORDER BY included, and
to give its memory back); a worker that dies while running a query takes
only that query with it. Either way a fresh worker takes its place.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass, field

__all__ = ["Pool", "Reply"]


@dataclass
class Reply:
    """What the web process sends back: an HTTP status, a media type and a body."""

    status: int
    content_type: str
    body: bytes
    headers: dict = field(default_factory=dict)

    @classmethod
    def text(cls, status: int, message: str, **headers) -> Reply:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"), headers)


def _answer(backend, job: dict, allow_service: bool) -> Reply:
    """Check, run and write one query; every failure becomes a reply."""
    from graph.model.errors import QueryError
    from graph.server.protocol import NotAcceptableError, render

    text = job["query"]
    try:
        form, _variables = backend.check(text, allow_service=allow_service, where="query")
        result = backend.execute(text, form, where="query", given=text, allow_service=allow_service)
        content_type, body = render(result, job.get("accept"))
    except QueryError as exc:
        # The checks speak to `evg query` users; here the server's options apply.
        message = (
            str(exc)
            .replace("evg query runs only", "this endpoint runs only")
            .replace("pass --allow-service", "start the server with --allow-service")
        )
        status = 403 if "refusing to run an update" in message or "SERVICE" in message else 400
        return Reply.text(status, message)
    except NotAcceptableError as exc:
        return Reply.text(406, str(exc))
    except Exception as exc:
        return Reply.text(500, f"query failed: {type(exc).__name__}: {exc}")
    return Reply(200, content_type, body)


def _worker_main(conn, location: str, allow_service: bool, nice: int = 0) -> None:
    """A worker's life: open the store, say so, then answer jobs until the pipe closes."""
    import os
    from pathlib import Path

    if nice:
        os.nice(nice)

    import pyoxigraph as ox

    from graph.store.oxigraph import OxigraphBackend

    backend = OxigraphBackend(ox.Store.read_only(location), path=Path(location))
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_answer(backend, job, allow_service))


class _Worker:
    def __init__(self, ctx, location: str, allow_service: bool, nice: int):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, location, allow_service, nice), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, seconds: float) -> bool:
        try:
            return self.conn.poll(seconds) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            return False

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _context():
    # A fork server with the worker code preloaded makes a fresh worker in a few
    # milliseconds, and no worker is forked from the threaded web process.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["graph.server.pool", "graph.store.oxigraph", "graph.server.protocol"])
        return ctx
    return multiprocessing.get_context("spawn")


class Pool:
    """``workers`` processes over the Oxigraph store at ``location``; ``nice``
    lowers their CPU priority (see :func:`os.nice`), for a lane whose queries
    should yield the processor to another's."""

    def __init__(
        self,
        location: str,
        *,
        workers: int = 2,
        timeout: float = 30.0,
        allow_service: bool = False,
        nice: int = 0,
        name: str = "query",
    ):
        self.location, self.size, self.timeout, self.allow_service = str(location), workers, timeout, allow_service
        self.nice, self.name = nice, name
        self._ctx = _context()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()

    def start(self, wait: float = 60.0) -> Pool:
        started = [self._new() for _ in range(self.size)]
        for worker in started:
            if not worker.wait_ready(wait):
                self.close()
                raise RuntimeError(f"a query worker could not open the store at {self.location}")
            self._idle.put(worker)
        return self

    def _new(self) -> _Worker:
        worker = _Worker(self._ctx, self.location, self.allow_service, self.nice)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        if self._closed:
            return

        def replace():
            # Start the replacement off the request's thread; it joins the idle
            # workers once it has opened the store.
            while not self._closed:
                fresh = self._new()
                if fresh.wait_ready(60):
                    self._idle.put(fresh)
                    return
                fresh.kill()
                with self._lock:
                    self._all.discard(fresh)
                time.sleep(1)

        threading.Thread(target=replace, daemon=True).start()

    def run(self, job: dict) -> Reply:
        """Run one job (``query``, ``accept``) on an idle worker, blocking;
        the reply is always complete: an answer or an error. It waits at most
        ``timeout`` seconds for a worker (then 503) and gives the query as long
        to run (then 504)."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Reply.text(
                503,
                f"all {self.size} {self.name} workers stayed busy for {self.timeout:g} s; try again",
                **{"Retry-After": "1"},
            )
        # The time limit counts from here: a query that waited for a worker
        # still gets the whole of it (a refused update answers at once).
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError):
            worker.process.join(2)
            code = worker.process.exitcode
            self._retire(worker)
            how = f"exit status {code}" if code is not None and code >= 0 else f"signal {-(code or 0)}"
            return Reply.text(
                500, f"the query worker died while running this query ({how}); the endpoint goes on serving"
            )
        self._retire(worker)
        return Reply.text(
            504,
            f"the query ran past the time limit of {self.timeout:g} s and was stopped; "
            "simplify it or restart the server with a longer --timeout",
        )

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
