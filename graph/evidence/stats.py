"""Counts for ``evg stats``: the size of the graph and how well claims are backed."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from graph.evidence.graph import EvidenceGraph, SupportStatus
from graph.model.namespaces import ARTICLE, SOURCE, local_name

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


# What compute_stats counts, by SPARQL on either store (an rdflib copy of a
# big Oxigraph graph would cost minutes and gigabytes).
_STATEMENTS_OF_ARTICLES = """
SELECT ?article ?statement ?claim ?cited WHERE {
  ?statement oa:hasSource ?article .
  OPTIONAL { ?statement ev:claim ?claim }
  OPTIONAL { ?statement cito:citesAsEvidence ?cited }
}"""
_REFERENCES = "SELECT ?article ?source WHERE { ?article cito:cites ?source }"
_CITED = "SELECT DISTINCT ?source WHERE { ?statement cito:citesAsEvidence ?source }"
_COUNT = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {type} }}"


#: The name of the stats kept beside a cached store; change it when what
#: compute_stats counts, or how, changes.
ARTIFACT = "stats-1"


def compute_stats(eg: EvidenceGraph) -> Stats:
    """The counts of ``eg``. They depend on the graph alone, so with the on-disk
    cache they are computed once per set of inputs and read back afterwards
    (at 100,000 claims: minutes of whole-graph queries, then milliseconds)."""
    return eg.cached(ARTIFACT, lambda: _compute_stats(eg))


def _compute_stats(eg: EvidenceGraph) -> Stats:
    from graph.model.namespaces import prefix_header

    header = prefix_header()

    def rows(query: str) -> list[dict]:
        return eg.select_values(header + query)

    def count(rdf_type: str) -> int:
        return int(rows(_COUNT.format(type=rdf_type))[0]["n"])

    summaries = eg.claim_summaries()
    by_status = Counter(s.status for s in summaries)
    cited_anywhere = {local_name(r["source"], SOURCE) for r in rows(_CITED)}
    articles = {str(a) for a in eg.article_iris}
    statements: dict[str, dict[str, dict]] = {a: {} for a in articles}
    for r in rows(_STATEMENTS_OF_ARTICLES):
        if r["article"] in statements:
            seen = statements[r["article"]].setdefault(r["statement"], {"claims": set(), "cited": set()})
            if r["claim"] is not None:
                seen["claims"].add(r["claim"])
            if r["cited"] is not None:
                seen["cited"].add(r["cited"])
    references: dict[str, list[str]] = {a: [] for a in articles}
    for r in rows(_REFERENCES):
        if r["article"] in references:
            references[r["article"]].append(local_name(r["source"], SOURCE) or r["source"])
    per_article = []
    for article in eg.article_iris:
        mine = statements[str(article)].values()
        cited_here = {local_name(o, SOURCE) for st in mine for o in st["cited"]}
        refs = sorted(references[str(article)])
        per_article.append(
            ArticleStats(
                slug=local_name(article, ARTICLE) or str(article),
                title=eg.label(article),
                claims=len({c for st in mine for c in st["claims"]}),
                cited_statements=sum(1 for st in mine if st["cited"]),
                references=len(refs),
                uncited_references=tuple(k for k in refs if k not in cited_here),
            )
        )
    from graph.evidence.network import stats_sections

    return Stats(
        claims=len(summaries),
        statements=count("ev:Statement"),
        sources=len(eg.source_keys),
        articles=len(eg.article_iris),
        reviews=count("schema:ClaimReview"),
        by_status={s: by_status.get(s, 0) for s in SupportStatus.ALL},
        per_article=tuple(per_article),
        never_cited=tuple(k for k in eg.source_keys if k not in cited_anywhere),
        extra=stats_sections(eg),
    )
