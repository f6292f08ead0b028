"""Reading drafts: sentences, citations, reference lists, and unusable input."""

from __future__ import annotations

import pytest

from graph.drafts.parse import parse_draft, read_draft
from graph.model.errors import InputError

from .conftest import DATA, ROOT

DRAFTS = DATA / "drafts"


def citations_of(text: str, markdown: bool = True) -> list[tuple[str, str, tuple[str, ...]]]:
    draft = parse_draft(text, markdown=markdown)
    return [(c.kind, c.marker, c.targets) for s in draft.sentences for c in s.citations]


# --- citation syntaxes -------------------------------------------------------------------

CITATION_CASES = {
    "pandoc one key": ("Bands are anchored [@fairclough2006].", [("pandoc", "[@fairclough2006]", ("fairclough2006",))]),
    "pandoc two keys": (
        "Bands are anchored [@fairclough2006; @fairclough2007].",
        [("pandoc", "[@fairclough2006; @fairclough2007]", ("fairclough2006", "fairclough2007"))],
    ),
    "pandoc prefix and locator": (
        "Fascia is stiff [see @chaudhry2008, p. 383].",
        [("pandoc", "[see @chaudhry2008, p. 383]", ("chaudhry2008",))],
    ),
    "pandoc in text": ("As @falvey2010 showed, stretching fails.", [("pandoc", "@falvey2010", ("falvey2010",))]),
    "numeric one": ("Hips matter [1].", [("numeric", "[1]", ("1",))]),
    "numeric list": ("Hips matter [1,2].", [("numeric", "[1,2]", ("1", "2"))]),
    "numeric range": ("Hips matter [1-3].", [("numeric", "[1-3]", ("1", "2", "3"))]),
    "numeric mixed": ("Hips matter [1, 3–5].", [("numeric", "[1, 3–5]", ("1", "3", "4", "5"))]),
    "numeric parenthesis": ("Hips matter (1).", [("numeric", "(1)", ("1",))]),
    "superscript at the end": ("Hips matter.1", [("superscript", "1", ("1",))]),
    "superscript then a sentence": (
        "Hips matter.5 Knees too.",
        [("superscript", "5", ("5",))],
    ),
    "superscript after a comma": ("Hips,2 knees and ankles matter.", [("superscript", "2", ("2",))]),
    "superscript after a quote": ('It is "a compression syndrome."2', [("superscript", "2", ("2",))]),
    "superscript list": ("Hips matter.1,3", [("superscript", "1,3", ("1", "3"))]),
    "unicode superscript": ("Hips matter.²", [("superscript", "²", ("2",))]),
    "author-year": (
        "Bands are anchored (Fairclough et al., 2006).",
        [("author-year", "(Fairclough et al., 2006)", ("Fairclough 2006",))],
    ),
    "author-year two works": (
        "Hips matter (Fredericson et al., 2000; Beers 2008).",
        [("author-year", "(Fredericson et al., 2000; Beers 2008)", ("Fredericson 2000", "Beers 2008"))],
    ),
    "author-year particle": (
        "Load matters (van der Worp et al., 2012).",
        [("author-year", "(van der Worp et al., 2012)", ("van der Worp 2012",))],
    ),
    "author-year two authors": (
        "Hips matter (Noehren & Davis, 2007).",
        [("author-year", "(Noehren & Davis, 2007)", ("Noehren 2007",))],
    ),
    "narrative": (
        "Fairclough et al. (2006) found anchoring.",
        [("author-year", "Fairclough et al. (2006)", ("Fairclough 2006",))],
    ),
    "narrative two years": (
        "Supported by Fairclough et al (2006, 2007) dissection.",
        [("author-year", "Fairclough et al (2006, 2007)", ("Fairclough 2006", "Fairclough 2007"))],
    ),
}


@pytest.mark.parametrize("name", sorted(CITATION_CASES))
def test_citation_syntax(name):
    text, expected = CITATION_CASES[name]
    assert citations_of(text) == expected


NOT_CITATIONS = {
    "journal volume and issue": "See J Anat 2006;208(3):309 for details.",
    "a decimal number": "Version 2.1 of the protocol was used.",
    "a number after a year": "The trial ran until 2006.1 more trial followed.",
    "an enumeration": "Treatment has three parts: (1) rest, (2) strength work and (3) a gradual return.",
    "an e-mail address": "Write to clinic@example.com for details.",
    "a Markdown link": "Read [the guide](https://example.com/guide) first.",
    "a percentage": "Cadence rose by 5–10%, which helped.",
}


@pytest.mark.parametrize("name", sorted(NOT_CITATIONS))
def test_not_a_citation(name):
    assert citations_of(NOT_CITATIONS[name]) == []


# --- sentences -------------------------------------------------------------------------


def test_sentences_keep_markers_with_the_sentence_they_follow():
    draft = parse_draft("It is fixed.1 What does move is the fat pad.2\n", markdown=False)
    assert [(s.text, s.plain, s.quote) for s in draft.sentences] == [
        ("It is fixed.1", "It is fixed.", "It is fixed."),
        ("What does move is the fat pad.2", "What does move is the fat pad.", "What does move is the fat pad."),
    ]


def test_a_citation_after_the_full_stop_belongs_to_the_sentence_before():
    draft = parse_draft("Hips matter. [1] Knees too.")
    assert [(s.text, [c.marker for c in s.citations]) for s in draft.sentences] == [
        ("Hips matter. [1]", ["[1]"]),
        ("Knees too.", []),
    ]


def test_abbreviations_and_initials_do_not_end_sentences():
    draft = parse_draft("As Fairclough et al. showed, e.g. in J. Anat, the band is fixed. Next one.")
    assert [s.text for s in draft.sentences] == [
        "As Fairclough et al. showed, e.g. in J. Anat, the band is fixed.",
        "Next one.",
    ]


def test_markdown_structure_is_skipped():
    draft = read_draft(DRAFTS / "labelled-draft.md")
    lines = [s.line for s in draft.sentences]
    assert lines == [10, 11, 12, 14, 15, 19, 20, 21, 22, 23, 25, 26, 27, 31, 32, 33, 34, 35, 36]
    assert all("Code is skipped" not in s.text for s in draft.sentences)
    assert draft.reference_line == 42


def test_markdown_paragraphs_join_wrapped_lines():
    text = "# Title\n\nThe band is\nanchored to the femur.\nIt does not slide.\n\n    indented code. Skipped.\n"
    draft = parse_draft(text)
    assert [(s.line, s.text) for s in draft.sentences] == [
        (3, "The band is anchored to the femur."),
        (5, "It does not slide."),
    ]
    assert draft.sentences[0].quote == "The band is\nanchored to the femur."


def test_markdown_setext_headings_tables_comments_front_matter():
    text = (
        "---\ntitle: x\n---\nHeading\n=======\n\n<!-- a comment. With sentences. -->\n\n"
        "| a | b |\n|---|---|\n| Not prose. | x |\n\nReal prose here.\n"
    )
    assert [s.text for s in parse_draft(text).sentences] == ["Real prose here."]


def test_plain_text_headings_and_wrapping():
    draft = read_draft(DRAFTS / "labelled-plain.txt")
    assert [(s.line, s.text[:30]) for s in draft.sentences] == [
        (3, "Runners with ITBS have weaker "),
        (3, "Treatment has three parts: (1)"),
        (4, "A foam roller cannot meaningfu"),
        (6, "Fibrous attachments anchor the"),
        (6, "Version 2.1 of our clinic prot"),
        (7, "Most patients with pain on the"),
        (10, "Book a session with us today!"),
    ]
    # the wrapped sentence is quoted verbatim, line break included
    assert draft.sentences[2].quote == (
        "A foam roller cannot meaningfully lengthen the IT band, because dense\n"
        "fascia is far too stiff for the pressure it applies."
    )


def test_list_items_are_sentences():
    draft = parse_draft("- IT band slides over the epicondyle\n- Bursa is the pain source\n")
    assert [s.text for s in draft.sentences] == ["IT band slides over the epicondyle", "Bursa is the pain source"]


# --- reference lists ---------------------------------------------------------------------


def test_reference_list_after_a_heading():
    draft = read_draft(DRAFTS / "labelled-draft.md")
    assert [(r.label, r.line, r.first_author, r.years[0], r.doi) for r in draft.references] == [
        ("1", 44, "Fredericson", "2000", None),
        ("2", 45, "van der Worp", "2012", "10.2165/11635400-000000000-00000"),
        ("3", 46, "Noehren", "2007", None),
        ("4", 47, "Beers", "2008", None),
        ("5", 48, "Smith", "2019", None),
    ]


def test_markdown_reference_paragraph_is_split_per_line():
    text = (
        "Hips matter [2].\n\n## References\n"
        "Fredericson M, Cookingham CL. Hip abductor weakness. Clin J Sport Med. 2000;10(3):169-75.\n"
        "Beers A, Ryan M. Effects of multi-modal physiotherapy. Physiother Can. 2008;60(2):180-8.\n"
    )
    draft = parse_draft(text)
    assert [(r.label, r.first_author) for r in draft.references] == [("1", "Fredericson"), ("2", "Beers")]
    assert [s.text for s in draft.sentences] == ["Hips matter [2]."]


def test_unheaded_trailing_reference_list(articles_dir):
    draft = read_draft(articles_dir / "itbs-compression-not-friction.txt")
    assert [(r.label, r.line, r.first_author) for r in draft.references] == [
        ("1", 47, "Fairclough"),
        ("2", 48, "Fairclough"),
        ("3", 49, "Chaudhry"),
        ("4", 50, "Falvey"),
        ("5", 51, "Fredericson"),
        ("6", 52, "van der Worp"),
        ("7", 53, "Beers"),
        ("8", 54, "Ellis"),
        ("9", 55, "Noehren"),
    ]
    assert all(s.line < 47 for s in draft.sentences)
    assert "What the IT Band Actually Is" not in " ".join(s.text for s in draft.sentences)


# --- bad input -----------------------------------------------------------------------------


def test_empty_draft(tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("  \n\n")
    with pytest.raises(InputError, match="file is empty"):
        read_draft(path)


def test_binary_draft(tmp_path):
    path = tmp_path / "draft.md"
    path.write_bytes(b"%PDF-1.4\n\x00\x01\x02binary")
    with pytest.raises(InputError, match="binary"):
        read_draft(path)


def test_draft_with_only_headings(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text("# Title\n\n## Section\n\n```\ncode.\n```\n")
    with pytest.raises(InputError, match="no sentences to check"):
        read_draft(path)


def test_missing_draft(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_draft(tmp_path / "nope.md")


def test_footnote_without_definition_is_one_error_line():
    import subprocess
    import sys

    bad = ROOT / "tests" / "data" / "eval" / "drafts" / "bad" / "footnote-undefined.md"
    result = subprocess.run(
        [sys.executable, "-m", "graph", "check", str(bad)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"evg: error: {bad}:") and "has no definition" in line
