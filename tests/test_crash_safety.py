"""Crash safety of the cache and the forked BibTeX helper: a SIGKILL during
the first load leaves nothing behind once the next run has started, the key
follows the content, and damaged cache entries are rebuilt."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import graph
from graph.ingest import cache

from .conftest import DATA, ROOT

MINI = DATA / "mini"


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    # A BibTeX file over PARALLEL_BIB_BYTES, so that the load forks its helper.
    out = tmp_path_factory.mktemp("big")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synthetic.py"), "--claims", "12000", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    from graph.ingest.oxigraph import PARALLEL_BIB_BYTES

    assert (out / "sources.bib").stat().st_size > PARALLEL_BIB_BYTES
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_during_the_first_load_leaves_nothing(tmp_path, big_corpus):
    cache_dir, temp = tmp_path / "cache", tmp_path / "systemp"
    temp.mkdir()
    env = {**os.environ, "EVG_CACHE_DIR": str(cache_dir), "TMPDIR": str(temp)}
    args = [sys.executable, "-m", "graph", "stats", "--store", "oxigraph"]
    args += ["--claims", str(big_corpus / "claims.ttl"), "--sources", str(big_corpus / "sources.bib")]
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    helpers: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not helpers:  # the helper is forked once the load starts
        helpers = _children(proc.pid)
        time.sleep(0.05)
    assert helpers, "the load forked no helper"
    stores = cache_dir / "stores"
    while time.monotonic() < deadline and not any(".tmp-" in p.name for p in stores.glob("*")):
        time.sleep(0.05)
    assert any(".tmp-" in p.name for p in stores.iterdir()), "no build in progress"
    assert list((cache_dir / "tmp").iterdir()), "the helper writes no file"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(h) for h in helpers):
        time.sleep(0.1)
    assert not any(_alive(h) for h in helpers), "the helper outlived its parent"

    # The next run cleans up what the killed one left, and builds the store.
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in stores.iterdir() if not p.name.endswith(".lock")] == [
        p.name for p in stores.iterdir() if p.is_dir() and (p / "meta.json").exists()
    ]
    assert not any(".tmp-" in p.name or ".corrupt-" in p.name for p in stores.iterdir())
    assert list((cache_dir / "tmp").iterdir()) == []
    assert list(temp.iterdir()) == []  # nothing in the system temp folder


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


def _load(claims: Path):
    return graph.load(claims=claims, sources=MINI / "sources.bib", store="oxigraph", cache=True)


def test_an_edit_that_keeps_size_and_mtime_changes_the_key(tmp_path, cache_dir):
    claims = tmp_path / "claims.ttl"
    text = (MINI / "claims.ttl").read_text(encoding="utf-8")
    claims.write_text(text, encoding="utf-8")
    st = claims.stat()
    first = cache.cache_key([claims], MINI / "sources.bib")
    label = "A short test article"
    assert label in text
    time.sleep(0.01)
    claims.write_text(text.replace(label, label.upper()), encoding="utf-8")  # same size
    os.utime(claims, ns=(st.st_atime_ns, st.st_mtime_ns))  # same modification time
    assert (claims.stat().st_size, claims.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    assert cache.cache_key([claims], MINI / "sources.bib") != first
    eg = _load(claims)
    assert eg.label(graph.model.namespaces.ARTICLE["mini-article"]) == label.upper()


def test_a_stale_build_folder_of_a_dead_process_is_removed(cache_dir):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stores = cache_dir / "stores"
    stale = stores / f"0123abcd.tmp-{dead.pid}"
    (stale / "store").mkdir(parents=True)
    (stale / "store" / "junk").write_bytes(b"x" * 1000)
    mine = stores / f"4567cdef.tmp-{os.getpid()}"  # a live process's build stays
    mine.mkdir()
    _load(MINI / "claims.ttl")
    assert not stale.exists()
    assert mine.exists()


def test_an_artifact_of_the_wrong_type_is_rebuilt(cache_dir):
    eg = _load(MINI / "claims.ttl")
    built = []

    def build():
        built.append(1)
        return {"ok": True}

    assert cache.artifact(eg.backend, "probe", build) == {"ok": True}
    path = next((Path(eg.backend.path).parent / "artifacts").glob("probe-*.pickle"))
    path.write_bytes(pickle.dumps(["a", "valid", "pickle", "of", "a", "list"]))
    assert cache.artifact(eg.backend, "probe", build) == {"ok": True}
    assert cache.artifact(eg.backend, "probe", build) == {"ok": True}  # and written back right
    assert built == [1, 1]


def test_a_lock_path_that_is_a_folder_is_repaired(tmp_path, cache_dir):
    claims = tmp_path / "claims.ttl"
    claims.write_text((MINI / "claims.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    key = cache.cache_key([claims], MINI / "sources.bib")
    lock = cache_dir / "stores" / f"{key}.lock"
    (lock / "inside").mkdir(parents=True)
    eg = _load(claims)
    assert len(eg.claim_iris) == 2
    assert lock.is_file()
