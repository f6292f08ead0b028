"""SPARQL: every named query's exact rows on the bundled corpus (rdflib and
Oxigraph), the W3C result formats read back by rdflib's own parsers, and
refusals (syntax errors, updates, SERVICE, unknown names and parameters).

The expected rows live in ``tests/data/queries/<name>.tsv``: SPARQL TSV with
IRIs written as prefixed names. When claims.ttl changes on purpose, rewrite
them with ``EVG_UPDATE_QUERIES=1 pytest tests/test_sparql.py`` and review
the diff before committing.
"""

from __future__ import annotations

import io
import json
import os

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

from graph.model.errors import NotFoundError, QueryError
from graph.model.namespaces import CITO, CLAIM, PREFIXES, SOURCE, XSD
from graph.sparql import (
    FORMATS,
    QueryResult,
    bind_values,
    check_query,
    format_result,
    list_queries,
    named_query,
    parse_param,
    run_query,
    to_csv,
    to_json,
    to_table,
    to_tsv,
)

from .conftest import CORPUS, DATA, ROOT, load_corpus, require_or_skip

EXPECTED = DATA / "queries"
UPDATE = os.environ.get("EVG_UPDATE_QUERIES") == "1"
QUERIES = list_queries()


def _expected(name: str, result: QueryResult) -> str:
    path = EXPECTED / f"{name}.tsv"
    actual = to_tsv(result, PREFIXES)
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        pytest.skip(f"rewrote {path.name}; review the diff")
    assert path.exists(), f"no expected rows for {name}: run EVG_UPDATE_QUERIES=1 pytest {__file__}"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_named_query_gives_its_exact_rows(any_store, query):
    result = run_query(any_store, query.text, where=query.name)
    assert to_tsv(result, PREFIXES) == _expected(query.name, result)


# --- the same rows on Oxigraph ----------------------------------------------------


@pytest.fixture(scope="session")
def oxigraph_store(eg):
    try:
        import pyoxigraph
    except ImportError:
        pyoxigraph = None
    require_or_skip(pyoxigraph is not None, "pyoxigraph is not installed")
    store = pyoxigraph.Store()
    store.load(eg.rdf.serialize(format="nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def _from_oxigraph(term):
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):  # RDF 1.1: the same as a plain literal
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_named_query_gives_the_same_rows_on_oxigraph(oxigraph_store, query):
    solutions = oxigraph_store.query(query.text)  # no predeclared prefixes: each .rq declares its own
    names = tuple(v.value for v in solutions.variables)
    rows = tuple(tuple(_from_oxigraph(s[n]) for n in names) for s in solutions)
    expected = (EXPECTED / f"{query.name}.tsv").read_text(encoding="utf-8")
    assert to_tsv(QueryResult("SELECT", names, rows), PREFIXES) == expected


#: (query, parameter, value, rows on the bundled corpus)
BOUND = [
    ("sources-for-claim", "claim", "compression-model-supported-by-anatomy", 2),
    ("claims-of-source", "source", "fairclough2006", 3),
    ("article-uncited-claims", "article", "it-band-foam-rolling", 20),
    ("contested-claims", "claim", "itb-slides-over-epicondyle", 1),
    ("low-rank-claims", "claim", "fascia-elongation-needs-900n", 1),
    ("uncited-references", "article", "itbs-compression-not-friction", 1),
    ("questioned-citations", "source", "fredericson2000", 2),
    ("claims-by-topic", "topic", "rehabilitation", 33),
    ("article-statements", "article", "it-band-foam-rolling", 21),
    ("reviews", "source", "chaudhry2008", 2),
    ("source-record", "source", "ellis2007", 1),
    ("source-authors", "source", "falvey2010", 6),
    ("citation-counts", "source", "ellis2007", 1),
    ("unsupported-claims", "article", "it-band-foam-rolling", 20),
    ("evidence-table", "claim", "itb-anchored-to-femur", 2),
]


def test_every_parameter_is_exercised():
    assert sorted((q, p) for q, p, _, _ in BOUND) == sorted((q.name, p) for q in QUERIES for p in q.params)


@pytest.mark.parametrize(("name", "param", "value", "count"), BOUND, ids=[b[0] for b in BOUND])
def test_a_bound_parameter_gives_the_same_rows_on_oxigraph(eg, oxigraph_store, name, param, value, count):
    import pyoxigraph

    text = named_query(name).text
    ours = run_query(eg, text, {param: value})
    assert len(ours.rows) == count
    term = parse_param(param, value, eg)

    def rows(solutions):
        names = tuple(v.value for v in solutions.variables)
        return tuple(tuple(_from_oxigraph(s[n]) for n in names) for s in solutions)

    assert rows(oxigraph_store.query(bind_values(text, {param: term}))) == ours.rows
    # the same as Oxigraph's own pre-binding (which is slower: it binds after evaluating)
    substitutions = {pyoxigraph.Variable(param): pyoxigraph.NamedNode(str(term))}
    assert rows(oxigraph_store.query(text, substitutions=substitutions)) == ours.rows


# --- the named queries themselves -------------------------------------------------


def test_at_least_ten_named_queries_cover_the_model_questions():
    names = {q.name for q in QUERIES}
    assert len(names) >= 10
    model_questions = {
        "sources-for-claim",
        "claims-of-source",
        "article-uncited-claims",
        "contested-claims",
        "low-rank-claims",
        "uncited-references",
        "questioned-citations",
    }
    assert model_questions <= names
    for name in sorted(model_questions):
        assert "of docs/model.md" in named_query(name).description, name


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_named_query_starts_with_a_one_line_description(query):
    first = query.text.splitlines()[0]
    assert first.startswith("# ") and len(first) > 20
    assert query.description == first[2:].strip()
    check_query(query.text, where=query.name)  # parses, and is a read form


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_named_query_is_in_the_guide_table(query):
    guide = (ROOT / "docs" / "commands-guide.md").read_text(encoding="utf-8")
    params = " ".join(f"`{p}`" for p in query.params) or "none"
    assert f"| `{query.name}` |" in guide and guide.split(f"| `{query.name}` |", 1)[1].split("\n", 1)[0].endswith(
        f"| {params} |"
    ), f"docs/commands-guide.md: add `{query.name}` to the named-query table with its --param ({params})"


def test_list_shows_every_query_with_its_description(evg):
    code, out, err = evg("query", "--list")
    assert code == 0, err
    lines = out.splitlines()
    for q in QUERIES:
        assert any(line.startswith(q.name + " ") and q.description in line for line in lines), q.name
    assert (
        "    --param claim=...  one claim (claim:slug); leave it unbound to list every supported claim."
        in "\n".join(lines)
    )


# --- parameters -------------------------------------------------------------------


def test_param_binds_a_claim(eg):
    result = run_query(eg, named_query("sources-for-claim").text, {"claim": "fascia-elongation-needs-900n"})
    assert [(r["source"], str(r["verdict"])) for r in result.dicts()] == [
        (SOURCE.chaudhry2008, "https://w3id.org/evidence-graph/vocab#NumbersDiffer")
    ]
    assert str(result.dicts()[0]["citation"]).startswith("Chaudhry et al. (2008). Three-dimensional mathematical model")


@pytest.mark.parametrize(
    "value",
    [
        "chaudhry2008",
        "Chaudhry2008",
        "source:chaudhry2008",
        "<https://w3id.org/evidence-graph/source/chaudhry2008>",
        "https://w3id.org/evidence-graph/source/chaudhry2008",
    ],
)
def test_param_accepts_slugs_prefixed_names_and_iris(eg, value):
    assert parse_param("source", value, eg) == SOURCE.chaudhry2008


@pytest.mark.parametrize(
    ("name", "value", "term"),
    [
        ("label", '"Foam rolling"', Literal("Foam rolling")),
        ("label", '"foam roller"@en', Literal("foam roller", lang="en")),
        ("rank", "2", Literal("2", datatype=XSD.integer)),
        ("rank", '"2"^^xsd:integer', Literal("2", datatype=XSD.integer)),
        ("flag", "true", Literal("true", datatype=XSD.boolean)),
        ("word", "hello", Literal("hello")),
        ("p", "cito:obtainsSupportFrom", CITO.obtainsSupportFrom),
    ],
)
def test_param_literals_and_other_terms(name, value, term):
    assert parse_param(name, value) == term


def test_param_binds_a_literal(eg):
    text = "SELECT ?claim WHERE { ?claim rdfs:label ?label }"
    label = "Elongating dense connective tissue by 1% would take a force of about 900 N applied for two minutes."
    result = run_query(eg, text, {"label": f'"{label}"'})
    assert result.rows == ((CLAIM["fascia-elongation-needs-900n"],),)


def test_unknown_claim_in_a_param_names_the_closest(eg):
    with pytest.raises(NotFoundError) as info:
        run_query(eg, named_query("sources-for-claim").text, {"claim": "itb-slides-over-epicondyl"})
    assert str(info.value) == (
        "no claim named 'itb-slides-over-epicondyl'; did you mean: itb-slides-over-epicondyle,"
        " itb-tension-governed-by-hip, itb-passive-tension-set-by-muscles?"
    )


def test_param_for_a_variable_the_query_lacks(eg):
    with pytest.raises(QueryError) as info:
        run_query(eg, "SELECT ?claim WHERE { ?claim a ev:Claim }", {"source": "chaudhry2008"}, where="-e")
    assert str(info.value) == "-e: --param source: the query has no variable ?source (it has ?claim)"


@pytest.mark.parametrize(
    ("text", "form", "bound"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o }", "SELECT", "SELECT ?s WHERE { VALUES (?s) { (<http://x/a>) }  ?s ?p ?o }"),
        (
            "# a { in a comment\nSELECT ?s { ?s ?p '}' }",
            "SELECT",
            "# a { in a comment\nSELECT ?s { VALUES (?s) { (<http://x/a>) }  ?s ?p '}' }",
        ),
        (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "CONSTRUCT",
            "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://x/a>) }  ?s ?p ?o }",
        ),
        ("ASK { ?s ?p ?o }", "ASK", "ASK { VALUES (?s) { (<http://x/a>) }  ?s ?p ?o }"),
        ("DESCRIBE ?s", "DESCRIBE", "DESCRIBE ?s\nVALUES (?s) { (<http://x/a>) }"),
    ],
)
def test_bind_values_goes_first_in_the_where_group(text, form, bound):
    assert bind_values(text, {"s": URIRef("http://x/a")}, form=form) == bound
    check_query(bound)  # still valid SPARQL


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        # a MINUS group that certainly binds ?a gets its value too; ?c only in a FILTER does not count
        (
            "SELECT * { ?a ?b ?c MINUS { ?a ?p ?o FILTER(?c) } }",
            "SELECT * { VALUES (?a ?c) { (<http://x/a> <http://x/c>) }  ?a ?b ?c"
            " MINUS { VALUES (?a) { (<http://x/a>) }  ?a ?p ?o FILTER(?c) } }",
        ),
        (
            "SELECT * { ?a ?b ?c MINUS # {\n { ?c ?p ?a . FILTER regex(?a, 'x') } }",
            "SELECT * { VALUES (?a ?c) { (<http://x/a> <http://x/c>) }  ?a ?b ?c"
            " MINUS # {\n { VALUES (?a ?c) { (<http://x/a> <http://x/c>) }  ?c ?p ?a . FILTER regex(?a, 'x') } }",
        ),
        # left alone: a variable only in the filter, a nested group, a MINUS below the top level
        (
            "SELECT * { ?a ?b ?c MINUS { ?x ?p ?o FILTER(?a = ?x) } }",
            "SELECT * { VALUES (?a ?c) { (<http://x/a> <http://x/c>) }  ?a ?b ?c MINUS { ?x ?p ?o FILTER(?a = ?x) } }",
        ),
        (
            "SELECT * { ?a ?b ?c MINUS { ?a ?p ?o OPTIONAL { ?o ?q ?c } } }",
            "SELECT * { VALUES (?a ?c) { (<http://x/a> <http://x/c>) }  ?a ?b ?c"
            " MINUS { ?a ?p ?o OPTIONAL { ?o ?q ?c } } }",
        ),
        (
            "SELECT * { ?a ?b ?c OPTIONAL { ?a ?b ?d MINUS { ?a ?p ?o } } }",
            "SELECT * { VALUES (?a ?c) { (<http://x/a> <http://x/c>) }  ?a ?b ?c"
            " OPTIONAL { ?a ?b ?d MINUS { ?a ?p ?o } } }",
        ),
    ],
)
def test_bind_values_reaches_a_minus_group_that_binds_the_variable(text, bound):
    assert bind_values(text, {"a": URIRef("http://x/a"), "c": URIRef("http://x/c")}, form="SELECT") == bound
    check_query(bound)


def test_a_value_moved_into_minus_keeps_the_answer():
    # In the MINUS group ?a is optional and stays unbound here, so its row shares no variable with
    # the answer's row and removes nothing; with ?a's value moved in, it would remove it.
    data = "<http://x/a> <http://x/p> <http://x/o> .\n<http://x/z> <http://x/q> <http://x/o> .\n"
    g = Graph().parse(data=data, format="nt")
    text = "SELECT ?a ?o WHERE { ?a <http://x/p> ?o MINUS { ?z <http://x/q> ?other OPTIONAL { ?z <http://x/r> ?a } } }"
    bound = bind_values(text, {"a": URIRef("http://x/a")}, form="SELECT")
    assert "MINUS { ?z" in bound
    assert [tuple(r) for r in g.query(bound)] == [(URIRef("http://x/a"), URIRef("http://x/o"))]


UNCITED = """
@prefix ev: <https://w3id.org/evidence-graph/vocab#> . @prefix oa: <http://www.w3.org/ns/oa#> .
@prefix cito: <http://purl.org/spar/cito/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix : <http://x/> .
:c1 rdfs:label "cited by another statement of the same article" .
:c2 rdfs:label "uncited here, cited in b" .
:c3 rdfs:label "only rejected" .
:c4 rdfs:label "cited only by a rejecting statement" .
:c5 rdfs:label "cited nowhere" .
:c2 cito:obtainsSupportFrom :src2 .
:s1 oa:hasSource :a ; ev:claim :c1 ; ev:stance ev:Asserts .
:s2 oa:hasSource :a ; ev:claim :c1 ; ev:stance ev:Reports ; cito:citesAsEvidence :src1 .
:s3 oa:hasSource :a ; ev:claim :c2 ; ev:stance ev:Asserts .
:s4 oa:hasSource :b ; ev:claim :c2 ; ev:stance ev:Asserts ; cito:citesAsEvidence :src2 .
:s5 oa:hasSource :a ; ev:claim :c3 ; ev:stance ev:Rejects .
:s6 oa:hasSource :b ; ev:claim :c4 ; ev:stance ev:Asserts .
:s7 oa:hasSource :b ; ev:claim :c4 ; ev:stance ev:Rejects ; cito:citesAsEvidence :src3 .
:s8 oa:hasSource :a ; ev:claim :c5 ; ev:stance ev:Reports .
:s9 oa:hasSource :a ; ev:claim :c5 ; ev:stance ev:Asserts .
"""


@pytest.mark.parametrize("bound", [False, True], ids=["every article", "bound to one"])
def test_article_uncited_claims_edge_cases_on_both_stores(bound):
    # A claim counts as uncited in an article when no statement of that article about it cites a
    # source, whatever that statement's stance; rejecting statements are not listed themselves.
    import pyoxigraph

    text = named_query("article-uncited-claims").text
    if bound:
        text = bind_values(text, {"article": URIRef("http://x/a")})
    x = "http://x/"
    expected = [
        (URIRef(x + "a"), URIRef(x + "c2"), Literal("uncited here, cited in b"), URIRef(x + "src2")),
        (URIRef(x + "a"), URIRef(x + "c5"), Literal("cited nowhere"), None),
    ]
    g = Graph().parse(data=UNCITED, format="turtle")
    assert [tuple(r) for r in g.query(text)] == expected
    store = pyoxigraph.Store()
    store.load(UNCITED.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    assert [
        tuple(
            _from_oxigraph(s[v]) if s[v] is not None else None
            for v in ("article", "claim", "label", "supportedElsewhereBy")
        )
        for s in store.query(text)
    ] == expected


def test_bind_values_writes_literals_in_turtle_syntax():
    text = bind_values("SELECT * WHERE { ?s ?p ?l }", {"l": Literal('a "b"\n', lang="en"), "p": Literal(2)})
    assert text == 'SELECT * WHERE { VALUES (?l ?p) { ("a \\"b\\"\\n"@en 2) }  ?s ?p ?l }'


# --- result formats, read back by rdflib's W3C result parsers ------------------------

SMALL = """SELECT ?design ?label ?rank ?none WHERE {
  source:chaudhry2008 ev:studyDesign ?design .
  ?design skos:prefLabel ?label ; ev:evidenceRank ?rank .
  OPTIONAL { ?design ev:noSuchTerm ?none }
}"""


def test_json_is_the_w3c_shape(eg):
    doc = json.loads(to_json(run_query(eg, SMALL)))
    assert doc == {
        "head": {"vars": ["design", "label", "rank", "none"]},
        "results": {
            "bindings": [
                {
                    "design": {"type": "uri", "value": "https://w3id.org/evidence-graph/vocab#ComputationalModel"},
                    "label": {"type": "literal", "value": "mathematical model", "xml:lang": "en"},
                    "rank": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
                }
            ]
        },
    }


def test_csv_and_tsv_are_the_w3c_shapes(eg):
    result = run_query(eg, SMALL)
    model = "https://w3id.org/evidence-graph/vocab#ComputationalModel"
    assert to_csv(result) == f"design,label,rank,none\r\n{model},mathematical model,1,\r\n"
    assert to_tsv(result) == f'?design\t?label\t?rank\t?none\n<{model}>\t"mathematical model"@en\t1\t\n'


def test_csv_quotes_and_tsv_escapes():
    tricky = Literal('say "hi",\tthen\nleave')
    result = QueryResult("SELECT", ("x", "b"), ((tricky, BNode("n1")),))
    assert to_csv(result) == 'x,b\r\n"say ""hi"",\tthen\nleave",_:n1\r\n'
    assert to_tsv(result) == '?x\t?b\n"say \\"hi\\",\\tthen\\nleave"\t_:n1\n'


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
@pytest.mark.parametrize("fmt", ["json", "tsv", "csv"])
def test_rdflib_reads_our_result_formats_back(eg, query, fmt):
    result = run_query(eg, query.text)
    back = Result.parse(io.StringIO(format_result(result, fmt)), format=fmt)
    assert [str(v) for v in back.vars] == list(result.variables)
    rows = [tuple(row) for row in back]
    if fmt == "csv":  # CSV keeps only the text of each value
        assert [tuple("" if t is None else str(t) for t in r) for r in rows] == [
            tuple("" if t is None else str(t) for t in r) for r in result.rows
        ]
    else:
        assert rows == [tuple(r) for r in result.rows]


def test_ask_in_every_format(eg):
    yes = run_query(eg, "ASK { claim:itbs-compression-syndrome cito:obtainsSupportFrom source:fairclough2007 }")
    no = run_query(eg, "ASK { claim:itbs-compression-syndrome cito:obtainsSupportFrom source:ellis2007 }")
    assert (yes.boolean, no.boolean) == (True, False)
    assert json.loads(to_json(yes)) == {"head": {}, "boolean": True}
    assert Result.parse(io.StringIO(to_json(no)), format="json").askAnswer is False
    assert [format_result(yes, f) for f in FORMATS] == [
        "true\n",
        '{\n  "head": {},\n  "boolean": true\n}\n',
        "true\r\n",
        "true\n",
    ]


def test_construct_and_describe_give_turtle(eg):
    text = """CONSTRUCT { ?source cito:givesSupportTo ?claim }
WHERE { ?source cito:givesSupportTo ?claim ; dcterms:identifier 'chaudhry2008' }"""
    ttl = format_result(run_query(eg, text))
    g = Graph().parse(data=ttl, format="turtle")
    assert set(g) == {
        (SOURCE.chaudhry2008, CITO.givesSupportTo, CLAIM["fascia-elongation-needs-900n"]),
        (SOURCE.chaudhry2008, CITO.givesSupportTo, CLAIM["foam-rolling-cannot-lengthen-itb"]),
    }
    assert "@prefix cito: <http://purl.org/spar/cito/> ." in ttl
    described = Graph().parse(data=format_result(run_query(eg, "DESCRIBE source:ellis2007")), format="turtle")
    assert (
        SOURCE.ellis2007,
        URIRef("http://purl.org/ontology/bibo/doi"),
        Literal("10.1016/j.math.2006.08.004"),
    ) in described
    with pytest.raises(QueryError, match="returns a graph, written as Turtle; --format csv does not apply"):
        format_result(run_query(eg, text), "csv")


def test_table_is_for_people(eg):
    text = "SELECT ?source ?rank WHERE { ?source ev:studyDesign/ev:evidenceRank ?rank } ORDER BY DESC(?rank) ?source"
    text += " LIMIT 2"
    assert to_table(run_query(eg, text)) == (
        "source                 rank\n"
        "---------------------  ----\n"
        "source:ellis2007       7\n"
        "source:vanderworp2012  7\n"
        "(2 rows)\n"
    )


# --- refusals ---------------------------------------------------------------------


def test_syntax_error_gives_line_and_column(any_store):
    with pytest.raises(QueryError) as info:
        run_query(any_store, "SELECT ?x\nWHERE { ?x a ev:Claim\n  FILTER ( }", where="bad.rq")
    assert str(info.value) == "bad.rq:3:3: SPARQL syntax error: Expected SelectQuery, found 'FILTER'"


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("INSERT DATA { claim:x a ev:Claim }", "INSERT DATA"),
        ("DELETE DATA { claim:x a ev:Claim }", "DELETE DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP GRAPH <http://example.org/g>", "DROP"),
        ("CREATE GRAPH <http://example.org/g>", "CREATE"),
        ("COPY DEFAULT TO <http://example.org/g>", "COPY"),
    ],
)
def test_updates_are_refused(any_store, text, op):
    before = len(any_store)
    with pytest.raises(QueryError) as info:
        run_query(any_store, text, where="-e")
    assert (
        str(info.value) == f"-e: refusing to run an update ({op}); evg query runs only SELECT, ASK, CONSTRUCT, DESCRIBE"
    )
    assert len(any_store) == before


def test_service_is_refused_unless_allowed(any_store):
    text = "SELECT * WHERE { ?c a ev:Claim OPTIONAL { SERVICE <http://127.0.0.1:9/sparql> { ?c ?p ?o } } }"
    with pytest.raises(QueryError) as info:
        run_query(any_store, text, where="-e")
    assert str(info.value) == "-e: SERVICE (a federated call to another endpoint) is refused; pass --allow-service"
    assert check_query(text, allow_service=True)[0] == "SELECT"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "SELECT ?x WHERE { ?x ?p ?o } GROUP BY ?p",
            "-e:1:41: SPARQL syntax error: The SELECT contains a variable that is unbound",
        ),
        ("SELECT (1 AS ?x) ?x WHERE {}", "-e:1:29: SPARQL syntax error: Duplicated variable name in SELECT"),
    ],
)
def test_a_query_only_oxigraph_refuses_gets_its_reason_in_one_line(text, message):
    ox_graph = load_corpus("oxigraph")
    with pytest.raises(QueryError) as info:
        run_query(ox_graph, text, where="-e")
    assert str(info.value) == message


def test_oxigraph_syntax_messages_keep_line_column_and_sentences():
    from graph.store.oxigraph import syntax_message

    raw = "error at 2:7: expected one of \"$\", \"(\", Duplicated variable name in SELECT, ['0' ..= '9'], [_]"
    assert syntax_message(raw, "q.rq") == "q.rq:2:7: SPARQL syntax error: Duplicated variable name in SELECT"
    assert syntax_message("error at 1:3: expected [_]", "q.rq") == (
        "q.rq:1:3: SPARQL syntax error: the query cannot be read from here on"
    )
    assert syntax_message("something else") == "SPARQL syntax error: something else"


def test_unknown_query_name_suggests_close_ones():
    with pytest.raises(NotFoundError) as info:
        named_query("contested")
    assert str(info.value) == "no query named 'contested'; did you mean: contested-claims, citation-counts?"


# --- the command line -----------------------------------------------------------------


def test_cli_named_query_with_param_as_json(evg):
    code, out, _ = evg("query", *CORPUS, "claims-of-source", "--param", "source=chaudhry2008", "--format", "json")
    assert code == 0
    rows = [(b["relation"]["value"], b["claim"]["value"]) for b in json.loads(out)["results"]["bindings"]]
    assert rows == [
        ("supports", str(CLAIM["fascia-elongation-needs-900n"])),
        ("supports", str(CLAIM["foam-rolling-cannot-lengthen-itb"])),
    ]


def test_cli_runs_a_file_and_writes_atomically(tmp_path, evg):
    rq = tmp_path / "q.rq"
    rq.write_text("# how many claims\nSELECT (COUNT(?c) AS ?n) WHERE { ?c a ev:Claim }\n", encoding="utf-8")
    code, out, err = evg("query", *CORPUS, str(rq), "--format", "csv", "-o", str(tmp_path / "n.csv"))
    assert (code, out, err) == (0, "", f"wrote {tmp_path / 'n.csv'}\n")
    assert (tmp_path / "n.csv").read_bytes() == b"n\r\n71\r\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["-e", "SELECT ?x WHERE { ?x ?y }"],
            1,
            "evg: error: -e:1:19: SPARQL syntax error: Expected SelectQuery, found '?'\n",
        ),
        (["zzz"], 1, "evg: error: no query named 'zzz'\n"),
        (
            ["contested"],
            1,
            "evg: error: no query named 'contested'; did you mean: contested-claims, citation-counts?\n",
        ),
        (
            ["-e", "CLEAR ALL"],
            1,
            "evg: error: -e: refusing to run an update (CLEAR); evg query runs only SELECT, ASK, CONSTRUCT, DESCRIBE\n",
        ),
        (["missing.rq"], 2, "evg: error: missing.rq: no such file\n"),
        (["sources-for-claim", "--param", "claim=nope"], 1, "evg: error: no claim named 'nope'\n"),
    ],
)
def test_cli_errors_are_one_line(tmp_path, evg, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    got, out, err = evg("query", *CORPUS, *args)
    assert (got, out, err) == (code, "", message)


@pytest.mark.parametrize("args", [["-e", ""], ["-e", "   "], []])
def test_cli_empty_query_is_a_usage_error(evg, args):
    code, out, err = evg("query", *CORPUS, *args)
    assert (code, out) == (2, "")
    assert err.startswith("evg: error: ") and err.endswith(" (see `evg query --help`)\n") and err.count("\n") == 1
