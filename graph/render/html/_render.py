"""Draw a :class:`~graph.render.html.GraphView` as one self-contained HTML file.

The page is rendered through pyvis (its ``Network`` holds the node and edge
lists and renders a Jinja template) but with a template of our own: pyvis's
template fetches Bootstrap from a CDN even with ``cdn_resources="in_line"``.
Ours inlines vis-network's standalone build (shipped in ``assets/``), the
page's script and style, and the data, so the file works with no network at
all; a Content-Security-Policy forbids every fetch besides.

Data goes in as JSON inside ``<script type="application/json">`` with ``<``,
``>``, ``&``, U+2028 and U+2029 escaped, so no text from the data can end
the script block; the page script puts it into the document as text only.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from graph.model import __version__
from graph.render.html._view import GraphView

__all__ = ["render_html", "script_json"]

_TEMPLATE = "evidence-graph.html"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")


def script_json(value) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


@cache
def _asset(name: str) -> str:
    """A file from ``assets/`` ready to inline: its source-map comment (a
    file the page cannot reach) dropped, and checked not to close its element."""
    text = resources.files("graph.render.html").joinpath("assets", name).read_text(encoding="utf-8")
    text = _SOURCE_MAP.sub("\n", text)
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in text.lower() or "<!--" in text:
        raise RuntimeError(f"asset {name} cannot be inlined: it contains {closing} or <!--")
    return text


def _vis_node(n) -> dict:
    out = {"id": n.id, "label": n.label, "group": n.group, "kind": n.kind, "x": round(n.x), "y": round(n.y)}
    if n.kind != "claim":
        out["size"] = round(n.size, 1)
    return out


def _vis_edge(e) -> dict:
    out = {"from": e.source, "to": e.target, "kind": e.kind}
    if e.dashed:
        out["dashed"] = True
    return out


def render_html(view: GraphView) -> str:
    """The HTML page of a laid-out ``view``, as a string."""
    from jinja2 import Environment, FileSystemLoader
    from markupsafe import Markup
    from pyvis.network import Network

    from graph.render.palette import as_json as palette_json

    net = Network(heading=view.title, directed=True, cdn_resources="in_line")
    # Filled directly: Network.add_node/add_edge check membership in lists,
    # which makes building a large graph quadratic.
    net.nodes = [_vis_node(n) for n in view.nodes]
    net.edges = [_vis_edge(e) for e in view.edges]
    net.options = {"physics": {"enabled": False}}
    template_dir = resources.files("graph.render.html").joinpath("templates")
    net.set_template_dir(str(template_dir), _TEMPLATE)
    # pyvis's environment does not escape; ours does, for the text we put in.
    net.templateEnv = Environment(loader=FileSystemLoader(str(template_dir)), autoescape=True)
    net.templateEnv.filters["script_json"] = lambda value: Markup(script_json(value))
    net.templateEnv.globals.update(
        version=__version__,
        css=Markup(_asset("app.css")),
        vis_js=Markup(_asset("vis-network.min.js")),
        app_js=Markup(_asset("app.js")),
        data={
            "counts": view.counts(),
            "scope": view.scope,
            "details": view.details,
            "palette": palette_json(),
            "focus": view.focus,
        },
        generated=f"Made by evidence-graph {__version__}; vis-network is dual-licensed Apache-2.0 / MIT.",
    )
    return net.generate_html(notebook=False)
