"""`evg stats` and `evg fmt` on known data."""

from __future__ import annotations

import json

from graph.evidence.stats import compute_stats

from .conftest import CORPUS, DATA

MINI = DATA / "mini"


def test_stats_of_the_bundled_corpus(any_store):
    s = compute_stats(any_store)
    if any_store.backend.name == "oxigraph":
        assert any_store.backend._rdf is None  # counted by SPARQL, without an rdflib copy of the graph
    assert (s.claims, s.statements, s.sources, s.articles, s.reviews) == (71, 90, 9, 2, 11)
    assert s.by_status == {"supported": 5, "contested": 1, "no-source": 55, "low-rank": 10}
    assert s.never_cited == ("ellis2007",)
    by_slug = {a.slug: a for a in s.per_article}
    cited = by_slug["itbs-compression-not-friction"]
    assert (cited.claims, cited.cited_statements, cited.references, cited.uncited_references) == (
        63,
        18,
        9,
        ("ellis2007",),
    )
    uncited = by_slug["it-band-foam-rolling"]
    assert (uncited.claims, uncited.cited_statements, uncited.references) == (21, 0, 0)


def test_stats_json_from_the_cli(evg):
    result = evg(
        "stats", "--format", "json", "--claims", str(MINI / "claims.ttl"), "--sources", str(MINI / "sources.bib")
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["claims"], data["statements"], data["sources"], data["reviews"]) == (2, 2, 2, 1)
    assert data["by_status"] == {"supported": 1, "contested": 1, "no-source": 0, "low-rank": 0}
    assert data["never_cited"] == []


def test_stats_text_names_the_uncited_reference(evg):
    result = evg("stats", *CORPUS)
    assert result.code == 0
    assert "    listed but cited for no claim: ellis2007" in result.out.splitlines()
    assert "claims         71" in result.out.splitlines()


def test_fmt_rewrites_to_a_fixed_point(tmp_path, evg):
    target = tmp_path / "claims.ttl"
    target.write_text((MINI / "claims.ttl").read_text())
    code, out, err = evg("fmt", "--check", str(target))
    assert (code, out) == (1, f"{target}: not in canonical form; run `evg fmt {target}` to fix it\n")
    code, _, err = evg("fmt", str(target))
    assert (code, err) == (0, f"formatted {target}\n")
    once = target.read_text()
    assert once.startswith("# evidence-graph claims file. Canonical form")
    code, out, err = evg("fmt", "--check", str(target))
    assert (code, out, err) == (0, "", "")
    evg("fmt", str(target))
    assert target.read_text() == once


def test_fmt_leaves_a_broken_file_untouched(tmp_path, evg):
    target = tmp_path / "claims.ttl"
    original = (DATA / "invalid" / "turtle-syntax.ttl").read_text()
    target.write_text(original)
    code, _, err = evg("fmt", str(target))
    assert code == 2
    assert (
        err
        == f"evg: error: {target}:35:49: Turtle syntax error: Line jumps are not allowed in string literals, use \\n\n"
    )
    assert target.read_text() == original
    assert [p.name for p in tmp_path.iterdir()] == ["claims.ttl"]


def test_fmt_without_files_needs_a_claims_file_here(tmp_path, monkeypatch, evg):
    monkeypatch.chdir(tmp_path)
    code, _, err = evg("fmt")
    assert code == 2
    assert "no FILES given and no ./claims.ttl here" in err


def test_version_and_help(evg):
    code, out, _ = evg("--version")
    assert (code, out) == (0, "evg, version 0.1.0\n")
    code, out, _ = evg("--help")
    assert code == 0
    assert "Commands:" in out and "validate" in out
