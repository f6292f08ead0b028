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
    help="Worker processes that run queries (each holds the store open read-only), at a lower CPU priority.",
)
@click.option(
    "--lookup-workers",
    type=click.IntRange(0, 64),
    default=2,
    show_default=True,
    help="Worker processes kept for named queries bound to one item, which other queries cannot hold up (0: none).",
)
@click.option("--allow-service", is_flag=True, help="Allow SERVICE clauses (federated calls to other endpoints).")
def serve(claims, sources, port, timeout, workers, lookup_workers, allow_service):
    """Serve the graph as a read-only SPARQL 1.1 endpoint on 127.0.0.1.

    \b
    http://127.0.0.1:PORT/query  SPARQL 1.1 Protocol (GET and POST; JSON, XML,
                                 CSV, TSV results; Turtle, N-Triples, RDF/XML,
                                 JSON-LD graphs, chosen by the Accept header)
    http://127.0.0.1:PORT/       the web editor (YASGUI, served from this
                                 server only): the project's prefixes
                                 declared, each named query in its own tab

    Every query is checked as `evg query` checks it (read-only forms only, no
    SERVICE unless --allow-service) and runs in a worker process; one that
    runs past --timeout is stopped by killing its worker, which is replaced.
    A shipped named query bound by VALUES clauses (what `evg query NAME
    --endpoint URL --param ...` sends) runs on the --lookup-workers, so long
    or hostile queries never make it wait.
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
            lookup_workers=lookup_workers,
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
    metavar="URL",
    help="SPARQL 1.1 Graph Store endpoint, e.g. http://127.0.0.1:7878/store (Oxigraph), "
    "http://HOST:8890/sparql-graph-crud-auth (Virtuoso), http://HOST:3030/DATASET/data (Fuseki).",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    help="SPARQL 1.1 Update endpoint: the graph goes as INSERT DATA batches, alone or when the Graph "
    "Store endpoint refuses the upload (HTTP 400, 404, 405, 406, 411, 413, 415, 501).",
)
@click.option("--graph", "graph_iri", metavar="IRI", help="Named graph to write. Default: the default graph.")
@click.option("--append", is_flag=True, help="Add to what the graph holds (HTTP POST) instead of replacing it (PUT).")
@click.option("--user", metavar="U", help="User name for the store's HTTP authentication (Basic or Digest).")
@click.option("--password", metavar="P", help="Password for --user (or set EVG_PUBLISH_PASSWORD).")
@click.option(
    "--netrc",
    "use_netrc",
    is_flag=True,
    help="Take user and password for the endpoint's host from ~/.netrc (or the file $NETRC names).",
)
@click.option(
    "--batch",
    type=click.IntRange(1, 1_000_000),
    default=2000,
    show_default=True,
    help="Triples per INSERT DATA request.",
)
def publish(claims, sources, endpoint, update_endpoint, graph_iri, append, user, password, use_netrc, batch):
    """Upload the graph to a SPARQL store: Graph Store protocol, or INSERT DATA.

    Sends the whole merged graph (sources, claims, statements, reviews and
    the derived support/dispute links). To a Graph Store endpoint it goes as
    one N-Triples request, replacing the target graph (PUT) or, with
    --append, adding to it (POST). To an update endpoint it goes as INSERT
    DATA batches (after CLEAR of the target graph unless --append); give both
    for the update endpoint to be the fallback. Stores that ask for
    credentials on writes get --user/--password or --netrc.

    \b
    Examples:
      evg publish --endpoint http://127.0.0.1:7878/store --graph https://w3id.org/evidence-graph/graph
      evg publish --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth \\
                  --update-endpoint http://127.0.0.1:8890/sparql-auth \\
                  --graph https://w3id.org/evidence-graph/graph --user evg --netrc
    """
    import os

    from graph.server import netrc_credentials
    from graph.server import publish as upload

    if endpoint is None and update_endpoint is None:
        raise click.UsageError("give --endpoint (Graph Store) or --update-endpoint (SPARQL Update), or both")
    password = password if password is not None else os.environ.get("EVG_PUBLISH_PASSWORD")
    if use_netrc and (user or password):
        raise click.UsageError("give either --user/--password or --netrc, not both")
    if password is not None and not user:
        raise click.UsageError("--password needs --user")
    auth = None
    if use_netrc:
        auth = netrc_credentials(endpoint or update_endpoint)
    elif user:
        if password is None:
            raise click.UsageError("--user needs --password (or EVG_PUBLISH_PASSWORD, or use --netrc)")
        auth = (user, password)
    eg = load_graph(claims, sources)
    result = upload(
        eg, endpoint, graph_iri, replace=not append, auth=auth, update_endpoint=update_endpoint, batch=batch
    )
    target = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    if result.via == "update":
        how = f"in {plural(result.requests, 'SPARQL Update request')}"
        if endpoint is not None:
            how += " (the Graph Store endpoint refused it)"
        click.echo(f"published {plural(result.triples, 'triple')} to {target} at {update_endpoint} {how}")
    else:
        click.echo(f"published {plural(result.triples, 'triple')} to {target} at {endpoint} (HTTP {result.status})")
