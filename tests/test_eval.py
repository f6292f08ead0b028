"""The held-out evaluation of `evg sources` (tests/data/eval, scripts/eval_search.py).

The figures asserted are those of the *test* half (and the paraphrase set);
the ranking and the threshold were tuned on the tune half only. The first
test pins today's figures exactly, so a change to the ranking shows up as a
changed number; the second states issue 13's targets, which the default
ranking does not reach yet (strict xfail: it fails once they are met, so the
mark is removed then).
"""

from __future__ import annotations

import csv
import importlib.util
import sys

import pytest

from .conftest import ROOT


def _script():
    spec = importlib.util.spec_from_file_location("eval_search", ROOT / "scripts" / "eval_search.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_search", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures(eg):
    return {name: fig for name, (fig, _) in _script().all_figures(eg).items()}


def test_eval_files_name_real_claims_and_halves(eg):
    script = _script()
    slugs = {c.slug for c in eg.claims()}
    questions = script.read_questions()
    assert {q.half for q in questions} == {"tune", "test"}
    assert sorted({s for q in questions for s in q.expected} - slugs) == []
    test = [q for q in questions if q.half == "test"]
    assert (sum(1 for q in test if q.expected), sum(1 for q in test if not q.expected)) == (78, 33)


def test_test_half_figures(figures):
    test = figures["test"]
    assert (test.known, test.top1, test.top3, test.answered) == (78, 56, 62, 41)
    assert (test.unknown, test.nothing) == (33, 31)
    para = figures["paraphrase"]
    assert (para.known, para.top1, para.top3) == (66, 58, 63)


@pytest.mark.xfail(strict=True, reason="issue 13 targets not reached yet: see docs/search.md")
def test_test_half_meets_issue_targets(figures):
    test, para = figures["test"].rates(), figures["paraphrase"].rates()
    assert test["top1"] >= 0.90 and test["top3"] >= 0.97
    assert para["top1"] >= 0.90 and para["top3"] >= 0.97
    assert test["nothing"] >= 0.90 and test["answered"] >= 0.90


def test_references_test_half(eg):
    right, total, misses = _script().evaluate_references(eg, "test")
    assert (right, total) == (33, 33), misses


def test_references_tune_half(eg):
    right, total, misses = _script().evaluate_references(eg, "tune")
    # r050 and r051 give PMIDs that sources.bib no longer records (only verified
    # PMIDs are kept); r058 is a bare title with no author or year, beyond the
    # matchers issue 13 asks for
    assert (right, total) == (30, 33)
    assert [m.split()[0] for m in misses] == ["r050", "r051", "r058"]


# --- citation syntaxes: tests/data/eval/drafts/expected.tsv -----------------------------

SYNTAX_DRAFTS = ("pandoc.md", "numeric.md", "superscript.md", "author-year.md", "footnotes.md", "wikilinks.md")
#: drafts whose front matter names the writer's own bibliography (BibTeX, CSL-JSON, BibLaTeX + CSL-JSON)
OWN_BIB_DRAFTS = ("own-bib.md", "own-bib-json.md", "own-bib-biblatex.md")


def _expected_citations(name: str) -> list[tuple[int, tuple[str, ...], str]]:
    with (ROOT / "tests" / "data" / "eval" / "drafts" / "expected.tsv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["file"] == name]
    return [
        (int(r["line"]), tuple(k for k in r["expected_key"].split() if k != "-"), r["expected_status"]) for r in rows
    ]


def _status(s) -> str:
    if s.cited or not s.unresolved:
        return "resolved"
    return "not-in-graph" if all(u.not_in_graph for u in s.unresolved) else "unresolved"


@pytest.mark.parametrize("name", SYNTAX_DRAFTS + OWN_BIB_DRAFTS)
def test_citation_syntax_drafts(eg, name):
    from graph.drafts.check import check_draft
    from graph.drafts.parse import read_draft

    report = check_draft(eg, read_draft(ROOT / "tests" / "data" / "eval" / "drafts" / name))
    by_line = {s.line: s for s in report.sentences}
    got = [(line, tuple(by_line[line].cited), _status(by_line[line])) for line, _, _ in _expected_citations(name)]
    assert got == _expected_citations(name)


def test_unresolved_citation_is_named_not_cites_nothing(eg, tmp_path):
    from graph.drafts.check import check_draft
    from graph.drafts.parse import read_draft

    draft = tmp_path / "d.md"
    draft.write_text(
        "The IT band is anchored at the lateral femoral epicondyle by fibrous attachments.[^6]\n\n"
        "[^6]: Exampleton Q. Kinesio taping for lateral knee pain. 2015.\n",
        encoding="utf-8",
    )
    (s,) = check_draft(eg, read_draft(draft)).sentences
    assert (s.status, s.claim.slug, s.cited) == ("unsourced", "itb-anchored-to-femur", ())
    assert s.note == (
        "cites [^6], which could not be resolved: footnote [^6] (Exampleton Q. Kinesio taping for lateral knee "
        "pai…) matches no entry in sources.bib"
    )


# --- bad input: tests/data/eval/drafts/bad (expected.tsv rows with status "error") --------

BAD = ROOT / "tests" / "data" / "eval" / "drafts" / "bad"
BAD_INPUT = {
    "no-year.md": (
        "no-year.md",
        9,
        "reference 1 has no year (Fairclough J, et al. The functional anatomy of th…): "
        "add its year, or its DOI or PMID",
    ),
    "footnote-undefined.md": (
        "footnote-undefined.md",
        5,
        "footnote [^2] has no definition (add a line '[^2]: ...')",
    ),
    "missing-bib.md": (
        "missing-bib.md",
        3,
        f"bibliography file does-not-exist.bib does not exist ({BAD / 'does-not-exist.bib'})",
    ),
    "broken-bib.md": (
        "broken.bib",
        2,
        "BibTeX syntax error: '{' is never closed (the next field or entry starts inside it)",
    ),
    "wrong-shape-csl.md": (
        "wrong-shape.json",
        1,
        "CSL-JSON must be an array of items (as Zotero exports it); this file holds an object",
    ),
}


def test_every_bad_input_row_is_tested():
    with (ROOT / "tests" / "data" / "eval" / "drafts" / "expected.tsv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["expected_status"] == "error"]
    assert sorted(r["file"].removeprefix("bad/") for r in rows) == sorted(BAD_INPUT)
    # where the error is the draft's own, it names the line the fixture table gives
    lines = {r["file"].removeprefix("bad/"): int(r["line"]) for r in rows}
    assert {k: line for k, (file, line, _) in BAD_INPUT.items() if file == k} == {
        k: lines[k] for k, (file, _, _) in BAD_INPUT.items() if file == k
    }


@pytest.mark.parametrize("name", sorted(BAD_INPUT))
def test_bad_input_is_one_line_exit_2_nothing_written(evg, tmp_path, name):
    file, line, message = BAD_INPUT[name]
    out_file = tmp_path / "report.md"
    code, out, err = evg("check", BAD / name, "--format", "md", "-o", out_file)
    assert (code, out, err) == (2, "", f"evg: error: {BAD / file}:{line}: {message}\n")
    assert not out_file.exists()
