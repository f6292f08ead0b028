"""Claim search: BM25 over stemmed terms with synonyms, and its accuracy on
paraphrased questions (tests/data/paraphrases.tsv)."""

from __future__ import annotations

import csv
import math

import pytest

from graph.evidence.search import SearchIndex

from .conftest import DATA, load_corpus


def _paraphrases() -> list[tuple[str, set[str], str]]:
    lines = [line for line in (DATA / "paraphrases.tsv").read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    rows = list(csv.reader(lines, delimiter="\t"))
    assert rows[0] == ["question", "expected", "tests"]
    return [(q, set(expected.split("|")), what) for q, expected, what in rows[1:]]


PARAPHRASES = _paraphrases()


def test_paraphrase_file_names_real_claims(eg):
    slugs = {c.slug for c in eg.claims()}
    assert len(PARAPHRASES) >= 40
    unknown = sorted(s for _, expected, _ in PARAPHRASES for s in expected if s not in slugs)
    assert unknown == [], "tests/data/paraphrases.tsv names claims that do not exist: fix the slugs"


def test_paraphrase_accuracy(eg):
    top1 = top3 = 0
    misses = []
    for question, expected, _ in PARAPHRASES:
        got = [m.claim.slug for m in eg.search(question, limit=3)]
        top1 += bool(got) and got[0] in expected
        top3 += bool(expected & set(got))
        if not expected & set(got):
            misses.append(f"{question!r}: got {got}, want {sorted(expected)}")
    n = len(PARAPHRASES)
    print(f"\nparaphrase search on {n} questions: top-1 {top1 / n:.1%} ({top1}), top-3 {top3 / n:.1%} ({top3})")
    for miss in misses:
        print("  missed:", miss)
    assert top3 / n >= 0.90


def test_bm25_score_by_hand():
    index = SearchIndex([("a", "fascia band", []), ("b", "muscle", []), ("c", "band band muscle", [])])
    hits = index.search("band", limit=5)
    n, df, avgdl = 3, 2, (2 + 1 + 3) / 3
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))

    def bm25(tf, dl):
        return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl))

    assert [h.doc for h in hits] == ["c", "a"]  # b shares no term, so it is not returned
    assert hits[0].score == pytest.approx(bm25(2, 3))
    assert hits[1].score == pytest.approx(bm25(1, 2))
    assert hits[1].relative == pytest.approx(min(1.0, bm25(1, 2) / idf))


def test_topic_words_count_less_than_the_wording():
    index = SearchIndex([("own", "foam rolling", []), ("topic", "pressure", ["foam rolling"])])
    hits = index.search("foam rolling")
    assert [h.doc for h in hits] == ["own", "topic"]
    assert hits[0].score > 2 * hits[1].score


def test_search_results_sorted_and_limited(eg):
    matches = eg.search("foam rolling", limit=4)
    assert len(matches) == 4
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < m.relative <= 1 for m in matches)


def test_numbers_in_words_or_digits_rank_alike(eg):
    words = [m.claim.slug for m in eg.search("thirty degrees of knee flexion", 3)]
    digits = [m.claim.slug for m in eg.search("30° of knee flexion", 3)]
    assert words == digits
    assert "itb-compresses-fat-pad-at-30-degrees" in words


def test_synonym_finds_claim_worded_otherwise(eg):
    # The claim says "gluteus medius"; the query uses the gym word.
    assert eg.search("glute med weakness lets the femur adduct", 1)[0].claim.slug == (
        "hip-abductor-weakness-lets-femur-adduct"
    )


def test_unrelated_text_finds_nothing(eg):
    assert eg.search("quantum chromodynamics lattice", 5) == []


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_query_is_a_value_error(eg, text):
    with pytest.raises(ValueError, match="empty"):
        eg.search(text)


def test_index_is_built_on_the_first_search_only(monkeypatch):
    from graph.evidence.index import EvidenceIndex

    builds = []
    build = EvidenceIndex._build_search_index
    monkeypatch.setattr(EvidenceIndex, "_build_search_index", lambda self: builds.append(1) or build(self))
    fresh = load_corpus()
    assert builds == []  # loading does not build it
    fresh.search("foam rolling")
    fresh.search("thirty degrees of knee flexion")
    assert builds == [1]
    assert len(fresh.evidence.search_index) == len(fresh.claims())
