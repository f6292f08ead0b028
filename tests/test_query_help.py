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

from .conftest import CORPUS, DATA

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


def test_hints_are_the_same_on_both_stores_and_cheap(any_store):
    text = "SELECT * WHERE { ?s a ev:Claims ; cito:citesAsEvidnce ?x ; bibo:DOI ?d }"
    result = run_query(any_store, text)
    hints = empty_result_hints(any_store, text, result)
    assert [str(h) for h in hints] == [
        "the predicate bibo:DOI occurs nowhere in the graph; did you mean: bibo:doi?",
        "the predicate cito:citesAsEvidnce occurs nowhere in the graph; did you mean: cito:citesAsEvidence?",
        "the class ev:Claims occurs nowhere in the graph; did you mean: ev:Claim?",
    ]
    # The check on a result with every term in use: one bounded query, a
    # fraction of a millisecond on Oxigraph (rdflib spends tens parsing it).
    ok = "SELECT * WHERE { ?s a ev:Claim ; ev:contradicts ?x ; rdfs:label 'none' }"
    result = run_query(any_store, ok)
    empty_result_hints(any_store, ok, result)
    started = time.perf_counter()
    assert empty_result_hints(any_store, ok, result) == []
    if any_store.backend.name == "oxigraph":
        assert time.perf_counter() - started < 0.01


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


def test_documented_parameters_are_variables_of_their_query():
    from graph.sparql.text import check_query, query_variables

    for q in list_queries():
        assert set(q.params) <= query_variables(check_query(q.text)[1]), q.name


# --- 4. commands -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("sorces", "no such command 'sorces'; did you mean: sources?"),
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


# --- 5. words: 0, 1 and 2 of each counted thing -------------------------------------------

#: Every noun a text renderer counts.
COUNTED = {
    "claim": "claims",
    "source": "sources",
    "article": "articles",
    "topic": "topics",
    "link": "links",
    "row": "rows",
    "sentence": "sentences",
    "statement": "statements",
    "reference": "references",
    "entry": "entries",
    "problem": "problems",
    "triple": "triples",
    "unresolved citation": "unresolved citations",
}


@pytest.mark.parametrize(("word", "many"), COUNTED.items())
def test_plural_of_every_counted_noun(word, many):
    from graph.model.words import plural

    assert [plural(n, word) for n in (0, 1, 2)] == [f"0 {many}", f"1 {word}", f"2 {many}"]


def test_table_row_count():
    from graph.sparql import QueryResult, to_table

    rows = [tuple(), ((None,),), ((None,), (None,))]
    assert [to_table(QueryResult("SELECT", ("x",), r)).splitlines()[-1] for r in rows] == [
        "(0 rows)",
        "(1 row)",
        "(2 rows)",
    ]


def test_html_summary_counts():
    from pathlib import Path

    from graph.render.html import HtmlResult

    def summary(n):
        counts = {"claim": n, "source": n, "article": n, "topic": n, "edges": n}
        return HtmlResult(Path("g.html"), counts, "whole graph", 0).summary()

    assert [summary(n) for n in (0, 1, 2)] == [
        "0 claims, 0 sources, 0 articles, 0 topics; 0 links (whole graph)",
        "1 claim, 1 source, 1 article, 1 topic; 1 link (whole graph)",
        "2 claims, 2 sources, 2 articles, 2 topics; 2 links (whole graph)",
    ]


def test_claims_of_a_source_counts(any_store):
    import dataclasses

    from graph.render.report import source_markdown

    full = any_store.evidence.source_claims("fairclough2007")
    assert len(full.supports) >= 2
    lines = []
    for n in (0, 1, 2):
        result = dataclasses.replace(full, supports=full.supports[:n], disputes=full.supports[:n])
        lines.append(source_markdown(result).splitlines()[4].split("; ")[-1])
    assert lines == [
        "supports 0 claims, disputes 0 claims.",
        "supports 1 claim, disputes 1 claim.",
        "supports 2 claims, disputes 2 claims.",
    ]


def test_impact_counts():
    from types import SimpleNamespace

    from graph.cli.query import render_impact

    def first(n):
        r = SimpleNamespace(source="x", supports=[None] * n, lose_all_support=[], left_with_one_source=[])
        r.disputes = r.refuted = []
        return render_impact(r).splitlines()[0]

    assert [first(n) for n in (0, 1, 2)] == [
        "If x were retracted (0 claims it supports):",
        "If x were retracted (1 claim it supports):",
        "If x were retracted (2 claims it supports):",
    ]


def test_draft_check_summary_counts():
    from types import SimpleNamespace

    from graph.drafts.check import CheckReport
    from graph.render.check import _summary_line

    def line(n):
        sentences = tuple(SimpleNamespace(status="supported") for _ in range(n))
        return _summary_line(CheckReport("d.md", "vancouver", sentences, (), (None,) * n))

    assert [line(n) for n in (0, 1, 2)] == [
        "0 sentences",
        "1 sentence: 1 supported; 1 unresolved citation",
        "2 sentences: 2 supported; 2 unresolved citations",
    ]


def test_validate_counts_in_words(evg, tmp_path):
    code, out, err = evg("validate", "--no-shacl", "--claims", str(DATA / "mini" / "claims.ttl"),
                         "--sources", str(DATA / "mini" / "sources.bib"))  # fmt: skip
    assert (code, out) == (0, "")
    assert err == "ok: 2 claims, 2 statements, 2 sources\n"
