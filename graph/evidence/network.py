"""The evidence graph as a network: claims, sources, articles and topics.

:func:`projection` builds a networkx ``MultiDiGraph`` from the RDF graph (node
ids are prefixed names such as ``claim:itbs-compression-syndrome`` and
``source:chaudhry2008``; every edge has a ``relation``). The analyses on top of
it answer how much the claims depend on each source:

- :func:`impact`: what a retraction of one source would take away;
- :func:`load_bearing`: the sources the most claims rest on alone;
- :func:`isolated_claims`: claims linked to no source and no other claim.

Support means a citation that counts: a citation that a review found
``ev:NotSupported`` or ``ev:Misattributed`` stays in the network (its edge has
``refuted=True``) but holds nothing up, as in :class:`graph.evidence.graph.ClaimSummary`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from graph.model.namespaces import SOURCE, local_name
from graph.model.words import plural

__all__ = [
    "CLAIM_LINKS",
    "EVIDENCE_RELATIONS",
    "ClaimRef",
    "Impact",
    "LoadBearing",
    "impact",
    "isolated_claims",
    "load_bearing",
    "projection",
    "stats_sections",
]

#: Edges from a source to a claim.
EVIDENCE_RELATIONS = ("supports", "disputes")
#: Edges between claims (``broader`` and ``related`` link topics too).
CLAIM_LINKS = ("contradicts", "broader", "related")


@dataclass(frozen=True)
class ClaimRef:
    """A claim as analyses report it: slug and wording."""

    slug: str
    text: str


@dataclass(frozen=True)
class Impact:
    """What retracting one source would do to the claims."""

    source: str  #: bib key
    supports: tuple[ClaimRef, ...]  #: claims it supports (citations that count)
    lose_all_support: tuple[ClaimRef, ...]  #: claims it alone supports
    left_with_one_source: tuple[tuple[ClaimRef, str], ...]  #: (claim, the one source left)
    disputes: tuple[ClaimRef, ...]  #: claims it disputes
    refuted: tuple[ClaimRef, ...]  #: claims it is cited for, but a review found it does not back them

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "supports": [asdict(c) for c in self.supports],
            "lose_all_support": [asdict(c) for c in self.lose_all_support],
            "left_with_one_source": [{**asdict(c), "remaining": key} for c, key in self.left_with_one_source],
            "disputes": [asdict(c) for c in self.disputes],
            "refuted": [asdict(c) for c in self.refuted],
        }


@dataclass(frozen=True)
class LoadBearing:
    """How much the claims lean on one source."""

    source: str  #: bib key
    sole_support: int  #: claims that rest on this source alone
    supports: int  #: claims it supports


def projection(eg):
    """The networkx ``MultiDiGraph`` of claims, sources, articles and topics.

    Nodes carry ``kind`` (claim, source, article, topic) and ``label``;
    sources also ``design`` and ``rank`` where known, claims their support
    ``status``. Edges (keyed by ``relation``): source ``supports`` /
    ``disputes`` claim (support edges have ``refuted``), article ``asserts`` /
    ``reports`` / ``rejects`` claim, article ``cites`` source, claim ``about``
    topic, and ``contradicts`` / ``broader`` / ``related`` between claims or
    between topics. Every attribute is a string, a number or a boolean, so the
    graph can be written as GraphML.
    """
    import networkx as nx

    from graph.sparql import compact_iri, query_text

    summaries = {s.iri: s for s in eg.claim_summaries()}
    net = nx.MultiDiGraph()
    designs: dict = {}  # ten or so designs label 50,000 sources: one lookup each, not one a source
    for row in eg.select(query_text("network/nodes.rq")):
        node = compact_iri(row["node"])
        attrs: dict = {"kind": str(row["kind"]), "label": str(row["label"]) if row["label"] is not None else node}
        if row["design"] is not None:
            if row["design"] not in designs:
                designs[row["design"]] = eg.label(row["design"])
            attrs["design"] = designs[row["design"]]
        if row["rank"] is not None:
            attrs["rank"] = int(row["rank"])
        if row["node"] in summaries:
            attrs["status"] = summaries[row["node"]].status
        net.add_node(node, **attrs)
    refuted = {(s, c.iri) for c in summaries.values() for s in c.refuted}
    for row in eg.select(query_text("network/edges.rq")):
        u, v, relation = compact_iri(row["from"]), compact_iri(row["to"]), str(row["relation"])
        if u not in net or v not in net:
            continue  # e.g. a topic's link to a concept outside the projection
        attrs = {"relation": relation}
        if relation == "supports":
            attrs["refuted"] = (local_name(row["from"], SOURCE), row["to"]) in refuted
        net.add_edge(u, v, key=relation, **attrs)
    return net


def _claim(net, node: str) -> ClaimRef:
    return ClaimRef(node.removeprefix("claim:"), net.nodes[node].get("label", node))


def _supporters(net, claim: str) -> list[str]:
    """Sources whose support of ``claim`` counts."""
    return sorted(
        u
        for u, _, d in net.in_edges(claim, data=True)
        if d["relation"] == "supports" and not d.get("refuted") and net.nodes[u].get("kind") == "source"
    )


def impact(eg, key: str, net=None) -> Impact:
    """What retracting source ``key`` would take away: the claims that would
    lose all their support, and those left resting on a single source.
    Unknown keys raise :class:`~graph.model.errors.NotFoundError` with close names."""
    iri = eg.resolve_source(key)
    net = projection(eg) if net is None else net
    node = "source:" + local_name(iri, SOURCE)
    supports, alone, one_left, disputes, refuted = [], [], [], [], []
    for _, claim, d in sorted(net.out_edges(node, data=True), key=lambda e: e[1]):
        ref = _claim(net, claim)
        if d["relation"] == "disputes":
            disputes.append(ref)
        elif d["relation"] == "supports" and d.get("refuted"):
            refuted.append(ref)
        elif d["relation"] == "supports":
            supports.append(ref)
            others = [s for s in _supporters(net, claim) if s != node]
            if not others:
                alone.append(ref)
            elif len(others) == 1:
                one_left.append((ref, others[0].removeprefix("source:")))
    return Impact(
        source=local_name(iri, SOURCE),
        supports=tuple(supports),
        lose_all_support=tuple(alone),
        left_with_one_source=tuple(one_left),
        disputes=tuple(disputes),
        refuted=tuple(refuted),
    )


def load_bearing(eg, net=None) -> list[LoadBearing]:
    """Every source that supports a claim, the most load-bearing first: most
    claims resting on it alone, then most claims supported, then by key."""
    net = projection(eg) if net is None else net
    out = []
    for node, data in net.nodes(data=True):
        if data.get("kind") != "source":
            continue
        claims = [
            c for _, c, d in net.out_edges(node, data=True) if d["relation"] == "supports" and not d.get("refuted")
        ]
        if not claims:
            continue
        sole = sum(1 for c in claims if _supporters(net, c) == [node])
        out.append(LoadBearing(node.removeprefix("source:"), sole, len(claims)))
    return sorted(out, key=lambda x: (-x.sole_support, -x.supports, x.source))


def isolated_claims(eg, net=None) -> list[ClaimRef]:
    """Claims linked to nothing else: no source supports or disputes them and
    no other claim contradicts, broadens, narrows or relates to them. Only
    their articles and topics point at them."""
    net = projection(eg) if net is None else net
    links = set(EVIDENCE_RELATIONS) | set(CLAIM_LINKS)
    out = []
    for node, data in net.nodes(data=True):
        if data.get("kind") != "claim":
            continue
        edges = list(net.in_edges(node, data=True)) + list(net.out_edges(node, data=True))
        if not any(d["relation"] in links for *_, d in edges):
            out.append(_claim(net, node))
    return sorted(out, key=lambda c: c.slug)


#: How many sources ``evg stats`` lists as the most load-bearing.
TOP_SOURCES = 5


def stats_sections(eg) -> dict[str, list[str]]:
    """The network sections of ``evg stats`` (``Stats.extra``): title -> lines."""
    net = projection(eg)
    top = load_bearing(eg, net)[:TOP_SOURCES]
    width = max((len(x.source) for x in top), default=0)
    bearing = [
        f"{x.source:<{width}}  sole support of {plural(x.sole_support, 'claim')}, supports {x.supports}" for x in top
    ]
    isolated = [c.slug for c in isolated_claims(eg, net)]
    return {
        "most load-bearing sources (claims resting on them alone)": bearing or ["(no source supports any claim)"],
        f"claims linked to nothing else: no source, no related claim ({len(isolated)})": isolated or ["(none)"],
    }
