"""The vocabulary terms a graph uses, and what they mean.

:func:`vocabulary` reads the package's table of standard terms
(``graph/data/terms.ttl``: each vocabulary's name and namespace, each term's
kind, ``rdfs:label``, ``owl:inverseOf`` and a one-line summary) and the
project's own vocabulary (``vocab.ttl``). :func:`terms_in_use` asks a graph,
on any store, which classes and predicates it uses and how often;
:func:`render_terms` writes that as text grouped by vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from graph.model.namespaces import BIBFIELD

__all__ = [
    "Term",
    "TermUse",
    "Vocabularies",
    "Vocabulary",
    "render_terms",
    "terms_in_use",
    "terms_to_dict",
    "vocabulary",
]


@dataclass(frozen=True)
class Vocabulary:
    """One vocabulary: its short name (``CiTO``), title, prefix and namespace."""

    name: str
    title: str
    prefix: str
    namespace: str


@dataclass(frozen=True)
class Term:
    """One class or predicate of a vocabulary."""

    iri: str
    kind: str  # "class" or "predicate"
    labels: tuple[str, ...] = ()
    inverse: str | None = None
    description: str = ""


@dataclass(frozen=True)
class TermUse:
    """A class or predicate a graph uses: how often, and what the table says of it."""

    iri: str
    kind: str
    count: int
    term: Term | None = None

    @property
    def description(self) -> str:
        if self.term is None:
            return ""
        return self.term.description or (self.term.labels[0] if self.term.labels else "")


class Vocabularies:
    """The table: vocabularies in display order, and terms by IRI."""

    def __init__(self, vocabularies: list[Vocabulary], terms: dict[str, Term]):
        self.vocabularies = vocabularies
        self.terms = terms

    def of(self, iri: str) -> Vocabulary | None:
        """The vocabulary whose namespace ``iri`` is in (the longest one)."""
        best = None
        for v in self.vocabularies:
            if iri.startswith(v.namespace) and (best is None or len(v.namespace) > len(best.namespace)):
                best = v
        return best

    def get(self, iri: str) -> Term | None:
        return self.terms.get(str(iri))


_KIND_OF_TYPE = {
    "http://www.w3.org/2000/01/rdf-schema#Class": "class",
    "http://www.w3.org/2002/07/owl#Class": "class",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property": "predicate",
    "http://www.w3.org/2002/07/owl#ObjectProperty": "predicate",
    "http://www.w3.org/2002/07/owl#DatatypeProperty": "predicate",
}


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    m = re.match(r"(.+?[.;:])(\s|$)", text)
    sentence = m.group(1).rstrip(".;:") if m else text
    # "The claim that ..." -> "the claim that ...", but "BibTeX ..." stays.
    return sentence[:1].lower() + sentence[1:] if sentence[1:2].islower() else sentence


@cache
def vocabulary() -> Vocabularies:
    """The package's table of terms (read once)."""
    from rdflib import RDF, RDFS, Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, OWL

    from graph.model.paths import TERMS_TTL, VOCAB_TTL

    vann = "http://purl.org/vocab/vann/"
    table = Graph()
    table.parse(TERMS_TTL, format="turtle")
    vocabularies = []
    for node in table.subjects(RDF.type, OWL.Ontology):
        ns = table.value(node, URIRef(vann + "preferredNamespaceUri"))
        if ns is None:
            continue
        vocabularies.append(
            Vocabulary(
                name=str(table.value(node, RDFS.label)),
                title=str(table.value(node, DCTERMS.title) or ""),
                prefix=str(table.value(node, URIRef(vann + "preferredNamespacePrefix"))),
                namespace=str(ns),
            )
        )
    # Display order: the order of the file, which rdflib does not keep.
    text = TERMS_TTL.read_text(encoding="utf-8")
    vocabularies.sort(key=lambda v: text.find(f'"{v.namespace}"'))

    terms: dict[str, Term] = {}

    def read(g: Graph, describe) -> None:
        for s, _, t in g.triples((None, RDF.type, None)):
            kind = _KIND_OF_TYPE.get(str(t))
            if kind is None or not isinstance(s, URIRef) or str(s) in terms:
                continue
            labels = tuple(str(o) for o in g.objects(s, RDFS.label) if isinstance(o, Literal))
            inverse = g.value(s, OWL.inverseOf)
            terms[str(s)] = Term(str(s), kind, labels, str(inverse) if inverse else None, describe(g, s))

    read(table, lambda g, s: str(g.value(s, DCTERMS.description) or ""))
    own = Graph()
    own.parse(VOCAB_TTL, format="turtle")
    read(own, lambda g, s: _first_sentence(str(g.value(s, RDFS.comment) or "")))
    return Vocabularies(vocabularies, terms)


def _count_rows(eg, relpath: str) -> list[tuple[str, int]]:
    from graph.sparql.catalogue import query_text

    out = []
    for row in eg.select_values(query_text(relpath)):
        term, n = row.get("term"), row.get("n")
        if term and n and term.startswith(("http://", "https://", "urn:")):
            out.append((term, int(n)))
    return out


def terms_in_use(eg) -> list[TermUse]:
    """The classes and predicates ``eg`` uses, with counts: triples for a
    predicate, resources for a class. Two aggregate queries, so it works on
    every store, remote endpoints included."""
    table = vocabulary()

    def term(iri: str, kind: str) -> Term | None:
        found = table.get(iri)
        if found is None and iri.startswith(str(BIBFIELD)):
            found = Term(iri, kind, description=f"the BibTeX field {iri[len(str(BIBFIELD)) :]}, kept as written")
        return found

    uses = [TermUse(iri, "class", n, term(iri, "class")) for iri, n in _count_rows(eg, "terms/classes.rq")]
    uses += [TermUse(iri, "predicate", n, term(iri, "predicate")) for iri, n in _count_rows(eg, "terms/predicates.rq")]
    return uses


def _grouped(uses: list[TermUse]) -> list[tuple[Vocabulary | None, list[TermUse]]]:
    table = vocabulary()
    order = {v.namespace: i for i, v in enumerate(table.vocabularies)}
    groups: dict[str | None, list[TermUse]] = {}
    for use in uses:
        v = table.of(use.iri)
        groups.setdefault(v.namespace if v else None, []).append(use)
    by_ns = {v.namespace: v for v in table.vocabularies}
    keys = sorted(groups, key=lambda k: (k is None, order.get(k, 0)))
    return [
        (by_ns.get(k) if k else None, sorted(groups[k], key=lambda u: (u.kind != "class", u.iri.lower()))) for k in keys
    ]


def render_terms(uses: list[TermUse]) -> str:
    """Text: one block per vocabulary, a line per term with its kind, count
    and one-line description."""
    from graph.sparql.results import compact_iri

    if not uses:
        return "The graph uses no classes or predicates.\n"
    names = {u.iri: compact_iri(u.iri) for u in uses}
    name_w = max(len(n) for n in names.values())
    count_w = max(len(str(u.count)) for u in uses)
    lines: list[str] = []
    for vocab, group in _grouped(uses):
        if lines:
            lines.append("")
        if vocab is None:
            lines.append("Other")
        else:
            title = f" ({vocab.title})" if vocab.title and vocab.title != vocab.name else ""
            lines.append(f"{vocab.name}{title}  {vocab.prefix}: <{vocab.namespace}>")
        for u in group:
            row = f"  {names[u.iri]:<{name_w}}  {u.kind:<9}  {u.count:>{count_w}}  {u.description}"
            lines.append(row.rstrip())
    return "\n".join(lines) + "\n"


def terms_to_dict(uses: list[TermUse]) -> dict:
    """JSON form: vocabularies in display order, each with its terms."""
    from graph.sparql.results import compact_iri

    out = []
    for vocab, group in _grouped(uses):
        out.append(
            {
                "vocabulary": vocab.name if vocab else None,
                "namespace": vocab.namespace if vocab else None,
                "terms": [
                    {
                        "term": compact_iri(u.iri),
                        "iri": u.iri,
                        "kind": u.kind,
                        "count": u.count,
                        "description": u.description,
                    }
                    for u in group
                ],
            }
        )
    return {"vocabularies": out}
