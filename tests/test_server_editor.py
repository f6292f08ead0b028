"""The web editor at `/` of `evg serve` (YASGUI, vendored) in real headless
Chromium: every named query is a tab with its description, the project's
prefixes are declared, a bound `sources-for-claim` runs from the page and its
rows are read from the page, and no request leaves the server's own origin
(every other request is aborted and recorded)."""

from __future__ import annotations

import urllib.request

import pytest

from graph.model.namespaces import PREFIXES
from graph.server.app import ASSETS, declare_prefixes
from graph.sparql import list_queries, named_query

from .conftest import evg_serve, require_or_skip
from .test_server_endpoint import _free_port, _have_server_stack

pytestmark = [pytest.mark.server, pytest.mark.browser, pytest.mark.slow]


def test_the_licence_sits_beside_the_vendored_files():
    licence = (ASSETS / "LICENSE-yasgui").read_text()
    assert "@zazuko/yasgui, version 4.6.2" in licence
    assert '"license": "MIT"' in licence
    assert "Permission is hereby granted, free of charge" in licence
    for name in ("yasgui.min.js", "yasgui.min.css", "index.html", "editor.js"):
        assert (ASSETS / name).is_file(), name


def test_declare_prefixes_adds_only_the_missing_ones_after_the_comments():
    text = "# one\n# two\nPREFIX ev: <https://w3id.org/evidence-graph/vocab#>\nASK {}\n"
    out = declare_prefixes(text)
    lines = out.splitlines()
    assert lines[:2] == ["# one", "# two"]
    assert lines[-2:] == ["PREFIX ev: <https://w3id.org/evidence-graph/vocab#>", "ASK {}"]
    assert lines[2] == f"PREFIX article: <{PREFIXES['article']}>"
    assert [line.split()[1] for line in lines if line.startswith("PREFIX")].count("ev:") == 1
    assert len([line for line in lines if line.startswith("PREFIX")]) == len(PREFIXES)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_or_skip(_have_server_stack(), "Starlette and uvicorn are not installed (pip install '.[server]')")
    port = _free_port()
    with evg_serve(port, "--timeout", "10", cache_dir=tmp_path_factory.mktemp("editor-cache")) as (_process, first):
        assert first.endswith(f"http://127.0.0.1:{port}/query\n")
        yield f"http://127.0.0.1:{port}"


def test_page_is_served_with_a_strict_policy(server):
    with urllib.request.urlopen(server + "/") as response:
        policy = response.headers["Content-Security-Policy"]
        html = response.read().decode()
    assert policy.startswith("default-src 'none'; script-src 'self'; ")
    assert "connect-src 'self'" in policy
    assert '<script src="/assets/yasgui.min.js"></script>' in html
    assert "{{DATA}}" not in html


def test_run_a_bound_named_query_from_the_page(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    seen, elsewhere, errors = [], [], []

    def route(r):
        url = r.request.url
        seen.append(url)
        if url.startswith(server + "/"):
            r.continue_()
        else:
            elsewhere.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(server + "/")
        page.wait_for_selector(".tabPanel.active .CodeMirror")

        # One tab per named query, in the catalogue's order, the first active with its description.
        names = page.eval_on_selector_all(".tabsList .tab a[role=tab] span", "els => els.map(e => e.textContent)")
        assert names == [q.name for q in list_queries()]
        assert page.text_content("#description") == list_queries()[0].description

        page.click(".tabsList .tab a[role=tab] >> text=sources-for-claim")
        query = named_query("sources-for-claim")
        assert page.text_content("#description") == query.description
        shown = page.evaluate("() => window.evgEditor.getTab().getYasqe().getValue()")
        assert shown == declare_prefixes(query.text)
        # Every project prefix is declared, so the editor marks no prefix as unknown.
        assert all(f"PREFIX {name}: <{iri}>" in shown for name, iri in PREFIXES.items())

        # Bind ?claim as a user would: a VALUES line at the start of the WHERE block.
        bound = shown.replace("WHERE {\n", "WHERE {\n  VALUES ?claim { claim:itbs-compression-syndrome }\n", 1)
        page.evaluate("text => window.evgEditor.getTab().getYasqe().setValue(text)", bound)
        page.click(".tabPanel.active .yasqe_queryButton")
        page.wait_for_selector(".tabPanel.active .yasr table.dataTable tbody tr td")

        headers = page.eval_on_selector_all(
            ".tabPanel.active .yasr table.dataTable thead th", "els => els.map(e => e.textContent.trim())"
        )
        rows = page.eval_on_selector_all(
            ".tabPanel.active .yasr table.dataTable tbody tr",
            "trs => trs.map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim()))",
        )
        assert headers[1:] == ["claim", "source", "citation", "doi", "design", "article", "quote", "verdict"]
        assert len(rows) == 1
        row = rows[0][1:]  # the first column numbers the rows
        assert row[0] == "claim:itbs-compression-syndrome"
        assert row[1] == "source:fairclough2007"
        assert row[2] == (
            "Fairclough et al. (2007). Is iliotibial band syndrome really a friction syndrome? "
            "Journal of Science and Medicine in Sport."
        )
        assert row[3] == "10.1016/j.jsams.2006.05.017"
        assert row[4] == "ev:NarrativeReview"
        assert row[5] == "article:itbs-compression-not-friction"
        assert row[7] == ""
    finally:
        context.close()
    assert elsewhere == []
    assert seen and all(url.startswith(server + "/") for url in seen)
    assert errors == []
