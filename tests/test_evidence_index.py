"""The evidence API on the bundled corpus: claims, sources, statements, reviews."""

from __future__ import annotations

import dataclasses

import pytest

from graph.evidence.index import ClaimDetail, Match, SourceRef, StatementRef
from graph.model.errors import NotFoundError
from graph.model.namespaces import CLAIM

ANCHORED = str(CLAIM["itb-anchored-to-femur"])


def test_claims_are_all_claims_in_iri_order(eg):
    claims = eg.claims()
    assert len(claims) == 71
    assert [c.iri for c in claims] == sorted(c.iri for c in claims)
    assert all(isinstance(c, ClaimDetail) for c in claims)


@pytest.mark.parametrize("ident", ["itb-anchored-to-femur", "claim:itb-anchored-to-femur", ANCHORED, f" {ANCHORED} "])
def test_claim_by_iri_curie_or_slug(eg, ident):
    assert eg.claim(ident).iri == ANCHORED


def test_claim_detail_exact(eg):
    c = eg.claim("itb-anchored-to-femur")
    assert c.slug == "itb-anchored-to-femur"
    assert c.text == (
        "The iliotibial band is anchored at the lateral femoral epicondyle by fibrous attachments "
        "and does not slide freely over it."
    )
    assert c.topics == ("compression model", "iliotibial band", "lateral femoral epicondyle")
    assert c.status == "low-rank"
    assert c.disputed_by == ()
    (source,) = c.supported_by
    assert dataclasses.replace(source, citation="", review="") == SourceRef(
        key="fairclough2006",
        citation="",
        doi="10.1111/j.1469-7580.2006.00531.x",
        study_design="cadaveric study",
        evidence_rank=2,
        verdict="supported",
        verdict_iri="https://w3id.org/evidence-graph/vocab#Supported",
        review="",
        label="Fairclough 2006",
    )
    assert source.citation.startswith("Fairclough J, Hayashi K, Toumi H, Lyons K, Bydder G, Phillips N, et al.")
    assert source.review.startswith("Dissecting 15 cadavers, the authors found fibrous bands")
    assert c.stated_in == (
        StatementRef(
            iri="https://w3id.org/evidence-graph/statement/itb-anchored-to-femur--itbs-compression-not-friction",
            article="https://w3id.org/evidence-graph/article/itbs-compression-not-friction",
            title="IT band syndrome: compression, not friction, and why foam rolling falls short",
            stance="reports",
            quote="the IT band is anchored to the lateral femoral epicondyle by distinct fibrous attachments — "
            "it does not slide freely over it",
            cited=("fairclough2006",),
        ),
        StatementRef(
            iri="https://w3id.org/evidence-graph/statement/itb-anchored-to-femur--itbs-compression-not-friction-2",
            article="https://w3id.org/evidence-graph/article/itbs-compression-not-friction",
            title="IT band syndrome: compression, not friction, and why foam rolling falls short",
            stance="asserts",
            quote="IT band is anchored — it does not slide over the LFE",
            cited=(),
        ),
    )


def test_claim_without_source_has_empty_lists(eg):
    c = eg.claim("bursa-is-pain-source")
    assert (c.status, c.supported_by, c.disputed_by) == ("no-source", (), ())
    assert [s.stance for s in c.stated_in] == ["rejects"]


def test_disputing_source(eg):
    c = eg.claim("itb-slides-over-epicondyle")
    assert c.status == "contested"
    assert [s.key for s in c.disputed_by] == ["fairclough2006"]


@pytest.mark.parametrize(
    ("claim", "key", "verdict", "review_start"),
    [
        ("rapid-mileage-most-common-precipitant", "noehren2007", "misattributed", "Secondary summaries"),
        ("fascia-elongation-needs-900n", "chaudhry2008", "numbers differ", "The model does show"),
        ("hip-abductor-programme-82-percent", "fredericson2000", "numbers differ", "A later review's summary"),
        ("runners-with-itbs-weaker-hip-abductors", "fredericson2000", "supported", "In 24 injured"),
    ],
)
def test_review_verdicts(eg, claim, key, verdict, review_start):
    (source,) = [s for s in eg.claim(claim).supported_by if s.key == key]
    assert source.verdict == verdict
    assert source.review.startswith(review_start)


def test_unreviewed_source_has_no_verdict(eg):
    sources = {s.key: s for s in eg.claim("compression-model-supported-by-anatomy").supported_by}
    assert sorted(sources) == ["fairclough2006", "fairclough2007"]
    assert (sources["fairclough2007"].verdict, sources["fairclough2007"].review) == (None, None)


def test_supporting_sources_strongest_design_first(eg):
    c = eg.claim("compression-model-supported-by-anatomy")
    assert [(s.key, s.evidence_rank) for s in c.supported_by] == [("fairclough2006", 2), ("fairclough2007", 1)]


def test_sources_for_in_apa(eg):
    c = eg.sources_for("rapid-mileage-most-common-precipitant", style="apa")
    assert c.supported_by[0].citation.startswith("Noehren, B., Davis, I., & Hamill, J. (2007). ASB clinical")


def test_sources_for_unknown_style(eg):
    with pytest.raises(ValueError, match="unknown citation style"):
        eg.sources_for("bursa-is-pain-source", style="no-such-style")


@pytest.mark.parametrize(
    ("key", "supports", "disputes"),
    [
        ("fairclough2006", ["compression-model-supported-by-anatomy", "itb-anchored-to-femur"],
         ["itb-slides-over-epicondyle"]),
        ("chaudhry2008", ["fascia-elongation-needs-900n", "foam-rolling-cannot-lengthen-itb"], []),
        ("noehren2007", ["rapid-mileage-most-common-precipitant"], []),
        ("ellis2007", [], []),
        ("NOEHREN2007", ["rapid-mileage-most-common-precipitant"], []),
        ("source:beers2008", ["multimodal-physio-improves-itbs"], []),
    ],
)  # fmt: skip
def test_claims_for(eg, key, supports, disputes):
    found = eg.claims_for(key)
    assert sorted(found) == ["disputes", "supports"]
    assert [c.slug for c in found["supports"]] == supports
    assert [c.slug for c in found["disputes"]] == disputes


def test_unknown_source_names_closest(eg):
    with pytest.raises(NotFoundError) as err:
        eg.claims_for("noehren")
    assert str(err.value) == "no source named 'noehren'; did you mean: noehren2007?"


def test_unknown_claim_names_closest(eg):
    with pytest.raises(NotFoundError) as err:
        eg.claim("itb-is-fasica-not-muscle")
    assert err.value.suggestions[0] == "itb-is-fascia-not-muscle"
    assert str(err.value).startswith(
        "no claim named 'itb-is-fasica-not-muscle'; did you mean: itb-is-fascia-not-muscle"
    )


def test_lookup_by_slug_is_the_only_match(eg):
    (match,) = eg.evidence.lookup("claim:bursa-is-pain-source", limit=5)
    assert (match.claim.slug, match.score) == ("bursa-is-pain-source", 1.0)


@pytest.mark.parametrize(
    "ident", ["claim:no-such-claim", "https://w3id.org/evidence-graph/claim/nope", "itb-is-fasica-not-muscle"]
)
def test_lookup_of_a_missing_id_is_not_found(eg, ident):
    with pytest.raises(NotFoundError):
        eg.evidence.lookup(ident)


def test_lookup_of_words_searches(eg):
    matches = eg.evidence.lookup("foam rolling", limit=2)
    assert len(matches) == 2 and all(isinstance(m, Match) for m in matches)


def test_match_json_shape(eg):
    d = eg.search("fascia elongation force", 1)[0].to_dict()
    assert list(d)[:3] == ["claim", "text", "score"]
    assert d["claim"] == str(CLAIM["fascia-elongation-needs-900n"])
    assert d["supported_by"][0] == {
        "key": "chaudhry2008",
        "label": "Chaudhry 2008",
        "citation": "Chaudhry H, Schleip R, Ji Z, Bukiet B, Maney M, Findley T. Three-dimensional mathematical model "
        "for deformation of human fasciae in manual therapy. Journal of the American Osteopathic Association. "
        "2008;108(8):379–90.",
        "doi": "10.7556/jaoa.2008.108.8.379",
        "study_design": "mathematical model",
        "evidence_rank": 1,
        "verdict": "numbers differ",
        "review": d["supported_by"][0]["review"],
    }
    assert set(d["stated_in"][0]) >= {"article", "title", "stance", "quote"}


def test_records_are_frozen(eg):
    c = eg.claim("bursa-is-pain-source")
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.text = "changed"  # type: ignore[misc]
