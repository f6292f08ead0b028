"""Core commands: ``stats``, ``validate`` and ``fmt``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.cli._common import corpus_options, echo_json, format_option, load_graph


@click.command()
@corpus_options
@format_option(["text", "json"], "text")
def stats(claims, sources, fmt):
    """Count claims, statements, sources and articles, and show how well the
    claims are backed: supported, low-rank evidence only, contested, or no
    source at all.

    \b
    Example:
      evg stats --format json
    """
    from graph.evidence.stats import compute_stats

    result = compute_stats(load_graph(claims, sources))
    if fmt == "json":
        echo_json(result.to_dict())
        return
    click.echo(render_stats(result))


def render_stats(s) -> str:
    """The text form of :class:`graph.evidence.stats.Stats`."""
    lines = [
        f"claims      {s.claims:>5}",
        f"statements  {s.statements:>5}",
        f"sources     {s.sources:>5}",
        f"articles    {s.articles:>5}",
        f"reviews     {s.reviews:>5}",
        "",
        "support of claims",
    ]
    for status, n in s.by_status.items():
        lines.append(f"  {status:<10}{n:>5}")
    lines += ["", "per article"]
    for a in s.per_article:
        lines.append(f"  {a.slug}  ({a.title})")
        lines.append(
            f"    claims {a.claims}, statements citing a source {a.cited_statements}, references listed {a.references}"
        )
        if a.uncited_references:
            lines.append(f"    listed but cited for no claim: {', '.join(a.uncited_references)}")
    if s.never_cited:
        lines += ["", f"sources cited for no claim: {', '.join(s.never_cited)}"]
    for title, rows in s.extra.items():
        lines += ["", title]
        lines += [f"  {row}" for row in rows]
    return "\n".join(lines)


@click.command()
@corpus_options
@click.option(
    "--articles",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of article texts (<article-slug>.txt): also check every quote is verbatim.",
)
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (faster; integrity checks still run).")
def validate(claims, sources, articles, no_shacl):
    """Check the claims files and the bibliography.

    Runs the SHACL shapes shipped with the package, then checks what SHACL
    cannot: every cited key exists in the BibTeX, no key is defined twice,
    DOIs are well-formed, and (with --articles) every quote is verbatim in
    its article. Prints one `file:line: message` per problem.

    Exit status: 0 clean, 1 problems found, 2 unusable input.

    \b
    Example:
      evg validate --articles path/to/articles

    The article texts are those of the articles the corpus was curated
    from, one <article-slug>.txt each; they are not shipped with the package.
    """
    from graph.ingest.validate import validate as run

    report = run(list(claims) or None, sources, articles, shacl=not no_shacl)
    for problem in report.problems:
        click.echo(str(problem))
    from graph.model.words import plural

    counts = ", ".join(plural(n, what.removesuffix("s")) for what, n in report.checked.items())
    if report.ok:
        click.echo(f"ok: {counts}", err=True)
        return
    click.echo(f"{plural(len(report.problems), 'problem')} in {counts}", err=True)
    sys.exit(1)


@click.command()
@corpus_options
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file is not in canonical form.")
def fmt(claims, sources, files, check):
    """Rewrite claims files in canonical Turtle (sorted, grouped: each claim
    followed by its statements). Files are replaced atomically.

    FILES default to the --claims files, else ./claims.ttl.

    \b
    Examples:
      evg fmt                 # rewrite ./claims.ttl
      evg fmt --check         # for CI: is it canonical?
    """
    from rdflib import Graph

    from graph.ingest.canonical import canonical_turtle
    from graph.ingest.turtle import parse_turtle
    from graph.model.paths import CLAIMS_NAME, atomic_write, expand_claims, read_text

    targets = list(files) + (expand_claims(claims) if claims else [])
    if not targets:
        if not Path(CLAIMS_NAME).is_file():
            raise click.UsageError(f"no FILES given and no ./{CLAIMS_NAME} here")
        targets = [Path(CLAIMS_NAME)]
    unformatted = 0
    for path in targets:
        text = read_text(path)
        g = Graph()
        parse_turtle(g, path, text)
        canonical = canonical_turtle(g)
        if canonical == text:
            continue
        unformatted += 1
        if check:
            click.echo(f"{path}: not in canonical form; run `evg fmt {path}` to fix it")
        else:
            with atomic_write(path) as fh:
                fh.write(canonical)
            click.echo(f"formatted {path}", err=True)
    if check and unformatted:
        sys.exit(1)
