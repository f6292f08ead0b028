"""A ``--param`` value is one RDF term: read by a strict term reader, written
into the query by us, never spliced as text. Hostile values from the bug
report and others are refused with one line, or bound as exactly the term
they spell (checked by running the query on both stores)."""

from __future__ import annotations

import socket
import threading

import pytest
from rdflib import Literal, URIRef

from graph.model.errors import QueryError
from graph.model.namespaces import CLAIM, XSD
from graph.sparql import bind_values, named_query, parse_param, run_query

from .conftest import CORPUS, STORES, evg_process

NOT_ONE = 'is not one RDF term (an <IRI>, prefix:name, "literal", number, true or false)'


# value -> the exact error message (after "--param x: ")
REFUSED = {
    # the two payloads of the report: close VALUES, then SERVICE or unbind
    '"x"^^<urn:t>) (UNDEF) } SERVICE <http://127.0.0.1:18999/sparql> { ?a ?b ?c } #Z': (
        "'\"x\"^^<urn:t>) (UNDEF) } SERVICE <http://127.0.0.1:18999/s...' " + NOT_ONE
    ),
    "<urn:x>) (UNDEF) } #>": "'<urn:x>) (UNDEF) } #>' " + NOT_ONE,
    # a comment after a term
    "<urn:x> # comment": "'<urn:x> # comment' " + NOT_ONE,
    '"x" #': "'\"x\" #' " + NOT_ONE,
    # a closing brace after a literal, and a second term
    '"x"@en }': "'\"x\"@en }' " + NOT_ONE,
    "<urn:a> <urn:b>": "'<urn:a> <urn:b>' " + NOT_ONE,
    # an unterminated long string, and a long string closed then continued
    '"""open': '\'"""open\' ' + NOT_ONE,
    '"""a""" } #': '\'"""a""" } #\' ' + NOT_ONE,
    # a newline inside a short string, and a newline before more text
    '"a\nb"': "'\"a\\nb\"' " + NOT_ONE,
    "<urn:x>\n} #": "'<urn:x>\\n} #' " + NOT_ONE,
    # IRIs with a space, or characters IRIs forbid, also spelt as \u escapes
    "http://exa mple.org/x": "'http://exa mple.org/x' " + NOT_ONE,
    "<http://exa mple.org/x>": "'<http://exa mple.org/x>' " + NOT_ONE,
    r"<urn:x\u003E\u0029\u007D#>": "'>' is not allowed in an IRI",
    r"<urn:\u0020x>": "' ' is not allowed in an IRI",
    "<urn:a{b}>": "'<urn:a{b}>' " + NOT_ONE,
    # a datatype that smuggles text, a bad escape, a broken \u escape
    '"x"^^<urn:t> . ?s ?p ?o': "'\"x\"^^<urn:t> . ?s ?p ?o' " + NOT_ONE,
    r'"\q"': r"unknown escape \q in a literal",
    r'"\uD800"': r"the escape \uD800 is not a character",
    # a variable, a blank node, a function call, a bare word with a space
    "?other": "'?other' " + NOT_ONE,
    "_:b0": "'_:b0' " + NOT_ONE,
    'STR("x")': "'STR(\"x\")' " + NOT_ONE,
    "two words": "'two words' " + NOT_ONE,
    # unknown prefixes, ill-typed literals, a relative IRI
    "nope:x": "unknown prefix 'nope:' (known: article:, bibfield:, bibo:, cito:, claim:, concept:, dcterms:, "
    "ev:, fabio:, foaf:, oa:, owl:, prov:, rdf:, rdfs:, review:, schema:, skos:, source:, stmt:, xsd:)",
    '"x"^^xsd:integer': "'x' is not a valid <http://www.w3.org/2001/XMLSchema#integer> value",
    "<relative>": "<relative> is not an absolute IRI",
    "": "'' " + NOT_ONE,
}


@pytest.mark.parametrize("value", sorted(REFUSED))
def test_a_value_that_is_not_one_term_is_refused(value):
    with pytest.raises(QueryError) as info:
        parse_param("x", value)
    assert str(info.value) == "--param x: " + REFUSED[value]


# value -> the term it binds; each is run through a query on both stores
ACCEPTED = {
    "<http://example.org/a#frag>": URIRef("http://example.org/a#frag"),
    "http://example.org/a?q=1#f": URIRef("http://example.org/a?q=1#f"),
    r"<urn:caf\u00E9>": URIRef("urn:café"),
    '"} SERVICE <http://127.0.0.1:1/> { ?a ?b ?c } #"': Literal("} SERVICE <http://127.0.0.1:1/> { ?a ?b ?c } #"),
    '"""multi\nline "quoted" } text"""': Literal('multi\nline "quoted" } text'),
    "'''single ''quoted'''": Literal("single ''quoted"),
    r'"tab\there \"q\" \\ \u00e9"': Literal('tab\there "q" \\ é'),
    '"# not a comment"@en-GB': Literal("# not a comment", lang="en-GB"),
    '"5"^^<http://www.w3.org/2001/XMLSchema#integer>': Literal("5", datatype=XSD.integer),
    "-12": Literal("-12", datatype=XSD.integer),
    "3.25": Literal("3.25", datatype=XSD.decimal),
    "false": Literal("false", datatype=XSD.boolean),
    "claim:itb-slides-over-epicondyle": CLAIM["itb-slides-over-epicondyle"],
    "  plain-word  ": Literal("plain-word"),
}


@pytest.mark.parametrize("value", sorted(ACCEPTED))
def test_an_accepted_value_binds_exactly_its_term(any_store, value):
    assert parse_param("x", value) == ACCEPTED[value]
    result = run_query(any_store, "SELECT ?x WHERE { }", {"x": value})
    assert result.rows == ((ACCEPTED[value],),)


def test_bind_values_refuses_terms_it_cannot_write():
    # The Python API may pass rdflib terms directly: they are checked as well.
    for term, message in [
        (URIRef("urn:x> } SERVICE <http://127.0.0.1:1/> { ?a ?b ?c"), "--param x: '>' is not allowed in an IRI"),
        (Literal("x", datatype=URIRef("urn:t> } #")), "--param x: '>' is not allowed in an IRI"),
    ]:
        with pytest.raises(QueryError) as info:
            bind_values("SELECT ?x WHERE { }", {"x": term})
        assert str(info.value) == message


def test_python_api_terms_pass_the_same_check(any_store):
    with pytest.raises(QueryError) as info:
        run_query(any_store, "SELECT ?x WHERE { }", {"x": URIRef("urn:x>) (UNDEF) } #")})
    assert str(info.value) == "--param x: '>' is not allowed in an IRI"


def test_a_hostile_claim_cannot_unbind_the_claim(any_store):
    # The second payload used to unbind ?claim and list every row.
    with pytest.raises(QueryError):
        run_query(any_store, named_query("sources-for-claim").text, {"claim": "<urn:x>) (UNDEF) } #>"})


def _listener():
    """A TCP listener on a free port that records whether anything connected."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.2)
    hits = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            hits.append(conn.recv(4096))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    return sock, hits, stop, thread


@pytest.mark.parametrize("store", STORES)
def test_service_payload_makes_no_request(store):
    sock, hits, stop, thread = _listener()
    port = sock.getsockname()[1]
    payload = f'claim="x"^^<urn:t>) (UNDEF) }} SERVICE <http://127.0.0.1:{port}/sparql> {{ ?a ?b ?c }} #Z'
    args = ["query", "sources-for-claim", *CORPUS, "--store", store, "--param", payload]
    try:
        proc = evg_process(*args)
    finally:
        stop.set()
        thread.join()
        sock.close()
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr.startswith("evg: error: --param claim: ") and proc.stderr.count("\n") == 1
    assert hits == []
