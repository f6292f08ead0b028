"""Resolving a draft's references and citations to sources.bib."""

from __future__ import annotations

import pytest

from graph.drafts.parse import parse_draft, read_draft
from graph.drafts.records import Reference
from graph.drafts.resolve import SourceIndex, SourceRecord, resolve

from .conftest import DATA

DRAFTS = DATA / "drafts"


@pytest.fixture(scope="module")
def index(eg):
    return SourceIndex.from_graph(eg)


def ref(text: str, label: str = "1") -> Reference:
    return parse_draft(f"Text [1].\n\n## References\n\n1. {text}\n").references[0]


REFERENCE_CASES = {
    "by DOI alone": ("Anonymous. Something else entirely. 1999. doi:10.1016/J.MATH.2006.08.004", "ellis2007", "doi"),
    "Vancouver": (
        "Falvey EC, Clark RA. Iliotibial band syndrome: an examination of the evidence behind a number of "
        "treatment options. Scand J Med Sci Sports. 2010;20(4):580-7.",
        "falvey2010",
        "author-year-volume-page",
    ),
    "APA": (
        "Chaudhry, H., Schleip, R., Ji, Z. (2008). Three-dimensional mathematical model for deformation of human "
        "fasciae in manual therapy. Journal of the American Osteopathic Association, 108(8), 379-390.",
        "chaudhry2008",
        "author-year-volume-page",
    ),
    "same author, other year": (
        "Fairclough J, Hayashi K. Is iliotibial band syndrome really a friction syndrome? J Sci Med Sport. "
        "2007;10(2):74-6.",
        "fairclough2007",
        "author-year-volume-page",
    ),
    "journal only": (
        "Ellis R, Hing W, Reid D. A review. Manual Therapy. 2007.",
        "ellis2007",
        "author-year-journal",
    ),
    "abbreviated journal, no title": ("Fairclough J, et al. J Am Osteopath Assoc. 2006.", None, "none"),
    "NLM abbreviation": ("Chaudhry H, et al. J Am Osteopath Assoc. 2008.", "chaudhry2008", "author-year-journal"),
    "ISO 4 with dots": ("Noehren B. et al. Clin. Biomech. 2007.", "noehren2007", "author-year-journal"),
    "shortened title": (
        "Beers A, et al. Effects of multi-modal physiotherapy. 2008.",
        "beers2008",
        "author-year-title",
    ),
    "PMID": ("PMID: 18723456", "chaudhry2008", "pmid"),
    "PMID the corpus does not record": ("PMID: 10959926", None, "none"),
    "PMCID": ("Beers A. PMCID: PMC2792799", "beers2008", "pmcid"),
    "volume and page, elided": ("Fairclough J, et al. 2007;10(2):74-6.", "fairclough2007", "author-year-volume-page"),
    "volume and page, wrong page": ("Fairclough J, et al. 2007;10(2):75-6.", None, "none"),
    "misspelt author, exact title": (
        "Fredrickson M. Hip abductor weakness in distance runners with iliotibial band syndrome. 2000.",
        "fredericson2000",
        "title-year",
    ),
    "wrong year": (
        "Beers A, Ryan M. Effects of multi-modal physiotherapy, including hip abductor strengthening, in patients "
        "with iliotibial band friction syndrome. Physiother Can. 2011;60(2):180-8.",
        None,
        "none",
    ),
    "unknown paper": ("Smith J. Shoes and knees. J Imag Run. 2019;1:1-10.", None, "none"),
}


@pytest.mark.parametrize("name", sorted(REFERENCE_CASES))
def test_reference_matching(index, name):
    text, key, how = REFERENCE_CASES[name]
    assert index.match_reference(ref(text)) == (key, how)


def test_resolution_of_the_labelled_draft(index):
    draft = read_draft(DRAFTS / "labelled-draft.md")
    res = resolve(draft, index)
    assert res.reference_keys == ("fredericson2000", "vanderworp2012", "noehren2007", "beers2008", None)
    assert [(u.line, u.marker, u.target, u.reason) for u in res.all_unresolved] == [
        (25, "[9]", "9", "the reference list has no entry 9 (it has 5)"),
        (33, "[@nosuchkey2020]", "nosuchkey2020", "no entry 'nosuchkey2020' in sources.bib"),
        (
            34,
            "(Smith et al., 2019)",
            "Smith 2019",
            "reference 5 (Smith J, Jones K. Running shoe mileage and injury…) matches no entry in sources.bib",
        ),
        (
            35,
            "[5]",
            "5",
            "reference 5 (Smith J, Jones K. Running shoe mileage and injury…) matches no entry in sources.bib",
        ),
    ]


@pytest.mark.parametrize("name", ["labelled-draft.md", "labelled-plain.txt"])
def test_an_index_fetched_for_the_draft_resolves_like_the_whole_bibliography(eg, index, name):
    draft = read_draft(DRAFTS / name)
    targeted = SourceIndex.from_graph(eg, draft)
    assert len(targeted.records) < len(index.records)
    assert resolve(draft, targeted) == resolve(draft, index)


def test_fetched_index_loads_more_on_demand(eg):
    draft = parse_draft("Hips [@Fairclough2006]. Typo [@fairclough2066].")
    targeted = SourceIndex.from_graph(eg, draft)
    assert sorted(targeted.records) == []
    res = resolve(draft, targeted)
    assert res.cited == (("fairclough2006",), ())
    assert "did you mean fairclough2006, fairclough2007?" in res.all_unresolved[0].reason
    # a misspelt first author: the entries of the reference's year are fetched for a title match
    ref_draft = parse_draft(
        "Hips [1].\n\n## References\n\n1. Fredrickson M. Hip abductor weakness in distance runners with "
        "iliotibial band syndrome. 2000.\n"
    )
    targeted = SourceIndex.from_graph(eg, ref_draft)
    assert resolve(ref_draft, targeted).cited == (("fredericson2000",),)


def test_numbers_without_a_reference_list_are_reported_with_their_line(index):
    draft = parse_draft("Hips matter [1].\nKnees matter.2 Ankles too (3).\n", markdown=False)
    res = resolve(draft, index)
    assert res.cited == ((), (), ())
    assert [(u.line, u.marker, u.reason) for u in res.all_unresolved] == [
        (1, "[1]", "the draft has no reference list to look the number up in"),
        (2, "2", "the draft has no reference list to look the number up in"),
        (2, "(3)", "the draft has no reference list to look the number up in"),
    ]


def test_pandoc_keys_are_case_insensitive_and_typos_get_suggestions(index):
    draft = parse_draft("One [@Fairclough2006]. Two [@fairclough2066].")
    res = resolve(draft, index)
    assert res.cited == (("fairclough2006",), ())
    assert res.all_unresolved[0].reason == (
        "no entry 'fairclough2066' in sources.bib; did you mean fairclough2006, fairclough2007?"
    )


def test_author_year_without_reference_list_goes_to_the_bib(index):
    draft = parse_draft("Load matters (van der Worp et al., 2012). Hips too (Nobody et al., 2001).")
    res = resolve(draft, index)
    assert res.cited == (("vanderworp2012",), ())
    assert res.all_unresolved[0].reason == "no entry by Nobody in 2001 in sources.bib or the reference list"


def test_ambiguous_author_year():
    records = [
        SourceRecord("smith2010a", None, "2010", "Smith", "Knees", None),
        SourceRecord("smith2010b", None, "2010", "Smith", "Hips", None),
    ]
    index = SourceIndex(records)
    res = resolve(parse_draft("One (Smith, 2010). Two (Smith, 2010b)."), index)
    assert res.cited == ((), ("smith2010b",))
    assert res.all_unresolved[0].reason == "ambiguous: smith2010a, smith2010b (add a year letter, e.g. 2010a)"


def test_a_narrative_lookalike_that_resolves_to_nothing_is_not_a_citation(index):
    res = resolve(parse_draft("It appeared in Medicine in Sport (2007) as a letter."), index)
    assert res.cited == ((),)
    assert res.all_unresolved == []
    assert res.counted == ((),)
