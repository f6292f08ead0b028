"""scripts/synthetic.py: exact sizes, determinism, and a corpus that loads and validates."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from graph.model.namespaces import CITO, EV, FABIO, RDF, SCHEMA

from .conftest import ROOT, load_script

SCRIPT = ROOT / "scripts" / "synthetic.py"


synthetic = load_script("synthetic")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("synthetic") / "c200"
    counts = synthetic.generate(200, out, seed=7)
    return out, counts


@pytest.fixture(scope="module")
def loaded(corpus):
    import graph

    out, _counts = corpus
    return graph.load(claims=out / "claims.ttl", sources=out / "sources.bib", store="rdflib")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_counts_are_exact(corpus, loaded):
    out, counts = corpus
    g = loaded.rdf
    assert counts["claims"] == 200
    assert counts["sources"] == 100
    assert counts["articles"] == 10
    assert counts["contested"] == 20  # 10% of claims
    assert counts["reviews"] == round(counts["statements"] * 0.02)
    assert len(set(g.subjects(RDF.type, EV.Claim))) == 200
    assert len(loaded.source_keys) == 100
    assert len(set(g.subjects(RDF.type, FABIO.WebArticle))) == 10
    assert len(set(g.subjects(RDF.type, EV.Statement))) == counts["statements"]
    assert len(set(g.subjects(RDF.type, SCHEMA.ClaimReview))) == counts["reviews"]
    assert len(list((out / "articles").glob("*.txt"))) == 10


def test_every_statement_cites_one_to_four_sources(loaded):
    g = loaded.rdf
    per_statement = Counter(s for s, _o in g.subject_objects(CITO.citesAsEvidence))
    statements = set(g.subjects(RDF.type, EV.Statement))
    assert set(per_statement) == statements
    assert min(per_statement.values()) == 1
    assert max(per_statement.values()) == 4


def test_contested_claims_have_sources_on_the_disputing_side(corpus, loaded):
    _out, counts = corpus
    contested = [s for s in loaded.claim_summaries() if s.disputed_by]
    assert len(contested) == counts["contested"] == 20
    assert all(s.status == "contested" for s in contested)


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    synthetic.generate(60, tmp_path / "a", seed=3)
    synthetic.generate(60, tmp_path / "b", seed=3)
    synthetic.generate(60, tmp_path / "c", seed=4)
    a, b, c = (_files(tmp_path / x) for x in "abc")
    assert a == b
    assert a["claims.ttl"] != c["claims.ttl"]
    assert a["sources.bib"] != c["sources.bib"]


def test_validates_with_quotes_checked(corpus):
    from graph.ingest.validate import validate

    out, counts = corpus
    report = validate([out / "claims.ttl"], out / "sources.bib", out / "articles")
    assert report.problems == []
    assert report.checked == {"claims": 200, "statements": counts["statements"], "sources": 100}


def test_bib_keys_follow_the_naming_rule(loaded):
    import re

    assert all(re.fullmatch(r"[a-z]+\d{4}[a-z]*", key) for key in loaded.source_keys)


def test_cli_writes_the_corpus(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--claims", "40", "--out", str(tmp_path / "c"), "--seed", "2"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "40 claims, 20 sources, 2 articles" in result.stderr
    assert (tmp_path / "c" / "claims.ttl").is_file()
    assert sorted(p.name for p in (tmp_path / "c" / "articles").iterdir()) == [
        "synthetic-article-00001.txt",
        "synthetic-article-00002.txt",
    ]


def test_cli_rejects_zero_claims(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--claims", "0", "--out", str(tmp_path / "c")], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "--claims must be at least 1" in result.stderr
    assert not (tmp_path / "c").exists()
