"""The data model's rules (graph.model.rules), each written once: which links
a statement derives, which verdicts count as support or put a citation in
doubt, and that the named queries answering the same questions agree."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from graph.model.namespaces import CITO, EV, RDF
from graph.model.rules import (
    LOW_RANK_MAX,
    counts_as_support,
    derive_links,
    doubts_citation,
    stance_relation,
)
from graph.sparql import named_query

CLAIM, SOURCE, OTHER = URIRef("urn:c"), URIRef("urn:s"), URIRef("urn:c2")


def _statement(stance):
    st = BNode("st")
    return [
        (st, RDF.type, EV.Statement),
        (st, EV.claim, CLAIM),
        (st, EV.stance, stance),
        (st, CITO.citesAsEvidence, SOURCE),
    ]


@pytest.mark.parametrize(
    ("stance", "expected"),
    [
        (EV.Asserts, {(CLAIM, str(CITO.obtainsSupportFrom), SOURCE), (SOURCE, str(CITO.givesSupportTo), CLAIM)}),
        (EV.Reports, {(CLAIM, str(CITO.obtainsSupportFrom), SOURCE), (SOURCE, str(CITO.givesSupportTo), CLAIM)}),
        (EV.Rejects, {(CLAIM, str(CITO.isDisputedBy), SOURCE), (SOURCE, str(CITO.disputes), CLAIM)}),
        (EV.Supported, set()),  # not a stance: no link
    ],
)
def test_a_statement_derives_its_links_by_stance(stance, expected):
    assert derive_links(_statement(stance)) == expected


def test_contradicts_is_made_symmetric():
    assert derive_links([(CLAIM, EV.contradicts, OTHER)]) == {(OTHER, str(EV.contradicts), CLAIM)}


def test_a_statement_that_is_not_typed_derives_nothing():
    assert derive_links(_statement(EV.Asserts)[1:]) == set()


@pytest.mark.parametrize(
    ("stance", "expected"),
    [(EV.Asserts, "supports"), (EV.Reports, "supports"), (EV.Rejects, "disputes"), (str(EV.Rejects), "disputes"),
     (EV.Supported, None), (None, None), (Literal("asserts"), None)],
)  # fmt: skip
def test_stance_relation(stance, expected):
    assert stance_relation(stance) == expected


@pytest.mark.parametrize(
    ("verdict", "counts", "doubts"),
    [
        (None, True, False),
        (EV.Supported, True, False),
        (EV.PartlySupported, True, True),
        (EV.Overstated, True, True),
        (EV.NumbersDiffer, True, True),
        (EV.NotSupported, False, True),
        (str(EV.Misattributed), False, True),
    ],
)
def test_verdicts(verdict, counts, doubts):
    assert (counts_as_support(verdict), doubts_citation(verdict)) == (counts, doubts)


def _slug(iri) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def test_questioned_citations_query_flags_what_the_records_doubt(eg):
    """Question 7's query and :func:`doubts_citation` on the claim records name
    the same (source, claim) citations."""
    queried = {(_slug(r["source"]), _slug(r["claim"])) for r in eg.select(named_query("questioned-citations").text)}
    doubted = {
        (ref.key, c.slug)
        for c in eg.claims()
        for ref in c.supported_by + c.disputed_by
        if doubts_citation(ref.verdict_iri)
    }
    assert len(doubted) == 7
    assert queried == doubted


def test_low_rank_claims_query_uses_the_low_rank_bound(eg):
    """Question 5's query keeps exactly the claims whose every supporting
    source has a design ranked LOW_RANK_MAX or lower."""
    queried = {_slug(r["claim"]) for r in eg.select(named_query("low-rank-claims").text)}
    expected = {
        c.slug
        for c in eg.claims()
        if c.supported_by
        and all(s.evidence_rank is not None and s.evidence_rank <= LOW_RANK_MAX for s in c.supported_by)
    }
    assert len(expected) == 10
    assert queried == expected
