"""Markdown output escapes HTML in the data: rendered by markdown-it with
raw HTML allowed, the hostile fixture yields text, never a tag."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from graph.render.report import md_text

from .conftest import DATA

XSS = ["--claims", str(DATA / "xss" / "xss-claims.ttl"), "--sources", str(DATA / "xss" / "xss-sources.bib")]


def _markdown(evg, *args) -> str:
    code, out, err = evg(*args, *XSS)
    assert code == 0, err
    return out


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--format", "md"),
        ("sources", "fat pad", "--format", "md"),
        ("sources", "band rubs", "--format", "md"),
        ("claims", "evil2020", "--format", "md"),
    ],
    ids=["report", "sources-img", "sources-script", "claims"],
)
def test_rendered_markdown_holds_no_tag_from_the_data(evg, args):
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(_markdown(evg, *args))
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html))
    assert "img" not in tags and "script" not in tags
    assert tags <= {
        "h1",
        "h2",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ul",
        "li",
        "strong",
        "em",
        "code",
        "a",
    }


def test_report_shows_the_hostile_text_as_text(evg):
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(_markdown(evg, "report", "--format", "md"))
    assert "<td>&lt;img src=x onerror=alert(1)&gt; Compression of the fat pad causes the pain.</td>" in html


def test_md_text_escapes_only_html():
    assert md_text("a < b & c > d | *e*") == "a &lt; b &amp; c &gt; d | *e*"


def test_csv_output_is_unchanged(evg):
    out = _markdown(evg, "report", "--format", "csv")
    assert "<img src=x onerror=alert(1)> Compression of the fat pad causes the pain." in out
