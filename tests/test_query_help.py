"""Help for a researcher who does not know the model yet: hints when a query
returns nothing, `evg query --terms`, documented parameters, close command
names, and plural forms in text output."""

from __future__ import annotations

import json
import time

import pytest

from graph.sparql import list_queries, run_query
from graph.sparql.hints import empty_result_hints, query_terms
from graph.sparql.terms import terms_in_use, vocabulary

from .conftest import CORPUS

CITO = "http://purl.org/spar/cito/"
EV = "https://w3id.org/evidence-graph/vocab#"


# --- 1. hints on empty results ---------------------------------------------------------

SUPPORTS_HINT = (
    "evg: hint: the predicate cito:supports occurs nowhere in the graph;"
    " did you mean: cito:givesSupportTo, cito:obtainsSupportFrom?\n"
)


def test_empty_select_names_the_unused_predicate_on_stderr_only(evg):
    code, out, err = evg("query", *CORPUS, "-e", "SELECT ?s ?claim WHERE { ?s cito:supports ?claim }")
    assert code == 0
    assert out == "s  claim\n-  -----\n(0 rows)\n"
    assert err == SUPPORTS_HINT


def test_quiet_turns_hints_off(evg):
    code, out, err = evg("query", *CORPUS, "-q", "-e", "SELECT ?s ?claim WHERE { ?s cito:supports ?claim }")
    assert (code, out, err) == (0, "s  claim\n-  -----\n(0 rows)\n", "")


def test_false_ask_names_class_and_inverse(evg):
    code, out, err = evg("query", *CORPUS, "-e", "ASK { ?s a ev:Paper ; cito:isCitedAsEvidenceBy ?x }")
    assert (code, out) == (0, "false\n")
    assert err == (
        "evg: hint: the predicate cito:isCitedAsEvidenceBy occurs nowhere in the graph;"
        " did you mean: cito:citesAsEvidence (its inverse: swap subject and object)?\n"
        "evg: hint: the class ev:Paper occurs nowhere in the graph (`evg query --terms` lists the terms it uses)\n"
    )


def test_empty_construct_hints_and_stdout_is_the_turtle(evg):
    text = "CONSTRUCT { ?a ev:mine ?b } WHERE { ?a rdfs:lable ?b }"
    code, out, err = evg("query", *CORPUS, "-e", text, "--format", "table")
    assert code == 0
    assert "ev:mine" not in err  # the template builds triples; only the pattern is checked
    assert err == (
        "evg: hint: the predicate rdfs:lable occurs nowhere in the graph; did you mean: rdfs:label, skos:altLabel?\n"
    )
    assert out.strip() == ""


def test_no_hint_when_rows_come_back_or_every_term_occurs(evg):
    code, out, err = evg("query", *CORPUS, "-e", "SELECT ?c WHERE { ?c a ev:Claim } LIMIT 1")
    assert (code, err) == (0, "")
    code, out, err = evg("query", *CORPUS, "-e", 'SELECT ?c WHERE { ?c a ev:Claim ; rdfs:label "no such label" }')
    assert (code, err) == (0, "")
    assert out.endswith("(0 rows)\n")


def test_a_misspelt_class_on_the_cli(evg):
    code, out, err = evg("query", *CORPUS, "-e", "SELECT ?c WHERE { ?c a ev:Claimm }")
    assert (code, out) == (0, "c\n-\n(0 rows)\n")
    assert err == "evg: hint: the class ev:Claimm occurs nowhere in the graph; did you mean: ev:Claim?\n"


def test_a_term_used_in_the_other_role_says_so(any_store):
    for text, expected in (
        (
            "ASK { ?c a ev:claim }",
            "the class ev:claim occurs nowhere in the graph as a class, only as a predicate; did you mean: ev:Claim?",
        ),
        (
            "SELECT * { ?c ev:Claim ?x }",
            "the predicate ev:Claim occurs nowhere in the graph as a predicate, only as a class;"
            " did you mean: ev:claim?",
        ),
    ):
        assert [str(h) for h in empty_result_hints(any_store, text, run_query(any_store, text))] == [expected]


def test_index_lookups_agree_with_the_bounded_query(any_store):
    """Local stores look terms up in their index; a remote endpoint gets
    occurrence_query (Backend's default). Both give the same answer."""
    from graph.store.base import Backend

    terms = {
        (EV + "Claim", "class"),
        (EV + "Claim", "predicate"),
        (EV + "claim", "predicate"),
        (EV + "claim", "class"),
        (CITO + "supports", "predicate"),
        ("urn:x:nothing", "class"),
    }
    expected = {(EV + "Claim", "class"), (EV + "claim", "predicate")}
    assert any_store.backend.uses_terms(terms) == expected
    assert Backend.uses_terms(any_store.backend, terms) == expected
    assert any_store.backend.uses_terms(set()) == Backend.uses_terms(any_store.backend, set()) == set()


def test_an_endpoint_that_refuses_the_lookups_gives_the_answer_without_hints(evg):
    """A query the endpoint answers (no rows), then a lookup it refuses: the
    answer stands, exit 0, and no hint (a hint never turns it into an error)."""
    import http.server
    import threading
    import urllib.parse

    asked = []

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
            asked.append(form["query"][0])
            if "VALUES ?t" in form["query"][0]:
                code, kind, body = 400, "text/plain", b"this endpoint takes no VALUES"
            else:
                code, kind, body = (
                    200,
                    "application/sparql-results+json",
                    b'{"head":{"vars":["s"]},"results":{"bindings":[]}}',
                )
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    try:
        code, out, err = evg("query", "--endpoint", url, "-e", "SELECT ?s WHERE { ?s cito:supports ?c }")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert (code, out, err) == (0, "s\n-\n(0 rows)\n", "")
    assert len(asked) == 2 and "VALUES ?t { <http://purl.org/spar/cito/supports> }" in asked[1]


def test_hints_are_the_same_on_both_stores_and_cheap(any_store):
    text = "SELECT * WHERE { ?s a ev:Claims ; cito:citesAsEvidnce ?x ; bibo:DOI ?d }"
    result = run_query(any_store, text)
    hints = empty_result_hints(any_store, text, result)
    assert [str(h) for h in hints] == [
        "the predicate bibo:DOI occurs nowhere in the graph; did you mean: bibo:doi?",
        "the predicate cito:citesAsEvidnce occurs nowhere in the graph; did you mean: cito:citesAsEvidence?",
        "the class ev:Claims occurs nowhere in the graph; did you mean: ev:Claim?",
    ]
    # The check on a result with every term in use: a lookup per term in the store's index.
    ok = "SELECT * WHERE { ?s a ev:Claim ; ev:contradicts ?x ; rdfs:label 'none' }"
    result = run_query(any_store, ok)
    empty_result_hints(any_store, ok, result)
    started = time.perf_counter()
    assert empty_result_hints(any_store, ok, result) == []
    assert time.perf_counter() - started < 0.01  # an index lookup a term: 0.1 ms on either any_store


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * { ?s cito:supports ?c }", {CITO + "supports": "predicate"}),
        (
            "SELECT * { ?s a ev:Claim ; rdfs:label ?l , 'x'@en . ?st ev:claim ?s ;"
            " cito:citesAsEvidence/dcterms:title ?t . FILTER NOT EXISTS { ?s ev:contradicts claim:x }"
            " FILTER(?l != 'a.b'^^xsd:string) }",
            {
                "http://purl.org/dc/terms/title": "predicate",
                CITO + "citesAsEvidence": "predicate",
                "http://www.w3.org/2000/01/rdf-schema#label": "predicate",
                EV + "Claim": "class",
                EV + "claim": "predicate",
                EV + "contradicts": "predicate",
            },
        ),
        (
            "CONSTRUCT { ?s ev:made ?o } WHERE { ?s ^cito:givesSupportTo ?o . ?o rdf:type fabio:Book ."
            " OPTIONAL { ?o ev:evidenceRank 5.5 } }",
            {
                CITO + "givesSupportTo": "predicate",
                "http://purl.org/spar/fabio/Book": "class",
                EV + "evidenceRank": "predicate",
            },
        ),
        (
            "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o . ?s !(rdf:type|ev:x) ?z . [ a skos:Concept ; skos:broader* ?b ]"
            " skos:prefLabel ?l . VALUES ?q { ev:notAPredicate } } GROUP BY ?p",
            {
                "http://www.w3.org/2004/02/skos/core#Concept": "class",
                "http://www.w3.org/2004/02/skos/core#broader": "predicate",
                "http://www.w3.org/2004/02/skos/core#prefLabel": "predicate",
            },
        ),
        (
            "PREFIX my: <http://example.org/> ASK { ?s my:p ( 1 my:q ) . { SELECT ?s { ?s my:r true } LIMIT 2 }"
            " BIND(STR(?s) AS ?k) }",
            {"http://example.org/p": "predicate", "http://example.org/r": "predicate"},
        ),
    ],
)
def test_query_terms_reads_predicates_and_classes(text, expected):
    assert query_terms(text) == expected


def _parsed_terms(text: str) -> dict[str, str]:
    """The same terms read from rdflib's parse of the query (slow, exact)."""
    from rdflib import RDF, URIRef
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    from graph.sparql.text import _walk, check_query

    def iris(p):
        if isinstance(p, URIRef):
            return [str(p)]
        if isinstance(p, (SequencePath, AlternativePath)):
            return [i for a in p.args for i in iris(a)]
        if isinstance(p, InvPath):
            return iris(p.arg)
        if isinstance(p, MulPath):
            return iris(p.path)
        return []

    out: dict[str, str] = {}
    _, parsed = check_query(text, allow_service=True)
    for comp in _walk(parsed.algebra):
        if comp.name == "BGP":
            for _, p, o in comp.get("triples", ()):
                if p == RDF.type:
                    if isinstance(o, URIRef):
                        out.setdefault(str(o), "class")
                    continue
                for i in iris(p):
                    if i != str(RDF.type):
                        out.setdefault(i, "predicate")
    return dict(sorted(out.items()))


def test_query_terms_agrees_with_the_parser_on_every_shipped_query():
    """rdflib's algebra leaves the groups of EXISTS untranslated, so the
    reference misses their terms: those are the only ones it may lack."""
    from graph.model.namespaces import PREFIXES
    from graph.model.paths import QUERIES_DIR
    from graph.sparql.results import compact_iri

    files = sorted(QUERIES_DIR.rglob("*.rq"))
    assert len(files) > 20
    extras = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        mine, reference = query_terms(text), _parsed_terms(text)
        assert set(reference.items()) <= set(mine.items()), path.name
        for iri in set(mine) - set(reference):
            name = compact_iri(iri, PREFIXES)
            assert "EXISTS" in text.upper() and text.upper().index("EXISTS") < text.rindex(name), (path.name, name)
            extras += 1
    assert extras > 0


# --- 2. evg query --terms ----------------------------------------------------------------


def test_terms_lists_every_class_and_predicate_in_use_by_vocabulary(evg):
    code, out, err = evg("query", *CORPUS, "--terms")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:7] == [
        "CiTO (Citation Typing Ontology)  cito: <http://purl.org/spar/cito/>",
        "  cito:cites               predicate    9  the subject work cites the object work, for no stated reason",
        "  cito:citesAsEvidence     predicate   19  a statement cites a source as evidence for its claim",
        "  cito:disputes            predicate    1  a source argues against a claim",
        "  cito:givesSupportTo      predicate   18  a source backs a claim",
        "  cito:isDisputedBy        predicate    1  a claim is argued against by a source",
        "  cito:obtainsSupportFrom  predicate   18  a claim is backed by a source",
    ]
    assert "  ev:Claim                 class       71  one proposition, worded once and neutrally" in lines
    web = "  fabio:WebArticle         class        2  an article published on the web (the articles that make claims)"
    assert web in lines
    headers = [line.split(" (")[0].split("  ")[0] for line in lines if line and not line.startswith(" ")]
    assert headers == [
        "CiTO", "BIBO", "FaBiO", "Web Annotation", "PROV", "SKOS", "Dublin Core", "FOAF", "schema.org",
        "evidence-graph", "BibTeX fields", "RDF", "RDFS", "OWL",
    ]  # fmt: skip
    assert len([line for line in lines if line.startswith("  ")]) == 58 + 18  # predicates + classes in use


def test_every_term_the_corpus_uses_has_a_description(any_store):
    uses = terms_in_use(any_store)
    assert len(uses) == 76  # 58 predicates (ev:titleLaTeX among them) and 18 classes
    assert [u.iri for u in uses if not u.description] == []


def test_terms_json(evg):
    code, out, err = evg("query", *CORPUS, "--terms", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    cito = data["vocabularies"][0]
    assert (cito["vocabulary"], cito["namespace"]) == ("CiTO", CITO)
    assert cito["terms"][1] == {
        "term": "cito:citesAsEvidence",
        "iri": CITO + "citesAsEvidence",
        "kind": "predicate",
        "count": 19,
        "description": "a statement cites a source as evidence for its claim",
    }


def test_terms_with_a_query_is_a_usage_error(evg):
    code, out, err = evg("query", *CORPUS, "--terms", "-e", "ASK {}")
    assert code == 2
    assert out == ""
    assert "--terms lists the graph's terms; give no QUERY, -e or --param with it" in err


def test_the_table_inverses_go_both_ways():
    table = vocabulary()
    for term in table.terms.values():
        if term.inverse:
            assert table.get(term.inverse) is not None, term.iri
            assert table.get(term.inverse).inverse == term.iri, term.iri
            assert table.get(term.inverse).kind == term.kind


# --- 3. parameters named as documented -------------------------------------------------


def test_unknown_param_of_a_named_query_lists_its_documented_parameters(evg):
    code, out, err = evg("query", *CORPUS, "sources-for-claim", "--param", "clam=itbs-friction-syndrome")
    assert (code, out) == (1, "")
    assert err == (
        "evg: error: sources-for-claim: --param clam: the query has no parameter ?clam;"
        " did you mean ?claim? (its parameters: ?claim)\n"
    )


def test_unknown_param_with_nothing_close(evg):
    code, out, err = evg("query", *CORPUS, "claims-by-topic", "--param", "zzz=1")
    assert (code, out) == (1, "")
    assert err == "evg: error: claims-by-topic: --param zzz: the query has no parameter ?zzz (its parameters: ?topic)\n"


def test_unknown_param_of_an_expression_lists_its_variables(evg):
    code, out, err = evg("query", *CORPUS, "-e", "SELECT ?a WHERE { ?a ?b ?c }", "--param", "zz=1")
    assert (code, out) == (1, "")
    assert err == "evg: error: -e: --param zz: the query has no variable ?zz (it has ?a, ?b, ?c)\n"


def test_unknown_param_of_a_named_query_without_parameters(evg):
    code, out, err = evg("query", *CORPUS, "contradicting-claims", "--param", "x=1")
    assert (code, out) == (1, "")
    assert err == "evg: error: contradicting-claims: --param x: the query has no parameter ?x (it takes none)\n"


def test_a_named_query_binds_only_its_documented_parameters(evg):
    code, out, err = evg("query", *CORPUS, "sources-for-claim", "--param", "source=chaudhry2008")
    assert (code, out) == (1, "")
    assert err == (
        "evg: error: sources-for-claim: --param source: the query has no parameter ?source (its parameters: ?claim)\n"
    )
    code, out, err = evg("query", *CORPUS, "contradicting-claims", "--param", "claim=itbs-compression-syndrome")
    assert (code, out) == (1, "")
    assert err == "evg: error: contradicting-claims: --param claim: the query has no parameter ?claim (it takes none)\n"


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_named_query_answers_an_unknown_param_with_its_documented_names(evg, query):
    code, out, err = evg("query", *CORPUS, query.name, "--param", "zzz=1")
    assert (code, out) == (1, "")
    listed = f"its parameters: {', '.join('?' + p for p in query.params)}" if query.params else "it takes none"
    assert err == f"evg: error: {query.name}: --param zzz: the query has no parameter ?zzz ({listed})\n"


def test_a_copied_query_file_keeps_its_documented_parameters(evg, tmp_path):
    from graph.sparql import named_query

    copy = tmp_path / "my-sources.rq"
    copy.write_text(named_query("sources-for-claim").text, encoding="utf-8")
    code, out, err = evg("query", *CORPUS, str(copy), "--param", "clam=itbs-compression-syndrome")
    assert (code, out) == (1, "")
    assert err == (
        f"evg: error: {copy}: --param clam: the query has no parameter ?clam; did you mean ?claim?"
        " (its parameters: ?claim)\n"
    )
    code, out, err = evg("query", *CORPUS, str(copy), "--param", "claim=itbs-compression-syndrome")
    assert (code, err) == (0, "")
    assert out.startswith("claim ") and "source:fairclough2007" in out


def test_an_unknown_variable_of_an_expression_gets_the_closest(evg):
    code, out, err = evg("query", *CORPUS, "-e", "SELECT ?claim WHERE { ?claim a ev:Claim }", "--param", "clam=x")
    assert (code, out) == (1, "")
    assert (
        err == "evg: error: -e: --param clam: the query has no variable ?clam; did you mean ?claim? (it has ?claim)\n"
    )


def test_documented_parameters_are_variables_of_their_query():
    from graph.sparql.text import check_query, query_variables

    for q in list_queries():
        assert set(q.params) <= query_variables(check_query(q.text)[1]), q.name


# --- 4. commands -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("sorces", "no such command 'sorces'; did you mean: sources?"),
        ("expot", "no such command 'expot'; did you mean: export, report?"),
        ("qurey", "no such command 'qurey'; did you mean: query?"),
        ("SOURCES", "no such command 'SOURCES'; did you mean: sources?"),
        ("claim", "no such command 'claim'; did you mean: claims?"),
        ("exp", "no such command 'exp'; did you mean: export?"),
        (
            "xyz",
            "no such command 'xyz'; the commands are: check, claims, export, extract, fmt, html, impact, nanopub,"
            " publish, query, report, serve, sources, stats, validate",
        ),
    ],
)
def test_unknown_command_suggests_the_closest_in_one_line(evg, name, message):
    code, out, err = evg(name, "--help")
    assert (code, out, err) == (2, "", f"evg: error: {message}\n")


def test_depth_without_focus_is_a_usage_error(evg, tmp_path):
    code, out, err = evg("html", *CORPUS, "--depth", "2", "-o", str(tmp_path / "g.html"))
    assert (code, out) == (2, "")
    assert err == "evg: error: --depth needs --focus: it counts links from the focused node\n"
    assert not (tmp_path / "g.html").exists()
