"""Counts for ``evg stats``: the size of the graph and how well claims are backed."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from .core import EvidenceGraph, SupportStatus
from .namespaces import ARTICLE, CITO, EV, OA, RDF, SOURCE, local_name

__all__ = ["ArticleStats", "Stats", "compute_stats"]


@dataclass(frozen=True)
class ArticleStats:
    slug: str
    title: str
    claims: int  #: claims the article states, asserts, reports or rejects
    cited_statements: int  #: statements that cite at least one source
    references: int  #: entries in its reference list (cito:cites)
    uncited_references: tuple[str, ...]  #: listed, but cited for no claim


@dataclass(frozen=True)
class Stats:
    claims: int
    statements: int
    sources: int
    articles: int
    reviews: int
    by_status: dict[str, int]
    per_article: tuple[ArticleStats, ...]
    never_cited: tuple[str, ...]  #: bib keys cited as evidence for no claim
    extra: dict = field(default_factory=dict)  #: sections added by other analyses

    def to_dict(self) -> dict:
        return asdict(self)


def compute_stats(eg: EvidenceGraph) -> Stats:
    g = eg.rdf
    summaries = eg.claim_summaries()
    by_status = Counter(s.status for s in summaries)
    cited_anywhere = {local_name(o, SOURCE) for o in g.objects(None, CITO.citesAsEvidence)}
    per_article = []
    for article in eg.article_iris:
        statements = list(g.subjects(OA.hasSource, article))
        claims = {g.value(s, EV.claim) for s in statements}
        cited_here = {local_name(o, SOURCE) for s in statements for o in g.objects(s, CITO.citesAsEvidence)}
        refs = sorted(local_name(o, SOURCE) or str(o) for o in g.objects(article, CITO.cites))
        per_article.append(
            ArticleStats(
                slug=local_name(article, ARTICLE) or str(article),
                title=eg.label(article),
                claims=len(claims - {None}),
                cited_statements=sum(1 for s in statements if (s, CITO.citesAsEvidence, None) in g),
                references=len(refs),
                uncited_references=tuple(k for k in refs if k not in cited_here),
            )
        )
    from .namespaces import SCHEMA
    from .network import stats_sections

    return Stats(
        claims=len(summaries),
        statements=len(set(g.subjects(RDF.type, EV.Statement))),
        sources=len(eg.source_keys),
        articles=len(eg.article_iris),
        reviews=len(set(g.subjects(RDF.type, SCHEMA.ClaimReview))),
        by_status={s: by_status.get(s, 0) for s in SupportStatus.ALL},
        per_article=tuple(per_article),
        never_cited=tuple(k for k in eg.source_keys if k not in cited_anywhere),
        extra=stats_sections(eg),
    )
