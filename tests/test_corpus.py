"""Integrity of the curated corpus (claims.ttl + sources.bib), one sub-test per item.

Failure messages say what the curator should fix.
"""

from __future__ import annotations

import json

import pytest
from rdflib import Graph

from graph.bibliography.bibtex import parse_bib
from graph.ingest.canonical import canonical_turtle
from graph.ingest.turtle import parse_turtle
from graph.model.namespaces import ARTICLE, CITO, CLAIM, DCTERMS, EV, OA, RDF, RDFS, SCHEMA, SOURCE, local_name

from .conftest import CLAIMS_TTL, ROOT, SOURCES_BIB, require_or_skip

_raw = Graph()
parse_turtle(_raw, CLAIMS_TTL)
STATEMENTS = sorted(_raw.subjects(RDF.type, EV.Statement))
CLAIMS = sorted(_raw.subjects(RDF.type, EV.Claim))
BIB_KEYS = set(parse_bib(SOURCES_BIB).entries)
FACTS = ROOT.parent / "shared" / "sources-facts.json"


def _id(node) -> str:
    return str(node).rsplit("/", 1)[-1]


def test_claims_file_is_canonical():
    text = CLAIMS_TTL.read_text(encoding="utf-8")
    assert text == canonical_turtle(_raw), "claims.ttl is not in canonical form: run `evg fmt` and commit the result"


@pytest.mark.parametrize("statement", STATEMENTS, ids=_id)
def test_quote_is_verbatim_in_its_article(statement, articles_dir):
    article = _raw.value(statement, OA.hasSource)
    quote = str(_raw.value(_raw.value(statement, OA.hasSelector), OA.exact))
    slug = local_name(article, ARTICLE)
    text = (articles_dir / f"{slug}.txt").read_text(encoding="utf-8")
    assert quote in text, f"{_id(statement)}: oa:exact is not verbatim in {slug}.txt; copy the sentence exactly"


@pytest.mark.parametrize("statement", STATEMENTS, ids=_id)
def test_cited_keys_resolve(statement):
    for source in _raw.objects(statement, CITO.citesAsEvidence):
        key = local_name(source, SOURCE)
        assert key in BIB_KEYS, f"{_id(statement)} cites {key!r}, which is not in sources.bib"


def test_every_source_iri_in_claims_resolves():
    mentioned = {local_name(n, SOURCE) for t in _raw for n in t if local_name(n, SOURCE) is not None}
    assert mentioned - BIB_KEYS == set(), "claims.ttl names sources that sources.bib lacks"


@pytest.mark.parametrize("claim", CLAIMS, ids=_id)
def test_claim_has_label_subject_and_statement(claim):
    assert _raw.value(claim, RDFS.label), f"{_id(claim)}: add an rdfs:label with the neutral wording"
    assert list(_raw.objects(claim, DCTERMS.subject)), f"{_id(claim)}: add at least one dcterms:subject topic"
    assert list(_raw.subjects(EV.claim, claim)), f"{_id(claim)}: no statement states this claim"


def test_corpus_size_and_shape():
    assert len(CLAIMS) >= 40
    both = [c for c in CLAIMS if len({_raw.value(s, OA.hasSource) for s in _raw.subjects(EV.claim, c)}) == 2]
    assert len(both) >= 10, "claims stated by both articles should share one node"


def test_friction_model_is_rejected_citing_fairclough():
    rejecting = [s for s in STATEMENTS if _raw.value(s, EV.stance) == EV.Rejects]
    cited = {local_name(o, SOURCE) for s in rejecting for o in _raw.objects(s, CITO.citesAsEvidence)}
    assert {"fairclough2006"} <= cited
    assert (CLAIM["itbs-friction-syndrome"], EV.contradicts, CLAIM["itbs-compression-syndrome"]) in _raw or (
        CLAIM["itbs-compression-syndrome"],
        EV.contradicts,
        CLAIM["itbs-friction-syndrome"],
    ) in _raw


def test_ellis_is_listed_but_cited_for_nothing():
    assert (ARTICLE["itbs-compression-not-friction"], CITO.cites, SOURCE.ellis2007) in _raw
    assert not list(_raw.subjects(CITO.citesAsEvidence, SOURCE.ellis2007))


def test_every_source_has_one_study_design():
    for key in sorted(BIB_KEYS):
        designs = list(_raw.objects(SOURCE[key], EV.studyDesign))
        assert len(designs) == 1, f"source:{key} needs exactly one ev:studyDesign in claims.ttl"


def test_a_review_for_each_statement_check():
    require_or_skip(FACTS.is_file(), f"sources-facts.json not found at {FACTS}")
    checks = json.loads(FACTS.read_text(encoding="utf-8"))["statement_checks"]
    reviewed = {local_name(o, SOURCE) for o in _raw.objects(None, EV.aboutSource)}
    assert {c["reference"] for c in checks} <= reviewed
    assert len(set(_raw.subjects(RDF.type, SCHEMA.ClaimReview))) >= len(checks)
