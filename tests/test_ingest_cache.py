"""The persistent cache: reuse, rebuild on change, two processes at once,
corrupt stores rebuilt, --no-cache, and the CLI's warm start."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import graph
from graph.ingest import cache

from .conftest import CLAIMS_TTL, SOURCES_BIB, evg_process


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EVG_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def corpus(tmp_path) -> tuple[Path, Path]:
    claims, bib = tmp_path / "claims.ttl", tmp_path / "sources.bib"
    shutil.copy(CLAIMS_TTL, claims)
    shutil.copy(SOURCES_BIB, bib)
    return claims, bib


def _stores(cache_dir: Path) -> list[str]:
    stores = cache_dir / "stores"
    return sorted(p.name for p in stores.iterdir() if p.is_dir()) if stores.exists() else []


def _load(corpus):
    return graph.load(claims=corpus[0], sources=corpus[1], cache=True)


def test_first_load_builds_later_loads_reuse(cache_dir, corpus):
    first = _load(corpus)
    assert first.backend.name == "oxigraph"
    stores = _stores(cache_dir)
    assert len(stores) == 1
    meta = json.loads((cache_dir / "stores" / stores[0] / "meta.json").read_text())
    assert (meta["claims"], meta["triples"], meta["format"]) == (71, 2140, cache.FORMAT)
    built = (cache_dir / "stores" / stores[0] / "meta.json").stat().st_ino
    second = _load(corpus)
    assert second.backend.path == cache_dir / "stores" / stores[0] / "store"
    assert (cache_dir / "stores" / stores[0] / "meta.json").stat().st_ino == built  # not rebuilt
    assert second.claim_summaries() == first.claim_summaries()
    assert len(second) == 2140


def test_key_follows_content_not_timestamps(cache_dir, corpus):
    before = cache.cache_key([corpus[0]], corpus[1])
    os.utime(corpus[0], (1_000_000_000, 1_000_000_000))
    assert cache.cache_key([corpus[0]], corpus[1]) == before


@pytest.mark.parametrize("which", [0, 1], ids=["claims", "bib"])
def test_changing_an_input_rebuilds(cache_dir, corpus, which):
    _load(corpus)
    key_before = cache.cache_key([corpus[0]], corpus[1])
    path = corpus[which]
    path.write_text(path.read_text(encoding="utf-8") + "\n% changed\n".replace("%", "#" if which == 0 else "%"))
    key_after = cache.cache_key([corpus[0]], corpus[1])
    assert key_after != key_before
    eg = _load(corpus)
    assert sorted(_stores(cache_dir)) == sorted([key_before, key_after])
    assert len(eg) == 2140


def test_a_new_claim_is_seen_after_the_change(cache_dir, corpus):
    assert len(_load(corpus).claim_iris) == 71
    with open(corpus[0], "a", encoding="utf-8") as fh:
        fh.write('\nclaim:new-claim a ev:Claim ; rdfs:label "A claim added after the first load." .\n')
    eg = _load(corpus)
    assert len(eg.claim_iris) == 72
    assert eg.label(eg.resolve_claim("new-claim")) == "A claim added after the first load."


@pytest.mark.parametrize("damage", ["garbage-files", "no-meta", "wrong-key", "empty-store"])
def test_a_corrupt_cache_is_rebuilt(cache_dir, corpus, damage):
    _load(corpus)
    (key,) = _stores(cache_dir)
    folder = cache_dir / "stores" / key
    if damage == "garbage-files":
        for f in (folder / "store").iterdir():
            if f.is_file():
                f.write_bytes(b"\x00garbage" * 64)
    elif damage == "no-meta":
        (folder / "meta.json").unlink()
    elif damage == "wrong-key":
        meta = json.loads((folder / "meta.json").read_text())
        (folder / "meta.json").write_text(json.dumps({**meta, "key": "0" * 32}))
    else:
        shutil.rmtree(folder / "store")
        (folder / "store").mkdir()
    eg = _load(corpus)
    assert len(eg) == 2140
    assert len(eg.claim_iris) == 71
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["key"] == key


def test_no_cache_writes_nothing(cache_dir, corpus):
    eg = graph.load(claims=corpus[0], sources=corpus[1], store="oxigraph", cache=False)
    assert eg.backend.path is None
    assert _stores(cache_dir) == []


def test_two_processes_starting_at_once_build_once(cache_dir, corpus, tmp_path):
    script = (
        "import sys, graph\n"
        "eg = graph.load(claims=sys.argv[1], sources=sys.argv[2], cache=True)\n"
        "print(len(eg), len(eg.claim_iris))\n"
    )
    env = dict(os.environ, EVG_CACHE_DIR=str(cache_dir))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(corpus[0]), str(corpus[1])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _out, err in outputs]
    assert [out for out, _err in outputs] == ["2140 71\n"] * 3
    stores = cache_dir / "stores"
    assert len(_stores(cache_dir)) == 1
    assert not [p for p in stores.iterdir() if ".tmp-" in p.name or ".corrupt-" in p.name]


def test_old_stores_are_pruned(cache_dir, corpus, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 2)
    for i in range(3):
        with open(corpus[1], "a", encoding="utf-8") as fh:
            fh.write(f"\n% edit {i}\n")
        _load(corpus)
        os.utime(cache_dir / "stores" / cache.cache_key([corpus[0]], corpus[1]) / "meta.json", (1e9 + i, 1e9 + i))
    cache._prune(keep=2)
    assert len(_stores(cache_dir)) == 2


def test_clear_removes_every_store(cache_dir, corpus):
    _load(corpus)
    assert cache.clear() == 1
    assert _stores(cache_dir) == []


def test_cli_uses_the_cache_unless_told_not_to(cache_dir, corpus):
    env = dict(os.environ, EVG_CACHE_DIR=str(cache_dir))
    args = [sys.executable, "-m", "graph", "stats", "--format", "json", "--claims", str(corpus[0])]
    args += ["--sources", str(corpus[1])]
    subprocess.run([*args, "--no-cache"], check=True, capture_output=True, env=env)
    assert _stores(cache_dir) == []
    cold = subprocess.run(args, check=True, capture_output=True, text=True, env=env)
    assert len(_stores(cache_dir)) == 1
    warm = subprocess.run(args, check=True, capture_output=True, text=True, env=env)
    rdflib = subprocess.run([*args, "--store", "rdflib"], check=True, capture_output=True, text=True, env=env)
    assert json.loads(cold.stdout)["claims"] == 71
    assert cold.stdout == warm.stdout == rdflib.stdout


def test_warm_start_imports_no_heavy_modules(cache_dir, corpus):
    """The warm path of a loading command keeps pyshacl, networkx, pyvis and pybtex's parser out."""
    _load(corpus)
    code = (
        "import sys, graph\n"
        f"eg = graph.load(claims={str(corpus[0])!r}, sources={str(corpus[1])!r}, cache=True)\n"
        "eg.claim_summaries()\n"
        "heavy = [m for m in ('pyshacl', 'networkx', 'pyvis', 'pybtex.database.input.bibtex', 'rich') "
        "if m in sys.modules]\n"
        "print(heavy)\n"
    )
    env = dict(os.environ, EVG_CACHE_DIR=str(cache_dir))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    assert out.stdout == "[]\n"


def _artifacts(cache_dir: Path) -> list[str]:
    (store,) = _stores(cache_dir)
    folder = cache_dir / "stores" / store / "artifacts"
    return sorted(p.name.rsplit("-", 1)[0] for p in folder.iterdir()) if folder.exists() else []


def test_stats_and_exports_are_kept_beside_the_store(cache_dir, corpus):
    """Whole-graph results are computed once per set of inputs: the warm run
    reads them back (no network projection, no rdflib graph) and gives the
    bytes the uncached run gives."""
    env = dict(os.environ, EVG_CACHE_DIR=str(cache_dir))
    where = ["--claims", str(corpus[0]), "--sources", str(corpus[1])]
    formats = ("ttl", "jsonld", "trig-nanopub", "graphml", "csl-json", "csv")
    fresh = {}
    for fmt in formats:
        args = [sys.executable, "-m", "graph", "export", "--format", fmt, *where]
        args += ["--single-file"] if fmt == "trig-nanopub" else []
        fresh[fmt] = subprocess.run([*args, "--no-cache"], check=True, capture_output=True, env=env).stdout
        first = subprocess.run(args, check=True, capture_output=True, env=env).stdout
        warm = subprocess.run(args, check=True, capture_output=True, env=env).stdout
        assert first == warm == fresh[fmt], fmt
    folders = {}
    for run in ("--no-cache", "first", "warm"):
        out = cache_dir.parent / f"nanopubs-{run.strip('-')}"
        args = [sys.executable, "-m", "graph", "export", "--format", "trig-nanopub", *where, "-o", str(out)]
        subprocess.run([*args, run] if run == "--no-cache" else args, check=True, capture_output=True, env=env)
        folders[run] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert len(folders["--no-cache"]) == 71
    assert folders["first"] == folders["warm"] == folders["--no-cache"]
    stats = [sys.executable, "-m", "graph", "stats", "--format", "json", *where]
    uncached = subprocess.run([*stats, "--no-cache"], check=True, capture_output=True, env=env).stdout
    assert subprocess.run(stats, check=True, capture_output=True, env=env).stdout == uncached
    assert [a for a in _artifacts(cache_dir) if a.startswith(("export-", "stats-"))] == sorted(
        [f"export-{fmt}-6d49f10e2727212e-2" for fmt in (*formats, "trig-nanopub-files")] + ["stats-1"]
    )
    code = (
        "import sys, graph\n"
        "from graph.evidence.stats import compute_stats\n"
        "from graph.export import export\n"
        f"eg = graph.load(claims={str(corpus[0])!r}, sources={str(corpus[1])!r}, cache=True)\n"
        "s = compute_stats(eg)\n"
        "text = export(eg, 'ttl')\n"
        "print(s.claims, len(text) > 0, [m for m in ('networkx', 'rdflib.plugins.serializers.turtle') "
        "if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    assert out.stdout == "71 True []\n"


def test_unbound_named_queries_are_answered_once(cache_dir, corpus):
    """`evg query NAME` left unbound is kept beside the store; bound queries,
    files and -e text always run. The kept answer is the uncached one."""
    env = dict(os.environ, EVG_CACHE_DIR=str(cache_dir))
    where = ["--claims", str(corpus[0]), "--sources", str(corpus[1])]

    def run(*args):
        done = evg_process("query", *args, *where, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    fresh = run("evidence-table", "--format", "csv", "--no-cache")
    assert run("evidence-table", "--format", "csv") == run("evidence-table", "--format", "csv") == fresh
    assert fresh.count("\n") == 92  # the header and 91 citations
    run("evidence-table", "--format", "csv", "--param", "claim=itbs-compression-syndrome")
    run("-e", "SELECT ?c WHERE { ?c a ev:Claim }", "--format", "csv")
    kept = [a for a in _artifacts(cache_dir) if a.startswith("query-")]
    assert kept == [f"query-evidence-table-csv-{a.rsplit('-', 1)[-1]}" for a in kept] and len(kept) == 1
