"""The SPARQL 1.1 Protocol's answers: content negotiation over the W3C result
formats, and the writers for each, from a :class:`~graph.sparql.results.QueryResult`.

Plain functions, no HTTP: the worker processes of :mod:`graph.server.pool`
call them, so that only finished bytes travel back to the web process.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

__all__ = ["GRAPH_TYPES", "SOLUTION_TYPES", "NotAcceptableError", "negotiate", "render"]

#: Media types of SELECT and ASK answers, the default first.
SOLUTION_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
#: Media types of CONSTRUCT and DESCRIBE answers, the default first.
GRAPH_TYPES = (
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
)
# Other names clients send for the same formats.
_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
}


class NotAcceptableError(Exception):
    """No format of this answer is one the client accepts."""


def _ranges(accept: str) -> list[tuple[str, float]]:
    out = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind = fields[0].lower()
        if not kind:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((_ALIASES.get(kind, kind), q))
    return out


def negotiate(accept: str | None, offered: tuple[str, ...]) -> str:
    """The media type of ``offered`` that ``accept`` (an HTTP Accept header)
    prefers: highest q first, then the most specific range, then our order.
    No header, or an empty one, takes the first offered."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = _ranges(accept)
    best, best_key = None, None
    for position, media in enumerate(offered):
        major = media.split("/")[0]
        for kind, q in ranges:
            if kind == media:
                specificity = 2
            elif kind == f"{major}/*":
                specificity = 1
            elif kind == "*/*":
                specificity = 0
            else:
                continue
            key = (q, specificity, -position)
            if q > 0 and (best_key is None or key > best_key):
                best, best_key = media, key
    if best is None:
        raise NotAcceptableError(f"this answer comes as {', '.join(offered)}; the request accepts none of them")
    return best


def _xml_term(term) -> str:
    from rdflib import BNode, URIRef

    from graph.model.namespaces import XSD

    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def to_xml(result) -> str:
    """SPARQL Query Results XML Format (https://www.w3.org/TR/rdf-sparql-XMLres/)."""
    lines = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if result.form == "ASK":
        lines += ["</head>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        lines += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
        lines += ["</head>", "<results>"]
        for row in result.rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(result.variables, row)
                if t is not None
            )
            lines.append(f"<result>{cells}</result>")
        lines.append("</results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def render(result, accept: str | None) -> tuple[str, bytes]:
    """(Content-Type, body) of ``result`` in the format ``accept`` prefers."""
    from graph.sparql.results import to_csv, to_json, to_tsv, to_turtle

    if result.is_graph:
        media = negotiate(accept, GRAPH_TYPES)
        if media == "text/turtle":
            text = to_turtle(result)
        else:
            fmt = {"application/n-triples": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
            text = result.graph.serialize(format=fmt[media])
    else:
        media = negotiate(accept, SOLUTION_TYPES)
        writers = {
            "application/sparql-results+json": to_json,
            "application/sparql-results+xml": to_xml,
            "text/csv": to_csv,
            "text/tab-separated-values": to_tsv,
        }
        text = writers[media](result)
    return f"{media}; charset=utf-8", text.encode("utf-8")
