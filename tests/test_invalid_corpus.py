"""The bad-input corpus: every case of ``tests/data/invalid/cases.tsv``, on
both stores, gives its exit status and one line naming the file, the line
and the reason. None may reach exit 3 (``internal error``: a bug)."""

from __future__ import annotations

import os
import shlex

import pytest

from graph.cli import main

from .conftest import DATA

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
    from .test_validate import CASES as VALIDATE_CASES

    files = {p.name for p in INVALID.iterdir()} - {"cases.tsv"}
    assert files <= named | set(VALIDATE_CASES), sorted(files - named - set(VALIDATE_CASES))
    kinds = {c[0].split("-")[0] for c in CASES}
    assert {"ttl", "bib", "rq", "param", "draft", "path", "e", "usage"} <= kinds


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
@pytest.mark.parametrize(("case", "args", "code", "file", "line", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(tmp_path, capsys, monkeypatch, store, case, args, code, file, line, fragment):
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
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    assert info.value.code != 3, f"internal error: {err}"
    assert info.value.code == code, err
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
