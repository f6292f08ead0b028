"""The records a draft is read into: citations, sentences, references, the draft."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    pass


# --- records -------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """One citation marker as written in the draft."""

    kind: str  #: "pandoc", "numeric", "superscript", "author-year", "footnote" or "wiki"
    marker: str  #: the marker as written, e.g. "[1-3]", "1", "(Fairclough et al., 2006)"
    line: int
    #: what it points at: bib keys (pandoc), reference numbers (numeric and
    #: superscript), "Family YEAR" pairs (author-year), the footnote's label
    #: (footnote: "1" for ``[^1]``) or the linked key (wiki: ``[[key|alias]]``)
    targets: tuple[str, ...]
    #: a narrative author-year citation without "et al." or a second author,
    #: e.g. "Sport (2007)": counted only when it resolves
    tentative: bool = False


@dataclass(frozen=True)
class Sentence:
    """One sentence of prose."""

    line: int  #: where it starts (1-based)
    text: str  #: as written, white space collapsed
    plain: str  #: without citation markers and Markdown markup: what is matched to claims
    quote: str  #: the longest stretch of the original text free of citation markers
    citations: tuple[Citation, ...] = ()
    start: int = 0  #: offset of the sentence in the draft's text
    end: int = 0  #: offset just after it
    block: int = 0  #: number of the paragraph or list item it belongs to


@dataclass(frozen=True)
class Reference:
    """One entry of the draft's reference list."""

    label: str  #: its number as written, else its position ("1", "2", ...)
    line: int
    text: str
    doi: str | None
    years: tuple[str, ...]  #: every plausible year in it, most likely first
    first_author: str | None  #: family name of the first author, as written
    pmid: str | None = None
    pmcid: str | None = None  #: "PMC2792799"
    volume: str | None = None
    first_page: str | None = None

    def short(self, width: int = 60) -> str:
        return self.text if len(self.text) <= width else self.text[: width - 1].rstrip() + "…"


@dataclass(frozen=True)
class Draft:
    """A parsed draft."""

    path: str
    sentences: tuple[Sentence, ...]
    references: tuple[Reference, ...]
    reference_line: int | None = None  #: line of the reference-list heading, if any
    text: str = field(default="", repr=False)  #: the draft as read
    #: Markdown footnote definitions (``[^1]: Fairclough J, ...``), each read as a reference
    footnotes: tuple[Reference, ...] = ()
    #: files the YAML front matter names as ``bibliography:``: (name as written, line)
    bibliography: tuple[tuple[str, int], ...] = ()

    @property
    def citations(self) -> list[Citation]:
        return [c for s in self.sentences for c in s.citations]
