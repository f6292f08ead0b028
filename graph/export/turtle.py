"""``ttl``: the whole merged graph, derived links included, as Turtle."""

from __future__ import annotations

from graph.export import Exporter, ExportOptions


class TurtleExporter(Exporter):
    name = "ttl"
    suffix = ".ttl"
    media_type = "text/turtle"
    description = "the whole merged graph (vocabulary, bibliography, claims, derived CiTO links) as Turtle"

    def render(self, eg, options: ExportOptions) -> str:
        from graph.export._rdf import stable_bnodes

        return stable_bnodes(eg.rdf).serialize(format="turtle")
