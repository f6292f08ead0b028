"""Read-only SPARQL over the evidence graph: named queries, checks, results.

:func:`run_query` checks a query (read forms only, no ``SERVICE`` unless
allowed), binds parameters, runs it on the graph's store, and returns a
store-neutral :class:`QueryResult`. The ``to_*`` functions write that result
in the W3C SPARQL 1.1 result formats (JSON, CSV, TSV), as Turtle for graphs,
or as a text table.

- :mod:`graph.sparql.catalogue`: the named queries and the one ``.rq`` reader;
- :mod:`graph.sparql.text`: checking, tokens, parameters, :func:`bind_values`;
- :mod:`graph.sparql.results`: :class:`QueryResult` and its formats;
- :mod:`graph.sparql.run`: :func:`run_query`.

>>> import graph
>>> from graph.sparql import run_query, named_query, to_tsv
>>> result = run_query(graph.load(), named_query("claims-of-source").text, params={"source": "chaudhry2008"})
"""

from __future__ import annotations

from graph.sparql.catalogue import NamedQuery, list_queries, named_query, query_text
from graph.sparql.results import (
    FORMATS,
    QueryResult,
    compact_iri,
    format_result,
    to_csv,
    to_json,
    to_table,
    to_tsv,
    to_turtle,
    turtle_term,
)
from graph.sparql.run import parse_param, run_query
from graph.sparql.text import READ_FORMS, bind_values, check_query, query_form

__all__ = [
    "FORMATS",
    "READ_FORMS",
    "NamedQuery",
    "QueryResult",
    "bind_values",
    "check_query",
    "compact_iri",
    "format_result",
    "list_queries",
    "named_query",
    "parse_param",
    "query_form",
    "query_text",
    "run_query",
    "to_csv",
    "to_json",
    "to_table",
    "to_tsv",
    "to_turtle",
    "turtle_term",
]
