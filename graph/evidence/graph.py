"""``EvidenceGraph``: the loaded graph and the questions every feature asks of it."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from graph.model.errors import NotFoundError
from graph.model.namespaces import ARTICLE, CLAIM, DCTERMS, EV, RDFS, SOURCE, local_name
from graph.model.rules import LOW_RANK_MAX
from graph.model.words import plural

__all__ = ["LOW_RANK_MAX", "ClaimSummary", "EvidenceGraph", "SupportStatus", "load", "remote_graph"]

PathLike = str | os.PathLike

_PREFIXES = """
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX ev: <https://w3id.org/evidence-graph/vocab#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_NOT_IRI = re.compile(r'[\s<>"{}|^`\\]')


class SupportStatus:
    """How well a claim is backed, from strongest concern to none."""

    CONTESTED = "contested"  #: some source disputes it
    NO_SOURCE = "no-source"  #: nothing cited supports it
    LOW_RANK = "low-rank"  #: every supporting source is low-rank evidence
    SUPPORTED = "supported"  #: at least one supporting source of a higher rank

    ALL = (SUPPORTED, CONTESTED, NO_SOURCE, LOW_RANK)


@dataclass(frozen=True)
class ClaimSummary:
    """A claim with its support, enough to colour, rank or tabulate it."""

    iri: URIRef
    label: str
    supported_by: tuple[str, ...]  #: bib keys, sorted
    disputed_by: tuple[str, ...]  #: bib keys, sorted
    articles: tuple[str, ...]  #: article slugs that state the claim, sorted
    best_rank: int | None  #: highest evidence rank among the sources that count as support
    all_ranked: bool = True  #: whether every source that counts as support has a known design
    #: supporting sources whose citation a review found not to hold (ev:NotSupported,
    #: ev:Misattributed); they stay in ``supported_by`` but do not count towards ``status``
    refuted: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return local_name(self.iri, CLAIM) or str(self.iri)

    @property
    def status(self) -> str:
        if self.disputed_by:
            return SupportStatus.CONTESTED
        if not set(self.supported_by) - set(self.refuted):
            return SupportStatus.NO_SOURCE
        if self.all_ranked and self.best_rank is not None and self.best_rank <= LOW_RANK_MAX:
            return SupportStatus.LOW_RANK
        return SupportStatus.SUPPORTED


def _per_claim_above() -> int:
    from graph.evidence import index

    return index.PER_CLAIM_ABOVE


class EvidenceGraph:
    """One merged RDF graph of sources, articles, claims and statements.

    Build it with :func:`graph.load`. ``backend`` is the store (rdflib or
    Oxigraph, see :mod:`graph.store`); ``rdf`` is an rdflib graph of the same
    triples (built on first use when the store is Oxigraph). The methods
    answer the questions that the CLI, the HTML view and the checks share.
    """

    def __init__(self, rdf: Graph | None = None, *, backend=None, claims_files=(), sources_file: Path | None = None):
        if backend is None:
            from graph.store import RdflibBackend

            backend = RdflibBackend(rdf if rdf is not None else Graph())
        self.backend = backend
        self.claims_files = tuple(Path(p) for p in claims_files)
        self.sources_file = Path(sources_file) if sources_file else None

    @property
    def rdf(self) -> Graph:
        """The rdflib graph (for rdflib-only features; prefer :meth:`select`)."""
        return self.backend.rdf

    def __len__(self) -> int:
        return len(self.backend)

    def __repr__(self) -> str:
        return (
            f"<EvidenceGraph {plural(len(self), 'triple')}, {plural(len(self.claim_iris), 'claim')},"
            f" {plural(len(self.source_keys), 'source')},"
            f" {self.backend.name} store>"
        )

    # --- querying ------------------------------------------------------------

    def select(self, query: str, bindings: dict | None = None) -> list[dict]:
        """Run a SPARQL SELECT; rows are dicts of variable name -> RDF term (or None)."""
        return self.backend.select(query, bindings)

    def select_values(self, query: str, bindings: dict | None = None) -> list[dict]:
        """Like :meth:`select`, with each term as its plain string (an IRI, a
        literal's lexical form, a blank node's id) or None. Cheaper on big
        results, for code that only needs the strings."""
        return self.backend.select_values(query, bindings)

    def ask(self, query: str, bindings: dict | None = None) -> bool:
        """Run a SPARQL ASK."""
        return self.backend.ask(query, bindings)

    def query(self, query: str, bindings: dict | None = None):
        """Run any SPARQL query form with variables pre-bound; returns an rdflib
        ``Result`` (``.type`` SELECT/ASK/CONSTRUCT/DESCRIBE). The project's
        prefixes are predeclared. Callers check the query first: see
        :func:`graph.sparql.run_query`, which refuses updates and SERVICE."""
        from graph.model.namespaces import PREFIXES

        return self.backend.query(query, PREFIXES, bindings)

    # --- identities ----------------------------------------------------------

    @cached_property
    def claim_iris(self) -> tuple[URIRef, ...]:
        rows = self.select(_PREFIXES + "SELECT DISTINCT ?c WHERE { ?c a ev:Claim }")
        return tuple(sorted(r["c"] for r in rows if isinstance(r["c"], URIRef)))

    @cached_property
    def source_keys(self) -> tuple[str, ...]:
        """Every bib key, sorted."""
        rows = self.select(_PREFIXES + "SELECT DISTINCT ?s ?k WHERE { ?s ev:entryType ?t ; dcterms:identifier ?k }")
        keys = {str(r["k"]) for r in rows if isinstance(r["k"], Literal) and r["s"] == SOURCE[str(r["k"])]}
        return tuple(sorted(keys))

    @cached_property
    def article_iris(self) -> tuple[URIRef, ...]:
        from graph.model.namespaces import FABIO

        rows = self.select(f"SELECT DISTINCT ?a WHERE {{ ?a a <{FABIO.WebArticle}> }}")
        return tuple(sorted(r["a"] for r in rows if isinstance(r["a"], URIRef)))

    def label(self, node) -> str:
        """A human label: rdfs:label, skos:prefLabel, dcterms:title, or the IRI's last part."""
        from graph.model.namespaces import SKOS

        if isinstance(node, URIRef):
            q = f"SELECT ?p ?v WHERE {{ VALUES ?p {{ <{RDFS.label}> <{SKOS.prefLabel}> <{DCTERMS.title}> }} ?n ?p ?v }}"
            found = {r["p"]: r["v"] for r in self.select(q, {"n": node})}
            for p in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
                if p in found:
                    return str(found[p])
        else:  # a blank node: only the rdflib graph can name it
            for p in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
                value = self.rdf.value(node, p)
                if value is not None:
                    return str(value)
        text = str(node)
        return text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def resolve_claim(self, ident: str) -> URIRef:
        """A claim IRI from its full IRI, ``claim:slug`` or bare slug."""
        ident = ident.strip()
        for candidate in (ident, str(CLAIM) + ident.removeprefix("claim:")):
            iri = URIRef(candidate)
            if not _NOT_IRI.search(candidate) and self.ask(_PREFIXES + "ASK { ?c a ev:Claim }", {"c": iri}):
                return iri
        slugs = [local_name(c, CLAIM) or str(c) for c in self.claim_iris]
        raise NotFoundError(
            "claim", ident, difflib.get_close_matches(ident.removeprefix("claim:"), slugs, n=3, cutoff=0.5)
        )

    def resolve_source(self, key: str) -> URIRef:
        """A source IRI from its bib key (case-insensitive), ``source:key`` or IRI."""
        key = key.strip()
        bare = local_name(key, SOURCE) or key.removeprefix("source:")
        exact = SOURCE[bare]
        if not _NOT_IRI.search(exact) and self.ask(_PREFIXES + "ASK { ?s ev:entryType ?t }", {"s": exact}):
            return exact  # the usual case, without listing every key
        for k in self.source_keys:
            if k.lower() == bare.lower():
                return SOURCE[k]
        raise NotFoundError("source", key, difflib.get_close_matches(bare.lower(), self.source_keys, n=3, cutoff=0.7))

    # --- bibliography --------------------------------------------------------

    def bib_entry(self, key: str):
        """The pybtex ``Entry`` of a source, rebuilt from the graph. Raises
        :class:`NotFoundError` with the closest keys."""
        source = self.resolve_source(key)
        bare = local_name(source, SOURCE)
        entry = self.bib_entries([bare]).get(bare)
        if entry is None:  # a key with characters no IRI may hold: describe it alone
            from graph.bibliography.bibtex import rdf_to_entry

            entry = self.__dict__.setdefault("_bib_entries", {})[source] = rdf_to_entry(
                self.backend.describe(source), source
            )[1]
        return entry

    def bib_entries(self, keys) -> dict:
        """``{key: pybtex Entry}`` for exact bib keys, fetched from the store in
        one pass rather than one description per key (formatting the
        citations of a big graph needs thousands). Unknown keys are left out."""
        from graph.bibliography.bibtex import rdf_to_entry

        entries = self.__dict__.setdefault("_bib_entries", {})
        wanted = {SOURCE[k] for k in keys if not _NOT_IRI.search(k)}
        missing = [s for s in wanted if s not in entries]
        if missing:
            description = self.backend.describe_many(missing)
            for source in missing:
                if description.value(source, EV.entryType) is not None:
                    entries[source] = rdf_to_entry(description, source)[1]
        return {local_name(s, SOURCE): entries[s] for s in wanted if s in entries}

    def bibliography(self):
        """All sources as pybtex ``BibliographyData`` (crossref parents last)."""
        from graph.bibliography.bibtex import rdf_to_bibliography

        return rdf_to_bibliography(self.rdf)

    def study_design(self, key: str) -> tuple[URIRef, str, int | None] | None:
        """(design IRI, label, evidence rank) of a source, or None."""
        q = _PREFIXES + "SELECT ?d ?rank WHERE { ?s ev:studyDesign ?d OPTIONAL { ?d ev:evidenceRank ?rank } }"
        rows = self.select(q, {"s": self.resolve_source(key)})
        if not rows:
            return None
        design, rank = rows[0]["d"], rows[0]["rank"]
        return design, self.label(design), int(rank) if rank is not None else None

    # --- support -------------------------------------------------------------

    @cached_property
    def _summaries(self) -> dict[URIRef, ClaimSummary]:
        return self._compute_summaries()

    def _compute_summaries(self, claim: URIRef | None = None) -> dict[URIRef, ClaimSummary]:
        # From the claim records (graph.evidence.index), so the rules of support
        # are read in one place: of every claim, or of ``claim`` alone on a big graph.
        from graph.model.rules import counts_as_support

        evidence = self.evidence
        raw = evidence.raw if claim is None else evidence._loaded(str(claim))
        claims = sorted(raw.labels) if claim is None else [str(claim)]
        out = {}
        for c in claims:
            supporters, disputers = raw.support.get(c, set()), raw.dispute.get(c, set())
            reviews = raw.reviews
            refuted = {s for s in supporters if not all(counts_as_support(r.verdict) for r in reviews.get((c, s), ()))}
            counting = supporters - refuted
            if claim is not None:
                for key in supporters | disputers:
                    evidence._loaded(c, key)  # fetches the facts of this source, once
            ranks = [raw.sources[s]["rank"] for s in counting if (raw.sources.get(s) or {}).get("rank") is not None]
            articles = {local_name(st.article, ARTICLE) or st.article for st in raw.statements.get(c, ())}
            iri = URIRef(c)
            out[iri] = ClaimSummary(
                iri=iri,
                label=raw.labels.get(c, ""),
                supported_by=tuple(sorted(supporters)),
                disputed_by=tuple(sorted(disputers)),
                articles=tuple(sorted(articles)),
                best_rank=max(ranks) if ranks else None,
                all_ranked=len(ranks) == len(counting),
                refuted=tuple(sorted(refuted)),
            )
        return out

    def claim_summaries(self) -> list[ClaimSummary]:
        """Every claim with its support, in IRI order."""
        return list(self._summaries.values())

    def summary(self, claim: str | URIRef) -> ClaimSummary:
        if "_summaries" in self.__dict__ or len(self) <= _per_claim_above():
            iri = claim if isinstance(claim, URIRef) and claim in self._summaries else self.resolve_claim(str(claim))
            return self._summaries[iri]
        # A big graph: summarise this claim alone rather than all of them.
        iri = self.resolve_claim(str(claim))
        return self._compute_summaries(iri)[iri]

    def cached(self, name: str, build):
        """``build()``, kept on disk beside the cached store (see :mod:`graph.ingest.cache`)
        so that later commands on the same inputs load it instead of rebuilding.
        Without the cache it is simply ``build()``. ``name`` should change when
        the structure built changes."""
        from graph.ingest.cache import artifact

        return artifact(self.backend, name, build)

    # --- evidence: what backs each claim (graph/evidence.py does the work) ----

    @cached_property
    def evidence(self):
        """The cached :class:`graph.evidence.index.EvidenceIndex` of this graph."""
        from graph.evidence.index import EvidenceIndex

        return EvidenceIndex(self)

    def claims(self, style: str = "vancouver") -> list:
        """Every claim as a :class:`graph.evidence.index.ClaimDetail`, in IRI order."""
        return list(self.evidence.details(style).values())

    def claim(self, ident: str | URIRef, style: str = "vancouver"):
        """One :class:`~graph.evidence.index.ClaimDetail` by IRI, ``claim:slug`` or slug.
        Raises :class:`NotFoundError` with the closest slugs."""
        return self.evidence.detail(str(self.resolve_claim(str(ident))), style)

    def sources_for(self, claim: str | URIRef, style: str = "vancouver"):
        """The claim with its supporting and disputing sources formatted in
        ``style`` (``vancouver``, ``apa``, ``plain`` or any pybtex style)."""
        return self.claim(claim, style)

    def claims_for(self, source_key: str, style: str = "vancouver") -> dict:
        """``{"supports": [ClaimDetail], "disputes": [ClaimDetail]}`` for a bib
        key. Raises :class:`NotFoundError` with the closest keys."""
        return self.evidence.claims_for(source_key, style)

    def search(self, text: str, limit: int = 5, style: str = "vancouver") -> list:
        """Claims ranked for free text, best first, as :class:`~graph.evidence.index.Match`
        (BM25 with stemming and synonyms; see :mod:`graph.evidence.search`). Raises
        ``ValueError`` for empty text."""
        return self.evidence.search(text, limit, style)


def load(
    claims: PathLike | Iterable[PathLike] | None = None,
    sources: PathLike | None = None,
    *,
    store: str = "auto",
    cache: bool = False,
):
    """Load the evidence graph.

    >>> import graph
    >>> eg = graph.load()                      # ./claims.ttl or the bundled corpus
    >>> eg = graph.load(claims=["claims.ttl", "more/"], sources="sources.bib")

    Raises :class:`~graph.model.errors.InputError` for a missing, unreadable,
    empty or malformed file, for duplicate citation keys, and for claims
    that cite a key the BibTeX lacks.

    ``store`` and ``cache`` choose where the triples live (see
    :func:`graph.ingest.open_backend`).
    """
    from graph.ingest import open_backend

    backend, claim_paths, source_path = open_backend(claims, sources, store=store, cache=cache)
    return EvidenceGraph(backend=backend, claims_files=claim_paths, sources_file=source_path)


def remote_graph(endpoint: str):
    """An :class:`EvidenceGraph` whose questions go to a remote SPARQL endpoint."""
    from graph.store.remote import RemoteBackend

    return EvidenceGraph(backend=RemoteBackend(endpoint))
