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
    assert (test.known, test.top1, test.top3, test.answered) == (78, 52, 60, 39)
    assert (test.unknown, test.nothing) == (33, 29)
    para = figures["paraphrase"]
    assert (para.known, para.top1, para.top3) == (66, 55, 63)


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


def _expected_citations(name: str) -> list[tuple[int, tuple[str, ...], str]]:
    with (ROOT / "tests" / "data" / "eval" / "drafts" / "expected.tsv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["file"] == name]
    return [
        (int(r["line"]), tuple(k for k in r["expected_key"].split() if k != "-"), r["expected_status"]) for r in rows
    ]


@pytest.mark.parametrize("name", SYNTAX_DRAFTS)
def test_citation_syntax_drafts(eg, name):
    from graph.drafts.check import check_draft
    from graph.drafts.parse import read_draft

    report = check_draft(eg, read_draft(ROOT / "tests" / "data" / "eval" / "drafts" / name))
    by_line = {s.line: s for s in report.sentences}
    got = []
    for line, _, _ in _expected_citations(name):
        s = by_line[line]
        status = "unresolved" if s.unresolved and not s.cited else "resolved"
        got.append((line, tuple(s.cited), status))
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
