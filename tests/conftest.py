"""Shared fixtures and the CI rule: what would skip locally must fail in CI.

- ``CLAIMS_TTL``, ``SOURCES_BIB``: the bundled corpus; ``CORPUS``: the same as
  command-line options; ``eg``: that corpus loaded once per session;
  ``load_corpus(store)``: a fresh load of it.
- ``any_store``: the corpus in each store backend (``STORES``), per module.
- ``evg``: run the command line in this process, ``evg("stats") -> (code, out, err)``
  (``run_evg`` is the same for fixtures wider than one test); ``evg_process``:
  run it as a separate process.
- ``load_script(name)``: a script of ``scripts/`` imported as a module.
"""

from __future__ import annotations

import contextlib
import functools
import html
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CLAIMS_TTL = ROOT / "claims.ttl"
SOURCES_BIB = ROOT / "sources.bib"
#: The bundled corpus as ``--claims``/``--sources`` options for ``evg``.
CORPUS = ["--claims", str(CLAIMS_TTL), "--sources", str(SOURCES_BIB)]
#: The store backends every engine-dependent answer is checked on.
STORES = ("rdflib", "oxigraph")
#: The article texts live outside the project, beside it in ../shared/articles.
ARTICLES = ROOT.parent / "shared" / "articles"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_or_skip(condition: bool, reason: str) -> None:
    """Skip when ``condition`` is false, except in CI (CI=true), where a
    missing browser, server or data folder is a failure, not a skip."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Commands cache the loaded graph on disk; tests use a private cache
    folder (inherited by subprocesses) instead of the user's."""
    old = os.environ.get("EVG_CACHE_DIR")
    os.environ["EVG_CACHE_DIR"] = str(tmp_path_factory.mktemp("evg-cache"))
    yield
    if old is None:
        os.environ.pop("EVG_CACHE_DIR", None)
    else:
        os.environ["EVG_CACHE_DIR"] = old


def load_script(name: str):
    """``scripts/<name>.py`` imported as the module ``name``."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses in the script look their module up
    spec.loader.exec_module(module)
    return module


def load_corpus(store: str = "auto"):
    """A fresh load of the bundled corpus (for tests that must not share ``eg``)."""
    import graph

    return graph.load(claims=CLAIMS_TTL, sources=SOURCES_BIB, store=store)


@pytest.fixture(scope="session")
def eg():
    """The bundled corpus, loaded once per test session."""
    return load_corpus()


@pytest.fixture(scope="module", params=STORES)
def any_store(request):
    """The bundled corpus in each store backend, loaded once per module (a
    test may look inside its backend, so modules do not share it)."""
    return load_corpus(request.param)


class Ran(NamedTuple):
    """What one ``evg`` run gave: exit status, standard output, standard error."""

    code: int
    out: str
    err: str


def run_evg(*args, capsys=None) -> Ran:
    """Run ``evg`` with these arguments in this process, through the real entry
    point (so errors become one line and an exit status, as for a user). With
    ``capsys`` the run's output is returned; without (in fixtures wider than one
    test, where capsys is not available) only its exit status."""
    from graph.cli import main

    if capsys is not None:
        capsys.readouterr()  # only what this run prints
    with pytest.raises(SystemExit) as info:
        main([str(a) for a in args])
    out, err = capsys.readouterr() if capsys is not None else ("", "")
    return Ran(info.value.code, out, err)


def evg_process(*args, cwd=ROOT, env=None, timeout=120) -> subprocess.CompletedProcess:
    """Run ``python -m graph`` with these arguments as a separate process, for
    what only a fresh process shows (start-up, the on-disk cache, signals,
    resource limits); its output is captured as text."""
    command = [sys.executable, "-m", "graph", *(str(a) for a in args)]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def evg(capsys):
    """:func:`run_evg` with this test's output: ``evg("stats") -> (code, out, err)``."""
    return functools.partial(run_evg, capsys=capsys)


@pytest.fixture(scope="session")
def articles_dir() -> Path:
    require_or_skip(ARTICLES.is_dir(), f"article texts not found at {ARTICLES}")
    return ARTICLES


#: Debian's Chromium, which the browser tests drive through Playwright (never a downloaded browser).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """Real headless Chromium, one per test module."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_or_skip(sync_playwright is not None, "playwright is not installed (pip install -e '.[test]')")
    require_or_skip(CHROMIUM.exists() or shutil.which("chromium") is not None, f"no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def pandoc():
    """Runs ``pandoc --citeproc`` (Debian package pandoc) over a bibliography file."""
    require_or_skip(shutil.which("pandoc") is not None, "pandoc not installed (Debian package pandoc)")
    from graph.bibliography.csl import resolve_style

    def run(style: str, bibliography, lang: str | None = None) -> dict[str, str]:
        """{key: reference} as pandoc --citeproc prints the whole bibliography
        (HTML, tags dropped), in the style's locale or ``lang``."""
        command = ["pandoc", "--citeproc", "-f", "markdown", "-t", "html", "--wrap=none"]
        command += ["--csl", str(resolve_style(style)), "--bibliography", str(bibliography)]
        command += ["-M", f"lang={lang}"] if lang else []
        out = subprocess.run(
            command,
            input='---\nnocite: "@*"\n---\n',
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        refs = {}
        for m in re.finditer(r'<div id="ref-([^"]+)"[^>]*>\n(.*?)\n</div>', out, re.S):
            body = re.sub(r'<div class="csl-left-margin">.*?</div>', "", m.group(2), flags=re.S)
            # Only the markup's line breaks and indentation: a no-break space is text.
            refs[m.group(1)] = re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", "", body))).strip()
        return refs

    return run


@contextlib.contextmanager
def evg_serve(port: int, *options: str, cache_dir, corpus=CORPUS):
    """A real ``evg serve`` process on 127.0.0.1:``port`` over ``corpus`` (the
    ``--claims``/``--sources`` arguments; default the bundled corpus); yields
    (process, the line it announces itself with) and stops it by its PID."""
    env = dict(os.environ, EVG_CACHE_DIR=str(cache_dir))
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--port", str(port), *options, *corpus],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        yield process, process.stdout.readline()
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
        process.stdout.close()
        process.stderr.close()
