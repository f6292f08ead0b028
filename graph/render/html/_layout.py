"""A structured layout for evidence graphs: fast, deterministic, readable.

Claims are grouped under a topic (each claim under the topic it shares with
the most other claims); a topic that heads no group joins the header of the
group that holds most of its claims. Groups are packed in columns from right
to left, the ones with the most cited sources first, so that sources, which
stand in a column on the right, sit close to the claims they back; claims
that cite nothing end up on the left, near the articles that state them.
Sources and articles are placed level with the claims they link to.

Every step is linear or ``n log n`` in the number of nodes and edges, so a
20,000-node graph is laid out in a fraction of a second; force-directed
layouts in pure Python take minutes at that size.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

from graph.render.html._view import GraphView, Node

__all__ = ["layout"]

#: Width of a claim's cell; its label wraps to :data:`LABEL_W` under its dot.
CELL_W, LABEL_W = 190.0, 176.0
#: A claim's label, as the page draws it: characters per line (an upper bound
#: on the width of a line, so wrapped labels never reach the next row) and
#: height of a line, in layout units at the page's claim font size (12).
LINE_CHARS, LINE_H = 22, 15.0
#: Centre of a claim's dot below the top of its cell, and room under the
#: dot (its largest radius and a gap) before the label, then below the label.
DOT_Y, DOT_ROOM, ROW_GAP = 22.0, 21.0, 16.0
#: Height of one row of a group's header, where its topic nodes sit.
HEADER_H = 100.0
#: Width of a topic's slot in a header.
TOPIC_W = 165.0
#: Gap between groups; gap between the claim area and the side columns.
GROUP_GAP, SIDE_GAP = 30.0, 150.0
#: Least vertical distance between two sources, or two articles, in a column.
SOURCE_SEP, ARTICLE_SEP = 100.0, 110.0
#: Distance between columns of sources or articles when one is not enough.
COLUMN_W = 230.0
#: Half the width of an article's box and of a source's label, in layout units.
ARTICLE_HALF_W, SOURCE_HALF_W = 150.0, 100.0
#: Width / height the whole drawing aims at: a laptop's graph pane.
TARGET_ASPECT = 1.2

_NO_TOPIC = ""
_STATUS_ORDER = {"claim-contested": 0, "claim-supported": 1, "claim-low-rank": 2, "claim-no-source": 3}


def layout(view: GraphView) -> None:
    """Set ``x`` and ``y`` of every node of ``view`` in place, and fill
    ``view.topic_of`` (claim id -> the topic id it is grouped under)."""
    by_id = {n.id: n for n in view.nodes}
    claims = [n for n in view.nodes if n.kind == "claim"]
    topics_of: dict[str, list[str]] = defaultdict(list)
    claims_of: dict[str, list[str]] = defaultdict(list)
    sources_of: dict[str, list[str]] = defaultdict(list)  # claim -> sources
    links: dict[str, list[str]] = defaultdict(list)  # source or article -> claims
    for e in view.edges:
        if e.kind == "about":
            topics_of[e.source].append(e.target)
            claims_of[e.target].append(e.source)
        elif e.kind in ("supports", "disputes"):
            sources_of[e.target].append(e.source)
            links[e.source].append(e.target)
        elif e.kind in ("states", "reports", "rejects"):
            links[e.source].append(e.target)

    primary = _primary_topics(claims, topics_of, claims_of)
    groups: dict[str, list[str]] = defaultdict(list)
    for n in claims:
        groups[primary[n.id]].append(n.id)
    headers = _headers(view.nodes, groups, primary, claims_of)
    evidence = {g: sum(len(sources_of.get(c, ())) for c in members) for g, members in groups.items()}
    order = _order_groups(groups, evidence, primary, topics_of)

    def claim_order(c: str) -> tuple:  # cited claims first, strongest concern first, then by source
        return (not sources_of.get(c), _STATUS_ORDER.get(by_id[c].group, 9), min(sources_of.get(c, ["~"])), c)

    for members in groups.values():
        members.sort(key=claim_order)
    n_sources = sum(1 for n in view.nodes if n.kind == "source")
    n_articles = sum(1 for n in view.nodes if n.kind == "article")
    side_width = 2 * SIDE_GAP + (ARTICLE_HALF_W if n_articles else 0) + (SOURCE_HALF_W if n_sources else 0)
    width, height = _pack(order, groups, headers, by_id, side_width)

    ys = {n.id: n.y for n in claims}
    articles = [n for n in view.nodes if n.kind == "article"]
    sources = [n for n in view.nodes if n.kind == "source"]
    _column(articles, links, ys, -SIDE_GAP, -1, ARTICLE_SEP, height)
    _column(sources, links, ys, width + SIDE_GAP, 1, SOURCE_SEP, height)
    view.topic_of = {c: t for c, t in primary.items() if t != _NO_TOPIC}


def _primary_topics(claims: list[Node], topics_of, claims_of) -> dict[str, str]:
    """Each claim's group: the topic it shares with the most claims, so that
    groups are few and large and most topic edges stay inside a group."""
    out = {}
    for n in claims:
        topics = topics_of.get(n.id)
        out[n.id] = min(topics, key=lambda t: (-len(claims_of[t]), t)) if topics else _NO_TOPIC
    return out


def _headers(nodes: list[Node], groups, primary, claims_of) -> dict[str, list[str]]:
    """The topic nodes shown at the top of each group: its own topic, then
    the topics that head no group and hold most of their claims in it."""
    headers: dict[str, list[str]] = {g: ([g] if g != _NO_TOPIC else []) for g in groups}
    for n in nodes:
        if n.kind != "topic" or n.id in groups:
            continue
        votes: dict[str, int] = defaultdict(int)
        for c in claims_of.get(n.id, ()):
            votes[primary[c]] += 1
        if votes:
            host = min(votes, key=lambda g: (-votes[g], -len(groups[g]), g))
            headers[host].append(n.id)
        else:  # a topic with no claim in view (only when focusing on it)
            groups[n.id] = []
            headers[n.id] = [n.id]
    return headers


def _order_groups(groups: dict[str, list[str]], evidence, primary: dict[str, str], topics_of) -> list[str]:
    """Groups in packing order: the one with the most cited sources first,
    then repeatedly the one sharing most claims with the last few placed (so
    related topics stand together), else the next with most sources.
    Linear in the number of claim-topic links."""
    shared: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for claim, p in primary.items():
        for t in topics_of.get(claim, ()):
            if t != p:
                shared[p][t] += 1
                shared[t][p] += 1
    ranked = sorted(groups, key=lambda g: (g == _NO_TOPIC, -evidence.get(g, 0), -len(groups[g]), g))
    placed: set[str] = set()
    order: list[str] = []
    recent: list[str] = []
    next_ranked = 0
    while len(order) < len(groups):
        best, best_key = None, None
        for g in recent:
            for other, score in shared.get(g, {}).items():
                if other in placed or other not in groups:
                    continue
                key = (score, evidence.get(other, 0), len(groups[other]), other)
                if best_key is None or key > best_key:
                    best, best_key = other, key
        if best is None:
            while ranked[next_ranked] in placed:
                next_ranked += 1
            best = ranked[next_ranked]
        placed.add(best)
        order.append(best)
        recent = [best, *recent][:2]
    return order


def label_lines(label: str) -> int:
    """Lines a claim's label wraps to on the page, at most."""
    return max(1, math.ceil(len(label) / LINE_CHARS))


def _block(labels: list[str], n_topics: int) -> tuple[int, int, float, float, list[float]]:
    """Columns, topics per header row, width and height of one group, and
    the height of each row of claims (room for its longest label)."""
    n_claims = len(labels)
    mean_h = DOT_Y + DOT_ROOM + ROW_GAP + LINE_H * sum(map(label_lines, labels)) / max(1, n_claims)
    cols = max(1, math.ceil(math.sqrt(n_claims * mean_h / CELL_W)))
    per_row = max(1, min(n_topics, math.floor(cols * CELL_W / TOPIC_W)))
    width = max(cols * CELL_W, per_row * TOPIC_W)
    header_rows = max(1, math.ceil(n_topics / per_row))
    rows = [
        DOT_Y + DOT_ROOM + ROW_GAP + LINE_H * max(label_lines(t) for t in labels[r : r + cols])
        for r in range(0, n_claims, cols)
    ]
    return cols, per_row, width, header_rows * HEADER_H + sum(rows), rows


def _columns(order: list[str], blocks, column_h: float) -> list[list[str]]:
    columns: list[list[str]] = [[]]
    used = 0.0
    for g in order:
        h = blocks[g][3]
        if columns[-1] and used + h > column_h:
            columns.append([])
            used = 0.0
        columns[-1].append(g)
        used += h + GROUP_GAP
    return columns


def _extent(columns: list[list[str]], blocks) -> tuple[float, float]:
    width = sum(max(blocks[g][2] for g in col) for col in columns) + GROUP_GAP * (len(columns) - 1)
    height = max(sum(blocks[g][3] for g in col) + GROUP_GAP * (len(col) - 1) for col in columns)
    return width, height


def _pack(order: list[str], groups, headers, by_id, side_width: float) -> tuple[float, float]:
    """Stack the groups in columns, filled top to bottom and placed right to
    left; return the claim area's width and height (it starts at 0, 0).

    The column height is the one, among a few tried, that lets the whole
    drawing (side columns included) fill a laptop's graph pane best."""
    blocks = {g: _block([by_id[c].label for c in groups[g]], len(headers[g])) for g in order}
    if not blocks:  # no claims: an empty claim area
        return 0.0, 0.0
    tallest = max(b[3] for b in blocks.values())
    area = sum((b[2] + GROUP_GAP) * (b[3] + GROUP_GAP) for b in blocks.values())
    best = None
    for factor in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0):
        column_h = max(tallest, math.sqrt(area) * factor)
        columns = _columns(order, blocks, column_h)
        w, h = _extent(columns, blocks)
        scale = min(1.0 / (w + side_width), 1.0 / (TARGET_ASPECT * h))  # relative size at "fit"
        if best is None or scale > best[0] * 1.0001:
            best = (scale, columns)
    columns = best[1]
    right = 0.0
    placed: list[tuple[str, float, float]] = []
    for column in columns:
        col_w = max(blocks[g][2] for g in column)
        y = 0.0
        for g in column:
            placed.append((g, right - blocks[g][2], y))
            y += blocks[g][3] + GROUP_GAP
        right -= col_w + GROUP_GAP
    left = min(x for _, x, _ in placed)
    width = height = 0.0
    for g, x, y in placed:
        cols, per_row, w, h, rows = blocks[g]
        row_tops = [0.0, *itertools.accumulate(rows)]
        x -= left
        topics = [t for t in headers[g] if t in by_id]
        for i, tid in enumerate(topics):
            row, slot = divmod(i, per_row)
            in_row = min(per_row, len(topics) - row * per_row)
            node = by_id[tid]
            node.x = x + w / 2 + (slot - (in_row - 1) / 2) * TOPIC_W
            node.y = y + (row + 0.18) * HEADER_H
        top = y + max(1, math.ceil(len(topics) / per_row)) * HEADER_H
        for i, cid in enumerate(groups[g]):
            node = by_id[cid]
            node.x = x + w - (cols - i % cols - 0.5) * CELL_W  # right-aligned, like the block
            node.y = top + row_tops[i // cols] + DOT_Y
        width = max(width, x + w)
        height = max(height, y + h)
    return width, height


def _column(nodes: list[Node], links, ys, x0: float, direction: int, sep: float, height: float) -> None:
    """Stack ``nodes`` in as many columns as needed beside the claim area,
    each near the mean height of the claims it links to."""
    if not nodes:
        return
    per_column = max(1, int(max(height, sep) // sep) + 1)
    n_columns = math.ceil(len(nodes) / per_column)
    per_column = math.ceil(len(nodes) / n_columns)

    def wanted_y(n: Node) -> float:
        linked = [ys[c] for c in links.get(n.id, ()) if c in ys]
        return sum(linked) / len(linked) if linked else height + sep  # unlinked ones go last

    ordered = sorted(nodes, key=lambda n: (wanted_y(n), n.id))
    for col in range(n_columns):
        chunk = ordered[col * per_column : (col + 1) * per_column]
        x = x0 + direction * col * COLUMN_W
        for n, y in zip(chunk, _spread([wanted_y(n) for n in chunk], sep, height)):
            n.x, n.y = x, y


def _spread(wanted: list[float], sep: float, height: float) -> list[float]:
    """Positions as close to ``wanted`` (sorted, all >= 0) as possible, at
    least ``sep`` apart, inside ``[0, height]`` when they fit, else centred on it."""
    if not wanted:
        return []
    span = sep * (len(wanted) - 1)
    bottom = max(height, span)
    out: list[float] = []
    y = -math.inf
    for w in wanted:  # push down past the one above
        y = max(w, y + sep)
        out.append(y)
    out[-1] = min(out[-1], bottom)
    for i in range(len(out) - 2, -1, -1):  # pull back up above the one below
        out[i] = min(out[i], out[i + 1] - sep)
    if span > height:
        out = [y - (span - height) / 2 for y in out]
    return out
