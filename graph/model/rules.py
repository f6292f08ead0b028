"""The rules of the data model, each written once and used by every layer.

- which links the loader derives from a statement's stance (:data:`STANCE_LINKS`,
  :func:`derive_links`);
- whether a statement's citations support or dispute its claim
  (:func:`stance_relation`);
- which review verdicts mean a cited source does not back the claim
  (:data:`NOT_SUPPORT_VERDICTS`, :func:`counts_as_support`), which ones put a
  citation in doubt (:func:`doubts_citation`), and how worrying each verdict
  is (:data:`VERDICT_SEVERITY`);
- which predicates refer to a source from a claims file (:data:`CITING_PREDICATES`);
- what "low-rank evidence" means (:data:`LOW_RANK_MAX`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from graph.model.namespaces import CITO, EV, RDF

__all__ = [
    "CITING_PREDICATES",
    "DERIVE_INPUTS",
    "LOW_RANK_MAX",
    "NOT_SUPPORT_VERDICTS",
    "STANCE_LINKS",
    "SUPPORTING_STANCES",
    "VERDICT_SEVERITY",
    "counts_as_support",
    "derive_links",
    "doubts_citation",
    "stance_relation",
]

#: ev:stance of a statement -> (claim -> source link, source -> claim link)
#: derived for every source the statement cites as evidence.
STANCE_LINKS = {
    EV.Asserts: (CITO.obtainsSupportFrom, CITO.givesSupportTo),
    EV.Reports: (CITO.obtainsSupportFrom, CITO.givesSupportTo),
    EV.Rejects: (CITO.isDisputedBy, CITO.disputes),
}
#: Stances whose citations count as support; the others count as dispute.
SUPPORTING_STANCES = tuple(s for s, (link, _) in STANCE_LINKS.items() if link == CITO.obtainsSupportFrom)

#: Review verdicts that mean the source does not back what it is cited for:
#: such a citation stays listed but counts for nothing.
NOT_SUPPORT_VERDICTS = (EV.NotSupported, EV.Misattributed)

#: Verdicts, most worrying first: a claim's source shows the first that applies.
VERDICT_SEVERITY = (
    EV.Misattributed,
    EV.NotSupported,
    EV.NumbersDiffer,
    EV.Overstated,
    EV.PartlySupported,
    EV.Supported,
)

#: Predicates by which a claims file names a source (besides ev:studyDesign on
#: the source itself and schema:itemReviewed on a review of a source).
CITING_PREDICATES = (CITO.citesAsEvidence, CITO.cites, EV.aboutSource)

#: Study designs ranked this low or lower are "low-rank evidence"
#: (models, opinion, cadaver and bench studies).
LOW_RANK_MAX = 2


def counts_as_support(verdict) -> bool:
    """Whether a citation with this review verdict (an IRI, or None for no
    review) counts as support."""
    return verdict is None or str(verdict) not in _NOT_SUPPORT


_NOT_SUPPORT = frozenset(str(v) for v in NOT_SUPPORT_VERDICTS)


def doubts_citation(verdict) -> bool:
    """Whether a review verdict (an IRI, or None for no review) puts the
    citation in doubt: any verdict other than ev:Supported. Such citations
    are flagged in the report and drawn dashed in the HTML graph."""
    return verdict is not None and str(verdict) != _SUPPORTED


_SUPPORTED = str(EV.Supported)


def stance_relation(stance) -> str | None:
    """ "supports" or "disputes": what a statement with this ``ev:stance`` (an
    IRI) says of the sources it cites, as :data:`STANCE_LINKS` derives it;
    None for a stance that derives no link."""
    links = _LINKS.get(str(stance)) if stance is not None else None
    if links is None:
        return None
    return "supports" if links[0] == _SUPPORTS else "disputes"


#: The predicates :func:`derive_links` reads (rdf:type for ev:Statement).
DERIVE_INPUTS = (RDF.type, EV.claim, EV.stance, CITO.citesAsEvidence, EV.contradicts)

_TYPE, _CLAIM, _STANCE, _CITES, _CONTRADICTS = (str(p) for p in DERIVE_INPUTS)
_STATEMENT = str(EV.Statement)
_LINKS = {str(s): (str(a), str(b)) for s, (a, b) in STANCE_LINKS.items()}
_SUPPORTS = str(CITO.obtainsSupportFrom)


def derive_links(triples: Iterable[tuple], iri: Callable[[object], str | None] = str) -> set[tuple]:
    """The links users query, derived from statement triples: for each
    statement, its claim -> each cited source (support or dispute, by stance,
    see :data:`STANCE_LINKS`) and the inverse; and ``ev:contradicts`` both ways.

    ``triples`` are (subject, predicate, object) in any term type (rdflib or
    pyoxigraph); ``iri`` gives a term's IRI string (None for other terms), so
    one implementation serves every store. Returns (subject, predicate IRI
    string, object) with the subject and object terms as given.
    """
    statements, claims, stances, cites, contradictions = set(), {}, {}, {}, []
    for s, p, o in triples:
        p = iri(p)
        if p == _TYPE:
            if iri(o) == _STATEMENT:
                statements.add(s)
        elif p == _CONTRADICTS:
            contradictions.append((s, o))
        elif p in (_CLAIM, _STANCE, _CITES):
            table = claims if p == _CLAIM else stances if p == _STANCE else cites
            table.setdefault(s, []).append(o)
    out = set()
    for st in statements:
        links = [_LINKS[i] for i in map(iri, stances.get(st, ())) if i in _LINKS]
        for claim in claims.get(st, ()) if links else ():
            for source in cites.get(st, ()):
                for forward, backward in links:
                    out.add((claim, forward, source))
                    out.add((source, backward, claim))
    for a, b in contradictions:
        out.add((b, _CONTRADICTS, a))
    return out
