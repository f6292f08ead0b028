"""``jsonld``: the whole merged graph as JSON-LD, compacted with the project's prefixes."""

from __future__ import annotations

import json

from graph.export import Exporter, ExportOptions


def _ordered(node):
    """Sort JSON-LD arrays whose order means nothing (everything but ``@list``),
    so the same graph always gives the same text."""
    if isinstance(node, dict):
        return {k: ([_ordered(x) for x in v] if k == "@list" else _ordered(v)) for k, v in node.items()}
    if isinstance(node, list):
        items = [_ordered(x) for x in node]
        return sorted(items, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    return node


class JsonLdExporter(Exporter):
    name = "jsonld"
    suffix = ".jsonld"
    media_type = "application/ld+json"
    description = "the whole merged graph as JSON-LD, with an @context of the project's prefixes"

    def render(self, eg, options: ExportOptions) -> str:
        from graph.export._rdf import stable_bnodes
        from graph.model.namespaces import PREFIXES

        doc = json.loads(stable_bnodes(eg.rdf).serialize(format="json-ld", context=dict(PREFIXES)))
        return json.dumps(_ordered(doc), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
