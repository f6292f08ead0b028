"""Running one checked, bound query on an evidence graph's store."""

from __future__ import annotations

import difflib
import re

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph.model.errors import NotFoundError, QueryError
from graph.model.namespaces import ARTICLE, CLAIM, CONCEPT, PREFIXES, REVIEW, SOURCE, STATEMENT, XSD, bind_prefixes
from graph.sparql.results import QueryResult
from graph.sparql.text import bind_values

__all__ = ["SLUG_NAMESPACES", "parse_param", "run_query"]

#: A bare parameter value for a variable of this name is a slug in this namespace,
#: so ``--param claim=itbs-friction-syndrome`` means ``claim:itbs-friction-syndrome``.
SLUG_NAMESPACES = {
    "claim": CLAIM,
    "other": CLAIM,
    "source": SOURCE,
    "article": ARTICLE,
    "topic": CONCEPT,
    "concept": CONCEPT,
    "review": REVIEW,
    "statement": STATEMENT,
}


def parse_param(name: str, value: str | Node, eg=None) -> Node:
    """Turn a ``--param`` value into an RDF term.

    Accepted: ``<IRI>``, ``http(s)://...``, a prefixed name (``claim:slug``,
    ``source:key``, any prefix of :data:`~graph.model.namespaces.PREFIXES`), a Turtle
    literal (``"text"``, ``"text"@en``, ``"5"^^xsd:integer``), a number or
    ``true``/``false``. A bare word for a variable named claim, source,
    article, topic, concept, review or statement is a slug in that namespace;
    any other bare word is a plain literal. With ``eg``, claims and sources
    must exist (unknown ones raise :class:`NotFoundError` with close names).
    """
    if isinstance(value, Node):
        return value
    raw = value.strip()
    term: Node
    if raw.startswith("<") and raw.endswith(">"):
        term = URIRef(raw[1:-1])
    elif re.match(r"^(https?|urn|doi|file):", raw):
        term = URIRef(raw)
    elif raw.startswith(("'", '"')):
        term = _turtle_literal(raw)
    elif re.fullmatch(r"[+-]?\d+", raw):
        term = Literal(raw, datatype=XSD.integer)
    elif re.fullmatch(r"[+-]?\d*\.\d+", raw):
        term = Literal(raw, datatype=XSD.decimal)
    elif raw in ("true", "false"):
        term = Literal(raw, datatype=XSD.boolean)
    elif ":" in raw and raw.split(":", 1)[0] in PREFIXES:
        prefix, local = raw.split(":", 1)
        term = URIRef(PREFIXES[prefix] + local)
    elif name in SLUG_NAMESPACES and re.fullmatch(r"[\w.\-]+", raw):
        term = URIRef(str(SLUG_NAMESPACES[name]) + raw)
    else:
        term = Literal(raw)
    if eg is not None and isinstance(term, URIRef):
        term = _known(eg, term, raw.strip("<>"))
    return term


def _turtle_literal(raw: str) -> Literal:
    from rdflib.util import from_n3

    g = Graph()
    bind_prefixes(g)
    try:
        term = from_n3(raw, nsm=g.namespace_manager)
    except Exception as exc:
        raise QueryError(f"--param: cannot read {raw!r} as a Turtle literal: {exc}") from None
    if not isinstance(term, Literal):
        raise QueryError(f"--param: {raw!r} is not a literal")
    return term


def _is_article(eg, iri: URIRef) -> bool:
    # One lookup, not the list of every article (5,000 of them in a big corpus).
    from graph.model.namespaces import FABIO

    return eg.ask(f"ASK {{ ?a a <{FABIO.WebArticle}> }}", {"a": iri})


def _known(eg, iri: URIRef, given: str) -> URIRef:
    """The IRI itself, after checking that a claim, source or article exists
    (error messages name the value as the user gave it)."""
    text = str(iri)
    if text.startswith(str(CLAIM)):
        return eg.resolve_claim(given)
    if text.startswith(str(SOURCE)):
        return eg.resolve_source(given)
    if text.startswith(str(ARTICLE)) and not _is_article(eg, iri):
        slugs = [str(a)[len(str(ARTICLE)) :] for a in eg.article_iris]
        slug = text[len(str(ARTICLE)) :]
        close = difflib.get_close_matches(slug, slugs, n=3, cutoff=0.4) or [s for s in slugs if slug in s][:3]
        raise NotFoundError("article", given, close)
    return iri


def _unknown_param(name: str, known: set[str], documented: dict[str, str] | None) -> str:
    if documented is None:
        listed = ", ".join("?" + v for v in sorted(known)) or "none"
        return f"the query has no variable ?{name} (it has {listed})"
    if not documented:
        return f"the query has no parameter ?{name} (it takes none)"
    close = difflib.get_close_matches(name, list(documented), n=1, cutoff=0.5)
    hint = f"; did you mean ?{close[0]}?" if close else ""
    listed = ", ".join("?" + v for v in documented)
    return f"the query has no parameter ?{name}{hint} (its parameters: {listed})"


def run_query(
    eg,
    text: str,
    params: dict[str, str | Node] | None = None,
    *,
    allow_service: bool = False,
    where: str = "query",
    documented: dict[str, str] | None = None,
) -> QueryResult:
    """Check and run one read-only SPARQL query on ``eg``.

    ``params`` binds variables before the query runs (``{"claim": "claim:slug"}``;
    values as :func:`parse_param` reads them) through :func:`bind_values`, so
    every store, and a remote endpoint, runs the same self-contained text. ``where`` names the query in
    error messages (a file name, ``-e``, or a named query). The project's
    prefixes are predeclared, so queries may use ``ev:``, ``cito:``, ``claim:``
    ... without PREFIX lines. ``documented`` (a named query's ``# param``
    lines, :attr:`NamedQuery.params`) is what an unknown parameter's message
    lists instead of every variable of the query.
    """
    backend = eg.backend
    form, known = backend.check(text, allow_service=allow_service, where=where)
    bindings = {}
    for name, value in (params or {}).items():
        name = name.lstrip("?$")
        if name not in known:
            raise QueryError(f"{where}: --param {name}: {_unknown_param(name, known, documented)}")
        bindings[name] = parse_param(name, value, eg)
    bound = bind_values(text, bindings, form=form) if bindings else text
    try:
        return backend.execute(bound, form, where=where, given=text, allow_service=allow_service)
    except QueryError:
        raise
    except Exception as exc:
        raise QueryError(f"{where}: query failed: {type(exc).__name__}: {exc}") from None
