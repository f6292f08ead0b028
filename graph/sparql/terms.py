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


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_DCTERMS = "http://purl.org/dc/terms/"
_VANN = "http://purl.org/vocab/vann/"
_OWL = "http://www.w3.org/2002/07/owl#"


def _read_turtle(path) -> dict[str, dict[str, list]]:
    """subject (an IRI, or ``_:`` and a blank node's id) -> predicate IRI ->
    objects as (kind, value), kind "iri", "literal" or "blank", in the order of the file. pyoxigraph reads the two
    small files in about a millisecond; rdflib took about a hundred, which
    the first hint of every `evg query` paid."""
    import pyoxigraph as ox

    out: dict[str, dict[str, list]] = {}
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        s, p, o = triple.subject, triple.predicate, triple.object
        key = s.value if isinstance(s, ox.NamedNode) else f"_:{s.value}"
        kind = "iri" if isinstance(o, ox.NamedNode) else "literal" if isinstance(o, ox.Literal) else "blank"
        out.setdefault(key, {}).setdefault(p.value, []).append((kind, o.value))
    return out


def _first(po: dict[str, list], predicate: str, kind: str) -> str | None:
    return next((value for k, value in po.get(predicate, ()) if k == kind), None)


def _first_text(po: dict[str, list], predicate: str) -> str:
    return _first(po, predicate, "literal") or ""


@cache
def vocabulary() -> Vocabularies:
    """The package's table of terms (read once)."""
    from graph.model.paths import TERMS_TTL, VOCAB_TTL

    table = _read_turtle(TERMS_TTL)
    vocabularies = [
        Vocabulary(
            name=_first_text(po, _RDFS + "label"),
            title=_first_text(po, _DCTERMS + "title"),
            prefix=_first_text(po, _VANN + "preferredNamespacePrefix"),
            namespace=_first_text(po, _VANN + "preferredNamespaceUri"),
        )
        for po in table.values()
        if ("iri", _OWL + "Ontology") in po.get(_RDF_TYPE, ()) and _first_text(po, _VANN + "preferredNamespaceUri")
    ]
    # Display order: the order of the vocabularies' namespaces in the file.
    text = TERMS_TTL.read_text(encoding="utf-8")
    vocabularies.sort(key=lambda v: text.find(f'"{v.namespace}"'))

    terms: dict[str, Term] = {}

    def read(graph: dict[str, dict[str, list]], describe) -> None:
        for s, po in graph.items():
            kind = next((_KIND_OF_TYPE[t] for k, t in po.get(_RDF_TYPE, ()) if t in _KIND_OF_TYPE), None)
            if kind is None or s in terms or s.startswith("_:"):
                continue
            labels = tuple(value for k, value in po.get(_RDFS + "label", ()) if k == "literal")
            terms[s] = Term(s, kind, labels, _first(po, _OWL + "inverseOf", "iri"), describe(po))

    read(table, lambda po: _first_text(po, _DCTERMS + "description"))
    read(_read_turtle(VOCAB_TTL), lambda po: _first_sentence(_first_text(po, _RDFS + "comment")))
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
