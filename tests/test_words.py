"""Words in text output: the plural right for 0, 1 and 2 of each counted
thing, in every command's text (the second half of issue 20). The three
corpora: ``tests/data/counts/none`` (an article and a source, no claims),
``tests/data/counts/one`` (one of each) and ``tests/data/mini`` (two claims,
statements, sources and topics, one article)."""

from __future__ import annotations

import pytest

import graph

from .conftest import DATA, require_or_skip

NONE, ONE, TWO = DATA / "counts" / "none", DATA / "counts" / "one", DATA / "mini"
ORCID = "https://orcid.org/0000-0002-1825-0097"


def corpus(folder) -> list[str]:
    return ["--claims", str(folder / "claims.ttl"), "--sources", str(folder / "sources.bib")]


#: Every noun a text renderer counts.
COUNTED = {
    "claim": "claims",
    "source": "sources",
    "article": "articles",
    "topic": "topics",
    "link": "links",
    "row": "rows",
    "sentence": "sentences",
    "statement": "statements",
    "reference": "references",
    "entry": "entries",
    "problem": "problems",
    "triple": "triples",
    "unresolved citation": "unresolved citations",
}


@pytest.mark.parametrize(("word", "many"), COUNTED.items())
def test_plural_of_every_counted_noun(word, many):
    from graph.model.words import plural

    assert [plural(n, word) for n in (0, 1, 2)] == [f"0 {many}", f"1 {word}", f"2 {many}"]


def test_table_row_count():
    from graph.sparql import QueryResult, to_table

    rows = [tuple(), ((None,),), ((None,), (None,))]
    assert [to_table(QueryResult("SELECT", ("x",), r)).splitlines()[-1] for r in rows] == [
        "(0 rows)",
        "(1 row)",
        "(2 rows)",
    ]


def test_html_summary_counts():
    from pathlib import Path

    from graph.render.html import HtmlResult

    def summary(n):
        counts = {"claim": n, "source": n, "article": n, "topic": n, "edges": n}
        return HtmlResult(Path("g.html"), counts, "whole graph", 0).summary()

    assert [summary(n) for n in (0, 1, 2)] == [
        "0 claims, 0 sources, 0 articles, 0 topics; 0 links (whole graph)",
        "1 claim, 1 source, 1 article, 1 topic; 1 link (whole graph)",
        "2 claims, 2 sources, 2 articles, 2 topics; 2 links (whole graph)",
    ]


def test_claims_of_a_source_counts(any_store):
    import dataclasses

    from graph.render.report import source_markdown

    full = any_store.evidence.source_claims("fairclough2007")
    assert len(full.supports) >= 2
    lines = []
    for n in (0, 1, 2):
        result = dataclasses.replace(full, supports=full.supports[:n], disputes=full.supports[:n])
        lines.append(source_markdown(result).splitlines()[4].split("; ")[-1])
    assert lines == [
        "supports 0 claims, disputes 0 claims.",
        "supports 1 claim, disputes 1 claim.",
        "supports 2 claims, disputes 2 claims.",
    ]


def test_impact_counts():
    from types import SimpleNamespace

    from graph.cli.query import render_impact

    def first(n):
        r = SimpleNamespace(source="x", supports=[None] * n, lose_all_support=[], left_with_one_source=[])
        r.disputes = r.refuted = []
        return render_impact(r).splitlines()[0]

    assert [first(n) for n in (0, 1, 2)] == [
        "If x were retracted (0 claims it supports):",
        "If x were retracted (1 claim it supports):",
        "If x were retracted (2 claims it supports):",
    ]


def test_draft_check_summary_counts():
    from types import SimpleNamespace

    from graph.drafts.check import CheckReport
    from graph.render.check import _summary_line

    def line(n):
        sentences = tuple(SimpleNamespace(status="supported") for _ in range(n))
        return _summary_line(CheckReport("d.md", "vancouver", sentences, (), (None,) * n))

    assert [line(n) for n in (0, 1, 2)] == [
        "0 sentences",
        "1 sentence: 1 supported; 1 unresolved citation",
        "2 sentences: 2 supported; 2 unresolved citations",
    ]


def test_validate_counts_in_words(evg, tmp_path):
    from .conftest import DATA

    code, out, err = evg("validate", "--no-shacl", "--claims", str(DATA / "mini" / "claims.ttl"),
                         "--sources", str(DATA / "mini" / "sources.bib"))  # fmt: skip
    assert (code, out) == (0, "")
    assert err == "ok: 2 claims, 2 statements, 2 sources\n"


def test_validate_counts_claims_statements_and_sources(evg):
    lines = []
    for folder in (NONE, ONE, TWO):
        code, out, err = evg("validate", "--no-shacl", *corpus(folder))
        assert (code, out) == (0, "")
        lines.append(err)
    assert lines == [
        "ok: 0 claims, 0 statements, 1 source\n",
        "ok: 1 claim, 1 statement, 1 source\n",
        "ok: 2 claims, 2 statements, 2 sources\n",
    ]


def test_validate_counts_problems(evg, tmp_path):
    text = (TWO / "claims.ttl").read_text(encoding="utf-8").splitlines(keepends=True)
    one = tmp_path / "one-label-missing.ttl"
    one.write_text("".join(line for line in text if 'rdfs:label "Weak' not in line), encoding="utf-8")
    two = tmp_path / "labels-missing.ttl"
    two.write_text("".join(line for line in text if 'rdfs:label "' not in line), encoding="utf-8")
    ends = []
    for path in (one, two):
        code, out, err = evg("validate", "--claims", str(path), "--sources", str(TWO / "sources.bib"))
        assert code == 1
        ends.append((out.count("\n"), err))
    assert ends == [
        (1, "1 problem in 2 claims, 2 statements, 2 sources\n"),
        (2, "2 problems in 2 claims, 2 statements, 2 sources\n"),
    ]


def test_report_counts_claims(evg):
    firsts = []
    for folder in (NONE, ONE, TWO):
        code, out, err = evg("report", *corpus(folder))
        assert (code, err) == (0, "")
        firsts.append(out.splitlines()[2])
    assert firsts == [
        "0 claims, weakest-supported first.",
        "1 claim, weakest-supported first.",
        "2 claims, weakest-supported first.",
    ]


def test_html_summary_line_of_each_corpus(evg, tmp_path):
    lines = []
    for folder in (NONE, ONE, TWO):
        path = tmp_path / f"{folder.name}.html"
        code, out, err = evg("html", *corpus(folder), "-o", str(path))
        assert (code, out) == (0, f"{path}\n")
        lines.append(err)
    assert lines == [
        "0 claims, 1 source, 1 article, 0 topics; 0 links (whole graph)\n",  # no claims: no crash either
        "1 claim, 1 source, 1 article, 1 topic; 3 links (whole graph)\n",
        "2 claims, 2 sources, 1 article, 2 topics; 6 links (whole graph)\n",
    ]


def test_claims_of_a_source_in_the_one_corpus(evg):
    code, out, err = evg("claims", *corpus(ONE), "smith2010")
    assert (code, err) == (0, "")
    assert "\nsupports 1 claim\n" in out and "\ndisputes 0 claims\n" in out


def test_nanopublication_counts(evg, tmp_path):
    lines = []
    for folder in (NONE, ONE, TWO):
        out_dir = tmp_path / folder.name
        code, out, err = evg(
            "export", *corpus(folder), "--format", "trig-nanopub", "-o", str(out_dir), "--creator", ORCID
        )
        assert (code, out) == (0, "")
        lines.append(err)
    assert lines == [
        f"wrote 0 nanopublications to {tmp_path / 'none'}\n",
        f"wrote 1 nanopublication to {tmp_path / 'one'}\n",
        f"wrote 2 nanopublications to {tmp_path / 'mini'}\n",
    ]


def test_signing_one_nanopublication_says_one(evg, tmp_path):
    try:
        import nanopub_sign
    except ImportError:
        nanopub_sign = None
    require_or_skip(nanopub_sign is not None, "nanopub-sign not installed (extra [nanopub])")
    folder = tmp_path / "np"
    assert evg("export", *corpus(ONE), "--format", "trig-nanopub", "-o", str(folder), "--creator", ORCID)[0] == 0
    body = nanopub_sign.KeyPair().private
    key = tmp_path / "key.pem"
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    key.write_text("-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----\n")
    code, out, err = evg("nanopub", "sign", str(folder), "--key", str(key), "--orcid", ORCID, "--name", "T")
    assert (code, out.count("\n"), err) == (0, 1, f"signed 1 nanopublication in {folder}\n")
    assert evg("nanopub", "verify", str(folder)) == (0, "", "1 of 1 nanopublication verified\n")


#: Drafts citing 0, 1 and 2 sources of the mini corpus, by number.
DRAFTS = {
    0: "# A draft\n\nWeak hips make knees hurt in runners. Nothing is cited here.\n",
    1: "# A draft\n\nWeak hips make knees hurt in runners [1]. Nothing else is cited here.\n\n## References\n\n"
    "1. Smith A, Jones B. Made-up findings on knee pain in runners. Journal of Invented Results. 2010;1(2):10-20.\n",
    2: "# A draft\n\nWeak hips make knees hurt in runners [1]. Stretching the band lengthens it [2].\n\n"
    "## References\n\n"
    "1. Smith A, Jones B. Made-up findings on knee pain in runners. Journal of Invented Results. 2010;1(2):10-20.\n"
    "2. Brown C. A second fictional study of hip strength. Journal of Invented Results. 2015;6(1):1-9.\n",
}


def test_extract_counts_sentences_statements_and_references(evg, tmp_path):
    heads, tails = [], []
    for n, text in DRAFTS.items():
        draft = tmp_path / f"d{n}.md"
        draft.write_text(text, encoding="utf-8")
        code, out, err = evg("extract", *corpus(TWO), str(draft))
        assert code == 0
        heads.append(out.splitlines()[1])
        tails.append(err)
    assert heads == [
        "# for article:d0: 0 cited sentences, 0 matched to a known claim, 0 new.",
        "# for article:d1: 1 cited sentence, 1 matched to a known claim, 0 new.",
        "# for article:d2: 2 cited sentences, 2 matched to a known claim, 0 new.",
    ]
    assert tails == [
        "0 statements from 0 references: 0 matched to a known claim, 0 new; 0 unresolved citations\n",
        "1 statement from 1 reference: 1 matched to a known claim, 0 new; 0 unresolved citations\n",
        "2 statements from 2 references: 2 matched to a known claim, 0 new; 0 unresolved citations\n",
    ]


def test_a_bibliography_lacking_one_key_says_one(evg, tmp_path):
    bib = tmp_path / "one.bib"
    bib.write_text((ONE / "sources.bib").read_text(encoding="utf-8"), encoding="utf-8")
    draft = tmp_path / "d.md"
    draft.write_text(DRAFTS[1], encoding="utf-8")
    code, out, err = evg("check", str(draft), "--claims", str(TWO / "claims.ttl"), "--sources", str(bib))
    assert (code, out) == (2, "")
    assert f"{bib} lacks 1 citation key that the claims cite (brown2015): --sources replaces" in err


@pytest.mark.server
def test_serve_announces_one_worker(tmp_path):
    import importlib.util

    from graph.server import free_port

    from .conftest import evg_serve

    installed = all(importlib.util.find_spec(m) is not None for m in ("starlette", "uvicorn"))
    require_or_skip(installed, "the server extra is not installed (pip install -e '.[server]')")
    port = free_port()
    options = ("--workers", "1", "--lookup-workers", "1")
    with evg_serve(port, *options, cache_dir=tmp_path / "cache", corpus=corpus(TWO)) as (_, line):
        assert line == (
            f"SPARQL endpoint (read-only, 30 s query timeout, 1 worker + 1 for bound named queries): "
            f"http://127.0.0.1:{port}/query\n"
        )


def test_stats_load_bearing_sources_in_words(evg):
    from .conftest import CORPUS

    def block(*args):
        code, out, err = evg("stats", *args)
        assert (code, err) == (0, "")
        lines = out.splitlines()
        start = lines.index("most load-bearing sources (claims resting on them alone)") + 1
        return lines[start : lines.index("", start)]

    assert block(*corpus(NONE)) == ["  (no source supports any claim)"]
    assert block(*corpus(ONE)) == ["  smith2010  sole support of 1 claim, supports 1"]
    bundled = block(*CORPUS)
    assert "  chaudhry2008     sole support of 2 claims, supports 2" in bundled
    assert "  fairclough2006   sole support of 1 claim, supports 2" in bundled


@pytest.mark.browser
@pytest.mark.parametrize(
    ("folder", "article", "counts", "hidden", "showing"),
    [
        ("counts/none", None, "0 claims · 1 source · 1 article · 0 topics · 0 links", "source", "1 of 2 nodes"),
        ("counts/none", "empty", "0 claims · 0 sources · 1 article · 0 topics · 0 links", "article", "0 of 1 node"),
        ("counts/one", None, "1 claim · 1 source · 1 article · 1 topic · 3 links", "topic", "3 of 4 nodes"),
        ("mini", None, "2 claims · 2 sources · 1 article · 2 topics · 6 links", "topic", "5 of 7 nodes"),
    ],
)
def test_html_page_counts_line_in_words(browser, tmp_path, folder, article, counts, hidden, showing):
    """The line at the top of the page, in real Chromium: 0, 1 and 2 of each
    counted thing, and what a filter leaves showing."""
    from graph.render.html import build_html

    from .test_render_html_browser import _open

    eg = graph.load(claims=DATA / folder / "claims.ttl", sources=DATA / folder / "sources.bib")
    html, _ = build_html(eg, article=article)
    path = tmp_path / "counts.html"
    path.write_text(html, encoding="utf-8")
    loaded = _open(browser, path)
    page = loaded.page
    assert page.inner_text("#counts") == counts
    page.uncheck(f'input[data-filter="kind:{hidden}"]')
    assert page.inner_text("#counts") == f"{counts} — showing {showing}"
    assert loaded.errors == []
    page.context.close()
