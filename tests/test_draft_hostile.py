"""Hostile drafts: text built to make a pattern backtrack (brackets that never
close, runs of name particles, lists of numbers, thousands of references)
takes time linear in its size, and long markers neither crash nor flood the
output."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from .conftest import ROOT

#: name -> a unit, repeated to about SIZE characters. Before the fix each took
#: from 15 seconds to hours (a run of "della" took exponential time).
HOSTILE = {
    "brackets": "[",
    "wiki-links": "[[a|",
    "footnotes": "[^",
    "pandoc-brackets": "[@",
    "links": "[a](",
    "images": "![",
    "initials": "A. ",
    "abbreviations": "Fig. ",
    "particles": "de ",
    "glued-particles": "della",
    "narrative": "Fairclough et al. (",
    "superscripts": "Claim.¹",
    "number-list": "1,",
    "emphasis": "*a ",
    "bare-keys": "@a ",
    "autolinks": "<http://",
}
SIZE = 300_000
PARSE = "import sys; from graph.drafts.parse import parse_draft; parse_draft(sys.stdin.read())"


def _cpu_seconds(args: list[str], stdin: str | None = None, timeout: int = 60):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(args, input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_draft_parses_in_linear_time(name):
    unit = HOSTILE[name]
    seconds, proc = _cpu_seconds([sys.executable, "-c", PARSE], unit * (SIZE // len(unit)))
    assert proc.returncode == 0, proc.stderr[-500:]
    assert seconds < 5, f"{SIZE:,} characters of {unit!r} took {seconds:.1f} s of CPU"


def test_thousands_of_references_resolve_in_linear_time(tmp_path):
    # 3,000 references with DOIs, each cited by author and year: every DOI used
    # to be searched for in every reference, and every citation walked the list.
    n = 3000
    cites = " ".join(f"(Smith{i} 2006)" for i in range(1, n + 1))
    refs = "\n\n".join(
        f"Smith{i} J. A title number {i}. J Things. 2006;{i % 900 + 1}:{i}. doi:10.1000/X{i}" for i in range(1, n + 1)
    )
    draft = tmp_path / "draft.md"
    draft.write_text(f"The IT band is compressed {cites}.\n\n## References\n\n{refs}\n", encoding="utf-8")
    seconds, proc = _cpu_seconds([sys.executable, "-m", "graph", "check", str(draft), "--format", "json"])
    assert proc.returncode == 0, proc.stderr[-500:]
    assert seconds < 15, f"took {seconds:.1f} s of CPU"


def test_a_long_marker_is_one_short_warning(tmp_path):
    # 5,000 times the same number: one target, and the marker shortened
    # (each target used to repeat the whole marker: 2,000 numbers, 8 MB of warnings).
    draft = tmp_path / "draft.md"
    draft.write_text("The IT band is compressed [" + ",".join(["1"] * 5000) + "].\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "graph", "check", str(draft), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    marker = "[" + ",".join(["1"] * 28) + ",..."
    reason = "the draft has no reference list to look the number up in"
    assert proc.stderr == f"{draft}:1: citation {marker} (1) cannot be resolved: {reason}\n"


def test_key_hints_stop_after_the_first_unknown_keys():
    from graph.drafts.resolve import MAX_KEY_HINTS, SourceIndex, SourceRecord

    index = SourceIndex([SourceRecord(f"smith{y}", None, str(y), "Smith", "A title", None) for y in range(2000, 2010)])
    hints = [index.close_keys(f"smith200{i % 10}x{i}") for i in range(MAX_KEY_HINTS + 5)]
    assert all(hints[:MAX_KEY_HINTS]) and hints[MAX_KEY_HINTS:] == [[]] * 5
    assert index.close_keys("smith2001x1") == hints[1]  # the same key again: the same hint
