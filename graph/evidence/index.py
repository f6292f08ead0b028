"""What backs each claim: frozen records of claims, their sources, the
statements that make them and any review of a citation, built from the graph.

:class:`EvidenceGraph` exposes these through ``claims()``, ``claim()``,
``sources_for()``, ``claims_for()`` and ``search()``; this module does the
work once per graph (see :class:`EvidenceIndex`) and caches it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from graph.model.namespaces import CITO, CLAIM, EV, local_name
from graph.model.rules import VERDICT_SEVERITY
from graph.sparql.catalogue import query_text

if TYPE_CHECKING:  # pragma: no cover
    from graph.evidence.graph import EvidenceGraph
    from graph.evidence.search import SearchIndex

__all__ = [
    "RELEVANCE_THRESHOLD",
    "STANCES",
    "VERDICT_SEVERITY",
    "Answer",
    "ClaimDetail",
    "EvidenceIndex",
    "Match",
    "SourceClaims",
    "SourceRef",
    "StatementRef",
    "load_query",
]

#: Least relevance (0..1) at which a claim answers a question in ``evg sources``;
#: below it, "nothing in the graph matches" and the closest claims are only
#: related. Tuned on the tune half of tests/data/eval/questions.tsv
#: (scripts/eval_search.py).
RELEVANCE_THRESHOLD = 0.5

#: Graphs with more triples than this answer per-claim questions with queries
#: bound to the claim instead of summarising every claim first.
PER_CLAIM_ABOVE = 300_000
#: Graphs with at most this many triples (about 500 claims) build every
#: claim's detail, formatted citations included, at the first question and
#: keep them beside the cached store, so later questions format nothing;
#: bigger ones build the details of the claims asked about.
ALL_DETAILS_UP_TO = 20_000

#: ev: stance -> the word used in records and JSON.
STANCES = {EV.Asserts: "asserts", EV.Rejects: "rejects", EV.Reports: "reports"}


def load_query(name: str) -> str:
    """The text of ``graph/queries/evidence/<name>.rq``."""
    return query_text(f"evidence/{name}.rq")


@dataclass(frozen=True)
class SourceRef:
    """One source cited for (or against) one claim."""

    key: str  #: bib key
    citation: str  #: formatted in the requested style, plain text
    doi: str | None
    study_design: str | None  #: the design's label, e.g. "cadaveric study"
    evidence_rank: int | None  #: 1 (model, opinion) .. 7 (systematic review)
    verdict: str | None  #: label of the most worrying review verdict for this claim and source
    review: str | None  #: that review's body: what the source really reports
    label: str = ""  #: short name for tables: "Noehren 2007"
    verdict_iri: str | None = None  #: the IRI of that verdict (ev:Misattributed, ...); not in the JSON

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "citation": self.citation,
            "doi": self.doi,
            "study_design": self.study_design,
            "evidence_rank": self.evidence_rank,
            "verdict": self.verdict,
            "review": self.review,
        }


@dataclass(frozen=True)
class StatementRef:
    """One place where an article states, reports or rejects a claim."""

    iri: str  #: the statement
    article: str  #: the article's IRI
    title: str  #: the article's title
    stance: str  #: "asserts", "rejects" or "reports"
    quote: str  #: the verbatim words (oa:exact)
    cited: tuple[str, ...]  #: bib keys cited at that spot, sorted

    def to_dict(self) -> dict:
        return {
            "article": self.article,
            "title": self.title,
            "stance": self.stance,
            "quote": self.quote,
            "statement": self.iri,
            "cited": list(self.cited),
        }


@dataclass(frozen=True)
class ClaimDetail:
    """A claim with everything a writer needs to cite it, or to see that
    nothing backs it (then ``supported_by`` is empty)."""

    iri: str
    slug: str
    text: str  #: the claim's wording (rdfs:label)
    topics: tuple[str, ...]  #: preferred labels of its topics, sorted
    status: str  #: a :class:`graph.evidence.graph.SupportStatus` value
    supported_by: tuple[SourceRef, ...]  #: strongest design first, then by key
    disputed_by: tuple[SourceRef, ...]
    stated_in: tuple[StatementRef, ...]  #: by article, then statement

    def to_dict(self) -> dict:
        return {
            "claim": self.iri,
            "slug": self.slug,
            "text": self.text,
            "topics": list(self.topics),
            "status": self.status,
            "supported_by": [s.to_dict() for s in self.supported_by],
            "disputed_by": [s.to_dict() for s in self.disputed_by],
            "stated_in": [s.to_dict() for s in self.stated_in],
        }


@dataclass(frozen=True)
class Match:
    """A search result: ``score`` is the raw BM25 score, ``relative`` the
    score divided by the query's total term weight, capped at 1.0 (see
    :mod:`graph.evidence.search` for both scales). A claim picked by IRI or slug has
    score and relative 1.0."""

    claim: ClaimDetail
    score: float
    relative: float = 1.0
    #: how much of the question the claim answers, 0..1 (see :meth:`EvidenceIndex.answer`)
    relevance: float = 1.0

    def to_dict(self) -> dict:
        d = self.claim.to_dict()
        out = {"claim": d.pop("claim"), "text": d.pop("text"), "score": round(self.score, 4)}
        out["relative"] = round(self.relative, 4)
        out["relevance"] = round(self.relevance, 4)
        out.update(d)
        return out


@dataclass(frozen=True)
class Answer:
    """What ``evg sources`` answers: the claims that match the question
    (``relevance`` at least ``threshold``) or, when none does, nothing, with
    the closest claims as ``related`` only."""

    query: str
    matches: tuple[Match, ...]
    related: tuple[Match, ...]
    threshold: float

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "nothing_matches": not self.matches,
            "threshold": self.threshold,
            "matches": [m.to_dict() for m in self.matches],
            "related": [m.to_dict() for m in self.related],
        }


@dataclass(frozen=True)
class SourceClaims:
    """A source and the claims it supports and disputes (``evg claims``)."""

    source: SourceRef  #: the source itself (verdict and review are None here)
    supports: tuple[ClaimDetail, ...]
    disputes: tuple[ClaimDetail, ...]

    def to_dict(self) -> dict:
        src = self.source
        return {
            "source": src.key,
            "label": src.label,
            "citation": src.citation,
            "doi": src.doi,
            "study_design": src.study_design,
            "evidence_rank": src.evidence_rank,
            "supports": [_claim_dict(c) for c in self.supports],
            "disputes": [_claim_dict(c) for c in self.disputes],
        }


def _claim_dict(claim: ClaimDetail) -> dict:
    d = claim.to_dict()
    return {"claim": d.pop("claim"), "text": d.pop("text"), **d}


@dataclass
class _Review:
    verdict: str | None  # IRI
    label: str | None
    body: str | None


@dataclass
class _Raw:
    """Everything about the claims, gathered with one query per kind."""

    labels: dict[str, str] = field(default_factory=dict)
    topics: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    topic_terms: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    statements: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    support: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    dispute: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    reviews: dict[tuple[str, str], list] = field(default_factory=lambda: defaultdict(list))
    sources: dict[str, dict] = field(default_factory=dict)


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")


def _source_facts(row: dict) -> dict:
    return {
        "doi": row["doi"],
        "design": row["designLabel"],
        "rank": int(row["rank"]) if row["rank"] is not None else None,
    }


def worst_review(reviews) -> _Review | None:
    """The most worrying of a citation's reviews (:data:`~graph.model.rules.VERDICT_SEVERITY`),
    ties broken by review text; None for none."""
    order = _SEVERITY
    return min(reviews, key=lambda r: (order.get(r.verdict or "", len(order)), r.body or ""), default=None)


_SEVERITY = {str(v): i for i, v in enumerate(VERDICT_SEVERITY)}


class EvidenceIndex:
    """The claim records of one :class:`EvidenceGraph`, built once and cached.

    Details are built per citation style on first use; the search index is
    built on the first search.
    """

    def __init__(self, eg: EvidenceGraph):
        self.eg = eg
        self._details: dict[str, dict[str, ClaimDetail]] = {}
        self._citations: dict[tuple[str, str], str] = {}
        self._entries: dict = {}  # bib key -> pybtex Entry, decoded from LaTeX

    @cached_property
    def raw(self) -> _Raw:
        """The records of every claim and every source."""
        raw = _Raw()
        self._gather(raw)
        for row in self.eg.select_values(load_query("source-facts")):
            raw.sources[row["key"]] = _source_facts(row)
        return raw

    def _gather(self, raw: _Raw, claim: str | None = None) -> None:
        """Fill ``raw`` with the claim records, of every claim or of ``claim``
        alone (the same queries bound to it): the one place they are assembled.
        Rows as plain strings: cheaper than rdflib terms on big graphs."""
        eg, values = self.eg, self.eg.select_values
        b = {"claim": _uri(claim)} if claim is not None else None
        for row in values(load_query("claims"), b):
            raw.labels[row["claim"]] = row["label"] or ""
        for row in values(load_query("claim-topics"), b):
            claim_iri = row["claim"]
            label = row["label"] or eg.label(_uri(row["topic"]))
            raw.topics[claim_iri].add(label)
            raw.topic_terms[claim_iri].add(label)
            if row["altLabel"] is not None:
                raw.topic_terms[claim_iri].add(row["altLabel"])
        cited: dict[str, set] = defaultdict(set)
        for row in values(load_query("statement-citations"), b):
            cited[row["statement"]].add(row["key"])
        stances = {str(k): v for k, v in STANCES.items()}
        for row in values(load_query("statements"), b):
            stmt = row["statement"]
            raw.statements[row["claim"]].append(
                StatementRef(
                    iri=stmt,
                    article=row["article"],
                    title=row["title"] or eg.label(_uri(row["article"])),
                    stance=stances.get(row["stance"], "asserts"),
                    quote=row["quote"] or "",
                    cited=tuple(sorted(cited.get(stmt, ()))),
                )
            )
        supports = str(CITO.obtainsSupportFrom)
        for row in values(load_query("claim-links"), b):
            target = raw.support if row["p"] == supports else raw.dispute
            target[row["claim"]].add(row["key"])
        for row in values(load_query("reviews"), b):
            if row["claim"] is not None and row["key"] is not None:
                raw.reviews[(row["claim"], row["key"])].append(
                    _Review(row["verdict"], row["verdictLabel"], row["body"])
                )

    # --- records of a few claims, on big graphs ---------------------------------------

    def _loaded(self, claim: str, key: str | None = None) -> _Raw:
        """The records covering ``claim`` (and source ``key``): all records on a
        small graph; on a big one (:data:`PER_CLAIM_ABOVE`) only those of the
        claims and sources asked about, fetched by queries bound to them."""
        if "raw" in self.__dict__ or len(self.eg) <= PER_CLAIM_ABOVE:
            return self.raw
        part = self.__dict__.setdefault("_part", _Raw())
        done = self.__dict__.setdefault("_part_done", set())
        if claim and claim not in done:
            done.add(claim)
            self._fetch_claim(part, claim)
        keys = [key] if key else []
        if claim:
            keys += sorted(part.support.get(claim, set()) | part.dispute.get(claim, set()))
        for k in keys:
            if k not in part.sources and ("source", k) not in done:
                done.add(("source", k))
                self._fetch_source(part, k)
        return part

    def _fetch_claim(self, part: _Raw, claim: str) -> None:
        if self.eg.ask("ASK { ?claim a <https://w3id.org/evidence-graph/vocab#Claim> }", {"claim": _uri(claim)}):
            self._gather(part, claim)

    def _fetch_source(self, part: _Raw, key: str) -> None:
        from rdflib import Literal

        for row in self.eg.select_values(load_query("source-facts"), {"key": Literal(key)}):
            part.sources[row["key"]] = _source_facts(row)

    # --- records -----------------------------------------------------------------

    def _entry(self, key: str):
        # Decoded from LaTeX once here; the styles and short_label take it as it is.
        if key not in self._entries:
            from graph.bibliography.styles import decoded_entry

            entry = self.eg.bib_entries([key]).get(key) or self.eg.bib_entry(key)  # the latter explains a miss
            self._entries[key] = decoded_entry(entry)
        return self._entries[key]

    def citation(self, key: str, style: str) -> str:
        if (key, style) not in self._citations:
            from graph.bibliography.citations import format_entry

            self._citations[(key, style)] = format_entry(self._entry(key), style)
        return self._citations[(key, style)]

    def short_label(self, key: str) -> str:
        if (key, "") not in self._citations:
            from graph.bibliography.citations import short_label

            self._citations[(key, "")] = short_label(self._entry(key), key)
        return self._citations[(key, "")]

    def _source_ref(self, claim: str, key: str, style: str) -> SourceRef:
        raw = self._loaded(claim, key)
        facts = raw.sources.get(key, {})
        reviews = raw.reviews.get((claim, key), [])
        review = worst_review(reviews)
        verdict = None
        if review is not None and review.verdict is not None:
            verdict = review.label or local_name(review.verdict, EV._NS) or review.verdict
        return SourceRef(
            key=key,
            citation=self.citation(key, style) if key in raw.sources else key,
            doi=facts.get("doi"),
            study_design=facts.get("design"),
            evidence_rank=facts.get("rank"),
            verdict=verdict,
            review=review.body if review is not None else None,
            label=self.short_label(key) if key in raw.sources else key,
            verdict_iri=review.verdict if review is not None else None,
        )

    def _refs(self, claim: str, keys, style: str) -> tuple[SourceRef, ...]:
        refs = [self._source_ref(claim, k, style) for k in keys]
        return tuple(sorted(refs, key=lambda r: (-(r.evidence_rank or 0), r.key)))

    def _detail(self, claim: str, style: str) -> ClaimDetail:
        raw = self._loaded(claim)
        status = self.eg.summary(_uri(claim)).status if claim in raw.labels else "no-source"
        return ClaimDetail(
            iri=claim,
            slug=local_name(claim, CLAIM) or claim,
            text=raw.labels.get(claim, ""),
            topics=tuple(sorted(raw.topics.get(claim, ()))),
            status=status,
            supported_by=self._refs(claim, raw.support.get(claim, ()), style),
            disputed_by=self._refs(claim, raw.dispute.get(claim, ()), style),
            stated_in=tuple(sorted(raw.statements.get(claim, ()), key=lambda s: (s.article, s.iri))),
        )

    def details(self, style: str = "vancouver") -> dict[str, ClaimDetail]:
        """Every claim's detail, by IRI, in IRI order."""
        if style not in self._details:
            from graph.bibliography.citations import style_key

            # Formatting every citation of a big corpus takes seconds: keep the
            # records beside the cached store (a no-op without the cache), under
            # the style file's digest, so an edited style formats afresh.
            name = f"claim-details-{style_key(style)}"
            self._details[style] = self.eg.cached(name, lambda: self._all_details(style))
        return self._details[style]

    def _all_details(self, style: str) -> dict[str, ClaimDetail]:
        raw = self.raw
        cited = set().union(*raw.support.values(), *raw.dispute.values())
        self.eg.bib_entries(sorted(cited & raw.sources.keys()))  # one bulk fetch, not one per source
        return {c: self._detail(c, style) for c in sorted(raw.labels)}

    def detail(self, claim: str, style: str = "vancouver") -> ClaimDetail:
        if style in self._details or len(self.eg) <= min(ALL_DETAILS_UP_TO, PER_CLAIM_ABOVE):
            return self.details(style)[claim]
        from graph.bibliography.citations import check_style

        check_style(style)
        return self._detail(claim, style)

    # --- questions ---------------------------------------------------------------

    def claims_for(self, source_key: str, style: str = "vancouver") -> dict[str, list[ClaimDetail]]:
        key = self._source_key(source_key)
        raw = self.raw
        supports = sorted(c for c, keys in raw.support.items() if key in keys)
        disputes = sorted(c for c, keys in raw.dispute.items() if key in keys)
        return {
            "supports": [self.detail(c, style) for c in supports],
            "disputes": [self.detail(c, style) for c in disputes],
        }

    def source_claims(self, source_key: str, style: str = "vancouver") -> SourceClaims:
        """:meth:`claims_for` with the source's own citation and design."""
        found = self.claims_for(source_key, style)
        key = self._source_key(source_key)
        ref = self._source_ref("", key, style)
        return SourceClaims(ref, tuple(found["supports"]), tuple(found["disputes"]))

    def _source_key(self, source_key: str) -> str:
        from graph.model.namespaces import SOURCE

        iri = self.eg.resolve_source(source_key)
        return local_name(iri, SOURCE) or str(iri)

    @cached_property
    def search_index(self) -> SearchIndex:
        from graph.evidence.search import index_key

        # Kept beside the cached store: building it for 100,000 claims takes seconds.
        # The number goes up when a pickled class changes or moves (4: Analyzer
        # moved to graph.evidence.terms).
        return self.eg.cached(f"search-index-4-{index_key()}", self._build_search_index)

    def _build_search_index(self) -> SearchIndex:
        from graph.evidence.search import BROADER_WEIGHT, QUOTE_WEIGHT, SOURCE_WEIGHT, SearchIndex, graph_synonyms

        raw = self.raw
        broader: dict[str, set] = defaultdict(set)
        for row in self.eg.select_values(load_query("topic-broader")):
            broader[row["claim"]].add(row["label"])
        # How writers name a source: "Fredericson 2000", "the systematic review".
        names = {
            row["key"]: " ".join(filter(None, (row["family"], row["year"], row["designLabel"])))
            for row in self.eg.select_values(load_query("source-names"))
        }

        def weighted(c: str) -> list[tuple[str, float]]:
            quotes = sorted({st.quote for st in raw.statements.get(c, ()) if st.quote})
            keys = sorted(raw.support.get(c, set()) | raw.dispute.get(c, set()))
            return (
                [(q, QUOTE_WEIGHT) for q in quotes]
                + [(names[k], SOURCE_WEIGHT) for k in keys if names.get(k)]
                + [(b, BROADER_WEIGHT) for b in sorted(broader.get(c, ()))]
            )

        docs = ((c, raw.labels[c], sorted(raw.topic_terms.get(c, ())), weighted(c)) for c in sorted(raw.labels))
        return SearchIndex(docs, synonyms=graph_synonyms(self.eg))

    def search(self, text: str, limit: int = 5, style: str = "vancouver") -> list[Match]:
        if not isinstance(text, str) or not text.strip():
            raise ValueError("search text is empty")
        hits = self.search_index.search(text, limit)
        return [Match(self.detail(hit.doc, style), hit.score, hit.relative) for hit in hits]

    def answer(self, text: str, limit: int = 5, style: str = "vancouver", threshold: float | None = None) -> Answer:
        """The claims that answer a question, or "nothing in the graph matches".

        Candidates are ranked by BM25 (misspelt words read as the closest
        known word). Each gets a *relevance*: the share of the question's
        weight (each content word counts its idf, so rare words weigh more)
        that the claim's wording, quotes or topics contain, directly or
        through a synonym. Candidates reaching ``threshold`` (default
        :data:`RELEVANCE_THRESHOLD`) are the matches; when none does, the
        answer has no matches and the best candidates are ``related``.
        """
        if not isinstance(text, str) or not text.strip():
            raise ValueError("search text is empty")
        threshold = RELEVANCE_THRESHOLD if threshold is None else threshold
        hits = self.search_index.rank(text, max(limit, 3))
        ranked = [Match(self.detail(h.doc, style), h.score, h.relative, h.coverage) for h in hits]
        matches = tuple(m for m in ranked if m.relevance >= threshold)[:limit]
        related = () if matches else tuple(ranked[:limit])
        return Answer(text, matches, related, threshold)

    def ask(self, text: str, limit: int = 5, style: str = "vancouver") -> Answer:
        """What ``evg sources`` shows: :meth:`lookup` for a claim id (the claim
        as the only match), else :meth:`answer` for the question."""
        ident = text.strip() if isinstance(text, str) else ""
        if ident and not any(c.isspace() for c in ident):
            found = self.lookup(ident, limit, style)
            if len(found) == 1 and found[0].score == 1.0 and found[0].relative == 1.0 and self._is_claim(ident):
                return Answer(text, tuple(found), (), 0.0)
        return self.answer(text, limit, style)

    def _is_claim(self, ident: str) -> bool:
        from graph.model.errors import NotFoundError

        try:
            self.eg.resolve_claim(ident)
        except NotFoundError:
            return False
        return True

    def lookup(self, text: str, limit: int = 5, style: str = "vancouver") -> list[Match]:
        """What ``evg sources`` shows: the claim named by ``text`` (full IRI,
        ``claim:slug`` or slug) as the only match, else a search.

        ``text`` that can only be meant as a claim id (an IRI, ``claim:...``,
        or a slug-shaped word with two or more hyphens that has a close slug)
        but names no claim raises :class:`NotFoundError` with the closest
        slugs, rather than searching for it.
        """
        from graph.model.errors import NotFoundError

        if not isinstance(text, str) or not text.strip():
            raise ValueError("search text is empty")
        ident = text.strip()
        if any(c.isspace() for c in ident):  # words, not an id
            return self.search(ident, limit, style)
        try:
            iri = self.eg.resolve_claim(ident)
        except NotFoundError as exc:
            looks_like_id = ident.startswith(("claim:", "http://", "https://")) or (
                _SLUG.match(ident) is not None and ident.count("-") >= 2 and bool(exc.suggestions)
            )
            if looks_like_id:
                raise
            return self.search(ident, limit, style)
        return [Match(self.detail(str(iri), style), 1.0, 1.0)]


def _uri(text: str):
    from rdflib import URIRef

    return URIRef(text)
