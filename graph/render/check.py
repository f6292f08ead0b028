"""The report of ``evg check`` for people: a terminal table and Markdown.
The checking itself is :mod:`graph.drafts.check`."""

from __future__ import annotations

import textwrap

from graph.drafts.check import CheckReport, SentenceCheck, Status
from graph.model.words import plural
from graph.render.report import md_text

__all__ = ["render_markdown", "render_table"]


def _width() -> int:
    import shutil

    return max(60, min(120, shutil.get_terminal_size((100, 24)).columns))


def render_table(report: CheckReport, *, width: int | None = None) -> str:
    """The report for a terminal: each sentence with its status mark, then
    what to cite (formatted in the report's style), unresolved citations and
    the reference list."""
    width = width or _width()
    indent = " " * 20
    out = [f"{report.draft}: {_summary_line(report)}", ""]
    for s in report.sentences:
        head = f"{Status.MARKS[s.status]} {s.status:<10} {s.line:>5}  "
        out.append(textwrap.fill(s.text, width, initial_indent=head, subsequent_indent=indent))
        for label, body in _details(report, s):
            out.append(textwrap.fill(body, width, initial_indent=indent + label, subsequent_indent=indent + "  "))
    failed = [u for u in report.unresolved if not u.not_in_graph]
    if failed:
        out += ["", "citations that could not be resolved:"]
        out += [f"  {report.draft}:{u.line}: {u.marker} ({u.target}): {u.reason}" for u in failed]
    if report.not_in_graph:
        out += ["", "not in the evidence graph (in your bibliography, mapped to no corpus source):"]
        out += [f"  {report.draft}:{u.line}: {u.marker}: {_entry_line(report, u.target)}" for u in report.not_in_graph]
    if report.references:
        out += ["", "reference list:"]
        for r in report.references:
            key = r.key or "(matches no entry in sources.bib)"
            out.append("  " + textwrap.shorten(f"[{r.label}] {key}: {r.text}", width - 2, placeholder="…"))
    legend = "  ".join(f"{Status.MARKS[s]} {s}" for s in Status.ALL)
    out += ["", legend]
    return "\n".join(out) + "\n"


def _entry_line(report: CheckReport, key: str) -> str:
    entry = report.own_keys[key][0]
    what = ", ".join(p for p in (entry.first_author, entry.year, entry.title) if p)
    return f"{key} ({entry.where}): {what}"


def _summary_line(report: CheckReport) -> str:
    counts = report.summary
    parts = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    total = len(report.sentences)
    line = f"{plural(total, 'sentence')}: {parts}" if parts else plural(total, "sentence")
    if report.unresolved:
        line += f"; {plural(len(report.unresolved), 'unresolved citation')}"
    return line


def _details(report: CheckReport, s: SentenceCheck) -> list[tuple[str, str]]:
    """(label, text) lines under a sentence."""
    rows: list[tuple[str, str]] = []
    if s.claim is not None:
        label = "opposite of: " if s.relation == "opposite" else "claim: "
        rows.append((label, f"{s.claim.slug}: {s.claim.text}"))
    if s.status != Status.UNMATCHED or s.cited or s.unresolved:
        rows.append(("why: ", s.note))
    for key in s.cited:
        if key in s.verdicts:
            verdict, review = s.verdicts[key]
            shown = review and verdict != "supported"  # a clean review needs no reading
            rows.append((f"review of {key}: ", f"{verdict}" + (f": {review}" if shown else "")))
    if s.status == Status.CONTESTED:
        for key in s.supported_by:
            rows.append(("supports: ", report.citation(key)))
        for key in s.disputed_by:
            rows.append(("disputes: ", report.citation(key)))
    elif s.suggest:
        for key in s.suggest:
            caveat = f" [review: {s.verdicts[key][0]}]" if key in s.verdicts else ""
            rows.append(("cite: ", report.citation(key) + caveat))
    for u in s.unresolved:
        rows.append(("unresolved: ", f"{u.marker} ({u.target}): {u.reason}"))
    return rows


def _md(text: str) -> str:
    # a table cell: data escaped as everywhere in Markdown output, pipes and newlines kept out
    return md_text(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(report: CheckReport) -> str:
    """The report as Markdown: a summary, a table of every sentence with its
    status mark, then what to fix with formatted citations."""
    out = [f"# Citation check: {report.draft}", "", _summary_line(report) + ".", ""]
    out += ["| status | sentences |", "|---|---:|"]
    out += [f"| {Status.MARKS[s]} {s} | {n} |" for s, n in report.summary.items()]
    out += ["", "## Sentences", "", "| | line | sentence | claim | cited | suggested |", "|---|---:|---|---|---|---|"]
    for s in report.sentences:
        claim = f"`{s.claim.slug}`" if s.claim else ""
        out.append(
            f"| {Status.MARKS[s.status]} {s.status} | {s.line} | {_md(s.text)} | {claim} | "
            f"{', '.join(s.cited)} | {', '.join(s.suggest)} |"
        )
    todo = [s for s in report.sentences if s.status in (Status.MISCITED, Status.UNSOURCED, Status.CONTESTED)]
    if todo:
        out += ["", "## To fix", ""]
        for s in todo:
            out.append(f"- **line {s.line}, {Status.MARKS[s.status]} {s.status}**: {_md(s.text)}")
            for label, body in _details(report, s):
                out.append(f"  - {label.strip().rstrip(':')}: {_md(body)}")
    failed = [u for u in report.unresolved if not u.not_in_graph]
    if failed:
        out += ["", "## Citations that could not be resolved", ""]
        out += [f"- line {u.line}: `{u.marker}` ({u.target}): {_md(u.reason)}" for u in failed]
    if report.not_in_graph:
        out += ["", "## Not in the evidence graph", ""]
        out += [f"- line {u.line}: `{u.marker}`: {_md(_entry_line(report, u.target))}" for u in report.not_in_graph]
    if report.references:
        out += ["", "## Reference list", "", "| label | key | reference |", "|---|---|---|"]
        for r in report.references:
            key = f"`{r.key}`" if r.key else "**no match in sources.bib**"
            out.append(f"| {r.label} | {key} | {_md(r.text)} |")
    cited_or_suggested = sorted({k for s in report.sentences for k in (*s.cited, *s.suggest)})
    if cited_or_suggested:
        out += ["", f"## Sources ({report.style})", ""]
        out += [f"- `{k}`: {_md(report.citation(k))}" for k in cited_or_suggested]
    return "\n".join(out) + "\n"
