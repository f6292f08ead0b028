"""``graphml``: the network projection (claims, sources, articles, topics) for Gephi and Cytoscape.

Edges have unique ids (``e0``, ``e1``, ... in sorted order); what kind of edge
it is lives in its ``relation`` attribute. networkx would otherwise write the
multigraph key, the relation, as the id, which repeats (``id="asserts"``) and
garbles tools that read ids, such as python-igraph.
"""

from __future__ import annotations

from graph.export import Exporter, ExportOptions


class GraphMLExporter(Exporter):
    name = "graphml"
    suffix = ".graphml"
    media_type = "application/graphml+xml"
    description = (
        "the network of claims, sources, articles and topics with typed edges (networkx), for Gephi and Cytoscape"
    )

    def render(self, eg, options: ExportOptions) -> str:
        import networkx as nx

        from graph.evidence.network import projection

        net = projection(eg)
        # Sorted nodes and edges, so the same graph always gives the same file.
        ordered = nx.MultiDiGraph()
        ordered.add_nodes_from(sorted(net.nodes(data=True)))
        edges = sorted(net.edges(keys=True, data=True), key=lambda e: e[:3])
        for i, (u, v, _key, data) in enumerate(edges):
            # Every edge says whether it is refuted, so a reader that fills
            # missing values (igraph: False) reads what was written.
            ordered.add_edge(u, v, key=f"e{i}", **{"refuted": False, **data})
        return "\n".join(nx.generate_graphml(ordered, prettyprint=True)) + "\n"
