"""Helpers shared by the RDF exporters."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node


def stable_bnodes(g: Graph) -> Graph:
    """A copy of ``g`` whose blank nodes have labels derived from where they
    hang (the named node and predicates that lead to them) and what they hold,
    so that exporting the same data twice gives the same bytes. rdflib would
    otherwise mint random labels on every load."""
    labels = stable_labels(g)
    out = Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    for s, p, o in g:
        out.add((labels.get(s, s), p, labels.get(o, o)))
    return out


def stable_labels(triples: Iterable[tuple[Node, Node, Node]]) -> dict[BNode, BNode]:
    """Blank node -> its stable replacement (see :func:`stable_bnodes`)."""
    triples = list(triples)
    incoming: dict[BNode, list[tuple[Node, URIRef]]] = {}
    content: dict[BNode, list[str]] = {}
    for s, p, o in triples:
        if isinstance(o, BNode):
            incoming.setdefault(o, []).append((s, p))
        if isinstance(s, BNode) and not isinstance(o, BNode):
            content.setdefault(s, []).append(f"{p} {o.n3()}")
    names: dict[BNode, str] = {}

    def name(b: BNode, depth: int = 0) -> str:
        if b in names:
            return names[b]
        names[b] = "cycle"  # guard: a blank node cycle falls back to content only
        parts = []
        if depth < 50:
            for s, p in incoming.get(b, ()):
                parts.append(f"{name(s, depth + 1) if isinstance(s, BNode) else s.n3()} {p}")
        parts.sort()
        parts += sorted(content.get(b, ()))
        names[b] = hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]
        return names[b]

    seen: dict[str, int] = {}
    labels: dict[BNode, BNode] = {}
    for b in sorted({t for triple in triples for t in triple if isinstance(t, BNode)}, key=lambda b: name(b)):
        base = "b" + name(b)
        n = seen.get(base, 0)
        seen[base] = n + 1
        labels[b] = BNode(base if n == 0 else f"{base}x{n}")
    return labels
