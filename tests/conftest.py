"""Shared fixtures and the CI rule: what would skip locally must fail in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
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


@pytest.fixture(scope="session")
def eg():
    """The bundled corpus, loaded once per test session."""
    import graph

    return graph.load(claims=ROOT / "claims.ttl", sources=ROOT / "sources.bib")


@pytest.fixture(scope="session")
def articles_dir() -> Path:
    require_or_skip(ARTICLES.is_dir(), f"article texts not found at {ARTICLES}")
    return ARTICLES
