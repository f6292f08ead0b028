"""What a query returned (:class:`QueryResult`), independent of the store, and
its writers: the W3C SPARQL 1.1 result formats (JSON, CSV, TSV), Turtle for
graphs, and a text table."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from graph.model.errors import QueryError
from graph.model.namespaces import PREFIXES, XSD, bind_prefixes
from graph.model.words import plural

__all__ = [
    "FORMATS",
    "QueryResult",
    "compact_iri",
    "format_result",
    "to_csv",
    "to_json",
    "to_table",
    "to_tsv",
    "to_turtle",
    "turtle_term",
]

#: Output formats of :func:`format_result`.
FORMATS = ("table", "json", "csv", "tsv")


@dataclass(frozen=True)
class QueryResult:
    """What a query returned, independent of the store that ran it.

    SELECT: ``variables`` and ``rows`` (tuples of RDF terms, None where
    unbound). ASK: ``boolean``. CONSTRUCT and DESCRIBE: ``graph``.
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def dicts(self) -> list[dict[str, Node | None]]:
        """SELECT rows as dicts, variable name -> term or None."""
        return [dict(zip(self.variables, row)) for row in self.rows]

    @classmethod
    def from_rdflib(cls, result, form: str) -> QueryResult:
        """Wrap an rdflib ``Result`` (the shape :meth:`EvidenceGraph.query` returns)."""
        if form == "ASK":
            return cls(form, boolean=bool(result.askAnswer))
        if form in ("CONSTRUCT", "DESCRIBE"):
            g = Graph()
            bind_prefixes(g)
            for triple in result.graph if result.graph is not None else ():
                g.add(triple)
            return cls(form, graph=g)
        names = tuple(str(v) for v in result.vars)
        rows = tuple(tuple(row[i] for i in range(len(names))) for row in result)
        return cls(form, variables=names, rows=rows)


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON Format (https://www.w3.org/TR/sparql11-results-json/)."""
    if result.form == "ASK":
        doc: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        _require_select(result, "json")
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _plain(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV Format: a header of variable names, plain
    values (IRIs and literal text, no datatype or language), CRLF line ends.
    ASK gives ``true`` or ``false``."""
    if result.form == "ASK":
        return "true\r\n" if result.boolean else "false\r\n"
    _require_select(result, "csv")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_plain(t) for t in row])
    return buf.getvalue()


_TSV_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DOUBLE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$")


def compact_iri(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """``claim:slug`` for a claim IRI, likewise for every prefix of
    :data:`~graph.model.namespaces.PREFIXES` (or ``prefixes``); other IRIs unchanged."""
    return _compact(str(iri), PREFIXES if prefixes is None else prefixes) or str(iri)


def _compact(iri: str, prefixes: dict[str, str] | None) -> str | None:
    if not prefixes:
        return None
    best = None
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(prefixes[best])):
            best = prefix
    if best is None:
        return None
    local = iri[len(prefixes[best]) :]
    return f"{best}:{local}" if re.fullmatch(r"[\w.\-]*", local) and not local.endswith(".") else None


def turtle_term(term: Node | None, prefixes: dict[str, str] | None = None) -> str:
    """A term in Turtle syntax as SPARQL TSV writes it; IRIs become prefixed
    names only when ``prefixes`` is given (not part of the W3C format)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _compact(str(term), prefixes) or f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    lexical = str(term)
    dt = term.datatype
    if dt == XSD.integer and _INTEGER.match(lexical):
        return lexical
    if dt == XSD.decimal and _DECIMAL.match(lexical):
        return lexical
    if dt == XSD.double and _DOUBLE.match(lexical):
        return lexical
    if dt == XSD.boolean and lexical in ("true", "false"):
        return lexical
    quoted = '"' + "".join(_TSV_ESCAPES.get(c, c) for c in lexical) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if dt is not None and dt != XSD.string:
        return f"{quoted}^^{turtle_term(URIRef(dt), prefixes)}"
    return quoted


def to_tsv(result: QueryResult, prefixes: dict[str, str] | None = None) -> str:
    """SPARQL 1.1 Query Results TSV Format: a header of ``?variables``, terms
    in Turtle syntax, LF line ends. ASK gives ``true`` or ``false``."""
    if result.form == "ASK":
        return "true\n" if result.boolean else "false\n"
    _require_select(result, "tsv")
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join(turtle_term(t, prefixes) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def to_turtle(result: QueryResult) -> str:
    """The graph of a CONSTRUCT or DESCRIBE as Turtle, with the project's prefixes."""
    if result.graph is None:
        raise QueryError(f"a {result.form} query returns no graph")
    return result.graph.serialize(format="turtle")


#: Longest cell of a text table; longer text ends in an ellipsis (use tsv or json for full text).
TABLE_CELL_MAX = 80


def _cell(term: Node | None) -> str:
    if term is None:
        return ""
    text = compact_iri(term) if isinstance(term, URIRef) else _plain(term)
    text = " ".join(text.split())
    return text if len(text) <= TABLE_CELL_MAX else text[: TABLE_CELL_MAX - 1] + "…"


def to_table(result: QueryResult) -> str:
    """A text table for people: IRIs as prefixed names, literals as their text,
    long cells cut at :data:`TABLE_CELL_MAX` characters, then a row count."""
    if result.form == "ASK":
        return "true\n" if result.boolean else "false\n"
    _require_select(result, "table")
    header = list(result.variables)
    body = [[_cell(t) for t in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
    n = len(body)
    lines.append(f"({plural(n, 'row')})")
    return "\n".join(lines) + "\n"


def _require_select(result: QueryResult, fmt: str) -> None:
    if result.is_graph:
        raise QueryError(f"a {result.form} query returns a graph, written as Turtle; --format {fmt} does not apply")


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result: graphs (CONSTRUCT, DESCRIBE) always as Turtle when
    ``fmt`` is ``table``; SELECT and ASK in any of :data:`FORMATS`."""
    if result.is_graph:
        if fmt != "table":
            _require_select(result, fmt)
        return to_turtle(result)
    writers = {"table": to_table, "json": to_json, "csv": to_csv, "tsv": to_tsv}
    if fmt not in writers:
        raise QueryError(f"unknown result format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return writers[fmt](result)
