"""The HTML evidence graph in real headless Chromium (Debian's, via Playwright).

Every request that is not for a file is aborted and recorded: the page must
make none. In CI (CI=true) a missing browser fails these tests instead of
skipping them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import graph
from graph.render.html import build_html

from .conftest import DATA, require_or_skip

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
XSS = DATA / "xss"


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_or_skip(sync_playwright is not None, "playwright is not installed (pip install -e '.[test]')")
    require_or_skip(CHROMIUM.exists() or shutil.which("chromium") is not None, f"no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@dataclass
class Loaded:
    """An open page and what it did while loading and afterwards."""

    page: object
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def _open(browser, path: Path, width: int = 1280, height: int = 800) -> Loaded:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    loaded = Loaded(page)

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            loaded.external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: loaded.errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: loaded.errors.append(str(e)))
    page.on("dialog", lambda d: (loaded.dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready]", state="attached", timeout=30_000)
    return loaded


@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory, eg):
    html, view = build_html(eg)
    path = tmp_path_factory.mktemp("html") / "evidence-graph.html"
    path.write_text(html, encoding="utf-8")
    return path, view


@pytest.fixture(scope="module")
def xss_page(tmp_path_factory):
    eg = graph.load(claims=XSS / "xss-claims.ttl", sources=XSS / "xss-sources.bib")
    html, view = build_html(eg)
    path = tmp_path_factory.mktemp("xss") / "xss.html"
    path.write_text(html, encoding="utf-8")
    return path, view


def _click_node(page, node_id: str) -> None:
    """Click a node where it is drawn on the canvas, as a user would."""
    page.evaluate("id => window.evg.network.focus(id, {scale: 1.2, animation: false})", node_id)
    box = page.locator("#canvas").bounding_box()
    pos = page.evaluate(
        "id => window.evg.network.canvasToDOM(window.evg.network.getPositions([id])[id])",
        node_id,
    )
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def test_page_loads_offline_without_errors(browser, corpus_page):
    path, _ = corpus_page
    loaded = _open(browser, path)
    assert loaded.external == []
    assert loaded.errors == []
    assert loaded.page.evaluate("document.querySelectorAll('link, img, iframe, [src]').length") == 0
    loaded.page.context.close()


def test_node_and_edge_counts_equal_the_graph(browser, corpus_page, eg):
    path, view = corpus_page
    loaded = _open(browser, path)
    page = loaded.page
    expected_nodes = len(eg.claim_summaries()) + len(eg.source_keys) + len(eg.article_iris) + view.counts()["topic"]
    assert page.evaluate("[window.evg.nodeCount, window.evg.edgeCount]") == [expected_nodes, len(view.edges)]
    assert page.get_attribute("body", "data-node-count") == str(expected_nodes)
    assert page.get_attribute("body", "data-edge-count") == str(len(view.edges))
    # and vis-network holds them all
    drawn = page.evaluate("[window.evg.visibleNodeCount(), window.evg.visibleEdgeCount()]")
    assert drawn == [expected_nodes, len(view.edges)]
    page.context.close()


def test_clicking_a_claim_shows_its_sources(browser, corpus_page, eg):
    path, _ = corpus_page
    claim = next(c for c in eg.claims() if len(c.supported_by) >= 2)
    loaded = _open(browser, path)
    page = loaded.page
    _click_node(page, f"claim:{claim.slug}")
    assert page.get_attribute("body", "data-selected") == f"claim:{claim.slug}"
    panel = page.inner_text("#details")
    assert claim.text in panel
    assert f"Supported by ({len(claim.supported_by)})".upper() in panel.upper()
    for ref in claim.supported_by:
        assert ref.citation in panel
        if ref.doi:
            assert page.locator(f'#details a[href="https://doi.org/{ref.doi}"]').count() >= 1
    for st in claim.stated_in:
        assert st.quote in panel
    assert loaded.errors == []
    page.context.close()


def test_clicking_a_source_lists_the_claims_it_supports_and_disputes(browser, corpus_page, eg):
    path, _ = corpus_page
    key = next(k for k in eg.source_keys if eg.claims_for(k)["disputes"])
    backed = eg.claims_for(key)
    loaded = _open(browser, path)
    page = loaded.page
    _click_node(page, f"source:{key}")
    panel = page.inner_text("#details")
    assert f"SUPPORTS ({len(backed['supports'])})" in panel.upper()
    assert f"DISPUTES ({len(backed['disputes'])})" in panel.upper()
    for c in backed["supports"] + backed["disputes"]:
        assert c.text in panel
    page.context.close()


def test_search_finds_compression(browser, corpus_page):
    path, view = corpus_page

    def text(nid: str, d: dict) -> str:
        if d["kind"] == "claim":
            return f"{d['text']} {nid}"
        if d["kind"] == "source":
            return " ".join(str(d[k] or "") for k in ("label", "key", "citation", "title"))
        return ""  # the search box looks at claims and sources only

    expected = sorted(nid for nid, d in view.details.items() if "compression" in text(nid, d).lower())
    assert expected  # the corpus is about the compression model
    loaded = _open(browser, path)
    page = loaded.page
    page.fill("#search", "compression")
    page.wait_for_selector("#results:not([hidden])")
    found = page.eval_on_selector_all("#results button", "bs => bs.map(b => b.dataset.node)")
    assert sorted(found) == expected[:40]
    page.click("#results button >> nth=0")
    assert page.get_attribute("body", "data-selected") == found[0]
    assert "compression" in page.inner_text("#details").lower()
    page.context.close()


def test_filters_and_focus_hide_and_show_nodes(browser, corpus_page):
    path, view = corpus_page
    counts = view.counts()
    loaded = _open(browser, path)
    page = loaded.page
    page.uncheck('input[data-filter="kind:topic"]')
    assert page.evaluate("window.evg.visibleNodeCount()") == counts["nodes"] - counts["topic"]
    assert page.evaluate("window.evg.visibleEdgeCount()") == counts["edges"] - counts["about"]
    page.check('input[data-filter="kind:topic"]')
    no_source = sum(1 for n in view.nodes if n.group == "claim-no-source")
    page.uncheck('input[data-filter="status:no-source"]')
    assert page.evaluate("window.evg.visibleNodeCount()") == counts["nodes"] - no_source
    page.check('input[data-filter="status:no-source"]')
    # focus: a source and the claims it links to (depth 1)
    source = max((n for n in view.nodes if n.kind == "source"), key=lambda n: n.size)
    linked = {e.target for e in view.edges if e.source == source.id}
    _click_node(page, source.id)
    page.check("#focus")
    assert page.evaluate("window.evg.visibleNodeCount()") == 1 + len(linked)
    page.uncheck("#focus")
    assert page.evaluate("window.evg.visibleNodeCount()") == counts["nodes"]
    assert loaded.errors == []
    page.context.close()


def test_xss_probe_runs_nothing(browser, xss_page):
    path, view = xss_page
    loaded = _open(browser, path)
    page = loaded.page
    for node in view.nodes:  # every panel, through the page's own selection
        page.evaluate("id => window.evg.select(id, true)", node.id)
        page.mouse.move(10, 10)
    page.fill("#search", "img")
    page.wait_for_selector("#results:not([hidden])")
    page.hover("#results button >> nth=0")
    page.click("#results button >> nth=0")
    assert loaded.dialogs == []
    assert page.evaluate("window.__xss === undefined")
    assert page.evaluate("document.images.length") == 0
    assert page.evaluate("document.scripts.length") == 5
    panel = page.inner_text("#details")
    assert "<img src=x onerror=alert(1)> Compression of the fat pad causes the pain." in panel
    page.evaluate("id => window.evg.select(id, true)", "source:evil2020")
    assert "</script><script>window.__xss = 'bibtex title'</script>" in page.inner_text("#details")
    page.evaluate("id => window.evg.select(id, true)", "claim:img-label")
    assert "</script><img src=x onerror=\"window.__xss = 'quote'\">" in page.inner_text("#details")
    assert loaded.external == [] and loaded.errors == []
    page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_usable_at_laptop_and_phone_size(browser, corpus_page, width, height):
    path, _ = corpus_page
    loaded = _open(browser, path, width, height)
    page = loaded.page
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off sideways
    canvas = page.locator("#canvas").bounding_box()
    panel = page.locator("#panel").bounding_box()
    search = page.locator("#search").bounding_box()
    assert canvas["width"] >= width * 0.6 and canvas["height"] >= height * 0.4
    assert panel["height"] > 100 and search["width"] >= 150
    assert search["x"] + search["width"] <= width
    page.fill("#search", "compression")
    page.wait_for_selector("#results:not([hidden])")
    page.click("#results button >> nth=0")
    assert page.get_attribute("body", "data-selected")
    assert loaded.errors == []
    page.context.close()
