"""Draft commands: ``check`` a writer's draft, ``extract`` statements from an article."""

from __future__ import annotations

import sys
from pathlib import Path

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
from graph.model.words import plural


def _text_option(func):
    return click.option(
        "--markdown/--plain-text",
        "markdown",
        default=None,
        help="Read the file as Markdown (soft-wrapped paragraphs) or as plain text (a line per paragraph, "
        "short unpunctuated lines are headings). Default: Markdown for .md/.markdown/.qmd/.rmd, else plain text.",
    )(func)


def _warn_unresolved(path, unresolved) -> None:
    for u in unresolved:
        if u.not_in_graph:
            click.echo(f"{path}:{u.line}: citation {u.marker}: {u.reason}", err=True)
        else:
            click.echo(f"{path}:{u.line}: citation {u.marker} ({u.target}) cannot be resolved: {u.reason}", err=True)


@click.command()
@corpus_options
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@format_option(["table", "json", "md"], "table", "table: for a terminal; json: for programs; md: a Markdown report.")
@style_option("Citation style of suggested and cited sources.")
@click.option("--strict", is_flag=True, help="Exit 1 if any sentence is miscited or unsourced (for docs CI).")
@click.option(
    "--bib",
    "bib",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="The writer's own bibliography (BibTeX/BibLaTeX or CSL-JSON; repeatable), in addition to the files "
    "the draft's front matter names as bibliography:. Its keys are mapped to corpus sources by DOI, PMID or "
    "first author, year and title. (--sources replaces the corpus bibliography; this does not.)",
)
@_text_option
@output_option()
def check(claims, sources, draft, fmt, style, strict, bib, markdown, output):
    """Check a writer's draft against the graph, sentence by sentence.

    DRAFT is Markdown or plain text. Headings, code, front matter and the
    reference list are skipped; every other sentence is matched to a known
    claim (the ranking of `evg sources`, gated by a tuned similarity
    threshold) and gets one status:

    \b
      ✓ supported  it cites a source that supports the claim
      ✗ miscited   it cites sources, but none supports the claim, or one
                   was reviewed as misattributed or not supported for it
      ! unsourced  it cites nothing, though the claim is a known one
      ± contested  some source disputes the claim (both sides listed)
      · unmatched  it matches no known claim

    Citations recognised: pandoc [@key], [@a; @b], [see @key, p. 3];
    [[key]] wiki links; footnotes [^1] with their definitions;
    numeric [1], [1,2], [1-3], (1); superscript digits glued after
    punctuation ("...required.1"); author-year (Fairclough et al., 2006)
    and Fairclough et al. (2006). Numbers resolve through the draft's
    reference list (a "References" section, or a trailing list of
    references), each reference matched to sources.bib by DOI, else by
    first author, year and title or journal. Citations that cannot be
    resolved are reported with their line on standard error.

    Keys of the writer's own bibliography (front matter `bibliography:
    zotero.bib`, or --bib FILE) are checked as the corpus source their entry
    maps to; those that map to none are listed as "not in the evidence
    graph". See docs/draft-citations.md.

    Exit status: 0, or 1 with --strict when a sentence is miscited or
    unsourced; 2 for an unusable draft (missing, empty, binary).

    \b
    Examples:
      evg check path/to/draft.md
      evg check path/to/draft.md --format md --style apa -o check-report.md
      evg check path/to/draft.md --bib zotero.bib --bib more.json
      evg check path/to/article.md --strict      # in CI
    """
    from graph.drafts.check import check_draft
    from graph.drafts.ownbib import read_own_bibliographies
    from graph.drafts.parse import read_draft
    from graph.render.check import render_markdown, render_table

    parsed = read_draft(draft, markdown=markdown)
    own = read_own_bibliographies(draft, parsed.bibliography, bib)  # bad input fails before the graph loads
    eg = _load_corpus(claims, sources)
    report = check_draft(eg, parsed, style=style, bibliography=own)
    if fmt == "json":
        if output is None:
            echo_json(report.to_dict())
        else:
            import json

            write_output(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "md":
        write_output(render_markdown(report), output)
    else:
        write_output(render_table(report, width=100 if output else None), output)
    if fmt == "json" or output is not None:  # the table and Markdown on screen already list them
        _warn_unresolved(draft, report.unresolved)
    if strict and report.failing:
        bad = sum(1 for s in report.sentences if s.status in ("miscited", "unsourced"))
        click.echo(f"{draft}: {plural(bad, 'sentence')} miscited or unsourced (--strict)", err=True)
        sys.exit(1)


def _load_corpus(claims, sources):
    """The graph; a ``--sources`` file that lacks keys the claims cite is
    likely the writer's own bibliography, so the error says where that goes."""
    from graph.model.errors import InputError, UnknownKeysError

    try:
        return load_graph(claims, sources)
    except UnknownKeysError as exc:
        if sources is None:
            raise
        shown = ", ".join(exc.keys[:6]) + (f" and {len(exc.keys) - 6} more" if len(exc.keys) > 6 else "")
        raise InputError(
            exc.path,
            f"{sources} lacks {plural(len(exc.keys), 'citation key')} that the claims cite ({shown}): "
            "--sources replaces the corpus bibliography; to check the draft against your own bibliography, "
            f"use --bib {sources}",
            exc.line,
        ) from None


@click.command()
@corpus_options
@click.argument("article", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--article-id",
    metavar="SLUG",
    help="The article's slug, as in article:<slug> (default: the file name without its suffix).",
)
@click.option("--format", "fmt", type=click.Choice(["ttl", "json"]), default="ttl", show_default=True)
@_text_option
@output_option()
def extract(claims, sources, article, article_id, fmt, markdown, output):
    """Draft Statements from an article's cited sentences, for a curator.

    Every sentence of ARTICLE that cites something becomes an ev:Statement:
    its verbatim quote (oa:exact), ev:stance ev:Asserts, and each cited
    source as cito:citesAsEvidence. Numbered citations ([1], (1), or digits
    glued after punctuation as in "...required.1") resolve through the
    article's reference list to sources.bib entries. The statement's claim
    is the known claim the sentence matches; otherwise a claim:todo-... node
    is proposed for the curator to word. Comments give the line, the marker
    and the claims that came close. Review, merge into claims.ttl, then run
    `evg fmt` and `evg validate`.

    \b
    Examples:
      evg extract path/to/articles/itbs-compression-not-friction.txt -o draft-statements.ttl
      evg extract path/to/article.txt --article-id my-article --format json
    """
    from graph.drafts.extract import extract_statements
    from graph.drafts.parse import read_draft

    parsed = read_draft(article, markdown=markdown)
    slug = article_id or article.stem
    eg = load_graph(claims, sources)
    result = extract_statements(eg, parsed, slug)
    if fmt == "json":
        import json

        write_output(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", output)
    else:
        write_output(result.to_turtle(), output)
    _warn_unresolved(article, result.unresolved)
    for r in result.references:
        if r.key is None:
            click.echo(f"{article}:{r.line}: reference [{r.label}] matches no entry in sources.bib", err=True)
    new = sum(1 for s in result.statements if s.new_claim)
    click.echo(
        f"{plural(len(result.statements), 'statement')} from {plural(len(result.references), 'reference')}: "
        f"{len(result.statements) - new} matched to a known claim, {new} new; "
        f"{plural(len(result.unresolved), 'unresolved citation')}",
        err=True,
    )
