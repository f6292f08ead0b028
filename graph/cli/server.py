"""Commands ``serve`` (a local SPARQL endpoint) and ``publish`` (upload to one)."""

from __future__ import annotations

import errno

import click

from graph.cli._common import corpus_options, load_graph
from graph.model.words import plural


@click.command()
@corpus_options
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="TCP port on 127.0.0.1.")
@click.option(
    "--timeout",
    type=click.FloatRange(0.5, None),
    default=30.0,
    show_default=True,
    help="Seconds a query may run; then its worker process is killed and the client gets HTTP 504.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Worker processes that run queries (each holds the store open read-only).",
)
@click.option("--allow-service", is_flag=True, help="Allow SERVICE clauses (federated calls to other endpoints).")
def serve(claims, sources, port, timeout, workers, allow_service):
    """Serve the graph as a read-only SPARQL 1.1 endpoint on 127.0.0.1.

    \b
    http://127.0.0.1:PORT/query  SPARQL 1.1 Protocol (GET and POST; JSON, XML,
                                 CSV, TSV results; Turtle, N-Triples, RDF/XML,
                                 JSON-LD graphs, chosen by the Accept header)

    Every query is checked as `evg query` checks it (read-only forms only, no
    SERVICE unless --allow-service) and runs in a worker process; one that
    runs past --timeout is stopped by killing its worker, which is replaced.
    Needs the `server` extra (pip install 'evidence-graph[server]'). Ctrl-C
    stops the server.

    \b
    Example:
      evg serve --port 7878 --timeout 10
      evg query contested-claims --endpoint http://127.0.0.1:7878/query   # from another terminal
    """
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise click.ClickException(
            "evg serve needs Starlette and uvicorn: pip install 'evidence-graph[server]'"
        ) from None
    from graph.server import ServerError, store_location
    from graph.server.app import serve as run_server

    eg = load_graph(claims, sources)
    location, tmp = store_location(eg)
    try:
        run_server(
            location,
            port=port,
            timeout=timeout,
            workers=workers,
            allow_service=allow_service,
            announce=lambda line: click.echo(line),
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServerError(f"port {port} on 127.0.0.1 is already in use; choose another with --port") from None
        raise ServerError(f"cannot serve on port {port}: {exc.strerror or exc}") from None
    except RuntimeError as exc:
        raise ServerError(str(exc)) from None
    finally:
        if tmp is not None:
            tmp.cleanup()
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
