"""A real store to grow into: Debian's Virtuoso (`virtuoso-opensource`) started
on 127.0.0.1 from a temporary folder, a write user made with `isql`, the
bundled corpus published into it by `evg publish` with credentials (Graph
Store protocol, and SPARQL Update batches), and every named query's rows read
back through `evg query --endpoint`, compared with the local rows as
multisets of lexical values. The server is stopped by PID."""

from __future__ import annotations

import collections
import os
import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from graph.server import free_port, update_batches
from graph.sparql import list_queries, run_query

from .conftest import CORPUS, load_corpus, require_or_skip, run_evg

pytestmark = [pytest.mark.server, pytest.mark.slow]

GRAPH_STORE = "https://w3id.org/evidence-graph/virtuoso-graph-store"
GRAPH_UPDATE = "https://w3id.org/evidence-graph/virtuoso-update"
USER, PASSWORD = "evgwriter", "evg-test-secret"

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def _isql(sql_port: int, statements: str) -> str:
    done = subprocess.run(
        ["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statements}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Error" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    found = shutil.which("virtuoso-t") and shutil.which("isql-vt")
    require_or_skip(bool(found), "Virtuoso is not installed (apt-get install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql=sql, http=http))
    process = subprocess.Popen(
        ["virtuoso-t", "-f", "-c", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (folder / "virtuoso.log").read_text()[-2000:]
            try:
                urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "Virtuoso did not answer within 120 s"
                time.sleep(0.5)
        # A write user: SPARQL_UPDATE is the role Virtuoso's authenticated
        # endpoints (/sparql-auth, /sparql-graph-crud-auth) require for writes;
        # the default graph permissions let it read and write every graph.
        _isql(
            sql,
            f"DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); GRANT SPARQL_UPDATE TO \"{USER}\"; "
            f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{USER}', 15);",
        )
        yield base
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def published(virtuoso, tmp_path_factory):
    """The corpus in two named graphs: by the Graph Store protocol with user
    and password, and by SPARQL Update batches with the credentials from a netrc file."""
    ran = run_evg(
        "publish",
        "--endpoint",
        virtuoso + "/sparql-graph-crud-auth",
        "--graph",
        GRAPH_STORE,
        "--user",
        USER,
        "--password",
        PASSWORD,
        *CORPUS,
    )
    assert ran.code == 0
    netrc = tmp_path_factory.mktemp("netrc") / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n")
    netrc.chmod(0o600)
    old = os.environ.get("NETRC")
    os.environ["NETRC"] = str(netrc)
    try:
        ran = run_evg(
            "publish",
            "--update-endpoint",
            virtuoso + "/sparql-auth",
            "--graph",
            GRAPH_UPDATE,
            "--netrc",
            "--batch",
            "500",
            *CORPUS,
        )
        assert ran.code == 0
    finally:
        if old is None:
            os.environ.pop("NETRC")
        else:
            os.environ["NETRC"] = old
    return virtuoso


@pytest.fixture(scope="module")
def local():
    return load_corpus("rdflib")


def _query_url(base: str, graph_iri: str) -> str:
    return f"{base}/sparql?default-graph-uri={urllib.parse.quote(graph_iri, safe='')}"


def _lexical(rows) -> collections.Counter:
    return collections.Counter(tuple("" if t is None else str(t) for t in row) for row in rows)


@pytest.mark.parametrize("graph_iri", [GRAPH_STORE, GRAPH_UPDATE])
def test_every_triple_arrives(published, local, graph_iri, evg):
    ran = evg(
        "query",
        "-e",
        "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?subjects) WHERE { ?s ?p ?o }",
        "--format",
        "csv",
        "--endpoint",
        _query_url(published, graph_iri),
    )
    assert ran.code == 0
    assert ran.out.splitlines() == ["n,subjects", "2140,457"]
    assert len(local) == 2140


@pytest.mark.parametrize("graph_iri", [GRAPH_STORE, GRAPH_UPDATE])
@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_named_query_on_virtuoso_equals_local(published, local, graph_iri, query, capsys):
    from graph.evidence.graph import remote_graph

    expected = run_query(local, query.text)
    got = run_query(remote_graph(_query_url(published, graph_iri)), query.text)
    assert list(got.variables) == list(expected.variables)
    assert _lexical(got.rows) == _lexical(expected.rows)
    # Stricter, and true on Virtuoso 7.2 too: the same terms (datatypes and
    # language tags included), and the same order where the query orders.
    if "ORDER BY" in query.text:
        assert got.rows == expected.rows
    else:
        assert collections.Counter(got.rows) == collections.Counter(expected.rows)
    assert got.rows, query.name  # every named query lists something on the bundled corpus


def test_evg_query_endpoint_prints_the_local_table(published, evg):
    url = _query_url(published, GRAPH_STORE)
    ran = evg("query", "sources-for-claim", "--param", "claim=claim:itbs-compression-syndrome", "--endpoint", url)
    assert ran.code == 0
    remote_out = ran.out
    ran = evg("query", "sources-for-claim", "--param", "claim=claim:itbs-compression-syndrome", *CORPUS)
    assert ran.code == 0
    assert remote_out == ran.out
    assert remote_out.endswith("(1 row)\n")


def test_wrong_password_is_one_line(published, evg):
    ran = evg(
        "publish",
        "--endpoint",
        published + "/sparql-graph-crud-auth",
        "--graph",
        GRAPH_STORE,
        "--user",
        USER,
        "--password",
        "wrong",
        *CORPUS,
    )
    assert ran.code == 1
    assert ran.err == (
        f"evg: error: {published}/sparql-graph-crud-auth: HTTP 401 digest auth failed "
        "(check --user/--password or --netrc, and that the user may write)\n"
    )


def test_blank_nodes_keep_together_and_out_of_insert_data():
    text = (
        b'<a:s> <a:list> _:l1 .\n_:l1 <a:first> "x" .\n_:l1 <a:rest> _:l2 .\n'
        b'_:l2 <a:first> "y _:l9" .\n<a:t> <a:p> "1" .\n<a:u> <a:p> "2" .\n'
    )
    assert update_batches(text, "https://g.example/g", size=2) == [
        'INSERT DATA { GRAPH <https://g.example/g> {\n<a:t> <a:p> "1" .\n<a:u> <a:p> "2" .\n} }',
        "INSERT { GRAPH <https://g.example/g> {\n"
        '<a:s> <a:list> _:l1 .\n_:l1 <a:first> "x" .\n_:l1 <a:rest> _:l2 .\n_:l2 <a:first> "y _:l9" .\n'
        "} } WHERE {}",
    ]
