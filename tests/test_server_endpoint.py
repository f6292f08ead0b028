"""`evg serve`, the guarded endpoint, as a real process on 127.0.0.1: the
SPARQL 1.1 Protocol (GET, POST, every W3C result format, content
negotiation, each answer read back by rdflib's parsers), and the hostile
requests: a cross product past --timeout, 5,000 nested braces, SERVICE,
updates. The server is started and stopped by PID."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.query import Result

from graph.server import descendants
from graph.sparql import list_queries, named_query, run_query

from .conftest import CORPUS, evg_serve, load_corpus, require_or_skip

pytestmark = [pytest.mark.server, pytest.mark.slow]

CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NESTED = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
READ_ONLY = "this endpoint is read-only: updates and Graph Store writes are refused\n"


def _have_server_stack() -> bool:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Endpoint:
    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.port = process, port
        self.base = f"http://127.0.0.1:{port}"
        self.url = self.base + "/query"

    def request(self, path="/query", *, data=None, params=None, headers=None, method=None, timeout=30):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def post(self, query: str, accept: str | None = None, **kw):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if accept:
            headers["Accept"] = accept
        return self.request(data=urllib.parse.urlencode({"query": query}).encode(), headers=headers, **kw)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    require_or_skip(_have_server_stack(), "Starlette and uvicorn are not installed (pip install '.[server]')")
    port = _free_port()
    options = ("--timeout", "2", "--workers", "2")
    with evg_serve(port, *options, cache_dir=tmp_path_factory.mktemp("serve-cache")) as (process, first):
        assert first == (
            "SPARQL endpoint (read-only, 2 s query timeout, 2 workers + 2 for bound named queries): "
            f"http://127.0.0.1:{port}/query\n"
        )
        yield Endpoint(process, port)


@pytest.fixture(scope="module")
def local():
    return load_corpus("rdflib")


def _rows(result: Result) -> list:
    names = [str(v) for v in result.vars]
    return sorted((tuple(row[i] for i in range(len(names))) for row in result), key=repr)


SOLUTION_FORMATS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}


@pytest.mark.parametrize("media", SOLUTION_FORMATS)
def test_every_result_format_reads_back_as_the_local_rows(endpoint, local, media):
    query = named_query("claims-of-source")
    status, headers, body = endpoint.post(query.text, accept=media)
    assert status == 200
    assert headers["Content-Type"] == f"{media}; charset=utf-8"
    parsed = Result.parse(io.BytesIO(body), format=SOLUTION_FORMATS[media])
    expected = run_query(local, query.text)
    if media == "text/csv":  # CSV keeps no term types: compare the plain values
        got = sorted(tuple(str(t) for t in row) for row in _rows(parsed))
        want = sorted(tuple("" if t is None else str(t) for t in row) for row in expected.rows)
    else:
        got, want = _rows(parsed), sorted(expected.rows, key=repr)
    assert [str(v) for v in parsed.vars] == list(expected.variables)
    assert got == want
    assert len(got) == 19


GRAPH_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@pytest.mark.parametrize("media", GRAPH_FORMATS)
def test_construct_in_every_graph_format(endpoint, local, media):
    text = "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a ev:Claim ; rdfs:label ?l }"
    status, headers, body = endpoint.post(text, accept=media)
    assert status == 200
    assert headers["Content-Type"] == f"{media}; charset=utf-8"
    got = Graph().parse(data=body.decode(), format=GRAPH_FORMATS[media])
    expected = run_query(local, text).graph
    assert len(got) == len(expected) == 71
    assert isomorphic(got, expected)


def test_get_post_form_and_direct_post_agree(endpoint):
    text = "SELECT ?c WHERE { ?c a ev:Claim } ORDER BY ?c LIMIT 3"
    by_get = endpoint.request(params={"query": text}, headers={"Accept": "application/sparql-results+json"})
    by_form = endpoint.post(text)
    by_body = endpoint.request(data=text.encode(), headers={"Content-Type": "application/sparql-query"})
    assert by_get[0] == by_form[0] == by_body[0] == 200
    assert by_get[2] == by_form[2] == by_body[2]
    values = [b["c"]["value"] for b in json.loads(by_get[2])["results"]["bindings"]]
    assert values == [
        "https://w3id.org/evidence-graph/claim/bursa-is-pain-source",
        "https://w3id.org/evidence-graph/claim/cadence-increase-reduces-knee-load",
        "https://w3id.org/evidence-graph/claim/compression-model-supported-by-anatomy",
    ]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("text/*", "text/csv"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_content_negotiation(endpoint, accept, expected):
    status, headers, _ = endpoint.post("ASK { ?s ?p ?o }", accept=accept)
    assert (status, headers["Content-Type"]) == (200, f"{expected}; charset=utf-8")


def test_no_acceptable_format_is_406(endpoint):
    status, _, body = endpoint.post("ASK { ?s ?p ?o }", accept="image/png")
    assert status == 406
    assert body.decode() == (
        "this answer comes as application/sparql-results+json, application/sparql-results+xml, text/csv, "
        "text/tab-separated-values; the request accepts none of them\n"
    )


def test_every_named_query_answers_as_locally(endpoint, local):
    for query in list_queries():
        status, _, body = endpoint.post(query.text)
        assert status == 200, (query.name, body)
        got = _rows(Result.parse(io.BytesIO(body), format="json"))
        assert got == sorted(run_query(local, query.text).rows, key=repr), query.name


def test_cross_product_past_the_timeout_is_504_and_its_worker_is_replaced(endpoint):
    before = descendants(endpoint.process.pid)
    started = time.monotonic()
    status, headers, body = endpoint.post(CROSS, timeout=30)
    took = time.monotonic() - started
    assert status == 504
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body.decode() == (
        "the query ran past the time limit of 2 s and was stopped; "
        "simplify it or restart the server with a longer --timeout\n"
    )
    assert 2 <= took < 6
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        after = descendants(endpoint.process.pid)
        if len(after) == len(before) and after != before:
            break
        time.sleep(0.1)
    assert len(before - after) == 1, "the worker that ran the query was not killed"
    assert len(after - before) == 1, "no fresh worker took its place"
    assert endpoint.post("ASK { ?s ?p ?o }")[0] == 200


def _nice(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def test_bound_named_queries_do_not_wait_behind_long_queries(endpoint, local):
    """Both general workers busy with cross products past the time limit: a
    bound named query still answers at once, from a lookup worker, which runs
    at normal CPU priority while the general workers yield (nice 10)."""
    import threading

    from rdflib import URIRef

    from graph.sparql.text import bind_values

    claim = URIRef("https://w3id.org/evidence-graph/claim/itbs-compression-syndrome")
    bound = bind_values(named_query("sources-for-claim").text, {"claim": claim})
    statuses = []
    hogs = [threading.Thread(target=lambda: statuses.append(endpoint.post(CROSS, timeout=30)[0])) for _ in range(2)]
    for hog in hogs:
        hog.start()
    time.sleep(0.5)  # both general workers are running a cross product now
    try:
        nices = sorted(_nice(pid) for pid in descendants(endpoint.process.pid))
        started = time.monotonic()
        status, _, body = endpoint.post(bound, accept="application/sparql-results+json")
        took = time.monotonic() - started
    finally:
        for hog in hogs:
            hog.join()
    assert status == 200
    assert took < 1.0, f"the bound query waited {took:.2f} s"
    got = _rows(Result.parse(io.BytesIO(body), format="json"))
    want = sorted(run_query(local, named_query("sources-for-claim").text, params={"claim": claim}).rows, key=repr)
    assert got == want
    assert [str(row[1]).rsplit("/", 1)[1] for row in got] == ["fairclough2007"]
    assert statuses == [504, 504]
    # fork server, resource tracker and 2 lookup workers at 0; 2 general workers at 10
    assert nices == [0, 0, 0, 0, 10, 10]


def test_5000_nested_braces_are_refused_before_any_parser(endpoint):
    # The query checks (the hardening limits) refuse it before a parser's
    # stack can overflow: a 400 naming the limit, and no worker dies.
    before = descendants(endpoint.process.pid)
    status, _, body = endpoint.post(NESTED)
    assert (status, body.decode()) == (
        400,
        "query:1: the query nests deeper than 100 levels (groups, brackets or operators)\n",
    )
    assert descendants(endpoint.process.pid) == before
    for _ in range(3):
        assert endpoint.post("ASK { ?s ?p ?o }")[0] == 200


def test_service_is_refused_and_calls_nobody(endpoint):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        status, _, body = endpoint.post(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
        assert (status, body.decode()) == (
            403,
            "query: SERVICE (a federated call to another endpoint) is refused; start the server with --allow-service\n",
        )
        with pytest.raises(TimeoutError):
            listener.accept()


@pytest.mark.parametrize(
    ("path", "method", "content_type", "body"),
    [
        ("/update", "POST", "application/x-www-form-urlencoded", b"update=INSERT+DATA+%7B%3Ca%3Ab%3E+%3Ca%3Ac%3E+1%7D"),
        ("/query", "POST", "application/x-www-form-urlencoded", b"update=INSERT+DATA+%7B%3Ca%3Ab%3E+%3Ca%3Ac%3E+1%7D"),
        ("/query", "POST", "application/sparql-update", b"INSERT DATA { <a:b> <a:c> 1 }"),
        ("/store?default", "PUT", "application/n-triples", b"<a:b> <a:c> <a:d> .\n"),
        ("/store?default", "POST", "application/n-triples", b"<a:b> <a:c> <a:d> .\n"),
        ("/store?default", "DELETE", None, None),
    ],
)
def test_writes_are_refused(endpoint, path, method, content_type, body):
    headers = {"Content-Type": content_type} if content_type else {}
    status, _, answer = endpoint.request(path, data=body, headers=headers, method=method)
    assert (status, answer.decode()) == (403, READ_ONLY)


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <a:b> <a:c> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR DEFAULT",
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "DROP ALL",
    ],
)
def test_updates_sent_as_queries_are_refused(endpoint, text):
    status, _, body = endpoint.post(text)
    assert status == 403
    assert body.decode().startswith("query: refusing to run an update (")
    assert body.decode().endswith("); this endpoint runs only SELECT, ASK, CONSTRUCT, DESCRIBE\n")
    count = json.loads(endpoint.post("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[2])
    assert count["results"]["bindings"][0]["n"]["value"] == "2140"


def test_syntax_error_is_400_with_line_and_column(endpoint):
    status, _, body = endpoint.post("SELECT ?x WHERE {\n  ?x ?y\n}")
    assert status == 400
    assert body.decode() == "query:2:3: SPARQL syntax error: Expected SelectQuery, found '?'\n"


def test_protocol_errors(endpoint):
    assert endpoint.request()[:1] == (400,)
    assert endpoint.request()[2] == b"no query parameter given\n"
    status, _, body = endpoint.request(
        params={"query": "ASK {}", "default-graph-uri": "http://example.org/g"},
    )
    assert (status, body) == (
        400,
        b"default-graph-uri is not supported: this endpoint serves one graph, the default graph\n",
    )
    status, _, body = endpoint.request(data=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert status == 415
    status, _, _ = endpoint.request(
        data=b"query=" + b"x" * (1 << 20), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 413


def test_every_answer_carries_the_security_headers(endpoint):
    for path in ("/query?query=ASK%7B%7D", "/", "/nothing-here"):
        _, headers, _ = endpoint.request(path)
        assert headers["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self';")
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_evg_query_endpoint_reports_in_one_line(endpoint, evg):
    cases = [
        (
            ["-e", CROSS],
            f"evg: error: {endpoint.url}: the endpoint stopped the query at its time limit (HTTP 504); "
            "simplify the query or raise the server's --timeout\n",
        ),
        (
            ["-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "--allow-service"],
            f"evg: error: {endpoint.url}: the endpoint refused the query (HTTP 403): query: SERVICE (a federated "
            "call to another endpoint) is refused; start the server with --allow-service\n",
        ),
    ]
    for args, expected in cases:
        ran = evg("query", *args, "--endpoint", endpoint.url)
        assert ran.code == 1
        assert ran.err == expected
    # The web editor's page is not a SPARQL endpoint.
    ran = evg("query", "contested-claims", "--endpoint", endpoint.base + "/")
    assert ran.code == 1
    assert ran.err == f"evg: error: {endpoint.base}/: the endpoint refused the query (HTTP 405): Method Not Allowed\n"


def test_sigterm_stops_the_server_and_its_workers(tmp_path):
    require_or_skip(_have_server_stack(), "Starlette and uvicorn are not installed (pip install '.[server]')")
    port = _free_port()
    env = dict(os.environ, EVG_CACHE_DIR=str(tmp_path / "cache"))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "graph",
            "serve",
            "--port",
            str(port),
            "--workers",
            "3",
            "--lookup-workers",
            "1",
            *CORPUS,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        process.stdout.readline()
        workers = descendants(process.pid)
        # the fork server, its resource tracker, three workers and one lookup worker
        assert len(workers) == 6
        os.kill(process.pid, signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert process.stderr.read() == "server stopped\n"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
            time.sleep(0.1)
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        process.stdout.close()
        process.stderr.close()
