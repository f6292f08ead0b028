"""Where the triples live: an rdflib graph or a pyoxigraph store, behind one interface.

Both backends answer :meth:`Backend.select` with the same rows (dicts of
variable name -> rdflib term or None), so API code written against
``eg.select`` works unchanged on either.

- ``rdflib`` keeps the whole graph as Python objects. It is the default for
  small inputs and the only choice for rdflib-only features (SHACL, the
  canonical Turtle writer).
- ``oxigraph`` keeps it in pyoxigraph's Rust store, optionally on disk (see
  :mod:`graph.ingest.cache`). It loads and queries large corpora tens of times
  faster; its ``rdf`` attribute builds an rdflib copy only when something
  asks for it.

``store="auto"`` picks Oxigraph when the persistent cache is in use or the
inputs are larger than :data:`AUTO_THRESHOLD_BYTES`, else rdflib.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

from graph.store.base import Backend, Description

__all__ = ["AUTO_THRESHOLD_BYTES", "STORES", "Backend", "Description", "RdflibBackend", "choose_store"]

#: The values ``--store`` and ``graph.load(store=...)`` accept.
STORES = ("auto", "rdflib", "oxigraph")
#: Under ``store="auto"`` (and without the cache), inputs larger than this many
#: bytes in all load into Oxigraph. The bundled corpus is about 150 kB; rdflib
#: parses about 1 MB of Turtle a second, so this keeps its loads under ~2 s.
AUTO_THRESHOLD_BYTES = 2_000_000


def choose_store(store: str, paths: Iterable[Path], *, cache: bool = False) -> str:
    """The backend ``store`` stands for: "rdflib" or "oxigraph"."""
    if store not in STORES:
        raise ValueError(f"unknown store {store!r}; choose one of {', '.join(STORES)}")
    if store != "auto":
        return store
    if cache:
        return "oxigraph"
    total = 0
    for p in paths:
        try:
            total += os.path.getsize(p)
        except OSError:
            pass  # the loader reports missing files with their name
    return "oxigraph" if total > AUTO_THRESHOLD_BYTES else "rdflib"


class RdflibBackend(Backend):
    """The graph as an rdflib ``Graph``."""

    name = "rdflib"

    def __init__(self, graph: Graph):
        self._graph = graph

    @property
    def rdf(self) -> Graph:
        return self._graph

    def select(self, query: str, bindings: dict | None = None) -> list[dict]:
        result = self._graph.query(query, initBindings=bindings or {})
        names = [str(v) for v in result.vars]
        return [dict(zip(names, row)) for row in result]

    def ask(self, query: str, bindings: dict | None = None) -> bool:
        return bool(self._graph.query(query, initBindings=bindings or {}).askAnswer)

    def uses_terms(self, terms: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        # An index lookup a term, microseconds; rdflib's SPARQL engine takes tens of milliseconds.
        from rdflib import RDF, URIRef

        def pattern(iri: str, kind: str):
            return (None, URIRef(iri), None) if kind == "predicate" else (None, RDF.type, URIRef(iri))

        return {(iri, kind) for iri, kind in terms if pattern(iri, kind) in self._graph}

    def query(self, query: str, prefixes: dict | None = None, bindings: dict | None = None):
        return self._graph.query(query, initNs=prefixes or {}, initBindings=bindings or {})

    def describe(self, node) -> Graph:
        return self._graph

    def describe_many(self, nodes: Iterable) -> Graph:
        return self._graph

    def serialize(self, fmt: str = "nt") -> bytes:
        return self._graph.serialize(format={"nt": "nt", "ttl": "turtle"}[fmt], encoding="utf-8")

    def __len__(self) -> int:
        return len(self._graph)
