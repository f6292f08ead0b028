"""Which lane of `evg serve` a query goes to: the lookup lane takes a shipped
named query bound by one-row VALUES clauses, and nothing else."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from graph.server.app import declare_prefixes
from graph.server.lanes import GENERAL, LOOKUP, lane
from graph.sparql import list_queries, named_query
from graph.sparql.text import bind_values

CLAIM = URIRef("https://w3id.org/evidence-graph/claim/itbs-compression-syndrome")
WITH_PARAMS = [q.name for q in list_queries() if q.params]


@pytest.mark.parametrize("name", WITH_PARAMS)
def test_every_named_query_bound_as_evg_query_sends_it_is_a_lookup(name):
    query = named_query(name)
    bindings = {var: CLAIM for var in query.params}
    assert lane(bind_values(query.text, bindings)) == LOOKUP
    assert lane(query.text) == GENERAL  # unbound: a listing of the whole graph


def test_fifteen_named_queries_take_parameters():
    assert len(WITH_PARAMS) == 15
    assert "contradicting-claims" not in WITH_PARAMS


def test_the_web_editors_tab_bound_by_hand_is_a_lookup():
    tab = declare_prefixes(named_query("sources-for-claim").text)
    edited = tab.replace("WHERE {\n", "WHERE {\n  VALUES ?claim { claim:itbs-compression-syndrome }\n", 1)
    assert edited != tab
    assert lane(edited) == LOOKUP
    # spacing, comments and keyword case do not matter
    assert lane(edited.replace("SELECT", "select").replace("\n", "\n\n# note\n")) == LOOKUP


def test_a_literal_with_a_language_tag_or_datatype_is_a_constant():
    text = named_query("claims-of-source").text
    for term in ('"x"@en-GB', '"x"^^xsd:string', '"x"^^<http://www.w3.org/2001/XMLSchema#string>'):
        bound = text.replace("WHERE {", "WHERE { VALUES ?source { " + term + " }", 1)
        assert lane(bound) == LOOKUP, term
    assert lane(bind_values(text, {"source": Literal("x")})) == LOOKUP


REWRITTEN = {
    "a variable that is not a parameter": lambda t: t.replace("WHERE {", "WHERE { VALUES ?quote { 'x' }", 1),
    "two rows": lambda t: t.replace("WHERE {", "WHERE { VALUES ?claim { claim:a claim:b }", 1),
    "a variable as the value": lambda t: t.replace("WHERE {", "WHERE { VALUES ?claim { ?other }", 1),
    "VALUES at the end (joined after the whole graph is matched)": lambda t: t + "\nVALUES ?claim { claim:a }",
    "an added pattern": lambda t: t.replace("WHERE {", "WHERE { VALUES ?claim { claim:a } ?x ?y ?z .", 1),
    "a LIMIT added": lambda t: t.replace("WHERE {", "WHERE { VALUES ?claim { claim:a }", 1) + " LIMIT 3",
    "a prefix bound elsewhere": lambda t: t.replace(
        "PREFIX cito: <http://purl.org/spar/cito/>", "PREFIX cito: <http://example.org/>"
    ).replace("WHERE {", "WHERE { VALUES ?claim { claim:a }", 1),
    "a prefix name in another case (prefix names are case-sensitive)": lambda t: t.replace(
        "PREFIX cito:", "PREFIX CITO:"
    ).replace("WHERE {", "WHERE { VALUES ?claim { claim:a }", 1),
    "a BASE": lambda t: "BASE <http://example.org/>\n" + t.replace("WHERE {", "WHERE { VALUES ?claim { claim:a }", 1),
    "unclosed VALUES": lambda t: t.replace("WHERE {", "WHERE { VALUES ?claim { claim:a ", 1),
}


@pytest.mark.parametrize("how", REWRITTEN)
def test_anything_else_is_general(how):
    text = named_query("sources-for-claim").text
    assert "PREFIX cito: <http://purl.org/spar/cito/>" in text
    assert lane(REWRITTEN[how](text)) == GENERAL


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ASK {}",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
        "PREFIX",
        "SELECT * WHERE { VALUES",
    ],
)
def test_other_and_hostile_queries_are_general(text):
    assert lane(text) == GENERAL


def test_every_named_query_is_far_shorter_than_the_lane_limit():
    from graph.server.lanes import _LONGEST

    assert max(len(q.text) for q in list_queries()) < _LONGEST // 4
    padded = named_query("sources-for-claim").text.replace("WHERE {", "WHERE { VALUES ?claim { claim:a }", 1)
    assert lane(padded) == LOOKUP
    assert lane(padded + "#" * _LONGEST) == GENERAL  # a comment this long is not a lookup
