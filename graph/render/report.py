"""Renderings of the evidence records for writers: the per-claim views of
``evg sources`` and ``evg claims`` (Markdown and a terminal table), and the
evidence table of ``evg report``.

The evidence table has one row per claim, weakest-supported first.

A claim's support counts only the sources whose review (if any) does not
say they fail to back it: a source reviewed as "misattributed" or "not
supported" for that claim is listed, but does not count. Rows are ordered by

1. the best evidence rank among counted supporting sources (none = 0), lowest first;
2. contested claims (some source disputes them) before uncontested ones;
3. fewer counted supporting sources first;
4. the claim's slug.

So claims that nothing backs come first, then claims resting on models,
opinion or cadaver studies, and well-supported claims come last.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from dataclasses import dataclass

from graph.evidence.index import Answer, ClaimDetail, SourceClaims, SourceRef
from graph.model.rules import counts_as_support, doubts_citation
from graph.model.words import plural

__all__ = [
    "FORMATS",
    "ReportRow",
    "answer_markdown",
    "claim_markdown",
    "evidence_table",
    "md_text",
    "print_answer",
    "print_source",
    "render_report",
    "source_markdown",
]


@dataclass(frozen=True)
class ReportRow:
    """One claim in the evidence table."""

    claim: ClaimDetail
    articles: tuple[str, ...]  #: article slugs that state the claim, sorted
    counted: tuple[SourceRef, ...]  #: supporting sources that count (see module docs)
    best_rank: int  #: best evidence rank among them, 0 when none
    flags: tuple[str, ...]  #: "Noehren 2007: misattributed" for every verdict other than "supported"

    @property
    def contested(self) -> bool:
        return bool(self.claim.disputed_by)

    def sort_key(self) -> tuple:
        return (self.best_rank, not self.contested, len(self.counted), self.claim.slug)


def _article_slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _row(claim: ClaimDetail) -> ReportRow:
    counted = tuple(s for s in claim.supported_by if counts_as_support(s.verdict_iri))
    flags = tuple(
        f"{s.label or s.key}: {s.verdict}"
        for s in claim.supported_by + claim.disputed_by
        if doubts_citation(s.verdict_iri)
    )
    return ReportRow(
        claim=claim,
        articles=tuple(sorted({_article_slug(s.article) for s in claim.stated_in})),
        counted=counted,
        best_rank=max((s.evidence_rank or 0 for s in counted), default=0),
        flags=flags,
    )


def evidence_table(eg, style: str = "vancouver") -> list[ReportRow]:
    """Every claim of ``eg`` as a :class:`ReportRow`, weakest-supported first."""
    return sorted((_row(c) for c in eg.claims(style)), key=ReportRow.sort_key)


def _source_text(s: SourceRef) -> str:
    return f"{s.label or s.key} ({s.study_design})" if s.study_design else (s.label or s.key)


COLUMNS = ("claim", "status", "articles", "supported by", "disputed by", "verdict flags")


def _cells(row: ReportRow) -> list[str]:
    return [
        row.claim.text,
        row.claim.status,
        "; ".join(row.articles),
        "; ".join(_source_text(s) for s in row.claim.supported_by) or "none",
        "; ".join(_source_text(s) for s in row.claim.disputed_by),
        "; ".join(row.flags),
    ]


_MD_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_text(text: str) -> str:
    """Data text for Markdown: ``&``, ``<`` and ``>`` as entities, so that a
    renderer that allows HTML shows ``<img onerror=...>`` as text instead
    of running it (CommonMark turns the entities back into the characters)."""
    return "".join(_MD_HTML.get(c, c) for c in str(text))


def _md_url(url: str) -> str:
    # A link target from data: characters that could end it or start HTML are percent-encoded.
    from urllib.parse import quote

    return quote(url, safe="/:;=?@&#%+,~!$*'-._")


def render_md(rows: list[ReportRow]) -> str:
    def cell(text: str) -> str:
        return md_text(text).replace("|", "\\|").replace("\n", " ")

    lines = [
        "# Evidence table",
        "",
        f"{plural(len(rows), 'claim')}, weakest-supported first.",
        "",
        "| # | " + " | ".join(COLUMNS) + " |",
        "|---|" + "---|" * len(COLUMNS),
    ]
    for n, row in enumerate(rows, 1):
        lines.append(f"| {n} | " + " | ".join(cell(c) for c in _cells(row)) + " |")
    return "\n".join(lines) + "\n"


def render_csv(rows: list[ReportRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "claim", "slug", "wording", "status", "articles", "supported_by", "disputed_by", "flags"])
    for n, row in enumerate(rows, 1):
        c = row.claim
        writer.writerow(
            [
                n,
                c.iri,
                c.slug,
                c.text,
                c.status,
                "; ".join(row.articles),
                "; ".join(_source_text(s) for s in c.supported_by),
                "; ".join(_source_text(s) for s in c.disputed_by),
                "; ".join(row.flags),
            ]
        )
    return out.getvalue()


_CSS = """
body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem; color: #1d1d1f; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; position: sticky; top: 0; }
td.status { white-space: nowrap; }
td.status::before { content: ""; display: inline-block; width: .8em; height: .8em; border-radius: 50%;
  margin-right: .4em; vertical-align: -.05em; border: 1.5px solid var(--border); background: var(--fill); }
td.flags { color: #a4161a; }
"""


def status_css() -> str:
    """One rule per claim status, in the colours of the shared palette
    (:mod:`graph.render.palette`): a dot of the status colour and a light tint of it."""
    from graph.render.palette import STATUS, tint

    return "".join(
        f"tr.{status} td.status {{ --fill: {c.fill}; --border: {c.border}; background: {tint(c.fill, 0.82)}; }}\n"
        for status, c in STATUS.items()
    )


def render_html(rows: list[ReportRow]) -> str:
    esc = html.escape
    body = []
    for n, row in enumerate(rows, 1):
        cells = _cells(row)
        classes = ["", "status", "", "", "", "flags"]
        tds = "".join(f'<td class="{k}">{esc(c)}</td>' if k else f"<td>{esc(c)}</td>" for k, c in zip(classes, cells))
        body.append(f'<tr class="{esc(row.claim.status)}" id="{esc(row.claim.slug)}"><td>{n}</td>{tds}</tr>')
    head = "".join(f"<th>{esc(c)}</th>" for c in ("#", *COLUMNS))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Evidence table</title>\n"
        f"<style>{_CSS}{status_css()}</style>\n</head>\n<body>\n<h1>Evidence table</h1>\n"
        f"<p>{plural(len(rows), 'claim')}, weakest-supported first.</p>\n"
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>\n</body>\n</html>\n"
    )


#: format name -> renderer; the CLI's --format choices come from here.
FORMATS: dict[str, Callable[[list[ReportRow]], str]] = {"md": render_md, "html": render_html, "csv": render_csv}


def render_report(eg, fmt: str = "md", style: str = "vancouver") -> str:
    """The evidence table of ``eg`` in ``fmt`` (``md``, ``html`` or ``csv``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose from: {', '.join(FORMATS)}")
    return FORMATS[fmt](evidence_table(eg, style))


# --- per-claim views (evg sources, evg claims) ----------------------------------------


def _source_facts(s: SourceRef) -> str:
    bits = []
    if s.doi:
        bits.append(f"doi:{s.doi}")
    bits.append(s.study_design or "study design not recorded")
    return " · ".join(bits)


def _verdict_line(s: SourceRef) -> str | None:
    if not s.verdict:
        return None
    line = f"{s.label or s.key}: {s.verdict}"
    return f"{line}: {s.review}" if s.review else line


def _md_sources(title: str, refs: tuple[SourceRef, ...], empty: str) -> list[str]:
    lines = [f"**{title}**", ""]
    if not refs:
        return [*lines, f"- {empty}", ""]
    for s in refs:
        doi = f"[doi:{md_text(s.doi)}](https://doi.org/{_md_url(s.doi)})" if s.doi else "no DOI"
        lines.append(f"- {md_text(s.citation)} {doi} · {md_text(s.study_design or 'study design not recorded')}")
        verdict = _verdict_line(s)
        if verdict:
            lines.append(f"  - Review: {md_text(verdict)}")
    return [*lines, ""]


def _relevance(relevance: float) -> str:
    return f"relevance {relevance:.2f}"


def claim_markdown(claim: ClaimDetail, heading: str, score: float | None = None, relevance: float | None = None) -> str:
    """One claim with its sources and statements, as Markdown."""
    meta = [f"`claim:{claim.slug}`", f"status: {claim.status}"]
    if relevance is not None:
        meta.insert(1, _relevance(relevance))
    elif score is not None:
        meta.insert(1, f"score {score:.2f}")
    if claim.topics:
        meta.append("topics: " + md_text(", ".join(claim.topics)))
    lines = [f"## {md_text(heading)}", "", " · ".join(meta), ""]
    lines += _md_sources("Supported by", claim.supported_by, "no source supports this claim")
    lines += _md_sources("Disputed by", claim.disputed_by, "no source disputes it")
    lines += ["**Stated in**", ""]
    if not claim.stated_in:
        lines.append("- no article states it")
    for st in claim.stated_in:
        cites = f"; cites {', '.join(st.cited)}" if st.cited else "; cites nothing"
        lines.append(f"- *{md_text(st.title)}* ({md_text(st.stance + cites)}): “{md_text(st.quote)}”")
    return "\n".join(lines) + "\n"


def answer_markdown(answer: Answer) -> str:
    """The Markdown of ``evg sources``: the matches, or "nothing in the
    graph matches" and the related claims."""
    out = [f"# Sources for: {md_text(answer.query)}", ""]
    if answer.matches:
        for n, m in enumerate(answer.matches, 1):
            out.append(claim_markdown(m.claim, f"{n}. {m.claim.text}", relevance=m.relevance))
        return "\n".join(out)
    out.append(f"**Nothing in the graph matches.** No claim reaches relevance {answer.threshold:.2f}.\n")
    if answer.related:
        out += ["## Related claims (not answers)", ""]
        for m in answer.related:
            out.append(f"- `claim:{m.claim.slug}` ({_relevance(m.relevance)}): {md_text(m.claim.text)}")
        out.append("")
    return "\n".join(out)


def source_markdown(result: SourceClaims) -> str:
    """The Markdown of ``evg claims``."""
    src = result.source
    out = [f"# Claims of {md_text(src.label or src.key)} (`{src.key}`)", "", md_text(src.citation), ""]
    out.append(
        f"{md_text(_source_facts(src))}; supports {plural(len(result.supports), 'claim')},"
        f" disputes {plural(len(result.disputes), 'claim')}."
    )
    out.append("")
    for title, claims in (("Supports", result.supports), ("Disputes", result.disputes)):
        out += [f"# {title}", ""]
        if not claims:
            out.append("None.\n")
        for n, claim in enumerate(claims, 1):
            out.append(claim_markdown(claim, f"{n}. {claim.text}"))
    return "\n".join(out)


def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _claim_table(claim: ClaimDetail, heading: str, score: float | None = None, relevance: float | None = None):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_header=False, expand=True, title_justify="left", pad_edge=False)
    table.title = Text(heading, style="bold")
    table.add_column("what", style="dim", no_wrap=True, width=12)
    table.add_column("detail", ratio=1)
    meta = f"claim:{claim.slug} · {claim.status}"
    if relevance is not None:
        meta += " · " + _relevance(relevance)
    elif score is not None:
        meta += f" · score {score:.2f}"
    table.add_row("claim", Text(meta))
    for title, refs, empty in (
        ("supported by", claim.supported_by, "NO SOURCE: nothing cited supports this claim"),
        ("disputed by", claim.disputed_by, "none"),
    ):
        if not refs:
            table.add_row(title, Text(empty, style="bold red" if title == "supported by" else "dim"))
        for i, s in enumerate(refs):
            cell = Text(s.citation)
            cell.append("\n" + _source_facts(s), style="cyan")
            verdict = _verdict_line(s)
            if verdict:
                style = "green" if s.verdict == "supported" else "bold yellow"
                cell.append("\nreview: " + verdict, style=style)
            table.add_row(title if i == 0 else "", cell)
    if not claim.stated_in:
        table.add_row("stated in", Text("no article", style="dim"))
    for i, st in enumerate(claim.stated_in):
        cell = Text(f"“{st.quote}”", style="italic")
        cites = f"cites {', '.join(st.cited)}" if st.cited else "cites nothing"
        cell.append(f"\n{st.title} ({st.stance}; {cites})", style="dim")
        table.add_row("stated in" if i == 0 else "", cell)
    return table


def print_answer(answer: Answer) -> None:
    """Print ``evg sources``: the matches as terminal tables, or "nothing in
    the graph matches" with the related claims."""
    from rich.text import Text

    console = _console()
    for n, m in enumerate(answer.matches, 1):
        console.print(_claim_table(m.claim, f"{n}. {m.claim.text}", relevance=m.relevance))
    if answer.matches:
        return
    console.print(Text(f"Nothing in the graph matches {answer.query!r}.", style="bold"))
    console.print(Text(f"No claim reaches relevance {answer.threshold:.2f}.", style="dim"))
    if answer.related:
        console.print(Text("Related claims (not answers):", style="bold"))
        for m in answer.related:
            console.print(Text(f"  claim:{m.claim.slug} ({_relevance(m.relevance)}): {m.claim.text}"))


def print_source(result: SourceClaims) -> None:
    """Print a source and its claims as terminal tables (``evg claims``)."""
    from rich.text import Text

    console = _console()
    src = result.source
    console.print(Text(f"{src.label or src.key} ({src.key})", style="bold"))
    console.print(Text(src.citation))
    console.print(Text(_source_facts(src), style="cyan"))
    for title, claims in (("supports", result.supports), ("disputes", result.disputes)):
        console.print()
        console.print(Text(f"{title} {plural(len(claims), 'claim')}", style="bold underline"))
        for n, claim in enumerate(claims, 1):
            console.print(_claim_table(claim, f"{n}. {claim.text}"))
