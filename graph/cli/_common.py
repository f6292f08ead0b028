"""Options and helpers shared by the commands."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

__all__ = [
    "corpus_options",
    "echo_json",
    "format_option",
    "load_graph",
    "output_option",
    "style_option",
    "write_output",
]


def corpus_options(func):
    """Add ``--claims`` (repeatable) and ``--sources`` to a command and pass
    them on as ``claims`` and ``sources``; ``--store`` and ``--no-cache``
    are kept on the click context for :func:`load_graph`."""

    @click.option(
        "--claims",
        "claims",
        multiple=True,
        type=click.Path(path_type=Path),
        help="Claims Turtle file or folder of them (repeatable). Default: ./claims.ttl, else the bundled corpus.",
    )
    @click.option(
        "--sources",
        type=click.Path(path_type=Path),
        help="BibTeX file. Default: ./sources.bib, else the bundled corpus.",
    )
    @click.option(
        "--store",
        type=click.Choice(["auto", "rdflib", "oxigraph"]),
        default="auto",
        show_default=True,
        help="Triple store: auto uses the Oxigraph cache (or Oxigraph for big inputs with --no-cache).",
    )
    @click.option("--no-cache", is_flag=True, help="Parse the inputs afresh; neither read nor write the on-disk cache.")
    @functools.wraps(func)
    def wrapper(*args, store="auto", no_cache=False, **kwargs):
        ctx = click.get_current_context(silent=True)
        if ctx is not None:
            ctx.meta["evg.store"] = store
            ctx.meta["evg.cache"] = not no_cache and store != "rdflib"
        return func(*args, **kwargs)

    return wrapper


def load_graph(claims, sources):
    """Load the graph for a command (honouring ``--store``/``--no-cache``);
    errors propagate to ``main``."""
    from graph.evidence.graph import load

    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    return load(
        claims=list(claims) or None,
        sources=sources,
        store=meta.get("evg.store", "auto"),
        cache=meta.get("evg.cache", False),
    )


def format_option(choices, default: str, help: str | None = None):
    """``--format`` (passed on as ``fmt``) with the command's own choices."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True, help=help
    )


def _check_style(ctx, param, value):
    from graph.bibliography.citations import check_style

    try:
        check_style(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def style_option(help: str = "Citation style of the formatted sources."):
    """``--style``: a CSL style name or .csl file (default vancouver), the same on every command."""
    return click.option(
        "--style",
        default="vancouver",
        show_default=True,
        metavar="STYLE",
        callback=_check_style,
        help=help + " A CSL style name (vancouver, apa, ama, chicago-author-date, harvard, nature are "
        "shipped; any style of an installed CSL collection works by name), a .csl file, or a pybtex style (plain).",
    )


def output_option(default: str | None = None):
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        help="Write to this file instead of standard output" + (" (default shown)." if default else "."),
    )


def write_output(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None or str(output) == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    from graph.model.paths import atomic_write

    with atomic_write(output) as fh:
        fh.write(text)
    click.echo(f"wrote {output}", err=True)


def echo_json(data) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
