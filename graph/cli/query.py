"""Commands ``query`` (SPARQL), ``export`` and ``impact``."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli._common import corpus_options, echo_json, format_option, load_graph, output_option, write_output
from graph.export import FORMATS as EXPORT_FORMATS
from graph.model.words import plural

#: Same as graph.sparql.FORMATS; spelt out so that --help does not import rdflib.
RESULT_FORMATS = ("table", "json", "csv", "tsv")


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not name=value (e.g. claim=claim:itbs-compression-syndrome)")
        out[name] = value
    return out


def _list_queries() -> None:
    from graph.sparql import list_queries

    queries = list_queries()
    width = max(len(q.name) for q in queries)
    for q in queries:
        click.echo(f"{q.name:<{width}}  {q.description}")
        for var, text in q.params.items():
            click.echo(f"{'':<{width}}    --param {var}=...  {text}")


@click.command()
@corpus_options
@click.argument("query", required=False)
@click.option("-e", "--expression", help="Run this SPARQL text instead of a file or named query.")
@click.option("--format", "fmt", type=click.Choice(RESULT_FORMATS), default="table", show_default=True)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME before the query runs (repeatable). VALUE: claim:slug, source:key, "
    'article:slug, concept:slug, <IRI>, a Turtle literal ("text"@en, 5) or a bare slug for '
    "?claim/?source/?article/?topic.",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries with their parameters and exit.")
@click.option(
    "--terms",
    is_flag=True,
    help="List the classes and predicates the graph uses, with counts and what they mean, by vocabulary, and exit.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="No hints on standard error when a query returns nothing.",
)
@click.option("--allow-service", is_flag=True, help="Allow SERVICE clauses (federated calls to other endpoints).")
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run the query on this remote SPARQL 1.1 endpoint (e.g. one `evg serve` started) instead of the local graph.",
)
@output_option()
def query(claims, sources, query, expression, fmt, params, list_, terms, quiet, allow_service, endpoint, output):
    """Run a read-only SPARQL query: a named one, a .rq file or -e TEXT.

    QUERY is a .rq FILE or a NAME from `evg query --list`; -e runs the text given.

    SELECT prints a table, or the W3C SPARQL 1.1 result formats with --format
    json, csv or tsv. ASK prints true or false (JSON: {"boolean": ...}).
    CONSTRUCT and DESCRIBE print Turtle. The project's prefixes (ev:, cito:,
    claim:, source:, ...) are predeclared. Updates (INSERT, DELETE, LOAD,
    CLEAR, DROP, ...) are refused, and so is SERVICE unless --allow-service.

    When a query returns nothing and uses a predicate or class that occurs
    nowhere in the graph, a hint on standard error names it and the closest
    terms the graph does use (--quiet: no hints). --terms lists them all.

    \b
    Examples:
      evg query --list
      evg query --terms
      evg query sources-for-claim --param claim=itbs-compression-syndrome
      evg query claims-of-source --param source=chaudhry2008 --format json
      evg query -e 'SELECT ?c ?label WHERE { ?c a ev:Claim ; rdfs:label ?label } LIMIT 5'
      evg query path/to/my-question.rq --format csv -o answer.csv
      evg query contested-claims --endpoint http://127.0.0.1:7878/query
    """
    if list_:
        _list_queries()
        return
    if terms:
        if expression is not None or query is not None or params:
            raise click.UsageError("--terms lists the graph's terms; give no QUERY, -e or --param with it")
        _list_terms(claims, sources, endpoint, fmt, output)
        return
    if expression is not None and query is not None:
        raise click.UsageError("give either QUERY (a file or a name) or -e TEXT, not both")
    named = None
    if expression is not None:
        if not expression.strip():
            raise click.UsageError("the -e query string is empty")
        text, where = expression, "-e"
    elif query is None:
        raise click.UsageError("give a .rq file, a query name (see --list) or -e 'SPARQL'")
    elif not query.strip():
        raise click.UsageError("the query name is empty")
    elif query.endswith(".rq") or Path(query).is_file() or "/" in query:
        from graph.model.paths import read_text

        text, where = read_text(query), query
    else:
        from graph.sparql import named_query

        named = named_query(query)
        text, where = named.text, named.name
    from graph.sparql.catalogue import documented_params

    # `# param` lines name what --param may bind: a named query's (none: it takes
    # none), or those of a file or -e text that has them (else any variable).
    documented = named.params if named is not None else documented_params(text) or None
    bound = _params(params)

    from graph.sparql import format_result, run_query

    eg = _graph(claims, sources, endpoint)

    def answer(hints: bool = True) -> tuple[str, list[str]]:
        from graph.sparql.hints import empty_result_hints

        result = run_query(eg, text, bound, allow_service=allow_service, where=where, documented=documented)
        return format_result(result, fmt), [str(h) for h in empty_result_hints(eg, text, result)] if hints else []

    if endpoint or named is None or bound:
        out, hints = answer(hints=not quiet)
    else:
        # A named query left unbound lists the whole graph: its answer depends on
        # the graph alone, so with the on-disk cache it is computed once per set of inputs.
        import hashlib

        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
        out, hints = eg.cached(f"query-{where}-{fmt}-{digest}", answer)
    write_output(out, output)
    if not quiet:
        for hint in hints:
            click.echo(f"evg: hint: {hint}", err=True)


def _graph(claims, sources, endpoint):
    if endpoint:
        from graph.evidence.graph import remote_graph

        return remote_graph(endpoint)
    return load_graph(claims, sources)


def _list_terms(claims, sources, endpoint, fmt, output) -> None:
    import json

    from graph.sparql.terms import render_terms, terms_in_use, terms_to_dict

    if fmt not in ("table", "json"):
        raise click.UsageError(f"--terms writes a table or json, not {fmt}")
    uses = terms_in_use(_graph(claims, sources, endpoint))
    if fmt == "json":
        write_output(json.dumps(terms_to_dict(uses), indent=2, ensure_ascii=False) + "\n", output)
    else:
        write_output(render_terms(uses), output)


def _created(ctx, param, value):
    if value is None:
        import os

        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.isdigit():
            from datetime import datetime, timezone

            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return None
    from graph.export import xsd_datetime

    try:
        xsd_datetime(value)
    except ValueError:
        raise click.BadParameter("use an ISO date or date-time, e.g. 2024-05-01 or 2024-05-01T12:00:00Z") from None
    return value


def _iri(ctx, param, value):
    from graph.export import DEFAULT_LICENSE, IRI

    if not IRI.match(value):
        example = "https://orcid.org/0000-0002-1825-0097" if param.name == "creator" else DEFAULT_LICENSE
        raise click.BadParameter(f"give an absolute IRI, e.g. {example}")
    return value


@click.command()
@corpus_options
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="Output format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file (trig-nanopub: this folder) instead of standard output.",
)
@click.option(
    "--created",
    callback=_created,
    metavar="DATE",
    help="trig-nanopub: dcterms:created of every nanopublication (ISO date or date-time). "
    "Default: $SOURCE_DATE_EPOCH if set, else none (output never depends on the clock).",
)
@click.option(
    "--creator",
    metavar="IRI",
    callback=_iri,
    default="https://w3id.org/evidence-graph",
    show_default=True,
    help="trig-nanopub: dcterms:creator of every nanopublication; give your ORCID iD (https://orcid.org/...).",
)
@click.option(
    "--license",
    "license_",
    metavar="IRI",
    callback=_iri,
    default="https://creativecommons.org/licenses/by/4.0/",
    show_default=True,
    help="trig-nanopub: dcterms:license of every nanopublication.",
)
@click.option(
    "--single-file",
    is_flag=True,
    help="trig-nanopub: write all nanopublications into one TriG file (or standard output) instead of "
    "one file each in the folder -o DIR. Nanopub tools do not accept such a file.",
)
def export(claims, sources, fmt, output, created, creator, license_, single_file):
    """Export the graph for other tools.

    \b
    Formats:
      ttl           the whole merged graph, derived links included (Turtle)
      jsonld        the same as JSON-LD, with an @context of the project's prefixes
      trig-nanopub  one unsigned nanopublication per claim: head, assertion,
                    provenance and pubinfo graphs (TriG), one file each
                    in the folder -o DIR (--single-file: all in one)
      graphml       claims, sources, articles and topics with typed edges, for
                    Gephi and Cytoscape
      csl-json      the sources, for Zotero (File > Import)
      csv           one row per statement and cited source: claim, claim_text,
                    article, stance, relation, source, study_design,
                    evidence_rank, verdict, quote

    Writes to standard output, or atomically to -o PATH.

    \b
    Examples:
      evg export --format csl-json -o sources.json
      evg export --format trig-nanopub --created 2024-05-01T00:00:00Z \\
          --creator https://orcid.org/0000-0002-1825-0097 -o nanopubs/
      evg export --format graphml -o evidence.graphml
    """
    from graph.export import ExportOptions
    from graph.export import export as run

    options = ExportOptions(created=created, creator=creator, license=license_)
    if fmt == "trig-nanopub" and not single_file:
        if output is None or str(output) == "-":
            raise click.UsageError("trig-nanopub writes one file per nanopublication: give -o DIR (or --single-file)")
        _write_folder(output, load_graph(claims, sources), options)
        return
    write_output(run(load_graph(claims, sources), fmt, options), output)


def _write_folder(folder: Path, eg, options) -> None:
    """One ``<claim-slug>.trig`` per nanopublication into ``folder`` (made if
    missing), each written atomically."""
    from graph.export.nanopub import nanopub_files
    from graph.model.paths import atomic_write

    if folder.exists() and not folder.is_dir():
        raise click.BadParameter(f"{folder} is a file; trig-nanopub writes a folder", param_hint="-o")
    from graph.export import kept

    files = kept(eg, "trig-nanopub-files", options, lambda: nanopub_files(eg, options))
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        with atomic_write(folder / name) as fh:
            fh.write(text)
    click.echo(f"wrote {plural(len(files), 'nanopublication')} to {folder}", err=True)


@click.command()
@corpus_options
@click.argument("source_key")
@format_option(["text", "json"], "text")
def impact(claims, sources, source_key, fmt):
    """What would a retraction of SOURCE_KEY take away?

    Lists the claims that would lose all their support, and the claims that
    would be left resting on a single source. Citations that a review found
    not to support the claim (not supported, misattributed) count for nothing.

    \b
    Examples:
      evg impact chaudhry2008
      evg impact fairclough2006 --format json
    """
    from graph.evidence.network import impact as run

    result = run(load_graph(claims, sources), source_key)
    if fmt == "json":
        echo_json(result.to_dict())
        return
    click.echo(render_impact(result))


def render_impact(r) -> str:
    """The text form of :class:`graph.evidence.network.Impact`."""
    lines = [f"If {r.source} were retracted ({plural(len(r.supports), 'claim')} it supports):"]

    def section(title, rows):
        lines.extend(["", f"{title} ({len(rows)})"])
        lines.extend(rows or ["  (none)"])

    section("claims left with no support", [f"  {c.slug}: {c.text}" for c in r.lose_all_support])
    section(
        "claims left resting on a single source",
        [f"  {c.slug} (only {key} left): {c.text}" for c, key in r.left_with_one_source],
    )
    if r.disputes:
        section("claims it disputes, which would lose that dispute", [f"  {c.slug}: {c.text}" for c in r.disputes])
    if r.refuted:
        section("cited for, but a review found it does not back them", [f"  {c.slug}: {c.text}" for c in r.refuted])
    return "\n".join(lines)
