"""evidence-graph: claims, the sentences that state them, and the sources
that support or dispute them, as one RDF graph in standard vocabularies.

>>> import graph
>>> eg = graph.load()          # ./claims.ttl + ./sources.bib, or the bundled corpus
>>> len(eg.claim_iris) > 0
True
"""

from __future__ import annotations

__all__ = [
    "EvidenceGraph",
    "EvidenceGraphError",
    "InputError",
    "NotFoundError",
    "QueryError",
    "__version__",
    "load",
]

from graph.model import __version__
from graph.model.errors import EvidenceGraphError, InputError, NotFoundError, QueryError


def load(claims=None, sources=None, **kwargs):
    """Load claims Turtle file(s) or folder(s) and a BibTeX file into an
    :class:`EvidenceGraph`. See :func:`graph.evidence.graph.load`."""
    from graph.evidence.graph import load as _load

    return _load(claims, sources, **kwargs)


def __getattr__(name):
    # Keep ``import graph`` light: rdflib loads only when the graph is needed.
    if name == "EvidenceGraph":
        from graph.evidence.graph import EvidenceGraph

        return EvidenceGraph
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
