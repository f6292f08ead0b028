"""Check a writer's draft against the graph: one status per sentence.

Each sentence of the draft (see :mod:`graph.drafts.parse`) is matched to a known
claim with the same BM25 ranking as ``evg sources``
(:meth:`graph.evidence.graph.EvidenceGraph.search`). The best-ranked candidate counts
as a match only if its *similarity* to the sentence reaches
:data:`MATCH_THRESHOLD`. Similarity is an idf-weighted Dice coefficient of
the two term sets (stemmed words plus synonym-concept terms, as the search
index analyses them): twice the weight of the shared terms over the summed
weight of both sets, so a match must cover much of the sentence *and* much of
the claim. The claim's wording and each verbatim quote that asserts or reports
it are compared, and the best counts. ``scripts/tune_threshold.py`` prints
precision and recall per threshold on ``tests/data/drafts/match-labels.tsv``.

Statuses, from the matched claim and the sources the sentence cites:

``supported``  the draft cites a source that supports the claim
``miscited``   the draft cites sources, but none supports the claim, or one
               was reviewed as misattributed or not supported for it
``unsourced``  the draft cites nothing (the claim's sources are suggested), or
               only citations that could not be resolved: the note then says
               "cites [^6], which could not be resolved: <reason>"
``contested``  some source disputes the claim (both sides are listed)
``unmatched``  the sentence matches no known claim
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, ClassVar

from graph.drafts.parse import Draft, Resolution, SourceIndex, Unresolved, resolve
from graph.model.rules import counts_as_support

if TYPE_CHECKING:  # pragma: no cover
    from graph.drafts.ownbib import OwnBibliography
    from graph.evidence.graph import EvidenceGraph

__all__ = [
    "CANDIDATES",
    "CITED_TIE_RATIO",
    "MATCH_THRESHOLD",
    "MIN_SHARED_WORDS",
    "CheckReport",
    "ClaimInfo",
    "ClaimMatcher",
    "SentenceCheck",
    "Status",
    "check_draft",
    "choose",
]

#: Least similarity (idf-weighted Dice, 0..1) at which a sentence matches a
#: claim. Tuned with scripts/tune_threshold.py on tests/data/drafts/match-labels.tsv
#: (70 sentences stating a claim, 50 stating none): 0.32 and 0.34 both give
#: precision 0.97 and recall 0.96 with no unrelated sentence matched; 0.34 keeps
#: a margin of 0.035 over the highest-scoring unrelated sentence (0.305).
MATCH_THRESHOLD = 0.34
#: A match must also share at least this many words (not counting synonym-concept
#: terms) with the claim's wording or quote: one shared word, however rare, is chance.
MIN_SHARED_WORDS = 2
#: How many search results are considered per sentence.
CANDIDATES = 5
#: A candidate whose BM25 score is at least this share of the best one's may
#: win over it when the draft cites one of its sources (citations break near-ties).
CITED_TIE_RATIO = 0.75


class Status:
    """The status of one sentence."""

    SUPPORTED = "supported"
    MISCITED = "miscited"
    UNSOURCED = "unsourced"
    CONTESTED = "contested"
    UNMATCHED = "unmatched"

    ALL = (SUPPORTED, MISCITED, UNSOURCED, CONTESTED, UNMATCHED)
    #: statuses that make ``--strict`` fail
    FAILING = (MISCITED, UNSOURCED)
    #: marks shown in the table and Markdown
    MARKS: ClassVar[dict[str, str]] = {SUPPORTED: "✓", MISCITED: "✗", UNSOURCED: "!", CONTESTED: "±", UNMATCHED: "·"}


# --- matching ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimInfo:
    """What checking needs to know about one claim: its wording, the keys of
    its sources, their review verdicts and the quotes that state it. (Lighter
    than :class:`graph.evidence.index.ClaimDetail`: no formatted citations, which
    cost a pybtex run per source, so a long draft formats only what it shows.)"""

    iri: str
    slug: str
    text: str
    supported_by: tuple[str, ...]  #: strongest study design first, then by key
    disputed_by: tuple[str, ...]
    #: key -> (verdict IRI, verdict label, review body): the most worrying review of
    #: that source's citation for this claim
    verdicts: dict[str, tuple[str, str, str | None]]
    quotes: tuple[str, ...]  #: verbatim quotes of statements that assert or report it
    statements: tuple[tuple[str, str], ...] = ()  #: (statement IRI, article IRI) of every statement of it


class ClaimMatcher:
    """Matches free text to one claim: search, then the similarity gate."""

    def __init__(self, eg: EvidenceGraph, *, threshold: float = MATCH_THRESHOLD):
        self.eg = eg
        self.threshold = threshold
        evidence = eg.evidence
        #: the index `evg sources` ranks with: the same ranking, without formatting citations
        self.index = evidence.search_index
        self._evidence = evidence
        self._terms: dict[str, frozenset[str]] = {}
        self._weights: dict[str, float] = {}
        self._claims: dict[str, ClaimInfo] = {}
        self._partners: dict[str, tuple[str, ...]] | None = None

    def claim(self, iri: str) -> ClaimInfo:
        """The :class:`ClaimInfo` of a claim IRI (cached)."""
        got = self._claims.get(iri)
        if got is None:
            got = self._claims[iri] = self._build(iri)
        return got

    def _build(self, iri: str) -> ClaimInfo:
        from graph.evidence.index import worst_review
        from graph.model.namespaces import CLAIM, EV, local_name

        # This claim's records: all of them on a small graph, fetched for it alone on a big one.
        raw = self._evidence._loaded(iri)

        def strongest_first(keys) -> tuple[str, ...]:
            return tuple(sorted(keys, key=lambda k: (-(raw.sources.get(k, {}).get("rank") or 0), k)))

        supported_by = strongest_first(raw.support.get(iri, ()))
        disputed_by = strongest_first(raw.dispute.get(iri, ()))
        verdicts = {}
        for key in (*supported_by, *disputed_by):
            r = worst_review([r for r in raw.reviews.get((iri, key), ()) if r.verdict])
            if r is not None:
                verdicts[key] = (r.verdict, r.label or local_name(r.verdict, EV._NS) or r.verdict, r.body)
        return ClaimInfo(
            iri=iri,
            slug=local_name(iri, CLAIM) or iri,
            text=raw.labels.get(iri, ""),
            supported_by=supported_by,
            disputed_by=disputed_by,
            verdicts=verdicts,
            quotes=tuple(st.quote for st in raw.statements.get(iri, ()) if st.stance != "rejects" and st.quote),
            statements=tuple(sorted((st.iri, st.article) for st in raw.statements.get(iri, ()))),
        )

    def terms(self, text: str) -> frozenset[str]:
        got = self._terms.get(text)
        if got is None:
            got = self._terms[text] = frozenset(self.index.analyzer.terms(text))
        return got

    def _weight(self, terms) -> float:
        total = 0.0
        for t in terms:
            w = self._weights.get(t)
            if w is None:
                w = self._weights[t] = self.index.bound([t])
            total += w
        return total

    def similarity(self, text_terms: frozenset[str], claim: ClaimInfo) -> float:
        """Idf-weighted Dice of ``text_terms`` and the claim's wording or, if
        closer, one of its asserting or reporting quotes; 0 for a text that
        shares fewer than :data:`MIN_SHARED_WORDS` words with it."""
        if not text_terms:
            return 0.0
        own = self._weight(text_terms)
        concepts = self.index.analyzer.groups
        best = 0.0
        for other in (claim.text, *claim.quotes):
            terms = self.terms(other)
            shared = text_terms & terms
            if sum(1 for t in shared if t not in concepts) >= MIN_SHARED_WORDS:
                best = max(best, 2 * self._weight(shared) / (own + self._weight(terms)))
        return best

    def candidates(self, text: str) -> list[tuple[ClaimInfo, float, float]]:
        """(claim, BM25 score, similarity) for the top search results, best first."""
        terms = self.terms(text)
        if not terms:
            return []
        out = []
        for hit in self.index.search(text, CANDIDATES):
            claim = self.claim(hit.doc)
            out.append((claim, hit.score, self.similarity(terms, claim)))
        return out

    def match(self, text: str, cited=()) -> tuple[ClaimInfo | None, float, list]:
        """The matched claim (or None), its similarity, and all candidates
        (see :func:`choose`)."""
        cands = self.candidates(text)
        claim, similarity = choose(cands, self.threshold, cited)
        return claim, similarity, cands

    def partners(self, iri: str) -> tuple[str, ...]:
        """The claims that ``ev:contradicts`` pairs with the claim ``iri`` (both ways)."""
        if self._partners is None:
            from graph.sparql.catalogue import query_text

            found: dict[str, list[str]] = {}
            for row in self.eg.select(query_text("draft/contradicts.rq")):
                found.setdefault(str(row["claim"]), []).append(str(row["other"]))
            self._partners = {k: tuple(sorted(set(v))) for k, v in found.items()}
        return self._partners.get(iri, ())

    def match_stance(self, text: str, cited=()) -> tuple[ClaimInfo | None, float, str, ClaimInfo | None]:
        """(claim, similarity, relation, negated claim) for ``text``, reading
        negation (:mod:`graph.drafts.negation`). A sentence that states the
        opposite of the matched claim is matched to the claim that
        ``ev:contradicts`` it, if there is one (``relation`` "same",
        ``negated`` the claim it denies; among several, one a ``cited`` source
        supports); else it keeps the claim with ``relation`` "opposite"."""
        from graph.drafts.negation import OPPOSITE, SAME, relation

        claim, similarity, _ = self.match(text, cited)
        if claim is None:
            return None, similarity, SAME, None
        if relation(self.index.analyzer, text, claim.text) == SAME:
            return claim, similarity, SAME, None
        partners = [self.claim(iri) for iri in self.partners(claim.iri)]
        if not partners:
            return claim, similarity, OPPOSITE, None
        wanted = set(cited)
        backed = [p for p in partners if wanted & set(p.supported_by)]
        return (backed or partners)[0], similarity, SAME, claim


def choose(cands, threshold: float, cited=()) -> tuple[ClaimInfo | None, float]:
    """Pick the match among ``(claim, BM25 score, similarity)`` candidates
    ranked best first.

    Only candidates reaching ``threshold`` count. The best-ranked one wins,
    unless others are near-tied with it (BM25 score at least
    :data:`CITED_TIE_RATIO` of its): among those, the ones that a ``cited``
    source supports or disputes if any, the one most similar to the text wins.
    """
    passing = [c for c in cands if c[2] >= threshold]
    if not passing:
        return None, (max(c[2] for c in cands) if cands else 0.0)
    near = [c for c in passing if c[1] >= CITED_TIE_RATIO * passing[0][1]]
    if cited:
        wanted = set(cited)
        backed = [c for c in near if wanted & {*c[0].supported_by, *c[0].disputed_by}]
        if backed:
            near = backed
    best = max(near, key=lambda c: c[2])  # max() keeps the first of equals: the better-ranked
    return best[0], best[2]


# --- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceCheck:
    """The verdict on one sentence."""

    line: int
    text: str
    cited: tuple[str, ...]  #: bib keys the sentence cites (resolved), in order
    status: str
    claim: ClaimInfo | None
    similarity: float
    supported_by: tuple[str, ...] = ()  #: every source the graph lists as supporting the claim
    disputed_by: tuple[str, ...] = ()
    suggest: tuple[str, ...] = ()  #: sources to cite instead or in addition
    #: cited or supporting sources with a review verdict: key -> (verdict label, review body)
    verdicts: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    note: str = ""  #: why this status, in one sentence
    unresolved: tuple[Unresolved, ...] = ()
    #: "same": the sentence states the claim; "opposite": it negates it (and no claim contradicts it)
    relation: str = "same"
    #: the claim the sentence negates, when it was matched to the claim that contradicts that one
    negates: ClaimInfo | None = None

    def to_dict(self) -> dict:
        return {
            "line": self.line,
            "text": self.text,
            "cited": list(self.cited),
            "status": self.status,
            "claim": self.claim.iri if self.claim else None,
            "claim_text": self.claim.text if self.claim else None,
            "similarity": round(self.similarity, 3),
            "supported_by": list(self.supported_by),
            "disputed_by": list(self.disputed_by),
            "suggest": list(self.suggest),
            "verdicts": {k: {"verdict": v, "review": r} for k, (v, r) in self.verdicts.items()},
            "note": self.note,
            "unresolved": [u.to_dict() for u in self.unresolved],
            "relation": self.relation,
            "negates": self.negates.iri if self.negates else None,
        }


@dataclass(frozen=True)
class ReferenceCheck:
    """One entry of the draft's reference list and the bib key it matched."""

    label: str
    line: int
    text: str
    key: str | None

    def to_dict(self) -> dict:
        return {"label": self.label, "key": self.key, "line": self.line, "text": self.text}


@dataclass(frozen=True)
class CheckReport:
    """Everything ``evg check`` prints."""

    draft: str
    style: str
    sentences: tuple[SentenceCheck, ...]
    references: tuple[ReferenceCheck, ...]
    unresolved: tuple[Unresolved, ...]
    #: cited keys of the writer's own bibliography: key -> (entry, corpus key or None, how)
    own_keys: dict = field(default_factory=dict, compare=False)
    #: formats a bib key as a reference in ``style``; called only for the keys shown
    formatter: Callable[[str], str] | None = field(default=None, repr=False, compare=False)
    _formatted: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def citation(self, key: str) -> str:
        """The formatted reference of ``key`` (cached), or the key itself."""
        if key not in self._formatted:
            self._formatted[key] = self.formatter(key) if self.formatter else key
        return self._formatted[key]

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(s.status for s in self.sentences)
        return {status: counts.get(status, 0) for status in Status.ALL}

    @property
    def not_in_graph(self) -> tuple[Unresolved, ...]:
        """Citations of keys in the writer's bibliography whose entries map to no corpus source."""
        return tuple(u for u in self.unresolved if u.not_in_graph)

    @property
    def failing(self) -> bool:
        """Whether any sentence is miscited or unsourced (``--strict`` exits 1)."""
        return any(s.status in Status.FAILING for s in self.sentences)

    def to_dict(self) -> dict:
        return {
            "draft": self.draft,
            "style": self.style,
            "threshold": MATCH_THRESHOLD,
            "sentences": [s.to_dict() for s in self.sentences],
            "summary": self.summary,
            "references": [r.to_dict() for r in self.references],
            "unresolved": [u.to_dict() for u in self.unresolved],
            "not_in_graph": [u.to_dict() for u in self.not_in_graph],
            "bibliography": {
                key: {"file": entry.path, "line": entry.line, "source": source, "how": how if source else None}
                for key, (entry, source, how) in sorted(self.own_keys.items())
            },
        }


# --- checking --------------------------------------------------------------------------


def check_draft(
    eg: EvidenceGraph,
    draft: Draft,
    *,
    style: str = "vancouver",
    threshold: float = MATCH_THRESHOLD,
    index: SourceIndex | None = None,
    bibliography: OwnBibliography | None = None,
) -> CheckReport:
    """Check every sentence of ``draft``: one search per sentence, then the
    status from its citations and the matched claim's sources.

    ``bibliography`` is the writer's own (:mod:`graph.drafts.ownbib`); by
    default, the files the draft's front matter names."""
    from graph.bibliography.citations import check_style

    check_style(style)
    if bibliography is None and draft.bibliography:
        from graph.drafts.ownbib import read_own_bibliographies

        bibliography = read_own_bibliographies(draft.path, draft.bibliography)
    resolution = _resolution(eg, draft, index, bibliography)
    from graph.bibliography.citations import format_citation
    from graph.model.progress import track

    matcher = ClaimMatcher(eg, threshold=threshold)
    checks = []
    rows = zip(draft.sentences, resolution.cited, resolution.unresolved)
    for sentence, cited, unresolved in track(rows, "checking sentences", total=len(draft.sentences)):
        claim, similarity, relation, negates = matcher.match_stance(sentence.plain, cited)
        check = _judge(sentence.line, sentence.text, cited, unresolved, claim, similarity, relation)
        if negates is not None:
            from dataclasses import replace

            backing = [k for k in cited if k in negates.supported_by]
            what = f", which the cited {', '.join(backing)} supports" if backing else ""
            check = replace(check, negates=negates, note=f"{check.note}; the sentence denies {negates.slug}{what}")
        checks.append(check)
    references = tuple(
        ReferenceCheck(r.label, r.line, r.text, key) for r, key in zip(draft.references, resolution.reference_keys)
    )
    return CheckReport(
        draft=draft.path,
        style=style,
        sentences=tuple(checks),
        references=references,
        unresolved=tuple(resolution.all_unresolved),
        own_keys=dict(resolution.own_keys),
        formatter=lambda key: format_citation(eg, key, style),
    )


def _resolution(eg: EvidenceGraph, draft: Draft, index: SourceIndex | None, own=None) -> Resolution:
    if index is None and (draft.references or draft.citations):
        index = SourceIndex.from_graph(eg, draft, own)
    if index is None:
        n = len(draft.sentences)
        return Resolution(((),) * n, ((),) * n, (), ((),) * n)
    return resolve(draft, index, own)


def _judge(line, text, cited, unresolved, claim, similarity, relation="same") -> SentenceCheck:
    if claim is not None and relation == "opposite":
        return _judge_opposite(line, text, cited, unresolved, claim, similarity)
    if claim is None:
        note = "matches no known claim"
        if cited:
            note += "; the graph cannot say whether the cited sources back it"
        return SentenceCheck(line, text, cited, Status.UNMATCHED, None, similarity, note=note, unresolved=unresolved)
    supporters = list(claim.supported_by)
    disputers = list(claim.disputed_by)
    verdicts = {k: (label, body) for k, (_, label, body) in claim.verdicts.items()}
    refuted = {k for k, (iri, _, _) in claim.verdicts.items() if not counts_as_support(iri)}
    good = [k for k in supporters if k not in refuted]
    cited_good = [k for k in cited if k in good]
    cited_refuted = [k for k in cited if k in refuted]
    cited_disputing = [k for k in cited if k in disputers]
    suggest = tuple(k for k in good if k not in cited)
    shown = {k: v for k, v in verdicts.items() if k in cited or k in good}

    base = SentenceCheck(
        line, text, cited, "", claim, similarity, tuple(supporters), tuple(disputers), (), shown, "", unresolved
    )

    def result(status: str, note: str, suggestion=suggest) -> SentenceCheck:
        return replace(base, status=status, note=note, suggest=tuple(suggestion))

    if cited:
        if cited_refuted:
            what = ", ".join(f"{k} ({verdicts[k][0]})" for k in cited_refuted)
            return result(Status.MISCITED, f"a review found that {what} does not back this claim")
        if not cited_good:
            if cited_disputing:
                note = f"{', '.join(cited_disputing)} disputes this claim rather than supporting it"
            elif supporters:
                note = "none of the cited sources is known to support this claim"
            else:
                note = "no source in the graph supports this claim, so none of the cited ones is known to"
            return result(Status.MISCITED, note)
        if disputers:
            return result(Status.CONTESTED, f"disputed by {', '.join(disputers)}")
        return result(Status.SUPPORTED, f"supported by the cited {', '.join(cited_good)}", ())
    if unresolved:  # it cites something, but nothing it cites could be found
        tail = f"; disputed by {', '.join(disputers)}" if disputers else ""
        return result(Status.CONTESTED if disputers else Status.UNSOURCED, f"cites {_unresolved(unresolved)}{tail}")
    if disputers:
        return result(Status.CONTESTED, f"disputed by {', '.join(disputers)}; cite the evidence on both sides")
    if good:
        return result(Status.UNSOURCED, "cites nothing; the graph has sources that support this claim")
    if supporters:
        return result(
            Status.UNSOURCED,
            f"cites nothing; the only source cited for this claim elsewhere ({', '.join(supporters)}) "
            "was reviewed as not backing it",
        )
    return result(Status.UNSOURCED, "cites nothing, and no source in the graph supports this claim either")


def _unresolved(unresolved) -> str:
    """The citations of a sentence that could not be resolved, for its note."""
    return "; ".join(f"{u.marker}, which could not be resolved: {u.reason}" for u in unresolved)


def _judge_opposite(line, text, cited, unresolved, claim, similarity) -> SentenceCheck:
    """A sentence that states the opposite of ``claim`` (which no claim of the
    graph contradicts): the claim's supporters back its negation's opposite,
    its disputers back the sentence."""
    refuted = {k for k, (iri, _, _) in claim.verdicts.items() if not counts_as_support(iri)}
    supporters = [k for k in claim.supported_by if k not in refuted]
    disputers = list(claim.disputed_by)
    cited_supporting = [k for k in cited if k in supporters]
    cited_disputing = [k for k in cited if k in disputers]
    head = "states the opposite of this claim"

    shown = {k: (label, body) for k, (_, label, body) in claim.verdicts.items() if k in cited}
    base = SentenceCheck(
        line, text, cited, "", claim, similarity, tuple(supporters), tuple(disputers), (), shown, "", unresolved
    )

    def result(status: str, note: str, suggest=()) -> SentenceCheck:
        return replace(base, status=status, note=note, suggest=tuple(suggest), relation="opposite")

    if cited:
        if cited_disputing and not cited_supporting:
            return result(Status.SUPPORTED, f"{head}, which the cited {', '.join(cited_disputing)} disputes")
        if cited_supporting:
            return result(
                Status.MISCITED, f"{head}; the cited {', '.join(cited_supporting)} supports the claim, not its opposite"
            )
        return result(Status.MISCITED, f"{head}; none of the cited sources is known to dispute it", disputers)
    if unresolved:
        return result(Status.UNSOURCED, f"{head}; cites {_unresolved(unresolved)}", disputers)
    if supporters:
        return result(Status.UNSOURCED, f"{head}, which {', '.join(supporters)} supports; cites nothing", disputers)
    return result(Status.UNSOURCED, f"{head}; cites nothing", disputers)
