"""Typed errors. Each has a readable message; the CLI prints it on one line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "EvidenceGraphError",
    "InputError",
    "NotFoundError",
    "Problem",
    "QueryError",
    "UnknownKeysError",
    "UsageError",
]


class EvidenceGraphError(Exception):
    """Base class of every error this package raises on purpose."""

    #: Exit status the CLI uses for this kind of error.
    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One finding about the input, located as precisely as we can."""

    path: str
    line: int | None
    message: str
    #: the column (from 1) within ``line``, where the parser gives one
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.line and self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class InputError(EvidenceGraphError):
    """An input file cannot be used at all: missing, unreadable, not UTF-8, empty
    or not valid Turtle/BibTeX. The CLI exits 2."""

    exit_code = 2

    def __init__(self, path: str | Path, message: str, line: int | None = None, column: int | None = None):
        self.problem = Problem(str(path), line, message, column)
        super().__init__(str(self.problem))

    @property
    def path(self) -> str:
        return self.problem.path

    @property
    def line(self) -> int | None:
        return self.problem.line


class UnknownKeysError(InputError):
    """The claims cite keys the BibTeX file lacks (located at the first of them)."""

    def __init__(self, path: str | Path, message: str, line: int | None, keys: list[str]):
        super().__init__(path, message, line)
        self.keys = list(keys)


class UsageError(EvidenceGraphError):
    """Options that do not make sense together (``--depth`` without
    ``--focus``). The CLI prints one line and exits 2."""

    exit_code = 2


class NotFoundError(EvidenceGraphError, LookupError):
    """An unknown claim id, source key or query name; carries close matches."""

    def __init__(self, kind: str, name: str, suggestions: list[str] | tuple[str, ...] = ()):
        self.kind = kind
        self.name = name
        self.suggestions = list(suggestions)
        msg = f"no {kind} named {name!r}"
        if self.suggestions:
            msg += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


class QueryError(EvidenceGraphError):
    """A SPARQL query that cannot be run: bad syntax, an update, or SERVICE."""
