"""The HTML evidence graph without a browser: what the page holds (exact
nodes, edges and details), selections, layout, escaping, and ``evg html``.

The browser tests are in test_render_html_browser.py.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import URIRef

import graph
from graph.model.errors import NotFoundError
from graph.model.namespaces import CONCEPT
from graph.render.html import build_html, build_view, layout, write_html
from graph.render.html._render import script_json
from graph.render.html._view import _query

from .conftest import DATA

XSS = DATA / "xss"
QUERY_DIR = Path(graph.__file__).parent / "queries" / "html"
_PUB = "<img src=x onerror=\"window.__xss = 'publisher'\">"
XSS_ARGS = ["--sources", str(XSS / "xss-sources.bib"), "--claims", str(XSS / "xss-claims.ttl")]


@pytest.fixture(scope="module")
def xss():
    return graph.load(claims=XSS / "xss-claims.ttl", sources=XSS / "xss-sources.bib")


def _edges(view) -> set[tuple[str, str, str, bool]]:
    return {(e.source, e.target, e.kind, e.dashed) for e in view.edges}


def _embedded(html: str, element_id: str):
    m = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, flags=re.S)
    return json.loads(m.group(1))


# --- the view: exact content on the hostile fixture ------------------------------------


def test_fixture_nodes_are_exactly_the_claims_sources_articles_and_topics(xss):
    view = build_view(xss)
    assert sorted((n.id, n.kind, n.group) for n in view.nodes) == [
        ("article:hostile", "article", "article"),
        ("claim:img-label", "claim", "claim-no-source"),  # its only citation is misattributed
        ("claim:script-label", "claim", "claim-contested"),
        ("claim:uncited", "claim", "claim-no-source"),
        ("concept:fat-pad", "topic", "topic"),
        ("concept:payload", "topic", "topic"),
        ("source:evil2020", "source", "source"),
        ("source:plain2019", "source", "source"),
    ]


def test_fixture_edges_carry_kind_stance_and_doubt(xss):
    assert _edges(build_view(xss)) == {
        ("source:evil2020", "claim:img-label", "supports", True),  # review verdict: misattributed
        ("source:plain2019", "claim:script-label", "disputes", False),
        ("article:hostile", "claim:img-label", "states", False),
        ("article:hostile", "claim:uncited", "states", False),
        ("article:hostile", "claim:script-label", "rejects", False),
        ("claim:img-label", "concept:fat-pad", "about", False),
        ("claim:img-label", "concept:payload", "about", False),
        ("claim:script-label", "concept:fat-pad", "about", False),
        ("claim:uncited", "concept:fat-pad", "about", False),
        ("claim:img-label", "claim:script-label", "contradicts", False),
    }


def test_fixture_counts(xss):
    assert build_view(xss).counts() == {
        "nodes": 8,
        "edges": 10,
        "claim": 3,
        "source": 2,
        "article": 1,
        "topic": 2,
        "supports": 1,
        "disputes": 1,
        "states": 2,
        "reports": 0,
        "rejects": 1,
        "about": 4,
        "contradicts": 1,
    }


def test_source_label_is_first_author_and_year(xss):
    view = build_view(xss)
    assert {n.id: n.label for n in view.nodes if n.kind == "source"} == {
        "source:evil2020": "Evil 2020",
        "source:plain2019": "Plain 2019",
    }


def test_claim_details_name_the_doubtful_citation_with_its_verdict(xss):
    d = build_view(xss).details["claim:img-label"]
    assert d["supports"] == [
        {
            "source": "source:evil2020",
            "key": "evil2020",
            "verdict": "misattributed",
            "review": "<img src=x onerror=\"window.__xss = 'review'\"> The study measured something else.",
            "doubtful": True,
        }
    ]
    assert d["statements"] == [
        {
            "article": "article:hostile",
            "title": "</script><script>window.__xss = 'article title'</script> & friends",
            "stance": "asserts",
            "quote": "</script><img src=x onerror=\"window.__xss = 'quote'\"> said\u2028so\u2029there",
            "cited": ["evil2020"],
        }
    ]
    assert d["contradicts"] == ["claim:script-label"]
    assert d["topics"] == ["concept:fat-pad", "concept:payload"]


def test_source_details_list_claims_supported_and_disputed(xss):
    details = build_view(xss).details
    evil, plain = details["source:evil2020"], details["source:plain2019"]
    assert (evil["supports"], evil["disputes"], evil["doubtful"]) == (["claim:img-label"], [], ["claim:img-label"])
    assert (plain["supports"], plain["disputes"], plain["doubtful"]) == ([], ["claim:script-label"], [])
    assert (evil["doi"], evil["design"], evil["rank"]) == ("10.9999/evil.2020.1", "cohort study", 5)
    assert evil["citation"].startswith("Evil E, Other O. <img src=x onerror=alert(1)> and </script>")
    assert plain["citation"] == "Plain P. A plain fictional study. Journal of Invented Results. 2019;"


def test_sources_are_sized_by_the_claims_they_back(xss):
    sizes = {n.id: n.size for n in build_view(xss).nodes if n.kind == "source"}
    assert sizes == {"source:evil2020": 21.0, "source:plain2019": 21.0}


# --- the view on the bundled corpus: agrees with the core API ---------------------------


def test_corpus_view_matches_the_graph(eg):
    view = build_view(eg)
    kinds = Counter(n.kind for n in view.nodes)
    summaries = eg.claim_summaries()
    topics = {str(r["topic"]) for r in eg.select(_query("claim-topics"))}
    assert kinds == {
        "claim": len(summaries),
        "source": len(eg.source_keys),
        "article": len(eg.article_iris),
        "topic": len(topics),
    }
    edges = Counter(e.kind for e in view.edges)
    assert edges["supports"] == sum(len(s.supported_by) for s in summaries) + sum(
        1 for c in eg.claims() for r in c.supported_by if r.key not in eg.summary(c.iri).supported_by
    )
    assert edges["disputes"] == sum(len(s.disputed_by) for s in summaries)
    statuses = Counter(n.group.removeprefix("claim-") for n in view.nodes if n.kind == "claim")
    assert statuses == Counter(s.status for s in summaries)


def test_corpus_doubtful_citations_are_the_reviewed_ones_not_supported(eg):
    view = build_view(eg)
    dashed = {(e.source.removeprefix("source:"), e.target) for e in view.edges if e.dashed}
    expected = {
        (r.key, "claim:" + c.slug)
        for c in eg.claims()
        for r in (*c.supported_by, *c.disputed_by)
        if r.verdict is not None and r.verdict != "supported"
    }
    assert dashed == expected
    assert dashed  # the corpus has reviewed citations that do not hold


# --- selections --------------------------------------------------------------------------


def test_focus_on_a_source_keeps_its_claims(xss):
    view = build_view(xss, focus="evil2020")
    assert sorted(n.id for n in view.nodes) == ["claim:img-label", "source:evil2020"]
    assert _edges(view) == {("source:evil2020", "claim:img-label", "supports", True)}
    assert view.scope == "1 hop around source:evil2020"


def test_focus_depth_two_walks_through_claims_not_articles_or_topics(xss):
    view = build_view(xss, focus="evil2020", depth=2)
    # two hops: the claim's article, topics and the claim it contradicts; the
    # article and topics are reached but not walked through (uncited stays out).
    assert sorted(n.id for n in view.nodes) == [
        "article:hostile",
        "claim:img-label",
        "claim:script-label",
        "concept:fat-pad",
        "concept:payload",
        "source:evil2020",
    ]


def test_focus_on_a_claim_by_slug(xss):
    view = build_view(xss, focus="claim:script-label")
    assert sorted(n.id for n in view.nodes) == [
        "article:hostile",
        "claim:img-label",
        "claim:script-label",
        "concept:fat-pad",
        "source:plain2019",
    ]
    assert ("claim:img-label", "claim:script-label", "contradicts", False) in _edges(view)


def test_topic_selection(xss):
    view = build_view(xss, topic="payload")
    assert sorted(n.id for n in view.nodes if n.kind == "claim") == ["claim:img-label"]
    assert view.scope == "topic payload"


def test_topic_selection_includes_narrower_topics(eg):
    broad = build_view(eg, topic="rehabilitation")
    narrow = build_view(eg, topic="foam-rolling")  # foam rolling < soft-tissue therapy < rehabilitation
    broad_claims = {n.id for n in broad.nodes if n.kind == "claim"}
    narrow_claims = {n.id for n in narrow.nodes if n.kind == "claim"}
    assert narrow_claims and narrow_claims < broad_claims


def test_article_selection_keeps_only_that_article(eg):
    slug = "it-band-foam-rolling"
    view = build_view(eg, article=slug)
    assert [n.id for n in view.nodes if n.kind == "article"] == [f"article:{slug}"]
    stated = {"claim:" + c.slug for c in eg.claims() if any(s.article.endswith("/" + slug) for s in c.stated_in)}
    assert {n.id for n in view.nodes if n.kind == "claim"} == stated


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"focus": "evil202"}, "no claim or source named 'evil202'; did you mean: evil2020?"),
        ({"topic": "fat-pads"}, "no topic named 'fat-pads'; did you mean: fat-pad?"),
        ({"article": "hostil"}, "no article named 'hostil'; did you mean: hostile?"),
    ],
)
def test_unknown_names_raise_with_suggestions(xss, kwargs, message):
    with pytest.raises(NotFoundError) as info:
        build_view(xss, **kwargs)
    assert str(info.value) == message


# --- layout ---------------------------------------------------------------------------------


def test_layout_places_articles_left_sources_right_and_no_two_nodes_together(eg):
    view = build_view(eg)
    layout(view)
    xs = {kind: [n.x for n in view.nodes if n.kind == kind] for kind in ("claim", "source", "article", "topic")}
    assert max(xs["article"]) < min(xs["claim"] + xs["topic"])
    assert min(xs["source"]) > max(xs["claim"] + xs["topic"])
    spots = Counter((round(n.x), round(n.y)) for n in view.nodes)
    assert spots.most_common(1)[0][1] == 1


def test_layout_is_deterministic(eg):
    a, b = build_view(eg), build_view(eg)
    layout(a)
    layout(b)
    assert [(n.id, n.x, n.y) for n in a.nodes] == [(n.id, n.x, n.y) for n in b.nodes]


def test_each_claim_is_grouped_under_one_of_its_topics(eg):
    view = build_view(eg)
    layout(view)
    topics = {(e.source, e.target) for e in view.edges if e.kind == "about"}
    assert view.topic_of
    assert all((claim, topic) in topics for claim, topic in view.topic_of.items())


# --- the page ---------------------------------------------------------------------------------


def test_page_embeds_exactly_the_view(xss):
    html, view = build_html(xss)
    nodes, edges, data = _embedded(html, "evg-nodes"), _embedded(html, "evg-edges"), _embedded(html, "evg-data")
    assert [n["id"] for n in nodes] == [n.id for n in view.nodes]
    assert [(e["from"], e["to"], e["kind"], e.get("dashed", False)) for e in edges] == [
        (e.source, e.target, e.kind, e.dashed) for e in view.edges
    ]
    assert data["counts"] == view.counts()
    assert data["details"] == view.details


def test_page_has_no_raw_markup_from_the_data(xss):
    html, _ = build_html(xss)
    assert "<img" not in html
    assert "onerror=alert(1)" in html  # present, but only inside escaped JSON
    assert html.count("</script>") == 5  # three JSON blocks, vis-network, the page script
    assert html.count("<script") == 5
    assert "\u2028" not in html and "\u2029" not in html


def test_page_loads_nothing_from_the_network(eg):
    html, _ = build_html(eg)
    assert re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", html, flags=re.I) == []
    assert "@import" not in html
    assert re.findall(r"""url\((?!["']?data:)""", html) == []  # only data: URLs in styles
    assert "sourceMappingURL" not in html
    assert "default-src 'none'" in html  # and a Content-Security-Policy forbids it anyway


def test_pyvis_own_template_is_not_offline():
    """Why the page has a template of its own: pyvis 0.3.2 loads Bootstrap
    from a CDN even when asked to inline its resources."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.add_node(1, label="a")
    remote = re.findall(r'(?:src|href)="(https://[^"]+)"', net.generate_html())
    assert any(url.startswith("https://cdn.jsdelivr.net/npm/bootstrap") for url in remote), remote


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("</script><script>", '"\\u003c/script\\u003e\\u003cscript\\u003e"'),
        ("a & b", '"a \\u0026 b"'),
        ("line\u2028para\u2029", '"line\\u2028para\\u2029"'),
        ("<!--", '"\\u003c!--"'),
        ("é", '"é"'),
    ],
)
def test_script_json_escapes(text, expected):
    assert script_json(text) == expected
    assert json.loads(script_json(text)) == text


def _short(term) -> str:
    """IRIs by their last part; literals as they are."""
    if not isinstance(term, URIRef):
        return str(term)
    return str(term).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


#: Each query of graph/queries/html/ on the hostile fixture: bindings, and the
#: rows expected (terms shortened to their last part), or rows that must be among them.
QUERY_ROWS = {
    "articles": ({}, {("hostile", "</script><script>window.__xss = 'article title'</script> & friends", _PUB)}),
    "claim-topics": (
        {},
        {("img-label", "payload"), ("img-label", "fat-pad"), ("script-label", "fat-pad"), ("uncited", "fat-pad")},
    ),
    "contradictions": ({}, {("img-label", "script-label")}),
    "first-names": ({}, {("evil2020", "authorList", "Evil"), ("plain2019", "authorList", "Plain")}),
    "labels": ({}, {("payload", "<img src=x onerror=alert(1)> topic"), ("fat-pad", "fat pad")}),  # among others
    "narrower-topics": ({"topic": CONCEPT["fat-pad"]}, {("fat-pad",)}),
    "source-fields": (
        {},
        {
            (
                "evil2020",
                "title",
                "<img src=x onerror=alert(1)> and </script><script>window.__xss = 'bibtex title'</script> in a title",
            ),
            ("evil2020", "issued", "2020"),
            ("plain2019", "title", "A plain fictional study"),
            ("plain2019", "issued", "2019"),
        },
    ),
    "sources": ({}, {("evil2020", "evil2020"), ("plain2019", "plain2019")}),
}


def test_every_html_query_has_expected_rows():
    assert sorted(QUERY_ROWS) == sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


@pytest.mark.parametrize("name", sorted(QUERY_ROWS))
def test_html_query_starts_with_a_comment_and_gives_exact_rows(xss, name):
    text = _query(name)
    assert text.startswith("# ") and text.splitlines()[0].endswith("?")
    bindings, expected = QUERY_ROWS[name]
    rows = {tuple(_short(v) if v is not None else None for v in row.values()) for row in xss.select(text, bindings)}
    if name == "labels":
        assert expected <= rows
    else:
        assert rows == expected


# --- the command -------------------------------------------------------------------------------


def test_evg_html_writes_the_page_and_prints_its_path(evg, tmp_path):
    out = tmp_path / "sub" / "graph.render.html"
    result = evg("html", *XSS_ARGS, "-o", out)
    assert result.code == 0, result.err
    assert result.out == f"{out}\n"
    assert result.err == "3 claims, 2 sources, 1 article, 2 topics; 10 links (whole graph)\n"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_evg_html_default_path(evg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = evg("html", *XSS_ARGS)
    assert result.code == 0, result.err
    assert result.out == "build/evidence-graph.html\n"
    assert (tmp_path / "build" / "evidence-graph.html").is_file()


def test_evg_html_selection_summary(evg, tmp_path):
    out = tmp_path / "g.html"
    args = ["html", *XSS_ARGS, "-o", str(out), "--focus", "evil2020", "--depth", "2"]
    result = evg(*args)
    assert result.code == 0, result.err
    assert result.err == "2 claims, 1 source, 1 article, 2 topics; 7 links (2 hops around source:evil2020)\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--focus", "nobody"], 1, "evg: error: no claim or source named 'nobody'\n"),
        (["--topic", "fatpad"], 1, "evg: error: no topic named 'fatpad'; did you mean: fat-pad?\n"),
        (["--claims", "missing.ttl"], 2, "evg: error: missing.ttl: no such file or folder\n"),
        (["--depth", "2"], 2, "evg: error: --depth needs --focus: it counts links from the focused node\n"),
        (["--depth", "1"], 2, "evg: error: --depth needs --focus: it counts links from the focused node\n"),
    ],
)
def test_evg_html_errors_are_one_line_and_write_nothing(tmp_path, evg, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    assert evg("html", *XSS_ARGS, "-o", "g.html", *args) == (code, "", message)
    assert list(tmp_path.iterdir()) == []


def test_write_html_result(xss, tmp_path):
    result = write_html(xss, tmp_path / "x.html", topic="fat-pad")
    assert result.summary() == "3 claims, 2 sources, 1 article, 2 topics; 10 links (topic fat-pad)"
    assert result.bytes == (tmp_path / "x.html").stat().st_size


def test_labels_are_whole_texts_and_the_focus_is_recorded(xss, eg):
    view = build_view(eg)
    texts = {f"claim:{c.slug}": " ".join(c.text.split()) for c in eg.claims()}
    assert {n.id: n.label for n in view.nodes if n.kind == "claim"} == texts
    assert max(map(len, texts.values())) > 120  # long ones are kept whole: the page wraps them
    assert view.focus is None
    assert build_view(xss, focus="evil2020").focus == "source:evil2020"
    assert build_view(xss, focus="img-label", depth=2).focus == "claim:img-label"


def test_claim_rows_leave_room_for_their_wrapped_labels(eg):
    from graph.render.html._layout import DOT_ROOM, LINE_H, ROW_GAP, label_lines

    view = build_view(eg)
    layout(view)
    claims = sorted((n for n in view.nodes if n.kind == "claim"), key=lambda n: (round(n.x), n.y))
    for a, b in itertools.pairwise(claims):
        if round(a.x) == round(b.x):  # the next dot down the same column starts below a's label
            assert b.y - a.y >= DOT_ROOM + ROW_GAP + LINE_H * label_lines(a.label) - 1e-9


def test_page_carries_the_shared_palette_and_the_focus(xss):
    from graph.render.palette import as_json

    html, _ = build_html(xss, focus="evil2020")
    data = _embedded(html, "evg-data")
    assert data["palette"] == as_json()
    assert data["focus"] == "source:evil2020"
    assert _embedded(build_html(xss)[0], "evg-data")["focus"] is None
