"""Where in the claims files a node is written, for messages that point at a line.

A cheap text search done only when there is something to report.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

__all__ = ["Locator", "short_name"]


def short_name(g: Graph, node) -> str:
    """``claim:slug`` for an IRI in a bound namespace, else ``<iri>`` (or the literal)."""
    if isinstance(node, URIRef):
        try:
            return g.namespace_manager.normalizeUri(node)
        except Exception:
            return f"<{node}>"
    return str(node)


class Locator:
    """Finds the line where a node is described in the claims files, so that
    messages about a node point at it. Cheap text search, done on demand."""

    def __init__(self, g: Graph, files: dict[Path, str]):
        self.g = g
        self.files = files

    def _spellings(self, node) -> list[str]:
        out = [f"<{node}>"]
        for prefix, ns in self.g.namespaces():
            if prefix and str(node).startswith(str(ns)):
                out.append(f"{prefix}:{str(node)[len(str(ns)) :]}")
        return out

    def find(self, node, *, as_subject: bool = True) -> tuple[str, int | None]:
        spellings = self._spellings(node)
        fallback: tuple[str, int | None] | None = None
        for path, text in self.files.items():
            for lineno, line in enumerate(text.splitlines(), 1):
                stripped = line.lstrip()
                for s in spellings:
                    if stripped.startswith(s) and stripped[len(s) : len(s) + 1] in (" ", "\t", ""):
                        return str(path), lineno
                    if not as_subject and fallback is None and _has_token(line, s):
                        fallback = (str(path), lineno)
        if fallback:
            return fallback
        first = next(iter(self.files), "")
        return str(first), None


def _has_token(line: str, token: str) -> bool:
    i = line.find(token)
    while i != -1:
        end = i + len(token)
        before = line[i - 1] if i else " "
        after = line[end] if end < len(line) else " "
        if not (before.isalnum() or before in ":-_") and not (after.isalnum() or after in "-_"):
            return True
        i = line.find(token, i + 1)
    return False
