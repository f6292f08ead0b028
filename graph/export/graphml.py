"""``graphml``: the network projection (claims, sources, articles, topics) for Gephi and Cytoscape."""

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
        ordered.add_edges_from(sorted(net.edges(keys=True, data=True), key=lambda e: e[:3]))
        return "\n".join(nx.generate_graphml(ordered, prettyprint=True)) + "\n"
