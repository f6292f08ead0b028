"""``evg serve``: the SPARQL 1.1 Protocol over HTTP, guarded.

Starlette (the web application) under uvicorn (the HTTP server) takes the
requests; every query goes to a :class:`~graph.server.pool.Pool` worker
process, which checks it with the same checks as ``evg query``, runs it on the
store and writes the answer in the negotiated format. The web process never
parses or runs a query itself, so nothing a query does can stop it; it only
reads the tokens to choose the lane (:mod:`graph.server.lanes`): bound named
queries have workers of their own, which the general lane's queries cannot
hold up, and the general workers run at a lower CPU priority.
"""

from __future__ import annotations

import json
import socket
import urllib.parse
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from graph.model.words import plural
from graph.server.lanes import LOOKUP, lane
from graph.server.pool import Pool, Reply

__all__ = ["MAX_BODY", "SECURITY_HEADERS", "build_app", "run"]

#: Largest request body read (a query's text, form-encoded or not), in bytes.
MAX_BODY = 1 << 20
ASSETS = Path(__file__).resolve().parent / "assets"

#: Sent with every answer. The page and its scripts come from this server
#: only; nothing may be fetched from, or sent to, any other host.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

#: How much the general lane's workers lower their CPU priority (``nice``).
GENERAL_NICE = 10

_READ_ONLY = "this endpoint is read-only: updates and Graph Store writes are refused"


def _reply(reply: Reply) -> Response:
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-store", **reply.headers}
    headers["Content-Type"] = reply.content_type
    return Response(reply.body, status_code=reply.status, headers=headers)


def _error(status: int, message: str) -> Response:
    return _reply(Reply.text(status, message))


async def _body(request: Request) -> bytes | None:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _dataset(params: dict[str, list[str]]) -> str | None:
    for name in ("default-graph-uri", "named-graph-uri"):
        if params.get(name):
            return f"{name} is not supported: this endpoint serves one graph, the default graph"
    return None


def build_app(pool: Pool, *, lookups: Pool | None = None, editor: str | None = None) -> Starlette:
    """The Starlette application over ``pool``, with ``lookups`` (when given)
    for bound named queries; ``editor`` is the HTML of the page at ``/``."""

    def answer(job: dict) -> Reply:
        chosen = lookups if lookups is not None and lane(job["query"]) == LOOKUP else pool
        return chosen.run(job)

    async def query(request: Request) -> Response:
        url_params = urllib.parse.parse_qs(request.url.query, keep_blank_values=True)
        if request.method == "GET":
            params = url_params
        else:
            body = await _body(request)
            if body is None:
                return _error(413, f"the request body is larger than {MAX_BODY} bytes")
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "application/x-www-form-urlencoded":
                try:
                    form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
                except UnicodeDecodeError:
                    return _error(400, "the form is not UTF-8")
                params = {**url_params, **form}
            elif kind == "application/sparql-query":
                try:
                    params = {**url_params, "query": [body.decode("utf-8")]}
                except UnicodeDecodeError:
                    return _error(400, "the query is not UTF-8")
            elif kind == "application/sparql-update":
                return _error(403, _READ_ONLY)
            else:
                return _error(
                    415,
                    "send the query as application/x-www-form-urlencoded (query=...) or application/sparql-query",
                )
        if params.get("update"):
            return _error(403, _READ_ONLY)
        texts = params.get("query", [])
        if len(texts) != 1:
            return _error(400, "give exactly one query parameter" if texts else "no query parameter given")
        refused = _dataset(params)
        if refused:
            return _error(400, refused)
        job = {"query": texts[0], "accept": request.headers.get("accept")}
        return _reply(await run_in_threadpool(answer, job))

    async def read_only(request: Request) -> Response:
        return _error(403, _READ_ONLY)

    async def page(request: Request) -> Response:
        if editor is None:
            return PlainTextResponse("SPARQL endpoint: /query\n", headers=SECURITY_HEADERS)
        return HTMLResponse(editor, headers=SECURITY_HEADERS)

    methods = ["GET", "POST"]
    routes = [
        Route("/", page, methods=["GET"]),
        Route("/query", query, methods=methods),
        Route("/sparql", query, methods=methods),
        Route("/update", read_only, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/store", read_only, methods=["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]),
    ]
    if ASSETS.is_dir():
        routes.append(Mount("/assets", app=StaticFiles(directory=ASSETS), name="assets"))
    return Starlette(routes=routes, middleware=[Middleware(_SecurityHeaders)])


class _SecurityHeaders:
    """ASGI middleware: :data:`SECURITY_HEADERS` on every answer (static files
    and Starlette's own 404 and 405 too), unless the answer set them."""

    def __init__(self, app):
        self.app = app
        self.extra = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = {
                    **message,
                    "headers": [*message.get("headers", []), *(h for h in self.extra if h[0] not in names)],
                }
            await send(message)

        await self.app(scope, receive, sending)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; OSError if it is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def run(pool: Pool, sock: socket.socket, *, lookups: Pool | None = None, editor: str | None = None, ready=None) -> None:
    """Serve on ``sock`` until SIGINT or SIGTERM (uvicorn stops gracefully on
    both); ``ready()`` is called once uvicorn serves and handles those signals,
    so that a signal right after it (a test's, a user's Ctrl-C) stops cleanly."""
    import uvicorn

    config = uvicorn.Config(
        build_app(pool, lookups=lookups, editor=editor),
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_keep_alive=5,
        limit_concurrency=256,
        server_header=False,
    )

    class _Server(uvicorn.Server):
        async def startup(self, sockets=None):
            await super().startup(sockets=sockets)
            if self.started and ready is not None:
                ready()

    _Server(config).run(sockets=[sock])


def declare_prefixes(text: str) -> str:
    """``text`` with a ``PREFIX`` line for each project prefix it does not
    declare, after its leading comment lines, so the editor knows them all
    (``claim:``, ``source:``, ...) when a user binds a variable."""
    import re

    from graph.model.namespaces import PREFIXES

    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", text)}
    missing = "".join(f"PREFIX {n}: <{iri}>\n" for n, iri in PREFIXES.items() if n.lower() not in declared)
    lines = text.splitlines(keepends=True)
    head = 0
    while head < len(lines) and lines[head].lstrip().startswith("#"):
        head += 1
    return "".join(lines[:head]) + missing + "".join(lines[head:])


def editor_page() -> str | None:
    """The web editor's HTML: YASGUI with the project's prefixes and the named
    queries as tabs, from the vendored assets; None when they are absent."""
    template = ASSETS / "index.html"
    if not template.is_file():
        return None
    from graph.model.namespaces import PREFIXES
    from graph.sparql import list_queries

    queries = [
        {"name": q.name, "description": q.description, "query": declare_prefixes(q.text)} for q in list_queries()
    ]
    data = {
        "prefixes": dict(PREFIXES),
        "queries": queries,
        "newTab": declare_prefixes("SELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n"),
    }
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return template.read_text(encoding="utf-8").replace("{{DATA}}", text)


def serve(
    location,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 30.0,
    workers: int = 2,
    lookup_workers: int = 2,
    allow_service: bool = False,
    announce=print,
) -> None:
    """Bind, start the workers, say where, and serve until SIGINT or SIGTERM.
    ``workers`` run the general lane at a lower CPU priority, ``lookup_workers``
    (0: none) the bound named queries.
    Raises ``OSError`` for a port that is taken, ``RuntimeError`` when the
    workers cannot open the store."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    sock = bind(host, port)
    pool = Pool(location, workers=workers, timeout=timeout, allow_service=allow_service, nice=GENERAL_NICE)
    lookups = None
    if lookup_workers:
        lookups = Pool(location, workers=lookup_workers, timeout=timeout, allow_service=allow_service, name="lookup")
    # uvicorn stops gracefully on SIGINT and SIGTERM, then raises the signal
    # again with the handler it found: this one, so that cleanup runs here.
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        pool.start()
        if lookups is not None:
            lookups.start()
        base = f"http://{host}:{port}"
        lanes = plural(workers, "worker") + (f" + {lookup_workers} for bound named queries" if lookups else "")
        line = f"SPARQL endpoint (read-only, {timeout:g} s query timeout, {lanes}): {base}/query"
        run(pool, sock, lookups=lookups, editor=editor_page(), ready=lambda: announce(line))
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        pool.close()
        if lookups is not None:
            lookups.close()
        sock.close()
