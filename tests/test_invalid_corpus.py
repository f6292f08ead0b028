"""The bad-input corpus: every case of ``tests/data/invalid/cases.tsv``, on
both stores, gives its exit status and one line naming the file, the line
and the reason. None may reach exit 3 (``internal error``: a bug)."""

from __future__ import annotations

import os
import shlex

import pytest

from .conftest import DATA, STORES

INVALID = DATA / "invalid"
MINI = DATA / "mini"
NO_CORPUS_OPTIONS = {"nope"}


def _cases() -> list[tuple[str, str, int, str, str | None, str]]:
    out = []
    for line in (INVALID / "cases.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        case, args, code, file, where, fragment = line.split("\t")
        out.append((case, args, int(code), file, None if where == "-" else where, fragment))
    return out


CASES = _cases()


def test_the_corpus_is_big_and_every_file_has_a_case():
    assert len(CASES) >= 60
    named = {c[3] for c in CASES}
    from .test_ingest_validate import CASES as VALIDATE_CASES

    files = {p.name for p in INVALID.iterdir()} - {"cases.tsv"}
    assert files <= named | set(VALIDATE_CASES), sorted(files - named - set(VALIDATE_CASES))
    kinds = {c[0].split("-")[0] for c in CASES}
    assert {"ttl", "bib", "rq", "param", "draft", "path", "e", "usage"} <= kinds


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize(("case", "args", "code", "file", "line", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(tmp_path, monkeypatch, store, case, args, code, file, line, fragment, evg):
    monkeypatch.chdir(tmp_path)  # no ./claims.ttl or ./sources.bib to fall back on
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    values = {
        "here": str(INVALID),
        "claims": str(MINI / "claims.ttl"),
        "bib": str(MINI / "sources.bib"),
        "tmp": str(tmp_path),
        "fifo": str(fifo),
        "long": "x" * 300,
    }
    for name, value in values.items():
        args = args.replace("{" + name + "}", value)
        file = file.replace("{" + name + "}", value)
    argv = shlex.split(args)
    if argv[0] not in NO_CORPUS_OPTIONS:
        argv[1:1] = ["--store", store]
    ran = evg(*argv)
    out, err = ran.out, ran.err
    assert ran.code != 3, f"internal error: {err}"
    assert ran.code == code, err
    assert "Traceback" not in out + err
    lines = err.splitlines()
    if code == 2 or not out:
        assert len(lines) == 1 and lines[0].startswith("evg: error: "), err
    reported = lines[0] if lines else out.splitlines()[0]
    if file != "-":
        path = file
        path = path if os.path.isabs(path) or path == "-e" else str(INVALID / path)
        where = f"{path}:{line}" if line else f"{path}:"
        assert f"evg: error: {where}" in reported or reported.startswith(where), reported
    assert fragment in reported, reported


def _unprivileged(cmd: list[str]) -> list[str]:
    """``cmd`` run without the power to read any file (root drops
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH through setpriv)."""
    if os.geteuid() != 0:
        return cmd
    import shutil

    from .conftest import require_or_skip

    setpriv = shutil.which("setpriv")
    require_or_skip(setpriv is not None, "setpriv (util-linux) is needed to drop root's file access")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}", *cmd]


@pytest.mark.parametrize("option", ["--claims", "--sources"])
def test_permission_denied_is_one_line(tmp_path, option):
    import subprocess
    import sys

    from .conftest import ROOT

    locked = tmp_path / ("locked.ttl" if option == "--claims" else "locked.bib")
    locked.write_text("x", encoding="utf-8")
    locked.chmod(0)
    other = ["--sources", str(MINI / "sources.bib")] if option == "--claims" else ["--claims", str(MINI / "claims.ttl")]
    cmd = _unprivileged([sys.executable, "-m", "graph", "stats", "--store", "rdflib", option, str(locked), *other])
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    message = f"Invalid value for '{option}': Path '{locked}' is not readable. (see `evg stats --help`)"
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", f"evg: error: {message}\n")


def test_sigterm_ends_with_one_line(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    draft = tmp_path / "draft.md"
    draft.write_text(((DATA / "drafts" / "labelled-draft.md").read_text(encoding="utf-8") + "\n\n") * 300)
    env = {**os.environ, "EVG_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "graph", "check", str(draft), "--format", "json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)
    assert proc.poll() is None, "finished before the signal"
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM
    assert err.splitlines()[-1] == "evg: error: stopped by SIGTERM"
    assert "Traceback" not in err
