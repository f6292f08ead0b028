"""The named queries: ``.rq`` files shipped in ``graph/queries/``, and the one
function that reads any query file of the package (:func:`query_text`)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from graph.model.errors import NotFoundError
from graph.model.paths import QUERIES_DIR, read_text

__all__ = ["NamedQuery", "documented_params", "list_queries", "named_query", "query_text"]

_PARAM_LINE = re.compile(r"^#\s*param\s+\?(\w+)\s*:?\s*(.*)$", re.IGNORECASE)


def documented_params(text: str) -> dict[str, str]:
    """Variable name -> what to bind it to, from a query's ``# param ?var: help``
    lines (a named query's, or those of a file copied from one); empty if it has none."""
    out = {}
    for line in text.splitlines():
        m = _PARAM_LINE.match(line.strip())
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file shipped in ``graph/queries/``; its first line is ``# description``
    and ``# param ?var: help`` lines document the variables ``--param`` may bind."""

    name: str
    path: Path

    @cached_property
    def text(self) -> str:
        return read_text(self.path)

    @property
    def description(self) -> str:
        first = self.text.splitlines()[0] if self.text else ""
        return first.lstrip("#").strip()

    @property
    def params(self) -> dict[str, str]:
        """Variable name -> what to bind it to, from the ``# param`` lines."""
        return documented_params(self.text)


def list_queries(folder: Path = QUERIES_DIR) -> list[NamedQuery]:
    """The named queries, sorted by name. Sub-folders hold the queries that
    features use internally and are not listed."""
    return [NamedQuery(p.stem, p) for p in sorted(folder.glob("*.rq")) if p.is_file()]


def named_query(name: str) -> NamedQuery:
    """One named query; :class:`NotFoundError` with the closest names if unknown."""
    queries = {q.name: q for q in list_queries()}
    name = name.strip().removesuffix(".rq")
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.4)
    if not close:  # a word of the name is often enough: "contested" -> contested-claims
        close = [q for q in queries if name and name.lower() in q][:3]
    raise NotFoundError("query", name, close)


@cache
def query_text(relpath: str) -> str:
    """Text of a query file of the package, e.g. ``network/edges.rq`` (read once)."""
    return read_text(QUERIES_DIR / relpath)
