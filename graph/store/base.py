"""The one contract every store keeps: :class:`Backend`.

Every backend answers the same methods with the same shapes (rows as dicts of
variable name -> rdflib term or None), so the layers above never ask which
store they talk to. Defaults here are written in terms of :meth:`Backend.select`
and :meth:`Backend.query`; a backend overrides one where it has a faster or
more exact way (Oxigraph parses and sorts its own queries, for example).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

    from graph.sparql.results import QueryResult

__all__ = ["Backend", "Description"]


class Backend(ABC):
    """What :class:`graph.evidence.graph.EvidenceGraph` needs from a store."""

    #: "rdflib", "oxigraph" or "remote"
    name: str = ""
    #: the on-disk folder of the store, when it has one (the cache keeps artifacts beside it)
    path = None

    # --- queries the library writes itself (trusted text) ----------------------------

    @abstractmethod
    def select(self, query: str, bindings: dict | None = None) -> list[dict]:
        """SELECT rows as dicts, variable name -> rdflib term or None."""

    def select_values(self, query: str, bindings: dict | None = None) -> list[dict]:
        """Rows of plain strings (an IRI, a literal's lexical form, a blank
        node's id) or None; a backend may answer this without building terms."""
        return [{k: None if v is None else str(v) for k, v in row.items()} for row in self.select(query, bindings)]

    def select_rows(self, query: str, prefixes: dict | None = None) -> tuple[tuple[str, ...], list[tuple]]:
        """(variable names, rows as tuples of terms or None)."""
        result = self.query(query, prefixes)
        names = tuple(str(v) for v in result.vars)
        return names, [tuple(row[i] for i in range(len(names))) for row in result]

    @abstractmethod
    def ask(self, query: str, bindings: dict | None = None) -> bool: ...

    def uses_terms(self, terms: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Those of ``terms`` ((IRI, "predicate" or "class") pairs) that the
        graph uses in that role: here one bounded query
        (:func:`graph.sparql.hints.occurrence_query`); a local store looks
        each one up in its index instead."""
        from graph.sparql.hints import occurrence_query

        query = occurrence_query(terms)
        if query is None:
            return set()
        return {(row["t"], row["k"]) for row in self.select_values(query) if row.get("t") and row.get("k")}

    @abstractmethod
    def query(self, query: str, prefixes: dict | None = None, bindings: dict | None = None):
        """Any read query form; an rdflib ``Result``."""

    # --- a user's query: check, then run ---------------------------------------------

    def check(self, text: str, *, allow_service: bool = False, where: str = "query") -> tuple[str, set[str]]:
        """(query form, the query's variables) of a read-only query; raises
        :class:`~graph.model.errors.QueryError` for anything else (see
        :func:`graph.sparql.text.check_query`), and first for a query over the
        size and depth limits of :func:`graph.sparql.text.check_limits`.
        A backend that overrides this calls it (or check_limits) first."""
        from graph.sparql.text import check_limits, check_query, query_variables

        check_limits(text, where=where)
        form, parsed = check_query(text, allow_service=allow_service, where=where)
        return form, query_variables(parsed)

    def execute(
        self, text: str, form: str, *, where: str = "query", given: str | None = None, allow_service: bool = False
    ) -> QueryResult:
        """Run a checked query (``text``, parameters bound; ``given`` is the
        text as the user wrote it, for messages) and return its result."""
        from graph.model.namespaces import PREFIXES
        from graph.sparql.results import QueryResult

        return QueryResult.from_rdflib(self.query(text, PREFIXES), form)

    # --- the graph as a whole ----------------------------------------------------------

    @abstractmethod
    def describe(self, node) -> Graph:
        """An rdflib graph holding at least the triples about ``node`` and,
        recursively, about the blank nodes it points to."""

    def describe_many(self, nodes: Iterable) -> Graph | Description:
        """What :meth:`describe` holds, for many nodes at once: an rdflib graph
        or a :class:`Description`, read through ``value``,
        ``predicate_objects`` and ``in``."""
        from rdflib import Graph

        out = Graph()
        for node in nodes:
            out += self.describe(node)
        return out

    @abstractmethod
    def serialize(self, fmt: str = "nt") -> bytes:
        """The whole graph as N-Triples ("nt") or Turtle ("ttl")."""

    @abstractmethod
    def __len__(self) -> int: ...

    @property
    @abstractmethod
    def rdf(self) -> Graph:
        """The graph as rdflib (built on first use where the store is not rdflib)."""


class Description:
    """Triples about some nodes, indexed by subject and predicate: the part of
    rdflib's ``Graph`` reading API that rebuilding bibliography entries uses,
    without the cost of building an rdflib graph (see ``describe_many``)."""

    def __init__(self):
        self._index: dict = {}

    def add(self, triple) -> None:
        s, p, o = triple
        self._index.setdefault(s, {}).setdefault(p, []).append(o)

    def __len__(self) -> int:
        return sum(len(objs) for by_p in self._index.values() for objs in by_p.values())

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        return o in self._index.get(s, {}).get(p, ())

    def predicate_objects(self, subject):
        return ((p, o) for p, objs in self._index.get(subject, {}).items() for o in objs)

    def objects(self, subject, predicate):
        return iter(self._index.get(subject, {}).get(predicate, ()))

    def value(self, subject, predicate, default=None):
        objs = self._index.get(subject, {}).get(predicate)
        return objs[0] if objs else default
