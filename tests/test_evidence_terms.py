"""Text into search terms (graph.evidence.terms): folding, number words,
stems, synonym groups and one-way expansions."""

from __future__ import annotations

import pytest

from graph.evidence import search, terms
from graph.evidence.terms import Analyzer, Expansion, curated_synonyms, number_words_to_digits


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["thirty", "degrees"], ["30", "degrees"]),
        (["ninety", "two"], ["92"]),
        (["nine", "hundred", "newtons"], ["900", "newtons"]),
        (["nine", "hundred", "and", "fifty"], ["950"]),
        (["two", "thousand", "and", "six"], ["2006"]),
        (["9,000", "n"], ["9000", "n"]),
        (["one", "and", "two"], ["1", "and", "2"]),
    ],
)
def test_number_words_to_digits(words, expected):
    assert number_words_to_digits(words) == expected


@pytest.fixture(scope="module")
def analyzer(eg):
    return eg.evidence.search_index.analyzer


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ITB", "iliotibial band"),
        ("IT band", "iliotibial band"),
        ("glute med", "gluteus medius"),
        ("TFL", "tensor fasciae latae"),
        ("ITBS", "iliotibial band syndrome"),
        ("thirty degrees", "30°"),
        ("one percent", "1%"),
        ("nine hundred N", "900 newtons"),
    ],
)
def test_synonyms_share_terms(analyzer, a, b):
    assert set(analyzer.terms(a)) & set(analyzer.terms(b))


def test_terms_of_a_sentence(analyzer):
    assert analyzer.terms("Does the ITB really rub over the thigh bone at thirty degrees?") == [
        "itb",
        "rub",
        "thigh",
        "bone",
        "30",
        "degre",
        "~iliotibi_band",
        "~friction",
        "~femur",
        "~thigh",
        "~30_degre_imping_zone",
        "~degre",
    ]


def test_curated_synonyms_file_parses():
    groups = curated_synonyms()
    assert ["iliotibial band", "ITB", "IT band", "iliotibial tract"] in groups
    glutes = ("gluteus maximus", "gluteus medius", "hip abductors", "gluteal strengthening")
    assert Expansion("glutes", glutes) in groups
    assert all(len(g) >= 2 for g in groups if not isinstance(g, Expansion))


def test_overlapping_groups_merge():
    a = Analyzer([["fascia lata", "thigh fascia"], ["thigh fascia", "deep fascia of the thigh"]])
    assert len(a.groups) == 1
    assert set(a.terms("fascia lata")) & set(a.terms("deep fascia of the thigh"))


def test_the_names_from_before_the_split_still_import_from_search():
    names = ("Analyzer", "Expansion", "curated_synonyms", "graph_synonyms", "number_words_to_digits")
    assert [getattr(search, n) is getattr(terms, n) for n in names] == [True] * len(names)
