"""The canonical form of a claims file, as written by ``evg fmt``.

rdflib's Turtle writer does the term formatting; we only fix the order of
subjects so that the file reads top-down and diffs stay small: articles,
topic concepts, then each claim followed by its statements, then reviews,
then judgements about sources, then anything else. Blank nodes used once
(quote selectors) stay inline. Canonical form is a fixed point: formatting
a formatted file changes nothing.
"""

from __future__ import annotations

from io import BytesIO

from rdflib import Graph, URIRef
from rdflib.plugins.serializers.turtle import TurtleSerializer

from graph.model.namespaces import EV, FABIO, RDF, SCHEMA, SKOS, SOURCE, bind_prefixes, local_name

__all__ = ["canonical_turtle"]

HEADER = "# evidence-graph claims file. Canonical form: edit freely, then run `evg fmt`.\n"


class _CanonicalSerializer(TurtleSerializer):
    def orderSubjects(self):  # noqa: N802 (rdflib's name)
        g = self.store
        done: set = set()
        ordered: list = []

        def take(nodes):
            for n in sorted(set(nodes), key=str):
                if n not in done and isinstance(n, URIRef):
                    done.add(n)
                    ordered.append(n)

        take(g.subjects(RDF.type, FABIO.WebArticle))
        take(g.subjects(RDF.type, SKOS.ConceptScheme))
        take(g.subjects(RDF.type, SKOS.Concept))
        for claim in sorted(set(g.subjects(RDF.type, EV.Claim)), key=str):
            take([claim])
            take(g.subjects(EV.claim, claim))
        take(g.subjects(RDF.type, SCHEMA.ClaimReview))
        take(s for s in g.subjects() if isinstance(s, URIRef) and local_name(s, SOURCE) is not None)
        take(s for s in g.subjects() if isinstance(s, URIRef))
        # Blank-node subjects that are not inlined objects come last.
        rest = sorted((s for s in set(g.subjects()) if s not in done), key=lambda n: self._references[n])
        return ordered + rest


def canonical_turtle(g: Graph) -> str:
    """Serialise ``g`` in the project's canonical Turtle."""
    out = Graph()
    bind_prefixes(out)
    for triple in g:
        out.add(triple)
    buf = BytesIO()
    _CanonicalSerializer(out).serialize(buf, encoding="utf-8")
    return HEADER + buf.getvalue().decode("utf-8").lstrip("\n")
