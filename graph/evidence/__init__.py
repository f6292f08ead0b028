"""The evidence graph as an object: :class:`~graph.evidence.graph.EvidenceGraph`
and :func:`~graph.evidence.graph.load`, claim records, search, the network
view and statistics."""
