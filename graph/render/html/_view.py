"""What the HTML page shows: nodes, edges and the details behind each node.

:func:`build_view` turns an :class:`~graph.evidence.graph.EvidenceGraph` into a
:class:`GraphView` with a handful of bulk queries (never one per claim), so
that it stays fast on graphs of tens of thousands of nodes. It knows nothing
about HTML; :mod:`graph.render.html._render` does the drawing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph.model.errors import NotFoundError
from graph.model.namespaces import ARTICLE, BIBO, CLAIM, CONCEPT, DCTERMS, SOURCE, local_name
from graph.model.rules import doubts_citation
from graph.sparql.catalogue import query_text

if TYPE_CHECKING:  # pragma: no cover
    from graph.evidence.graph import EvidenceGraph

__all__ = ["EDGE_KINDS", "NODE_KINDS", "Edge", "GraphView", "Node", "build_view"]

#: Node kinds, in legend order.
NODE_KINDS = ("claim", "source", "article", "topic")
#: Edge kinds, in legend order. ``states``/``reports``/``rejects`` run from an
#: article to a claim (the statement's stance); ``about`` from a claim to a topic.
EDGE_KINDS = ("supports", "disputes", "states", "reports", "rejects", "about", "contradicts")
#: ev: stance word (as in :class:`graph.evidence.index.StatementRef`) -> edge kind.
STANCE_EDGE = {"asserts": "states", "reports": "reports", "rejects": "rejects"}

#: Node id prefixes: the project's CURIE prefixes.
_PREFIX = {"claim": "claim:", "source": "source:", "article": "article:", "topic": "concept:"}


@dataclass
class Node:
    """One node. ``label`` is the short text drawn on the canvas; ``group``
    picks its style (``claim-<status>``, ``source``, ``article``, ``topic``)."""

    id: str
    kind: str
    label: str
    group: str
    size: float = 10.0
    x: float = 0.0
    y: float = 0.0


@dataclass
class Edge:
    """One edge; ``dashed`` marks a citation whose review verdict is not Supported."""

    source: str
    target: str
    kind: str
    dashed: bool = False


@dataclass
class GraphView:
    """Nodes, edges and per-node details, ready to lay out and draw."""

    nodes: list[Node]
    edges: list[Edge]
    details: dict[str, dict]  #: node id -> JSON-ready details shown in the side panel
    title: str = "Evidence graph"
    scope: str = "whole graph"  #: what was selected, for the page header and the CLI summary
    topic_of: dict[str, str] = field(default_factory=dict)  #: claim id -> the topic it is grouped under
    focus: str | None = None  #: the node id focused on (``focus=``), selected and centred when the page opens

    def counts(self) -> dict[str, int]:
        """Nodes and edges, in total and by kind (zeros included, legend order)."""
        out = {"nodes": len(self.nodes), "edges": len(self.edges)}
        for kind in NODE_KINDS:
            out[kind] = 0
        for kind in EDGE_KINDS:
            out[kind] = 0
        for n in self.nodes:
            out[n.kind] += 1
        for e in self.edges:
            out[e.kind] += 1
        return out


def _query(name: str) -> str:
    return query_text(f"html/{name}.rq")


def _label(text: str) -> str:
    """A label for the canvas: the whole text on one line; the page wraps it
    to the node's width (never cut with an ellipsis)."""
    return " ".join(text.split())


def _node_id(kind: str, iri_or_key: str) -> str:
    ns = {"claim": CLAIM, "source": SOURCE, "article": ARTICLE, "topic": CONCEPT}[kind]
    return _PREFIX[kind] + (local_name(iri_or_key, ns) or iri_or_key)


def source_label(author: str | None, year: str | None, key: str) -> str:
    """``"Fairclough 2006"``: the first author's family name and the year; the key when unknown."""
    if not author:
        return key
    return f"{author} {year}" if year else author


@dataclass
class _Full:
    """The whole graph in view terms, before any selection."""

    claims: dict[str, object]  # claim id -> ClaimDetail
    claim_topics: dict[str, list[str]]
    topics: dict[str, dict]
    articles: dict[str, dict]
    sources: dict[str, dict]
    contradictions: list[tuple[str, str]]


def _gather(eg: EvidenceGraph, style: str) -> _Full:
    """Everything the page needs, with one query per kind of fact: plain
    patterns without OPTIONAL, which rdflib evaluates row by row."""
    claims = {_node_id("claim", c.iri): c for c in eg.claims(style=style)}
    labels: dict[str, str] = {}
    for row in eg.select(_query("labels")):
        concept = str(row["concept"])
        if concept not in labels or getattr(row["label"], "language", None) in (None, "en"):
            labels[concept] = str(row["label"])
    values = eg.select_values  # plain strings: cheaper than rdflib terms on big graphs
    claim_topics: dict[str, list[str]] = defaultdict(list)
    topics: dict[str, dict] = {}
    for row in values(_query("claim-topics")):
        cid, iri = _node_id("claim", row["claim"]), row["topic"]
        tid = _node_id("topic", iri)
        if cid not in claims:
            continue
        if tid not in topics:
            topics[tid] = {"iri": iri, "label": labels.get(iri) or _last_part(iri)}
        if tid not in claim_topics[cid]:
            claim_topics[cid].append(tid)
    for tids in claim_topics.values():
        tids.sort()
    articles = {}
    for row in values(_query("articles")):
        aid = _node_id("article", row["article"])
        if aid not in articles or row["title"] is not None:
            articles[aid] = {
                "iri": row["article"],
                "title": row["title"] or _last_part(row["article"]),
                "publisher": row["publisher"],
            }
    fields: dict[str, dict[str, str]] = defaultdict(dict)
    for row in values(_query("source-fields")):
        fields[row["source"]].setdefault(local_name(row["field"], DCTERMS) or "", row["value"])
    first: dict[str, dict[str, str]] = defaultdict(dict)
    for row in values(_query("first-names")):
        first[row["source"]].setdefault(local_name(row["role"], BIBO._NS) or "", row["family"])
    sources: dict[str, dict] = {}
    for row in values(_query("sources")):
        key, iri = row["key"], row["source"]
        issued = fields[iri].get("issued")
        names = first.get(iri, {})
        sources[_node_id("source", key)] = {
            "iri": iri,
            "key": key,
            "label": source_label(names.get("authorList") or names.get("editorList"), issued and issued[:4], key),
            "title": fields[iri].get("title"),
        }
    _disambiguate(sources)
    contradictions = [(_node_id("claim", r["a"]), _node_id("claim", r["b"])) for r in values(_query("contradictions"))]
    contradictions = sorted({(a, b) for a, b in contradictions if a in claims and b in claims})
    return _Full(
        claims=claims,
        claim_topics=claim_topics,
        topics=topics,
        articles=articles,
        sources=sources,
        contradictions=contradictions,
    )


def _last_part(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _disambiguate(sources: dict[str, dict]) -> None:
    """Two sources labelled alike ("Fairclough 2006") get their key's last letter ("2006a")."""
    seen: dict[str, list[str]] = defaultdict(list)
    for sid, s in sources.items():
        seen[s["label"]].append(sid)
    for sids in seen.values():
        if len(sids) > 1:
            for sid in sids:
                key = sources[sid]["key"]
                suffix = key[-1] if key[-1:].isalpha() else f"({key})"
                sources[sid]["label"] += suffix if suffix.isalpha() else f" {suffix}"


# --- selection -----------------------------------------------------------------


def _resolve_focus(eg: EvidenceGraph, full: _Full, ident: str) -> str:
    """A node id from a claim (IRI, ``claim:slug`` or slug) or a source key."""
    try:
        return _node_id("claim", str(eg.resolve_claim(ident)))
    except NotFoundError as claim_error:
        try:
            return _node_id("source", str(eg.resolve_source(ident)))
        except NotFoundError as source_error:
            suggestions = claim_error.suggestions + source_error.suggestions
            raise NotFoundError("claim or source", ident, suggestions[:5]) from None


def _resolve_article(eg: EvidenceGraph, full: _Full, slug: str) -> str:
    import difflib

    bare = slug.strip().removeprefix("article:")
    aid = _node_id("article", bare)
    if aid in full.articles:
        return aid
    slugs = [a.removeprefix("article:") for a in full.articles]
    raise NotFoundError("article", slug, difflib.get_close_matches(bare, slugs, n=3, cutoff=0.5))


def _resolve_topic(eg: EvidenceGraph, full: _Full, slug: str) -> set[str]:
    """The topic and every narrower concept, as node ids."""
    import difflib

    from rdflib import URIRef

    bare = slug.strip().removeprefix("concept:")
    tid = _node_id("topic", bare)
    if tid not in full.topics:
        slugs = [t.removeprefix("concept:") for t in full.topics]
        raise NotFoundError("topic", slug, difflib.get_close_matches(bare, slugs, n=3, cutoff=0.5))
    rows = eg.select(_query("narrower-topics"), {"topic": URIRef(full.topics[tid]["iri"])})
    return {tid} | {_node_id("topic", str(r["concept"])) for r in rows}


def _neighbours(full: _Full) -> dict[str, set[str]]:
    """Adjacency over every edge of the whole graph, both directions."""
    adj: dict[str, set[str]] = defaultdict(set)

    def link(a: str, b: str) -> None:
        adj[a].add(b)
        adj[b].add(a)

    for cid, c in full.claims.items():
        for ref in (*c.supported_by, *c.disputed_by):
            link(cid, _node_id("source", ref.key))
        for st in c.stated_in:
            link(cid, _node_id("article", st.article))
        for tid in full.claim_topics.get(cid, ()):
            link(cid, tid)
    for a, b in full.contradictions:
        link(a, b)
    return adj


def _focus_nodes(full: _Full, start: str, depth: int, allowed: set[str] | None) -> set[str]:
    """Nodes within ``depth`` hops of ``start``. Articles and topics are
    reached but not walked through (unless one is the start): nearly every
    claim shares an article, so walking through them would reach everything."""
    adj = _neighbours(full)
    seen = {start}
    frontier = [start]
    for _ in range(depth):
        nxt = []
        for node in frontier:
            if node != start and node.startswith((_PREFIX["article"], _PREFIX["topic"])):
                continue
            for other in adj.get(node, ()):
                if other not in seen and (allowed is None or other in allowed):
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    return seen


# --- the view --------------------------------------------------------------------


def build_view(
    eg: EvidenceGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    article: str | None = None,
    topic: str | None = None,
    style: str = "vancouver",
) -> GraphView:
    """The nodes, edges and details of the whole graph, or of a part of it.

    - ``article``: only the claims that article states, rejects or reports;
    - ``topic``: only the claims about that topic or a narrower one;
    - ``focus``: a claim (slug or IRI) or a source (bib key) and everything
      within ``depth`` hops of it (after the two filters above).

    Each kept claim brings its sources, articles and topics. Without any
    selection every source and article is shown, cited or not, and every
    topic that some claim is about. Unknown names raise
    :class:`~graph.model.errors.NotFoundError` with close matches.
    """
    if depth < 1:
        raise ValueError("depth must be at least 1")
    full = _gather(eg, style)
    scope = []
    keep_claims = set(full.claims)
    only_article = None
    if article is not None:
        only_article = _resolve_article(eg, full, article)
        keep_claims = {
            cid
            for cid, c in full.claims.items()
            if any(_node_id("article", st.article) == only_article for st in c.stated_in)
        }
        scope.append(f"article {only_article.removeprefix('article:')}")
    if topic is not None:
        wanted = _resolve_topic(eg, full, topic)
        keep_claims &= {cid for cid in full.claims if wanted & set(full.claim_topics.get(cid, ()))}
        scope.append(f"topic {topic.strip().removeprefix('concept:')}")
    keep_nodes: set[str] | None = None
    if focus is not None:
        start = _resolve_focus(eg, full, focus)
        allowed = None
        if article is not None or topic is not None:
            allowed = _incident(full, keep_claims, only_article)
        if allowed is not None and start not in allowed:
            raise NotFoundError(f"{start.split(':')[0]} in the selected part of the graph", focus)
        keep_nodes = _focus_nodes(full, start, depth, allowed)
        keep_claims &= keep_nodes
        scope.append(f"{depth} hop{'s' if depth > 1 else ''} around {start}")
    whole = not scope
    view = _assemble(full, keep_claims, keep_nodes, only_article, whole)
    for d in view.details.values():  # sources cited for no claim shown still get their reference
        if d["kind"] == "source" and d["citation"] is None:
            from graph.bibliography.citations import format_citation

            d["citation"] = format_citation(eg, d["key"], style)
    view.focus = start if focus is not None else None
    view.scope = "; ".join(scope) if scope else "whole graph"
    view.title = "Evidence graph" + ("" if whole else f" — {view.scope}")
    return view


def _incident(full: _Full, claims: set[str], only_article: str | None) -> set[str]:
    """The claims and every node they link to."""
    out = set(claims)
    for cid in claims:
        c = full.claims[cid]
        out.update(_node_id("source", r.key) for r in (*c.supported_by, *c.disputed_by))
        out.update(
            aid
            for aid in (_node_id("article", st.article) for st in c.stated_in)
            if only_article is None or aid == only_article
        )
        out.update(full.claim_topics.get(cid, ()))
    return out


def _assemble(
    full: _Full, keep_claims: set[str], keep_nodes: set[str] | None, only_article: str | None, whole: bool
) -> GraphView:
    def wanted(nid: str) -> bool:
        return keep_nodes is None or nid in keep_nodes

    claim_ids = sorted(keep_claims)
    source_ids = {sid for sid in full.sources if whole}
    article_ids = {aid for aid in full.articles if whole}
    topic_ids: set[str] = set()
    for cid in claim_ids:
        c = full.claims[cid]
        source_ids.update(
            sid for sid in (_node_id("source", r.key) for r in (*c.supported_by, *c.disputed_by)) if wanted(sid)
        )
        article_ids.update(
            aid
            for aid in (_node_id("article", st.article) for st in c.stated_in)
            if wanted(aid) and (only_article is None or aid == only_article)
        )
        topic_ids.update(tid for tid in full.claim_topics.get(cid, ()) if wanted(tid))
    if keep_nodes is not None:  # a focused source or article with no kept claim still shows
        source_ids.update(n for n in keep_nodes if n in full.sources)
        article_ids.update(n for n in keep_nodes if n in full.articles)
        topic_ids.update(n for n in keep_nodes if n in full.topics)
    if only_article is not None:
        article_ids.add(only_article)
    source_ids &= set(full.sources)  # a key cited but missing from the BibTeX has no node

    nodes: list[Node] = []
    edges: list[Edge] = []
    details: dict[str, dict] = {}
    supports: dict[str, list[str]] = defaultdict(list)
    disputes: dict[str, list[str]] = defaultdict(list)
    doubtful: dict[str, list[str]] = defaultdict(list)
    article_claims: dict[str, list[dict]] = defaultdict(list)
    topic_claims: dict[str, list[str]] = defaultdict(list)
    citations: dict[str, dict] = {}
    contradicts: dict[str, list[str]] = defaultdict(list)
    for a, b in full.contradictions:
        if a in keep_claims and b in keep_claims:
            contradicts[a].append(b)
            contradicts[b].append(a)

    for cid in claim_ids:
        c = full.claims[cid]
        nodes.append(Node(cid, "claim", _label(c.text or cid), f"claim-{c.status}"))
        refs = {"supports": [], "disputes": []}
        for kind, group, index in (("supports", c.supported_by, supports), ("disputes", c.disputed_by, disputes)):
            for ref in group:
                sid = _node_id("source", ref.key)
                doubt = doubts_citation(ref.verdict_iri)
                refs[kind].append(
                    {
                        "source": sid,
                        "key": ref.key,
                        "verdict": ref.verdict,
                        "review": ref.review,
                        "doubtful": doubt,
                    }
                )
                citations.setdefault(
                    sid,
                    {
                        "citation": ref.citation,
                        "doi": ref.doi,
                        "design": ref.study_design,
                        "rank": ref.evidence_rank,
                    },
                )
                if sid in source_ids:
                    index[sid].append(cid)
                    if doubt:
                        doubtful[sid].append(cid)
                    edges.append(Edge(sid, cid, kind, dashed=doubt))
        statements = []
        seen_stances = set()
        for st in c.stated_in:
            aid = _node_id("article", st.article)
            statements.append(
                {"article": aid, "title": st.title, "stance": st.stance, "quote": st.quote, "cited": list(st.cited)}
            )
            kind = STANCE_EDGE.get(st.stance, "states")
            if aid in article_ids and (aid, kind) not in seen_stances:
                seen_stances.add((aid, kind))
                edges.append(Edge(aid, cid, kind))
                article_claims[aid].append({"claim": cid, "stance": st.stance})
        topics = full.claim_topics.get(cid, [])
        for tid in topics:
            if tid in topic_ids:
                edges.append(Edge(cid, tid, "about"))
                topic_claims[tid].append(cid)
        details[cid] = {
            "kind": "claim",
            "iri": c.iri,
            "text": c.text,
            "status": c.status,
            "topics": [t for t in topics if t in topic_ids],
            "statements": statements,
            "supports": refs["supports"],
            "disputes": refs["disputes"],
            "contradicts": sorted(contradicts.get(cid, ())),
        }
    for a, b in full.contradictions:
        if a in keep_claims and b in keep_claims:
            edges.append(Edge(a, b, "contradicts"))

    for sid in sorted(source_ids):
        s = full.sources[sid]
        n = len(set(supports.get(sid, ())) | set(disputes.get(sid, ())))
        nodes.append(Node(sid, "source", s["label"], "source", size=14 + 7 * n**0.5))
        details[sid] = {
            "kind": "source",
            "iri": s["iri"],
            "key": s["key"],
            "label": s["label"],
            "title": s["title"],
            **citations.get(sid, {"citation": None, "doi": None, "design": None, "rank": None}),
            "supports": supports.get(sid, []),
            "disputes": disputes.get(sid, []),
            "doubtful": doubtful.get(sid, []),
        }
    for aid in sorted(article_ids):
        a = full.articles[aid]
        nodes.append(Node(aid, "article", _label(a["title"]), "article", size=18))
        details[aid] = {
            "kind": "article",
            "iri": a["iri"],
            "title": a["title"],
            "publisher": a["publisher"],
            "claims": article_claims.get(aid, []),
        }
    for tid in sorted(topic_ids):
        t = full.topics[tid]
        nodes.append(Node(tid, "topic", t["label"], "topic", size=8 + 1.5 * len(topic_claims.get(tid, ())) ** 0.5))
        details[tid] = {"kind": "topic", "iri": t["iri"], "label": t["label"], "claims": topic_claims.get(tid, [])}
    return GraphView(nodes=nodes, edges=edges, details=details)
