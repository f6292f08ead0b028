"""evidence-graph: claims, the sentences that state them, and the sources
that support or dispute them, as one RDF graph in standard vocabularies.

>>> import graph
>>> eg = graph.load()          # ./claims.ttl + ./sources.bib, or the bundled corpus
>>> len(eg.claim_iris) > 0
True
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "EvidenceGraph",
    "EvidenceGraphError",
    "InputError",
    "NotFoundError",
    "QueryError",
    "__version__",
    "load",
]

from .errors import EvidenceGraphError, InputError, NotFoundError, QueryError


def load(claims=None, sources=None, **kwargs):
    """Load claims Turtle file(s) or folder(s) and a BibTeX file into an
    :class:`EvidenceGraph`. See :func:`graph.loader.load`."""
    from .loader import load as _load

    return _load(claims, sources, **kwargs)


def __getattr__(name):
    # Keep ``import graph`` light: rdflib loads only when the graph is needed.
    if name == "EvidenceGraph":
        from .core import EvidenceGraph

        return EvidenceGraph
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
