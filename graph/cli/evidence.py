"""Writer commands: ``sources``, ``claims`` and ``report``."""

from __future__ import annotations

import click

from graph.cli._common import (
    corpus_options,
    echo_json,
    format_option,
    load_graph,
    output_option,
    style_option,
    write_output,
)

FORMAT_CHOICES = ("table", "json", "md")


_format_option = format_option(
    FORMAT_CHOICES, "table", "table: for reading in a terminal; json: for programs; md: Markdown for notes."
)


@click.command()
@corpus_options
@click.argument("text_or_claim_id")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=5, show_default=True, help="Most matches shown.")
@_format_option
@style_option()
def sources(claims, sources, text_or_claim_id, limit, fmt, style):
    """Which sources support or dispute a claim.

    TEXT_OR_CLAIM_ID is free text, searched for (BM25 with stemming and
    synonyms: "ITB" finds "iliotibial band", "thirty" finds "30"), or a claim's
    IRI, claim:slug or slug, which shows that claim alone. Each match lists its
    supporting and disputing sources as formatted citations with DOI and
    study design, the verbatim quote and article of every statement of the
    claim, and any review verdict. A claim that no source backs is shown too,
    marked "no source".

    Each match shows its relevance: the share of the question's weight (rare
    words weigh more) that the claim's wording, quotes or topics contain,
    directly or through a synonym; 1.00 means every word of the question is
    there. Below 0.50 a claim does not count as an answer: when no claim
    reaches it, the answer is "nothing in the graph matches" and the closest
    claims are listed as related only (JSON: "matches" is empty,
    "nothing_matches" is true and "related" holds them). See docs/search.md.

    \b
    Examples:
      evg sources "does foam rolling lengthen the IT band"
      evg sources itb-anchored-to-femur --style apa
      evg sources "glute med weakness" --format json --limit 3
    """
    if not text_or_claim_id.strip():
        raise click.UsageError("TEXT_OR_CLAIM_ID is empty; give words to search for or a claim slug.")
    eg = load_graph(claims, sources)
    answer = eg.evidence.ask(text_or_claim_id, limit, style)
    if fmt == "json":
        echo_json({"style": style, **answer.to_dict()})
    elif fmt == "md":
        from graph.render.report import answer_markdown

        click.echo(answer_markdown(answer), nl=False)
    else:
        from graph.render.report import print_answer

        print_answer(answer)


@click.command(name="claims")
@corpus_options
@click.argument("source_key")
@_format_option
@style_option()
def claims_cmd(claims, sources, source_key, fmt, style):
    """Which claims a source supports and which it disputes.

    SOURCE_KEY is a BibTeX key (case-insensitive), source:key or the source's
    IRI. Each claim is shown as in `evg sources`, with every source cited for
    it, so you can see whether this one stands alone.

    \b
    Examples:
      evg claims fairclough2006
      evg claims noehren2007 --format json
    """
    if not source_key.strip():
        raise click.UsageError("SOURCE_KEY is empty; give a BibTeX key such as fairclough2006.")
    eg = load_graph(claims, sources)
    result = eg.evidence.source_claims(source_key, style)
    if fmt == "json":
        echo_json(result.to_dict())
    elif fmt == "md":
        from graph.render.report import source_markdown

        click.echo(source_markdown(result), nl=False)
    else:
        from graph.render.report import print_source

        print_source(result)


@click.command()
@corpus_options
@format_option(["md", "html", "csv"], "md", "md: Markdown table; html: a standalone page; csv: for spreadsheets.")
@output_option()
def report(claims, sources, fmt, output):
    """The writer's evidence table: one row per claim, weakest-supported first.

    Columns: the claim's wording, its support status, the articles that state
    it, the supporting sources with their study design, the disputing sources,
    and review verdict flags (every verdict other than "supported"). Claims
    that nothing backs come first, then those resting only on low-rank
    evidence; a source reviewed as misattributed or not supported does not
    count as support.

    \b
    Examples:
      evg report
      evg report --format html -o evidence.html
      evg report --format csv -o evidence.csv
    """
    from graph.render.report import render_report

    write_output(render_report(load_graph(claims, sources), fmt), output)
