"""Commands ``serve`` (a local SPARQL endpoint) and ``publish`` (upload to one)."""

from __future__ import annotations

import signal

import click

from graph.cli._common import corpus_options, load_graph
from graph.model.words import plural


@click.command()
@corpus_options
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="TCP port on 127.0.0.1.")
@click.option(
    "--timeout",
    type=click.FloatRange(1, None),
    default=30.0,
    show_default=True,
    help="Seconds a query may run before the server stops it.",
)
def serve(claims, sources, port, timeout):
    """Serve the graph as a read-only SPARQL 1.1 endpoint on 127.0.0.1.

    Runs the Oxigraph server (the `oxigraph` command of the PyPI package
    `oxigraph`) loaded with the graph, derived links included, and prints
    the query URL. Updates are refused; a query that runs past --timeout is
    stopped with an error. Ctrl-C stops the server.

    \b
    Example:
      evg serve --port 7878
      evg query contested-claims --endpoint http://127.0.0.1:7878/query   # from another terminal
    """
    from graph.server import Server

    server = Server(load_graph(claims, sources), port=port, timeout=timeout)
    server.start()

    def _terminate(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    click.echo(f"SPARQL endpoint (read-only, {timeout:g} s query timeout): {server.query_url}")
    click.echo("Press Ctrl-C to stop.", err=True)
    code = 0
    try:
        code = server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    if code not in (0, -signal.SIGINT, -signal.SIGTERM):
        raise click.ClickException(f"the oxigraph server stopped unexpectedly (exit status {code})")
    click.echo("server stopped", err=True)


@click.command()
@corpus_options
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="SPARQL 1.1 Graph Store endpoint, e.g. http://127.0.0.1:7878/store (Oxigraph, Fuseki's /data, ...).",
)
@click.option("--graph", "graph_iri", metavar="IRI", help="Named graph to write. Default: the default graph.")
@click.option("--append", is_flag=True, help="Add to what the graph holds (HTTP POST) instead of replacing it (PUT).")
def publish(claims, sources, endpoint, graph_iri, append):
    """Upload the graph to a SPARQL 1.1 Graph Store endpoint.

    Sends the whole merged graph (sources, claims, statements, reviews and
    the derived support/dispute links) as N-Triples. By default it replaces
    the target graph (PUT); --append adds to it (POST).

    \b
    Example:
      evg publish --endpoint http://127.0.0.1:7878/store --graph https://w3id.org/evidence-graph/graph
    """
    from graph.server import publish as upload

    result = upload(load_graph(claims, sources), endpoint, graph_iri, replace=not append)
    target = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    click.echo(f"published {plural(result.triples, 'triple')} to {target} at {endpoint} (HTTP {result.status})")
