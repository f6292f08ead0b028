"""Store backends: rdflib and Oxigraph give the same answers; automatic
choice; errors as the rdflib loader reports them; the Oxigraph loader's
background derivation and Python ORDER BY."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import graph
from graph.model.errors import InputError
from graph.model.namespaces import CLAIM, SOURCE, XSD
from graph.store import AUTO_THRESHOLD_BYTES, choose_store

from .conftest import CLAIMS_TTL, DATA, SOURCES_BIB, STORES, load_corpus, load_script


@pytest.fixture(scope="module")
def both():
    return {s: load_corpus(s) for s in STORES}


def test_backends_are_what_was_asked(both):
    assert both["rdflib"].backend.name == "rdflib"
    assert both["oxigraph"].backend.name == "oxigraph"
    assert len(both["rdflib"]) == len(both["oxigraph"]) == 2140


def test_every_ground_triple_is_the_same(both):
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }"
    rows = {name: sorted(tuple(r.values()) for r in eg.select(q)) for name, eg in both.items()}
    assert rows["rdflib"] == rows["oxigraph"]
    assert len(rows["rdflib"]) == 1484


def test_the_graphs_are_isomorphic(both):
    from rdflib.compare import isomorphic

    assert isomorphic(both["rdflib"].rdf, both["oxigraph"].rdf)


@pytest.mark.parametrize(
    "query, bindings",
    [
        ("SELECT ?label WHERE { ?c rdfs:label ?label }", {"c": CLAIM["itbs-compression-syndrome"]}),
        ("SELECT ?c WHERE { ?c cito:obtainsSupportFrom ?s } ORDER BY ?c", {"s": SOURCE.fairclough2006}),
        ("SELECT ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?o)) } ORDER BY ?p ?o", {"s": SOURCE.falvey2010}),
        ("SELECT ?x WHERE { ?x dcterms:identifier ?k }", {"k": Literal("chaudhry2008")}),
        ("SELECT ?n (COUNT(?c) AS ?k) WHERE { ?c a ev:Claim ; dcterms:subject ?n } GROUP BY ?n ORDER BY ?n", None),
        ("SELECT ?alt WHERE { ?t skos:altLabel ?alt } ORDER BY ?alt", None),
        ("SELECT ?r WHERE { ?d ev:evidenceRank ?r } ORDER BY ?r", None),
    ],
)
def test_select_rows_are_identical_terms(both, query, bindings):
    from graph.model.namespaces import PREFIXES

    text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + query
    a = both["rdflib"].select(text, bindings)
    b = both["oxigraph"].select(text, bindings)
    assert a == b
    assert a, "a comparison of nothing proves nothing"
    for row_a, row_b in zip(a, b):
        for key in row_a:
            assert type(row_a[key]) is type(row_b[key])
            if isinstance(row_a[key], Literal):
                assert (row_a[key].datatype, row_a[key].language) == (row_b[key].datatype, row_b[key].language)


def test_api_answers_are_identical(both):
    a, b = both["rdflib"], both["oxigraph"]
    assert a.claim_iris == b.claim_iris
    assert a.source_keys == b.source_keys
    assert a.article_iris == b.article_iris
    assert a.claim_summaries() == b.claim_summaries()
    assert a.study_design("falvey2010") == b.study_design("falvey2010")
    assert str(b.study_design("falvey2010")[1]) == "cadaveric study"
    assert a.bib_entry("vanderworp2012") == b.bib_entry("vanderworp2012")
    assert a.resolve_claim("itb-anchored-to-femur") == b.resolve_claim("claim:itb-anchored-to-femur")
    assert [m.claim.iri for m in a.search("compression syndrome", 3)] == [
        m.claim.iri for m in b.search("compression syndrome", 3)
    ]


def test_query_gives_rdflib_results_on_oxigraph(both):
    eg = both["oxigraph"]
    assert eg.query("ASK { claim:itbs-compression-syndrome a ev:Claim }").askAnswer is True
    construct = eg.query("CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c rdfs:label ?l ; a ev:Claim }")
    assert isinstance(construct.graph, Graph)
    assert len(construct.graph) == 71


def test_syntax_errors_are_query_errors_on_oxigraph(both):
    from graph.model.errors import QueryError

    with pytest.raises(QueryError, match="SPARQL syntax error"):
        both["oxigraph"].select("SELECT ?x WHERE { ?x ")


# --- choosing --------------------------------------------------------------------------


def test_auto_picks_rdflib_for_small_inputs_and_oxigraph_for_big_ones(tmp_path):
    small = tmp_path / "small.ttl"
    small.write_text("# tiny\n", encoding="utf-8")
    assert choose_store("auto", [small]) == "rdflib"
    big = tmp_path / "big.ttl"
    big.write_bytes(b"#" * (AUTO_THRESHOLD_BYTES + 1))
    assert choose_store("auto", [big]) == "oxigraph"
    assert choose_store("auto", [small], cache=True) == "oxigraph"
    assert choose_store("rdflib", [big]) == "rdflib"
    with pytest.raises(ValueError, match="unknown store 'sqlite'"):
        choose_store("sqlite", [small])


def test_cli_store_option_is_on_every_loading_command(evg):
    for command in ("stats", "sources", "query", "html", "check", "serve", "publish", "export", "report"):
        _, out, _ = evg(command, "--help")
        assert "--store [auto|rdflib|oxigraph]" in out, command
        assert "--no-cache" in out, command


@pytest.mark.parametrize(
    "name, line, message",
    [
        ("duplicate-key.bib", 18, "duplicate citation key"),
        ("bib-syntax.bib", None, "BibTeX syntax error"),
    ],
)
def test_bibtex_errors_are_the_loaders_on_oxigraph(name, line, message):
    bib = DATA / "invalid" / name
    with pytest.raises(InputError) as on_rdflib:
        graph.load(claims=DATA / "mini" / "claims.ttl", sources=bib, store="rdflib")
    with pytest.raises(InputError) as on_oxigraph:
        graph.load(claims=DATA / "mini" / "claims.ttl", sources=bib, store="oxigraph")
    assert str(on_oxigraph.value) == str(on_rdflib.value)
    assert message in str(on_oxigraph.value)


@pytest.mark.parametrize("name", ["turtle-syntax.ttl", "unknown-key.ttl", "empty.ttl", "not-utf8.ttl"])
def test_claims_errors_are_the_loaders_on_oxigraph(name):
    bib = DATA / "mini" / "sources.bib"
    with pytest.raises(InputError) as on_rdflib:
        graph.load(claims=DATA / "invalid" / name, sources=bib, store="rdflib")
    with pytest.raises(InputError) as on_oxigraph:
        graph.load(claims=DATA / "invalid" / name, sources=bib, store="oxigraph")
    assert str(on_oxigraph.value) == str(on_rdflib.value)
    assert on_oxigraph.value.line == on_rdflib.value.line


def test_relative_iri_binding_matches_nothing_on_both(both):
    q = "SELECT ?l WHERE { ?c rdfs:label ?l }"
    from graph.model.namespaces import PREFIXES

    text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + q
    for eg in both.values():
        assert eg.select(text, {"c": URIRef("itbs-compression-syndrome")}) == []


def test_per_claim_records_on_big_graphs_equal_the_full_ones(monkeypatch):
    """Big graphs fetch the records of the claims asked about instead of all;
    force that path on the bundled corpus and compare every claim."""
    import graph.evidence.graph

    full = load_corpus("oxigraph")
    expected = {str(c): full.evidence.detail(str(c)) for c in full.claim_iris}
    summaries = full.claim_summaries()
    monkeypatch.setattr(graph.evidence.index, "PER_CLAIM_ABOVE", 0)
    lazy = load_corpus("oxigraph")
    assert {c: lazy.evidence.detail(c) for c in expected} == expected
    assert [lazy.summary(s.iri) for s in summaries] == summaries
    assert "raw" not in lazy.evidence.__dict__
    assert "_summaries" not in lazy.__dict__
    assert len(expected) == 71


@pytest.mark.parametrize("damage", ["syntax", "not-utf8"])
def test_big_claims_files_loaded_by_path_report_errors_like_small_ones(tmp_path, damage):
    from graph.ingest.oxigraph import BY_PATH_BYTES

    text = CLAIMS_TTL.read_bytes()
    padding = b"# padding to pass the by-path size\n" * (BY_PATH_BYTES // 30)
    bad = b'claim:x a ev:Claim ; rdfs:label "unterminated .\n' if damage == "syntax" else b"# caf\xe9\n"
    big = tmp_path / "big.ttl"
    big.write_bytes(text + padding + bad)
    assert big.stat().st_size > BY_PATH_BYTES
    with pytest.raises(InputError) as on_rdflib:
        graph.load(claims=big, sources=SOURCES_BIB, store="rdflib")
    with pytest.raises(InputError) as on_oxigraph:
        graph.load(claims=big, sources=SOURCES_BIB, store="oxigraph")
    assert str(on_oxigraph.value) == str(on_rdflib.value)


def test_select_values_are_the_strings_of_select(both):
    q = (
        "SELECT ?claim ?label ?source WHERE { ?claim a <https://w3id.org/evidence-graph/vocab#Claim> ; "
        "rdfs:label ?label . OPTIONAL { ?claim <http://purl.org/spar/cito/isDisputedBy> ?source } }"
    )
    q = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + q
    for eg in both.values():
        expected = sorted(
            (str(r["claim"]), str(r["label"]), None if r["source"] is None else str(r["source"])) for r in eg.select(q)
        )
        got = sorted((r["claim"], r["label"], r["source"]) for r in eg.select_values(q))
        assert got == expected
        assert all(type(v) is str for row in eg.select_values(q) for v in row.values() if v is not None)
    disputed = [r for r in both["oxigraph"].select_values(q) if r["source"] is not None]
    assert len(disputed) == len({r["claim"] for r in disputed}) > 0


def test_bulk_bib_entries_equal_one_by_one(both):
    for eg in both.values():
        keys = list(eg.source_keys)
        bulk = eg.bib_entries([*keys, "no-such-key", "bad key"])
        assert sorted(bulk) == sorted(keys)  # unknown and malformed keys are left out
        fresh = load_corpus(eg.backend.name)
        for key in keys:
            one = fresh.bib_entry(key)
            assert (bulk[key].type, dict(bulk[key].fields)) == (one.type, dict(one.fields)), key
            assert {r: [str(p) for p in ps] for r, ps in bulk[key].persons.items()} == {
                r: [str(p) for p in ps] for r, ps in one.persons.items()
            }, key
    assert [str(p) for p in both["oxigraph"].bib_entries(["fairclough2006"])["fairclough2006"].persons["author"]] == [
        "Fairclough, John",
        "Hayashi, Koji",
        "Toumi, Hechmi",
        "Lyons, Kathleen",
        "Bydder, Graeme",
        "Phillips, Nicola",
        "Best, Thomas M.",
        "Benjamin, Mike",
    ]


def _constructed(claims) -> set[str]:
    """The derived links of ``claims`` as the rdflib loader adds them, in N-Triples."""
    from rdflib import Graph

    from graph.ingest.turtle import derive, parse_turtle

    g = Graph()
    for path in claims:
        parse_turtle(g, path)
    before = set(g)
    derive(g)
    return {f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in set(g) - before}


def test_background_derivation_equals_the_rdflib_loaders(tmp_path):
    from graph.ingest.oxigraph import derived_ntriples

    bundled = derived_ntriples([CLAIMS_TTL])
    assert set(bundled.splitlines()) == _constructed([CLAIMS_TTL])
    assert len(bundled.splitlines()) == 42  # the derived CiTO links (and contradictions) of the bundled claims
    out = tmp_path / "c"
    load_script("synthetic").generate(400, out, seed=5)
    synthetic = derived_ntriples([out / "claims.ttl"])
    assert set(synthetic.splitlines()) == _constructed([out / "claims.ttl"])
    assert len(synthetic.splitlines()) > 400


def test_background_derivation_steps_aside_where_it_cannot_stand_in(tmp_path):
    from graph.ingest.oxigraph import derived_ntriples

    head = (
        "@prefix ev: <https://w3id.org/evidence-graph/vocab#> .\n@prefix cito: <http://purl.org/spar/cito/> .\n"
        "@prefix s: <https://w3id.org/evidence-graph/source/> .\n"
    )
    blank = tmp_path / "blank.ttl"  # a statement about a blank-node claim: labels would not match the store's
    blank.write_text(head + "<st> a ev:Statement ; ev:claim [] ; ev:stance ev:Asserts ; cito:citesAsEvidence s:x .\n")
    assert derived_ntriples([blank]) is None
    broken = tmp_path / "broken.ttl"
    broken.write_text(head + "<st> a ev:Statement ; ev:claim .\n")
    assert derived_ntriples([broken]) is None
    assert derived_ntriples([tmp_path / "missing.ttl"]) is None
    odd = tmp_path / "odd.ttl"  # a literal cited as a source: the claim's link stays, the reverse one cannot exist
    odd.write_text(
        head + '<st> a ev:Statement ; ev:claim <c> ; ev:stance ev:Rejects ; cito:citesAsEvidence "lit", s:y .\n'
        "<c> ev:contradicts <d> .\n"
    )
    lines = set(derived_ntriples([odd]).splitlines())
    assert lines == _constructed([odd])
    base = odd.resolve().as_uri().rsplit("/", 1)[0]
    assert f'<{base}/c> <http://purl.org/spar/cito/isDisputedBy> "lit" .' in lines
    assert f"<{base}/d> <https://w3id.org/evidence-graph/vocab#contradicts> <{base}/c> ." in lines
    assert len(lines) == 4


def test_a_big_load_derives_in_the_background_with_the_same_triples(tmp_path, monkeypatch):
    from graph.ingest import oxigraph

    out = tmp_path / "c"
    load_script("synthetic").generate(400, out, seed=5)
    args = {"claims": out / "claims.ttl", "sources": out / "sources.bib", "store": "oxigraph"}
    monkeypatch.setattr(oxigraph, "PARALLEL_BIB_BYTES", 0)  # take the forked path on a small file
    helper = oxigraph._BibInBackground(out / "sources.bib", [out / "claims.ttl"])
    try:
        derived = helper.derived()
        assert derived is not None
        assert Path(derived).read_text(encoding="utf-8") == oxigraph.derived_ntriples([out / "claims.ttl"])
    finally:
        helper.close()
    assert not Path(derived).exists()  # the helper's files go with it
    background = graph.load(**args)
    monkeypatch.setattr(oxigraph, "PARALLEL_BIB_BYTES", 10**12)
    inline = graph.load(**args)
    assert len(background) == len(inline)
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }"
    assert sorted(tuple(r.values()) for r in background.select(q)) == sorted(
        tuple(r.values()) for r in inline.select(q)
    )


# --- ORDER BY done in Python for Oxigraph ---------------------------------------------

_ORDER_DATA = """
@prefix x: <http://x/> .
x:a x:n 3 ; x:o "pear" .
x:b x:n 10 ; x:o "apple" .
x:c x:n 3 ; x:o x:zeta .
x:d x:n 2.5 ; x:o "Apple" .
x:e x:n 3 .
x:f x:n -1 ; x:o "apple" .
x:g x:n 10 ; x:o x:alpha .
x:h x:n 1.0e1 ; x:o "éclair" .
"""


@pytest.mark.parametrize(
    "order",
    ["?n", "DESC(?n)", "?o", "DESC(?o)", "DESC(?n) ?o", "?o DESC(?n) ?s", "ASC(?o) ?n"],
)
def test_rows_sorted_in_python_match_oxigraphs_order_by(order):
    # ties, DESC, numbers of three types, IRIs before literals, unbound first, non-ASCII
    import pyoxigraph as ox

    from graph.store.oxigraph import sort_rows, split_order, to_rdflib

    store = ox.Store()
    store.load(_ORDER_DATA.encode(), format=ox.RdfFormat.TURTLE)
    text = f"SELECT ?s ?n ?o WHERE {{ ?s <http://x/n> ?n OPTIONAL {{ ?s <http://x/o> ?o }} }}\nORDER BY {order}\n"

    def rows(query):
        return [tuple(to_rdflib(t) for t in solution) for solution in store.query(query)]

    unordered, keys = split_order(text)
    assert "ORDER" not in unordered and unordered.count("\n") == text.count("\n")
    ours = rows(unordered)
    assert sort_rows(ours, ("s", "n", "o"), keys)
    assert ours == rows(text)
    assert len({r[0] for r in ours}) == 8


@pytest.mark.parametrize(
    ("data", "order"),
    [
        ('<http://x/a> <http://x/n> "a"@en . <http://x/b> <http://x/n> "b" .', "?n"),  # a language tag
        ('<http://x/a> <http://x/n> "a" . <http://x/b> <http://x/n> 2 .', "?n"),  # numbers and strings
        ("<http://x/a> <http://x/n> _:b .", "?n"),  # blank nodes
        ('<http://x/a> <http://x/n> "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .', "?n"),
        ("<http://x/a> <http://x/n> 1 .", "?hidden"),  # not a result variable
    ],
)
def test_rows_python_cannot_order_for_certain_are_left_to_the_engine(data, order):
    import pyoxigraph as ox

    from graph.store.oxigraph import sort_rows, to_rdflib

    store = ox.Store()
    store.load(data.encode(), format=ox.RdfFormat.TURTLE)
    rows = [tuple(to_rdflib(t) for t in s) for s in store.query("SELECT ?s ?n WHERE { ?s ?p ?n }")]
    before = list(rows)
    assert not sort_rows(rows, ("s", "n"), [(order[1:], False)])
    assert rows == before


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?a { ?a ?b ?c } ORDER BY ?a LIMIT 3",
        "SELECT ?a { ?a ?b ?c } ORDER BY ?a OFFSET 1",
        "SELECT ?a { ?a ?b ?c } ORDER BY STR(?a)",
        "SELECT ?a { { SELECT ?a { ?a ?b ?c } ORDER BY ?a } }",
        "SELECT ?a { ?a ?b ?c }",
    ],
)
def test_only_a_final_order_by_of_variables_is_taken_out(text):
    from graph.store.oxigraph import split_order

    assert split_order(text) is None


def test_a_query_ordered_in_python_gives_the_engines_rows_through_run_query():
    from graph.model.namespaces import PREFIXES
    from graph.sparql import named_query, run_query
    from graph.store.oxigraph import to_rdflib

    eg = load_corpus("oxigraph")
    text = named_query("citation-counts").text  # ORDER BY DESC(?citations) ?source
    ours = run_query(eg, text, where="citation-counts")
    solutions = eg.backend.store.query(text, prefixes=PREFIXES)
    assert list(ours.rows) == [tuple(to_rdflib(t) for t in s) for s in solutions]
    top = [(str(r[0]).rsplit("/", 1)[-1], int(r[3])) for r in ours.rows[:3]]
    assert top == [("fairclough2007", 6), ("fairclough2006", 3), ("fredericson2000", 3)]


def test_oxigraph_bindings_go_into_the_where_group_whatever_the_query_looks_like():
    # A comment with "where {", a group without the WHERE keyword, a CONSTRUCT template: the
    # binding lands in the WHERE group each time (it used to go after the first "WHERE {" in the text).
    eg = load_corpus("oxigraph")
    claim = CLAIM["itbs-compression-syndrome"]
    text = "# which labels where { ... }\nSELECT ?label { ?c rdfs:label ?label }"
    prefixed = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + text
    rows = eg.select(prefixed, {"c": claim})
    assert [str(r["label"]) for r in rows] == [eg.label(claim)]
    construct = prefixed.replace("SELECT ?label {", "CONSTRUCT { ?c rdfs:label ?label } WHERE {")
    result = eg.query(construct, {"c": claim})
    assert {str(s) for s, _p, _o in result.graph} == {str(claim)}


def test_converted_literals_are_shared_and_the_cache_stays_bounded(monkeypatch):
    import pyoxigraph as ox

    from graph.store import oxigraph as backend

    monkeypatch.setattr(backend, "_LITERAL_CACHE", 3)
    conv = backend._ToRdflib()
    year = ox.Literal("2006", datatype=ox.NamedNode(str(XSD.gYear)))
    first = conv(year)
    assert first == Literal("2006", datatype=XSD.gYear)
    assert (
        conv(ox.Literal("2006", datatype=ox.NamedNode(str(XSD.gYear)))) is first
    )  # an equal term, not the same object
    assert conv(ox.Literal("2006")) == Literal("2006") and conv(ox.Literal("2006")) != first
    assert conv(ox.Literal("2006", language="en")) == Literal("2006", lang="en")
    assert len(conv.literals) == 3
    assert conv(ox.Literal("7", datatype=ox.NamedNode(str(XSD.integer)))) == Literal(7)
    assert len(conv.literals) == 1  # full: emptied before the fourth was kept
    assert conv(year) == first and conv(year) is not first
