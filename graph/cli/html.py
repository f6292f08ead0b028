"""``evg html``: the interactive evidence graph as one offline HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli._common import corpus_options, load_graph, style_option


@click.command()
@corpus_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default="build/evidence-graph.html",
    show_default=True,
    help="HTML file to write (its folder is created).",
)
@click.option("--focus", metavar="CLAIM_OR_KEY", help="Show only this claim (slug or IRI) or source (bib key) ...")
@click.option(
    "--depth",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="... and what lies within this many links of it (articles and topics are not walked through); needs --focus.",
)
@click.option("--article", metavar="SLUG", help="Show only the claims this article states, rejects or reports.")
@click.option("--topic", metavar="SLUG", help="Show only the claims about this topic or a narrower one.")
@style_option("Citation style of the references in the side panel.")
@click.pass_context
def html(ctx, claims, sources, output, focus, depth, article, topic, style):
    """Write the evidence graph as one interactive HTML page that works
    offline (vis-network, script, style and data are all inside the file).

    Claims are coloured by support (supported, low-rank only, contested, no
    source); sources are sized by the claims they back; supports are green,
    disputes red, and a citation whose review verdict is not Supported is
    dashed. Click a node for its details, search claims and sources, filter
    by kind and support, or focus on a node's neighbourhood. With --focus
    the page opens with that node selected and centred. Prints the path
    written and what it holds.

    \b
    Examples:
      evg html                                   # build/evidence-graph.html
      evg html --focus fairclough2006 --depth 2 -o fairclough.html
      evg html --article itbs-compression-not-friction --topic friction-model
    """
    from click.core import ParameterSource

    from graph.model.errors import UsageError

    if focus is None and ctx.get_parameter_source("depth") is not ParameterSource.DEFAULT:
        raise UsageError("--depth needs --focus: it counts links from the focused node")
    from graph.render.html import write_html

    eg = load_graph(claims, sources)
    result = write_html(eg, output, focus=focus, depth=depth, article=article, topic=topic, style=style)
    click.echo(str(result.path))
    click.echo(result.summary(), err=True)
