"""Negation in `evg check` (graph/drafts/negation.py): a sentence that negates
a claim's wording stands for the opposite claim, and the held-out figures on
tests/data/eval/negation.tsv (test half; the rules were written on the tune half)."""

from __future__ import annotations

import pytest

from .conftest import load_script


@pytest.fixture(scope="module")
def analyzer(eg):
    return eg.evidence.search_index.analyzer


@pytest.mark.parametrize(
    ("sentence", "claim", "expected"),
    [
        ("The band does not slide over the bone.", "The IT band slides over the femoral epicondyle.", "opposite"),
        (
            "The band does not slide over the bone.",
            "The band is anchored to the femur and does not slide freely over it.",
            "same",
        ),
        ("The band is anchored to the femur.", "The band is anchored to the femur and does not slide over it.", "same"),
        (
            "Foam rolling lengthens the band.",
            "Foam rolling cannot meaningfully lengthen or deform the band.",
            "opposite",
        ),
        (
            "A foam roller can deform the band.",
            "Foam rolling cannot meaningfully lengthen or deform the band.",
            "opposite",
        ),
        ("The band can't be loosened.", "The band cannot be stretched, released, tightened or loosened.", "same"),
        ("The band isn't a ligament.", "The band is a thickening of fascia rather than a ligament.", "same"),
        ("The friction model is no longer accepted.", "Anatomists accept the friction model.", "opposite"),
        ("Gait retraining never helps runners.", "Gait retraining improves pain in runners.", "opposite"),
        ("The band compresses fat rather than rubbing.", "The band compresses the fat pad.", "same"),
        ("The band is a muscle.", "The band is dense fascia, not a muscle.", "opposite"),
        ("The band is too stiff to deform.", "Foam rolling deforms the band.", "opposite"),
        (
            "The band is not a muscle — it runs from the iliac crest to the tibia.",
            "The band runs from the iliac crest to the tibia.",
            "same",
        ),
    ],
)
def test_relation(analyzer, sentence, claim, expected):
    from graph.drafts.negation import relation

    assert relation(analyzer, sentence, claim) == expected


def _check(eg, tmp_path, text):
    from graph.drafts.check import check_draft
    from graph.drafts.parse import read_draft

    draft = tmp_path / "d.md"
    draft.write_text(text, encoding="utf-8")
    return check_draft(eg, read_draft(draft)).sentences


def test_negated_sliding_is_supported_by_fairclough(eg, tmp_path):
    (s,) = _check(eg, tmp_path, "The band does not slide over the bone [@fairclough2006].\n")
    assert (s.status, s.claim.slug, s.relation, s.cited) == (
        "supported",
        "itb-anchored-to-femur",
        "same",
        ("fairclough2006",),
    )


def test_foam_rolling_lengthens_the_band_is_miscited_with_chaudhry(eg, tmp_path):
    (s,) = _check(eg, tmp_path, "Foam rolling lengthens the band [@chaudhry2008].\n")
    assert (s.status, s.claim.slug, s.negates.slug) == (
        "miscited",
        "foam-rolling-lengthens-itb",
        "foam-rolling-cannot-lengthen-itb",
    )
    assert s.note.endswith(
        "the sentence denies foam-rolling-cannot-lengthen-itb, which the cited chaudhry2008 supports"
    )


def test_opposite_of_a_claim_without_a_contradicting_claim(eg, tmp_path):
    (s,) = _check(eg, tmp_path, "Runners with ITBS don't have weaker hip abductors [@fredericson2000].\n")
    assert (s.status, s.claim.slug, s.relation) == ("miscited", "runners-with-itbs-weaker-hip-abductors", "opposite")
    assert s.note == "states the opposite of this claim; the cited fredericson2000 supports the claim, not its opposite"
    assert s.to_dict()["relation"] == "opposite"


def test_negation_figures_test_half(eg):
    fig, misses = load_script("eval_search").evaluate_negation(eg, "test")
    # [right, given a claim, listing a claim]: precision 14/19 and 16/21, recall 14/23 and 16/24
    assert fig.rows == {"negated": [14, 19, 23], "plain": [16, 21, 24]}, misses
