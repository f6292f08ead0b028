"""The interactive HTML evidence graph: one self-contained, offline page.

>>> import graph
>>> from graph.render.html import write_html
>>> result = write_html(graph.load(), "build/evidence-graph.html")   # doctest: +SKIP
>>> result.summary()                                                  # doctest: +SKIP
'67 claims, 9 sources, 2 articles, 31 topics; 282 links'

Three steps, each usable alone: :func:`build_view` (what to show, from the
graph), :func:`layout` (where), :func:`render_html` (the page).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graph.render.html._layout import layout
from graph.render.html._view import EDGE_KINDS, NODE_KINDS, Edge, GraphView, Node, build_view

if TYPE_CHECKING:  # pragma: no cover
    from graph.evidence.graph import EvidenceGraph

__all__ = [
    "DEFAULT_OUTPUT",
    "EDGE_KINDS",
    "NODE_KINDS",
    "Edge",
    "GraphView",
    "HtmlResult",
    "Node",
    "build_html",
    "build_view",
    "layout",
    "render_html",
    "write_html",
]

#: Where ``evg html`` writes by default.
DEFAULT_OUTPUT = Path("build") / "evidence-graph.html"


@dataclass(frozen=True)
class HtmlResult:
    """What :func:`write_html` wrote."""

    path: Path
    counts: dict[str, int]
    scope: str
    bytes: int

    def summary(self) -> str:
        c = self.counts
        from graph.model.words import plural

        return (
            f"{plural(c['claim'], 'claim')}, {plural(c['source'], 'source')}, {plural(c['article'], 'article')}, "
            f"{plural(c['topic'], 'topic')}; {plural(c['edges'], 'link')} ({self.scope})"
        )


def render_html(view: GraphView) -> str:
    """The page of a laid-out view (see :mod:`graph.render.html._render`)."""
    from graph.render.html._render import render_html as _render

    return _render(view)


def build_html(
    eg: EvidenceGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    article: str | None = None,
    topic: str | None = None,
    style: str = "vancouver",
) -> tuple[str, GraphView]:
    """The page for ``eg`` (or the part of it selected as in
    :func:`build_view`), and the view it shows."""
    view = build_view(eg, focus=focus, depth=depth, article=article, topic=topic, style=style)
    layout(view)
    return render_html(view), view


def write_html(
    eg: EvidenceGraph,
    path: str | os.PathLike = DEFAULT_OUTPUT,
    *,
    focus: str | None = None,
    depth: int = 1,
    article: str | None = None,
    topic: str | None = None,
    style: str = "vancouver",
) -> HtmlResult:
    """Write the page to ``path`` atomically (folders are created) and say what it holds."""
    from graph.model.paths import atomic_write

    html, view = build_html(eg, focus=focus, depth=depth, article=article, topic=topic, style=style)
    data = html.encode("utf-8")
    with atomic_write(path, "wb") as fh:
        fh.write(data)
    return HtmlResult(Path(path), view.counts(), view.scope, len(data))
