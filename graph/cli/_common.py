"""Options and helpers shared by the commands."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

__all__ = ["corpus_options", "echo_json", "load_graph", "output_option", "write_output"]


def corpus_options(func):
    """Add ``--claims`` (repeatable) and ``--sources`` to a command and pass
    them on as ``claims`` and ``sources``."""

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
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def load_graph(claims, sources):
    """Load the graph for a command; errors propagate to ``main``."""
    import graph

    return graph.load(claims=list(claims) or None, sources=sources)


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
    from ..paths import atomic_write

    with atomic_write(output) as fh:
        fh.write(text)
    click.echo(f"wrote {output}", err=True)


def echo_json(data) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
