"""A real Oxigraph SPARQL server on 127.0.0.1: publish to it, query it with
SPARQLWrapper (a client this project did not write), compare with the local
answers, the query timeout, and `evg serve` stopping cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from rdflib import BNode, Literal, URIRef

from graph.model.errors import QueryError
from graph.model.namespaces import PREFIXES
from graph.sparql import format_result, list_queries, run_query

from .conftest import CORPUS, load_corpus, require_or_skip, run_evg

pytestmark = pytest.mark.server

QUERIES = list_queries()  # every parameter is optional: unbound, each lists everything
GRAPH_IRI = "https://w3id.org/evidence-graph/test-graph"
#: A query that takes far longer than a second on any machine: a cross product of 2140^3 rows.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _binary() -> str | None:
    from graph.server import ServerError, find_oxigraph

    try:
        return find_oxigraph()
    except ServerError:
        return None


@pytest.fixture(scope="module")
def oxigraph_bin() -> str:
    found = _binary()
    require_or_skip(found is not None, "the `oxigraph` server command is not installed (pip install oxigraph)")
    return found


@pytest.fixture(scope="module")
def local():
    return load_corpus("rdflib")


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else "server exited"
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"no answer from {url}")


@pytest.fixture(scope="module")
def writable_server(oxigraph_bin, tmp_path_factory):
    """A read-write Oxigraph server, empty, on a free port; stopped after the module."""
    from graph.server import free_port

    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-rw")
    process = subprocess.Popen(
        [oxigraph_bin, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/query", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def _sparqlwrapper_rows(endpoint: str, text: str, default_graph: str | None = None) -> tuple:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setReturnFormat(JSON)
    # The named queries use the project's prefixes; send them as the query does locally.
    client.setQuery("".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + text)
    if default_graph:
        client.addDefaultGraph(default_graph)
    data = client.queryAndConvert()
    names = data["head"]["vars"]
    return tuple(names), tuple(tuple(_term(b.get(n)) for n in names) for b in data["results"]["bindings"])


def _term(b: dict | None):
    if b is None:
        return None
    if b["type"] == "uri":
        return URIRef(b["value"])
    if b["type"] == "bnode":
        return BNode(b["value"])
    if "xml:lang" in b:
        return Literal(b["value"], lang=b["xml:lang"])
    dt = b.get("datatype")
    if dt and dt != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(b["value"], datatype=URIRef(dt))
    return Literal(b["value"])


def _comparable(text: str, rows: tuple) -> tuple:
    return rows if "ORDER BY" in text.upper() else tuple(sorted(rows, key=repr))


# --- publish, then query with SPARQLWrapper ------------------------------------------


@pytest.fixture(scope="module")
def published(writable_server):
    """The bundled graph, published by `evg publish` into the default graph and a named graph."""
    for extra in ([], ["--graph", GRAPH_IRI]):
        ran = run_evg("publish", "--endpoint", writable_server + "/store", *extra, *CORPUS)
        assert ran.code == 0
    return writable_server


def test_publish_uploads_every_triple(published, local):
    _names, rows = _sparqlwrapper_rows(published + "/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", GRAPH_IRI)
    assert rows == ((Literal(len(local), datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")),),)
    assert len(local) == 2140


def test_publish_reports_what_it_sent(writable_server, evg):
    ran = evg("publish", "--endpoint", writable_server + "/store", "--graph", GRAPH_IRI + "-2", *CORPUS)
    assert ran.code == 0
    assert ran.out == (f"published 2140 triples to graph <{GRAPH_IRI}-2> at {writable_server}/store (HTTP 201)\n")


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_named_query_over_http_equals_local(published, local, query):
    expected = run_query(local, query.text, where=query.name)
    names, rows = _sparqlwrapper_rows(published + "/query", query.text, GRAPH_IRI)
    assert names == expected.variables
    assert _comparable(query.text, rows) == _comparable(query.text, expected.rows)
    assert rows, f"{query.name} returned no rows; the comparison would prove nothing"


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_evg_query_endpoint_equals_local(published, local, query, evg):
    ran = evg("query", query.name, "--endpoint", published + "/query", "--format", "tsv")
    assert ran.code == 0
    remote_tsv = ran.out
    local_tsv = format_result(run_query(local, query.text, where=query.name), "tsv")
    head, *body = remote_tsv.splitlines()
    lhead, *lbody = local_tsv.splitlines()
    assert head == lhead
    assert (body if "ORDER BY" in query.text.upper() else sorted(body)) == (
        lbody if "ORDER BY" in query.text.upper() else sorted(lbody)
    )


def test_evg_query_endpoint_with_a_param(published, evg):
    ran = evg("query", "claims-of-source", "--param", "source=chaudhry2008", "--endpoint", published + "/query")
    assert ran.code == 0
    out = ran.out
    assert "claim:fascia-elongation-needs-900n" in out


def test_evg_query_endpoint_hints_on_an_empty_result(published, evg):
    ran = evg("query", "-e", "SELECT ?s ?claim WHERE { ?s cito:supports ?claim }", "--endpoint", published + "/query")
    assert ran.code == 0
    captured = ran
    assert captured.out == "s  claim\n-  -----\n(0 rows)\n"
    assert captured.err == (
        "evg: hint: the predicate cito:supports occurs nowhere in the graph;"
        " did you mean: cito:givesSupportTo, cito:obtainsSupportFrom?\n"
    )


def test_evg_query_terms_on_an_endpoint(published, evg):
    ran = evg("query", "--terms", "--endpoint", published + "/query")
    assert ran.code == 0
    lines = ran.out.splitlines()
    assert "  cito:givesSupportTo      predicate   18  a source backs a claim" in lines


def test_publish_falls_back_to_update_batches(writable_server, local, evg):
    """A Graph Store URL that answers 404 (none is there): the graph goes by
    SPARQL Update instead, in batches, blank nodes kept together."""
    target = GRAPH_IRI + "-by-update"
    ran = evg(
        "publish",
        "--endpoint",
        writable_server + "/no-graph-store-here",
        "--update-endpoint",
        writable_server + "/update",
        "--graph",
        target,
        "--batch",
        "300",
        *CORPUS,
    )
    assert ran.code == 0
    assert ran.out == (
        f"published 2140 triples to graph <{target}> at {writable_server}/update in 9 SPARQL Update requests "
        "(the Graph Store endpoint refused it)\n"
    )
    text = "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?subjects) WHERE { ?s ?p ?o }"
    _names, rows = _sparqlwrapper_rows(writable_server + "/query", text, target)
    assert [tuple(int(t) for t in row) for row in rows] == [(2140, 457)]
    for query in QUERIES:
        _names, got = _sparqlwrapper_rows(writable_server + "/query", query.text, target)
        assert sorted(got, key=repr) == sorted(run_query(local, query.text).rows, key=repr), query.name


def test_publish_to_nothing_is_one_line(evg):
    from graph.server import free_port

    url = f"http://127.0.0.1:{free_port()}/store"
    ran = evg("publish", "--endpoint", url, *CORPUS)
    assert ran.code == 1
    err = ran.err
    assert err.startswith(f"evg: error: {url}: cannot connect:")
    assert err.count("\n") == 1


def test_publish_needs_an_http_url(evg):
    ran = evg("publish", "--endpoint", "ftp://example.org/store", *CORPUS)
    assert ran.code == 1
    assert ran.err == "evg: error: endpoint 'ftp://example.org/store' is not an http(s) URL\n"


# --- the read-only server, its timeout, evg serve ------------------------------------------


def test_server_is_read_only_and_times_out(local):
    from graph.evidence.graph import remote_graph
    from graph.server import Server, ServerError, publish

    with Server(local, timeout=1) as server:
        remote = remote_graph(server.query_url)
        assert len(remote) == 2140
        with pytest.raises(ServerError, match="HTTP 403"):
            publish(local, server.base_url + "/store")
        started = time.monotonic()
        with pytest.raises(QueryError, match="stopped the query at its time limit"):
            remote.select(SLOW)
        assert time.monotonic() - started < 20
    with pytest.raises(OSError):
        urllib.request.urlopen(server.query_url + "?query=ASK%7B%7D", timeout=2)


def test_cli_timeout_is_a_clear_one_line_error(local, evg):
    from graph.server import Server

    with Server(local, timeout=1) as server:
        ran = evg("query", "-e", SLOW, "--endpoint", server.query_url)
    assert ran.code == 1
    err = ran.err
    assert err == (
        f"evg: error: {server.query_url}: the endpoint stopped the query at its time limit (HTTP 504); "
        "simplify the query or raise the server's --timeout\n"
    )


def test_oxigraph_streamed_timeout_is_one_line_too(oxigraph_bin, local, tmp_path, evg):
    """The `oxigraph` server cuts a streamed answer at its timeout (HTTP 200, a
    note at the end): `evg query --endpoint` says so in one line."""
    from graph.server import free_port, store_location

    location, tmp = store_location(local)
    port = free_port()
    process = subprocess.Popen(
        [
            oxigraph_bin,
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout-s",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait_for(url, process)
        ran = evg("query", "-e", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--endpoint", url)
        assert ran.code == 1
        assert ran.err == (
            f"evg: error: {url}: the server stopped the query when it ran past its time limit; "
            "simplify the query or restart `evg serve` with a longer --timeout\n"
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()
        if tmp is not None:
            tmp.cleanup()


def test_non_sparql_answer_is_one_line(evg):
    """A web server that answers HTML where SPARQL results should be."""
    import http.server
    import threading

    class Page(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = b"<html><body>Welcome</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    try:
        for args, what in ((["contested-claims"], "SPARQL JSON results"), (["-e", "DESCRIBE claim:x"], "N-Triples")):
            ran = evg("query", *args, "--endpoint", url)
            assert ran.code == 1
            assert ran.err == (
                f"evg: error: {url}: the answer is not {what} (Content-Type: text/html); "
                "is this the query URL of a SPARQL endpoint?\n"
            )
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_evg_serve_answers_then_stops_cleanly_on_ctrl_c(local, tmp_path):
    from graph.server import free_port

    port = free_port()
    env = dict(os.environ, EVG_CACHE_DIR=str(tmp_path / "cache"))
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--port", str(port), "--timeout", "5", *CORPUS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = process.stdout.readline()
        url = f"http://127.0.0.1:{port}/query"
        assert line == f"SPARQL endpoint (read-only, 5 s query timeout, 2 workers + 2 for bound named queries): {url}\n"
        query = next(q for q in QUERIES if q.name == "contested-claims")
        names, rows = _sparqlwrapper_rows(url, query.text)
        expected = run_query(local, query.text)
        assert (names, _comparable(query.text, rows)) == (expected.variables, _comparable(query.text, expected.rows))
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        assert "server stopped" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2)


def test_serve_on_a_busy_port_says_so(evg):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        ran = evg("serve", "--port", str(port), *CORPUS)
    assert ran.code == 1
    assert ran.err == (f"evg: error: port {port} on 127.0.0.1 is already in use; choose another with --port\n")
