"""The writer's own bibliography in `evg check`: front matter `bibliography:`
and `--bib FILE`, BibTeX / BibLaTeX and CSL-JSON, each cited key mapped to a
corpus source (graph/drafts/ownbib.py). The drafts and bibliographies are the
evaluation fixtures in tests/data/eval/drafts (their per-line expectations are
checked in test_eval.py)."""

from __future__ import annotations

import json

import pytest

from graph.drafts.ownbib import front_matter_bibliography, read_bibliography

from .conftest import ROOT

DRAFTS = ROOT / "tests" / "data" / "eval" / "drafts"


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("bibliography: zotero.bib", [("zotero.bib", 2)]),
        ("bibliography: 'my refs.bib'", [("my refs.bib", 2)]),
        ('bibliography: [a.bib, "b.json"]', [("a.bib", 2), ("b.json", 2)]),
        ("bibliography:\n  - a.bib\n  - b.json", [("a.bib", 3), ("b.json", 4)]),
        ("title: x", []),
    ],
)
def test_front_matter_bibliography(front, expected):
    assert list(front_matter_bibliography(f"---\n{front}\n---\n\nText.\n")) == expected


def test_front_matter_only_at_the_top():
    assert front_matter_bibliography("Text.\n\n---\nbibliography: a.bib\n---\n") == ()


def test_bibtex_fields_as_zotero_and_better_bibtex_write_them():
    entries = {e.key: e for e in read_bibliography(DRAFTS / "zotero.bib")}
    beers, noehren = entries["beers_effects_2008"], entries["noehren_asb_2007"]
    assert beers.doi == "10.3138/physio.60.2.180"  # written as a URL
    assert noehren.doi == "10.1016/j.clinbiomech.2007.07.001"  # written in upper case
    assert entries["fredericson_hip_2000"].pmid == "10959926"  # "PMID: ..." in the note field
    worp = entries["van_der_worp_iliotibial_2012"]
    assert (worp.first_author, worp.year, worp.volume, worp.first_page, worp.line) == (
        "van der Worp",
        "2012",
        "42",
        "969",
        60,
    )


def test_biblatex_date_journaltitle_and_eprint():
    (fair, beers, _) = read_bibliography(DRAFTS / "zotero-biblatex.bib")
    assert (fair.year, fair.journal, fair.pmid) == ("2006", "Journal of Anatomy", "16533314")
    assert (beers.key, beers.pmid, beers.doi) == ("beers_effects_2008", "20145781", None)


def test_csl_json_items_with_their_lines():
    entries = {e.key: e for e in read_bibliography(DRAFTS / "zotero.json")}
    worp = entries["van_der_worp_iliotibial_2012"]
    assert (worp.first_author, worp.year, worp.pmid, worp.line) == ("van der Worp", "2012", "22994651", 240)
    assert entries["beers_effects_2008"].pmcid == "PMC2792799"


def test_check_json_lists_the_mapping_and_what_is_not_in_the_graph(evg):
    code, out, err = evg("check", DRAFTS / "own-bib-json.md", "--format", "json")
    assert code == 0
    report = json.loads(out)
    mapping = {k: (v["source"], v["how"], v["line"]) for k, v in report["bibliography"].items()}
    assert mapping == {
        "ellis_iliotibial_2007": ("ellis2007", "author-year-volume-page", 326),
        "exampleton_kinesio_2015": (None, None, 389),
        "fairclough_functional_2006": ("fairclough2006", "doi", 2),
        "fredericson_hip_2000": ("fredericson2000", "author-year-volume-page", 196),
        "van_der_worp_iliotibial_2012": ("vanderworp2012", "doi", 240),
    }
    assert [(u["line"], u["target"], u["not_in_graph"]) for u in report["not_in_graph"]] == [
        (14, "exampleton_kinesio_2015", True)
    ]
    assert f"{DRAFTS / 'own-bib-json.md'}:14: citation [@exampleton_kinesio_2015]: exampleton_kinesio_2015" in err


def test_table_names_keys_not_in_the_evidence_graph(evg):
    code, out, _ = evg("check", DRAFTS / "own-bib.md")
    assert code == 0
    tail = out.split("not in the evidence graph (in your bibliography, mapped to no corpus source):\n", 1)[1]
    assert tail.splitlines()[0] == (
        f"  {DRAFTS / 'own-bib.md'}:24: [@exampleton_kinesio_2015]: exampleton_kinesio_2015 (zotero.bib:105): "
        "Exampleton, 2015, Kinesio taping for lateral knee pain in recreational runners: a randomised trial"
    )
    assert "no entry 'nokey_missing_2020' in zotero.bib or sources.bib" in out


def test_bib_option_is_repeatable(evg, tmp_path):
    draft = tmp_path / "d.md"
    draft.write_text(
        "Hip abductor strengthening appeared to be beneficial [@beers_effects_2008].\n\n"
        "Runners who later developed ITBS had greater hip adduction [@noehren_asb_2007].\n",
        encoding="utf-8",
    )
    code, out, _ = evg(
        "check", draft, "--format", "json", "--bib", DRAFTS / "zotero-biblatex.bib", "--bib", DRAFTS / "zotero.json"
    )
    assert code == 0
    report = json.loads(out)
    assert [s["cited"] for s in report["sentences"]] == [["beers2008"], ["noehren2007"]]
    assert {k: v["file"] for k, v in report["bibliography"].items()} == {
        "beers_effects_2008": str(DRAFTS / "zotero-biblatex.bib"),  # the first file that has the key
        "noehren_asb_2007": str(DRAFTS / "zotero.json"),
    }


def test_sources_keeps_its_meaning_and_points_to_bib(evg):
    code, out, err = evg("check", DRAFTS / "own-bib.md", "--sources", DRAFTS / "zotero.bib")
    assert (code, out) == (2, "")
    (line,) = err.splitlines()
    assert line.startswith("evg: error: ")
    assert line.endswith(
        f"{DRAFTS / 'zotero.bib'} lacks 9 citation keys that the claims cite (beers2008, chaudhry2008, ellis2007, "
        "fairclough2006, fairclough2007, falvey2010 and 3 more): --sources replaces the corpus bibliography; "
        f"to check the draft against your own bibliography, use --bib {DRAFTS / 'zotero.bib'}"
    )


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            '[\n  {"id": "a", "title": "x"},\n  {"title": "no key"}\n]\n',
            3,
            "CSL-JSON item has no 'id' (the citation key)",
        ),
        ('[\n  "fairclough2006"\n]\n', 2, "CSL-JSON item is str, not an object with an 'id'"),
        ('[\n  {"id": "a",}\n]\n', 2, "not valid JSON: Expecting property name enclosed in double quotes"),
        (
            '"just a string"\n',
            1,
            "CSL-JSON must be an array of items (as Zotero exports it); this file holds not an array",
        ),
    ],
)
def test_csl_json_of_the_wrong_shape_names_file_and_line(evg, tmp_path, text, line, message):
    bib = tmp_path / "refs.json"
    bib.write_text(text, encoding="utf-8")
    draft = tmp_path / "d.md"
    draft.write_text("The IT band is anchored to the distal femur [@a].\n", encoding="utf-8")
    assert evg("check", draft, "--bib", bib) == (2, "", f"evg: error: {bib}:{line}: {message}\n")


def test_missing_bib_option_file(evg, tmp_path):
    draft = tmp_path / "d.md"
    draft.write_text("The IT band is anchored to the distal femur [@a].\n", encoding="utf-8")
    missing = tmp_path / "nope.bib"
    assert evg("check", draft, "--bib", missing) == (
        2,
        "",
        f"evg: error: {missing}: no such bibliography file (--bib)\n",
    )
