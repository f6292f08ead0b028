"""Read a writer's draft: its sentences, the citations in each, and its reference list.

:func:`parse_draft` is pure text processing. :func:`resolve` then ties every
citation to a ``sources.bib`` key, through the draft's own reference list
where the citation is a number, using a :class:`SourceIndex` built from the
graph.

What counts as prose: paragraphs and list items. Headings (Markdown ``#`` and
setext headings, and in plain text a short line without end punctuation),
fenced and indented code, front matter, HTML comments, tables, link
definitions and the reference list are skipped.

Citations recognised:

=============  ===============================================================
pandoc         ``[@key]``, ``[@key1; @key2]``, ``[see @key, p. 3]``, bare ``@key``
numeric        ``[1]``, ``[1,2]``, ``[1-3]``, ``(1)``
superscript    digits glued after punctuation (``required.1``) or ¹²³
author-year    ``(Fairclough et al., 2006)``, ``(Beers 2008; Ellis 2007)``,
               narrative ``Fairclough et al. (2006, 2007)``
=============  ===============================================================
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graph.model.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from graph.evidence.graph import EvidenceGraph

__all__ = [
    "MARKDOWN_SUFFIXES",
    "Citation",
    "Draft",
    "Reference",
    "Resolution",
    "Sentence",
    "SourceIndex",
    "SourceRecord",
    "Unresolved",
    "parse_draft",
    "read_draft",
    "resolve",
]

#: File suffixes read as Markdown (soft-wrapped paragraphs); anything else is
#: plain text, where each line is a paragraph unless it clearly wraps.
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".qmd", ".rmd"})

#: Headings that open a reference list (case-insensitive, optional colon).
REFERENCE_HEADINGS = frozenset(
    {
        "references",
        "reference list",
        "reference",
        "bibliography",
        "works cited",
        "literature cited",
        "literature",
        "sources",
        "citations",
        "notes and references",
    }
)

#: A plain-text line of at most this many words with no end punctuation is a heading.
HEADING_MAX_WORDS = 15

#: Fraction of a bib title's words that a reference must contain to match it
#: when first author and year agree.
TITLE_MATCH_MIN = 0.5
#: Same, for the journal title (used when the title words do not reach TITLE_MATCH_MIN).
JOURNAL_MATCH_MIN = 0.6
#: Fraction of title words needed to match on title and year alone (first author differs).
TITLE_ONLY_MATCH_MIN = 0.85


# --- records -------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """One citation marker as written in the draft."""

    kind: str  #: "pandoc", "numeric", "superscript" or "author-year"
    marker: str  #: the marker as written, e.g. "[1-3]", "1", "(Fairclough et al., 2006)"
    line: int
    #: what it points at: bib keys (pandoc), reference numbers (numeric and
    #: superscript) or "Family YEAR" pairs (author-year)
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

    @property
    def citations(self) -> list[Citation]:
        return [c for s in self.sentences for c in s.citations]


# --- reading -------------------------------------------------------------------------


#: The largest draft :func:`read_draft` accepts, in bytes (checking takes
#: time in proportion to the size: about a second a megabyte here).
MAX_DRAFT_BYTES = 10_000_000


def read_draft(path: str | Path, *, markdown: bool | None = None) -> Draft:
    """Read and parse a draft file. Markdown unless the suffix says plain text
    (see :data:`MARKDOWN_SUFFIXES`), or as ``markdown`` says.

    Raises :class:`InputError` for a missing, empty, binary or non-UTF-8 file,
    and for a draft with no prose at all.
    """
    from graph.model.paths import check_file, read_text

    p = check_file(path)  # a FIFO, device or folder is refused before it is opened
    size = p.stat().st_size
    if size > MAX_DRAFT_BYTES:
        raise InputError(p, f"the draft is {size:,} bytes; the limit is {MAX_DRAFT_BYTES:,} (split it into parts)")
    try:
        with p.open("rb") as fh:
            head = fh.read(8192)
    except OSError:
        head = b""  # read_text says what is wrong
    if b"\x00" in head:
        raise InputError(p, "is a binary file, not a Markdown or plain-text draft")
    text = read_text(p)
    if markdown is None:
        markdown = p.suffix.lower() in MARKDOWN_SUFFIXES
    draft = parse_draft(text, str(p), markdown=markdown)
    if not draft.sentences:
        raise InputError(p, "no sentences to check: the draft holds only headings, code or references")
    return draft


def parse_draft(text: str, path: str = "<draft>", *, markdown: bool = True) -> Draft:
    """Split ``text`` into sentences with their citations, and parse its reference list."""
    blocks, ref_blocks, ref_line = _blocks(text, markdown)
    sentences: list[Sentence] = []
    for number, block in enumerate(blocks):
        sentences.extend(_sentences(text, block, number))
    references = _references(text, ref_blocks)
    return Draft(
        path=path, sentences=tuple(sentences), references=tuple(references), reference_line=ref_line, text=text
    )


# --- blocks --------------------------------------------------------------------------

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+|$)(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_ITEM = re.compile(r"^(\s*)(?:[-*+•‣◦]|\d{1,3}[.)]|\[\d{1,3}\]|\(\d{1,3}\))\s+")
_NUMBERED = re.compile(r"^\s*(?:(\d{1,3})[.)]|\[(\d{1,3})\]|\((\d{1,3})\))\s+")
_LINKDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s")
_TABLE = re.compile(r"^\s*\|")
_HTML_LINE = re.compile(r"^\s*</?[A-Za-z][^>]*>\s*$")
_END_PUNCT = re.compile(r"[.!?:;…][\"'”’)\]*_]*\s*$|[.!?…][\"'”’)\]*_]*\d{1,3}(?:[,–-]\d{1,3})*\s*$")
_WRAP_WORDS = frozenset(
    "a an the of by and or to in with for from that as at on into than which who whose is are was were be".split()  # noqa: SIM905
)
_NAME = r"(?:(?:van|von|der|den|de|da|di|du|del|della|la|le|dos|das|ten|ter|mc|o')\s*)*[A-Z][\w'’\-]+"
_REF_AUTHOR = re.compile(r"^" + _NAME + r"(?:\s+[A-Z][\w'’\-]+)?,?\s+(?:[A-Z]{1,3}\b|[A-Z]\.)")
_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})[a-z]?(?!\d)")
_STRONG_REF = re.compile(r"\b10\.\d{4,9}/|(?:1[89]|20)\d{2}\s*(?:[A-Z][a-z]{2}\s*)?;\s*\d")


@dataclass
class _Segment:
    line: int  # 1-based
    start: int  # offset of the first character kept
    end: int  # offset after the last character kept


@dataclass
class _Block:
    segments: list[_Segment] = field(default_factory=list)
    item: bool = False  # a list item
    label: str | None = None  # for reference entries: the number as written


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(raw)
    return spans


def _is_ref_like(body: str) -> bool:
    stripped = _ITEM.sub("", body, count=1).strip()
    return bool(_REF_AUTHOR.match(stripped) and _YEAR.search(stripped))


def _heading_text(body: str) -> str:
    return body.strip().strip("*_:").strip().lower()


def _looks_like_heading(body: str) -> bool:
    """A plain-text heading: one short line that does not end like a sentence."""
    s = body.strip()
    if not s or _ITEM.match(body) or _END_PUNCT.search(s) or _is_ref_like(s):
        return False
    return len(s.split()) <= HEADING_MAX_WORDS


def _wraps(prev: str, nxt: str) -> bool:
    """In plain text, does ``prev`` continue on the next line?"""
    p, n = prev.rstrip(), nxt.strip()
    if not p or not n or _END_PUNCT.search(p) or _ITEM.match(nxt):
        return False
    last = re.split(r"\s+", p)[-1]  # lower case only: "Is" in a title-case heading does not wrap
    return n[0].islower() or p.endswith((",", "-", "–", "—", "(")) or last in _WRAP_WORDS


def _blocks(text: str, markdown: bool) -> tuple[list[_Block], list[_Block], int | None]:
    """Prose blocks and reference-list entries, as line segments of ``text``."""
    spans = _line_spans(text)
    bodies = [text[a:b] for a, b in spans]
    n = len(bodies)
    kinds = ["blank"] * n  # per line: blank, skip, heading, text, item, cont
    in_fence: str | None = None
    in_comment = False
    i = 0
    # front matter
    if n and bodies[0].strip() == "---":
        for j in range(1, n):
            if bodies[j].strip() in ("---", "..."):
                for k in range(j + 1):
                    kinds[k] = "skip"
                i = j + 1
                break
    prev_blank = True
    in_list = False
    while i < n:
        body = bodies[i]
        stripped = body.strip()
        if in_fence:
            kinds[i] = "skip"
            if stripped.startswith(in_fence):
                in_fence = None
            i += 1
            continue
        if in_comment:
            kinds[i] = "skip"
            if "-->" in body:
                in_comment = False
            i += 1
            continue
        m = _FENCE.match(body)
        if m:
            in_fence = m.group(1)[0] * 3
            kinds[i] = "skip"
        elif stripped.startswith("<!--"):
            kinds[i] = "skip"
            in_comment = "-->" not in stripped
        elif not stripped:
            kinds[i] = "blank"
            in_list = in_list and i + 1 < n and bool(bodies[i + 1][:1].isspace() or _ITEM.match(bodies[i + 1]))
        elif _ATX.match(body):
            kinds[i] = "heading"
        elif _RULE.match(body) and not (markdown and not prev_blank and _SETEXT.match(body)):
            kinds[i] = "skip"
        elif markdown and _SETEXT.match(body) and not prev_blank and kinds[i - 1] in ("text", "cont"):
            kinds[i] = "skip"
            # the paragraph above is a heading
            j = i - 1
            while j >= 0 and kinds[j] in ("text", "cont"):
                kinds[j] = "heading"
                j -= 1
        elif _LINKDEF.match(body) or _TABLE.match(body) or _HTML_LINE.match(body) or stripped.startswith(":::"):
            kinds[i] = "skip"
        elif (
            markdown
            and prev_blank
            and not in_list
            and (body.startswith("    ") or body.startswith("\t"))
            and not _ITEM.match(body)
        ):
            kinds[i] = "skip"  # indented code
            # the whole indented run
            while i + 1 < n and (bodies[i + 1].startswith(("    ", "\t")) or not bodies[i + 1].strip()):
                i += 1
                kinds[i] = "skip" if bodies[i].strip() else "blank"
        elif _ITEM.match(body):
            kinds[i] = "item"
            in_list = True
        elif prev_blank or i == 0 or kinds[i - 1] in ("skip", "heading", "blank"):
            kinds[i] = "text"
        elif markdown:
            kinds[i] = "cont"
        else:
            kinds[i] = "cont" if _wraps(bodies[i - 1], body) else "text"
        prev_blank = kinds[i] == "blank"
        i += 1

    # plain-text headings: a one-line paragraph that does not read as a sentence;
    # in Markdown too when it names the reference list ("References", "**Sources**")
    for i in range(n):
        if kinds[i] != "text" or (i + 1 < n and kinds[i + 1] == "cont"):
            continue
        if (not markdown and _looks_like_heading(bodies[i])) or _heading_text(bodies[i]) in REFERENCE_HEADINGS:
            kinds[i] = "heading"

    # group lines into blocks
    blocks: list[tuple[int, _Block]] = []  # (first line index, block)
    current: _Block | None = None
    for i, kind in enumerate(kinds):
        a, b = spans[i]
        if kind in ("text", "item"):
            current = _Block(item=kind == "item")
            body = bodies[i]
            lead = len(body) - len(body.lstrip())
            if kind == "item":
                m = _ITEM.match(body)
                lead = m.end()
                num = _NUMBERED.match(body)
                if num:
                    current.label = next(g for g in num.groups() if g)
            else:
                lead += _quote_prefix(body[lead:])
            current.segments.append(_Segment(i + 1, a + lead, b))
            blocks.append((i, current))
        elif kind == "cont" and current is not None:
            body = bodies[i]
            lead = len(body) - len(body.lstrip())
            lead += _quote_prefix(body[lead:])
            current.segments.append(_Segment(i + 1, a + lead, b))
        else:
            current = None if kind in ("blank", "skip", "heading") else current

    # the reference list: after a References heading, else a trailing run of references
    ref_start: int | None = None
    ref_end = n
    ref_line = None
    for i, kind in enumerate(kinds):
        if kind == "heading" and _heading_text(_ATX.sub(r"\2", bodies[i])) in REFERENCE_HEADINGS:
            ref_start, ref_line = i, i + 1
            level = len(_ATX.match(bodies[i]).group(1)) if _ATX.match(bodies[i]) else 7
            ref_end = n
            for j in range(i + 1, n):
                m = _ATX.match(bodies[j])
                if kinds[j] == "heading" and (
                    (m and len(m.group(1)) <= level) or (not m and not _is_ref_like(bodies[j]))
                ):
                    ref_end = j
                    break
    if ref_start is None:
        ref_start, ref_end = _trailing_references(blocks, bodies)
    prose = [blk for first, blk in blocks if not (ref_start is not None and ref_start <= first < ref_end)]
    refs = [blk for first, blk in blocks if ref_start is not None and ref_start <= first < ref_end]
    return prose, _split_reference_blocks(refs, bodies), ref_line


def _quote_prefix(body: str) -> int:
    m = re.match(r"(?:>\s?)+", body)
    return m.end() if m else 0


def _trailing_references(blocks: list[tuple[int, _Block]], bodies: list[str]) -> tuple[int | None, int]:
    """Without a heading, the last run of reference-like blocks is the reference list."""
    run: list[int] = []
    best: list[int] = []
    for first, _ in blocks:
        if _is_ref_like(bodies[first]):
            run.append(first)
        else:
            if len(run) >= 2:
                best = run
            run = []
    last_is_strong = len(run) == 1 and blocks[-1][0] == run[0] and _STRONG_REF.search(bodies[run[0]])
    if len(run) >= 2 or last_is_strong:
        best = run
    if not best:
        return None, len(bodies)
    end = next((f for f, _ in blocks if f > best[-1]), len(bodies))
    return best[0], end


def _split_reference_blocks(refs: list[_Block], bodies: list[str]) -> list[_Block]:
    """One block per reference: a Markdown paragraph of several references,
    one per line, is split at each line that starts a new one."""
    out: list[_Block] = []
    for blk in refs:
        current = _Block(item=blk.item, label=blk.label)
        for seg in blk.segments:
            body = bodies[seg.line - 1]
            if current.segments and (_is_ref_like(body) or _NUMBERED.match(body)):
                out.append(current)
                current = _Block()
            current.segments.append(seg)
        out.append(current)
    return out


# --- citations -----------------------------------------------------------------------

_PANDOC_BRACKET = re.compile(r"\[([^\[\]\n]*?-?@[A-Za-z0-9_][^\[\]\n]*)\](?!\()")
_PANDOC_KEY = re.compile(r"-?@([A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[A-Za-z0-9_])?)")
_PANDOC_BARE = re.compile(r"(?<![\w@.\]])@([A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[A-Za-z0-9_])?)")
_NUM_LIST = r"\d{1,3}(?:\s*[-–—,]\s*\d{1,3})*"
_NUMERIC_BRACKET = re.compile(r"\[\s*(" + _NUM_LIST + r")\s*\](?![(:\[])")
_NUMERIC_PAREN = re.compile(r"(?:(?<=\s)|^)\((" + _NUM_LIST + r")\)")
_SUPERSCRIPT = re.compile(r"(?<=[.,;:!?)\]\"”’'])(\d{1,3}(?:[,–-]\d{1,3})*)(?=\s|$)")
_UNICODE_SUP = re.compile(r"(?<=\S)([⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[,⁻–-][⁰¹²³⁴⁵⁶⁷⁸⁹]+)*)")
_SUP_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_YEARS = r"(?:1[5-9]|20)\d{2}[a-z]?(?:\s*[,;]\s*(?:1[5-9]|20)\d{2}[a-z]?)*"
_AUTHORS = _NAME + r"(?:(?:\s*,\s*|\s+and\s+|\s*&\s*)" + _NAME + r")*(?:\s+et\s+al\.?)?"
_AY_ITEM = re.compile(
    r"^\s*(?:(?:see(?:\s+also)?|e\.g\.,?|cf\.?|i\.e\.,?|also)\s+)?(" + _AUTHORS + r")\s*,?\s+(" + _YEARS + r")"
    r"(?:\s*,\s*(?:pp?\.|p\.)\s*[\d–-]+)?\s*$"
)
_AY_PAREN = re.compile(r"\(([^()\n]*?(?:1[5-9]|20)\d{2}[a-z]?[^()\n]*?)\)")
_AY_NARRATIVE = re.compile(
    r"(?<![\w'’-])(" + _NAME + r")((?:\s+et\s+al\.?)|(?:\s+(?:and|&)\s+" + _NAME + r"))?\s*\((" + _YEARS + r")\)"
)
_ENUM_BEFORE = re.compile(r"(?:^|[:;,]|\band|\bor)\s*$")


@dataclass
class _Found:
    start: int
    end: int
    citation: Citation
    #: where the marker itself is, if only part of the match is a marker (narrative
    #: author-year: only "(2006)" is); quotes keep narrative citations
    cut_start: int = -1
    cut_end: int = -1
    prose: bool = False  # part of the prose (narrative citation): quotes keep it


def _expand_numbers(spec: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in re.split(r"\s*,\s*", spec.strip()):
        m = re.fullmatch(r"(\d{1,3})\s*[-–—]\s*(\d{1,3})", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a <= b and b - a < 200:
                out.extend(str(k) for k in range(a, b + 1))
                continue
        if part.isdigit():
            out.append(str(int(part)))
    return tuple(out)


def _split_years(spec: str) -> list[str]:
    return [y for y in re.split(r"\s*[,;]\s*", spec.strip()) if y]


def _first_family(authors: str) -> str:
    first = re.split(r"\s*,\s*|\s+and\s+|\s*&\s*|\s+et\s+al", authors.strip())[0]
    return first.strip()


def _author_year_targets(content: str) -> tuple[str, ...] | None:
    """Targets of a parenthetical author-year citation, or None if it is not one."""
    targets: list[str] = []
    for item in content.split(";"):
        m = _AY_ITEM.match(item)
        if not m:
            return None
        family = _first_family(m.group(1))
        targets.extend(f"{family} {year}" for year in _split_years(m.group(2)))
    return tuple(targets) or None


def _find_citations(s: str, line_of) -> list[_Found]:
    """Every citation in one block's text, in order, without overlaps."""
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(f: _Found) -> None:
        found.append(f)
        taken.append((f.start, f.end))

    for m in _PANDOC_BRACKET.finditer(s):
        keys = tuple(k for k in _PANDOC_KEY.findall(m.group(1)))
        if keys:
            add(_Found(m.start(), m.end(), Citation("pandoc", m.group(0), line_of(m.start()), keys)))
    for m in _NUMERIC_BRACKET.finditer(s):
        if free(m.start(), m.end()):
            nums = _expand_numbers(m.group(1))
            if nums:
                add(_Found(m.start(), m.end(), Citation("numeric", m.group(0), line_of(m.start()), nums)))
    for m in _AY_PAREN.finditer(s):
        if not free(m.start(), m.end()):
            continue
        targets = _author_year_targets(m.group(1))
        if targets:
            add(_Found(m.start(), m.end(), Citation("author-year", m.group(0), line_of(m.start()), targets)))
    for m in _AY_NARRATIVE.finditer(s):
        if not free(m.start(), m.end()):
            continue
        family = m.group(1)
        if family.lower() in ("in", "the", "and", "see", "from", "by", "of", "since", "until"):
            continue
        targets = tuple(f"{family} {y}" for y in _split_years(m.group(3)))
        paren = m.start(3) - 1
        add(
            _Found(
                m.start(),
                m.end(),
                Citation("author-year", m.group(0), line_of(m.start()), targets, tentative=not m.group(2)),
                cut_start=paren,
                cut_end=m.end(),
                prose=True,
            )
        )
    for m in _PANDOC_BARE.finditer(s):
        if free(m.start(), m.end()):
            add(_Found(m.start(), m.end(), Citation("pandoc", m.group(0), line_of(m.start()), (m.group(1),))))
    for m in _NUMERIC_PAREN.finditer(s):
        if not free(m.start(), m.end()):
            continue
        after = s[m.end() : m.end() + 2]
        if re.match(r"\s[A-Za-z]", after) and _ENUM_BEFORE.search(s[max(0, m.start() - 6) : m.start()]):
            continue  # "(1) rest, (2) ice": an enumeration
        nums = _expand_numbers(m.group(1))
        if nums:
            add(_Found(m.start(), m.end(), Citation("numeric", m.group(0), line_of(m.start()), nums)))
    for m in _SUPERSCRIPT.finditer(s):
        if not free(m.start(), m.end()):
            continue
        j = m.start() - 1
        while j >= 0 and s[j] in ".,;:!?)]\"”’'":
            j -= 1
        if j < 0 or not s[j].isalpha():
            continue  # "2006.1" or "version 2.1": a number, not a marker
        nums = _expand_numbers(m.group(1))
        if nums:
            add(_Found(m.start(), m.end(), Citation("superscript", m.group(0), line_of(m.start()), nums)))
    for m in _UNICODE_SUP.finditer(s):
        if free(m.start(), m.end()):
            nums = _expand_numbers(m.group(1).translate(_SUP_DIGITS))
            if nums:
                add(_Found(m.start(), m.end(), Citation("superscript", m.group(0), line_of(m.start()), nums)))
    for f in found:
        if f.cut_start < 0:
            f.cut_start, f.cut_end = f.start, f.end
    found.sort(key=lambda f: f.start)
    return found


# --- sentences -----------------------------------------------------------------------

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]*_]*")
_ABBREVIATION_WORDS = (
    "al e.g eg i.e ie vs cf approx ca fig figs p pp dr mr mrs ms prof st no nos vol vols eq eqs ref refs "
    "ed eds et jr sr inc ltd co dept univ min max resp"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_MARKUP = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML
    (re.compile(r"`+([^`]*)`+"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])"), r"\1"),
    (re.compile(r"\s+([.,;:!?])"), r"\1"),
    (re.compile(r"\(\s*\)"), ""),
    (re.compile(r"\s{2,}"), " "),
]


def _block_text(text: str, block: _Block) -> tuple[str, list[int], list[int]]:
    """The block's text with segments joined by a space, with each character's
    offset in ``text`` and each character's line."""
    parts: list[str] = []
    origin: list[int] = []
    lines: list[int] = []
    for seg in block.segments:
        if parts:
            parts.append(" ")
            origin.append(seg.start - 1)
            lines.append(seg.line)
        parts.append(text[seg.start : seg.end])
        origin.extend(range(seg.start, seg.end))
        lines.extend([seg.line] * (seg.end - seg.start))
    return "".join(parts), origin, lines


def _is_abbreviation(s: str, dot: int) -> bool:
    """Is the period at ``dot`` part of an abbreviation or an initial?"""
    m = re.search(r"([A-Za-z][A-Za-z.]*)$", s[:dot])
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    return len(m.group(1)) == 1 and m.group(1).isupper()  # an initial: "J. Smith"


def _sentence_spans(s: str, found: list[_Found]) -> list[tuple[int, int]]:
    """Sentence spans of a block, citations kept whole and glued markers kept
    with the sentence they follow."""
    inside = [(f.start, f.end) for f in found]
    starts_at = {f.start: f for f in found}
    spans: list[tuple[int, int]] = []
    begin = 0
    for m in _BOUNDARY.finditer(s):
        if any(a <= m.start() < b for a, b in inside):
            continue
        end = m.end()
        while end in starts_at and not starts_at[end].prose:  # "required.1", "pain.[2]"
            end = starts_at[end].end
        while True:  # "pain. [2]": a marker after the full stop still belongs to this sentence
            j = end
            while j < len(s) and s[j].isspace():
                j += 1
            if j == end or j not in starts_at or starts_at[j].prose:
                break
            end = starts_at[j].end
        if end < len(s) and not s[end].isspace():
            continue
        nxt = s[end:].lstrip()
        if nxt and not (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in "\"'“‘([*_@"):
            continue
        if m.group(0).startswith(".") and len(m.group(0).rstrip("\"'”’)]*_")) == 1 and _is_abbreviation(s, m.start()):
            continue
        spans.append((begin, end))
        begin = end
    spans.append((begin, len(s)))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        while a < b and s[a].isspace():
            a += 1
        while b > a and s[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        # a "sentence" that is only citations belongs to the one before it: "... pain. [1]"
        rest = s[a:b]
        for f in found:
            if a <= f.start and f.end <= b and not f.prose:
                rest = rest.replace(s[f.start : f.end], "", 1)
        if out and not re.sub(r"[\s.,;:]", "", rest):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _clean(s: str) -> str:
    for pattern, repl in _MARKUP:
        s = pattern.sub(repl, s)
    return s.strip()


def _sentences(text: str, block: _Block, number: int = 0) -> list[Sentence]:
    s, origin, lines = _block_text(text, block)
    found = _find_citations(s, lambda pos: lines[pos] if pos < len(lines) else lines[-1])
    out = []
    for a, b in _sentence_spans(s, found):
        mine = [f for f in found if a <= f.start and f.end <= b]
        # plain: markers out; quote: the longest stretch between non-prose markers
        plain_parts, quote_parts = [], []
        pos = qpos = a
        for f in mine:
            plain_parts.append(s[pos : f.cut_start])
            pos = f.cut_end
            if not f.prose:
                quote_parts.append((qpos, f.start))
                qpos = f.end
        plain_parts.append(s[pos:b])
        quote_parts.append((qpos, b))
        qa, qb = max(quote_parts, key=lambda ab: len(s[ab[0] : ab[1]].strip()))
        while qa < qb and s[qa].isspace():
            qa += 1
        while qb > qa and s[qb - 1].isspace():
            qb -= 1
        quote = text[origin[qa] : origin[qb - 1] + 1] if qb > qa else ""
        plain = _clean(" ".join(plain_parts))
        if not re.search(r"[A-Za-z]{2}", plain):
            continue  # nothing to match: a stray marker or number
        out.append(
            Sentence(
                line=lines[a],
                text=" ".join(s[a:b].split()),
                plain=plain,
                quote=quote,
                citations=tuple(f.citation for f in mine),
                start=origin[a],
                end=origin[b - 1] + 1,
                block=number,
            )
        )
    return out


# --- references ----------------------------------------------------------------------

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_VANCOUVER_YEAR = re.compile(r"(?<!\d)((?:1[89]|20)\d{2})[a-z]?(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?\s*;")
_APA_YEAR = re.compile(r"\(((?:1[89]|20)\d{2})[a-z]?(?:,[^)]*)?\)")


def _references(text: str, blocks: list[_Block]) -> list[Reference]:
    out = []
    for position, blk in enumerate(blocks, 1):
        body = " ".join(" ".join(text[seg.start : seg.end].split()) for seg in blk.segments).strip()
        label = blk.label
        m = _NUMBERED.match(body)
        if m:  # a number written without a list marker the block parser saw
            label = label or next(g for g in m.groups() if g)
            body = body[m.end() :]
        doi = _DOI.search(body)
        out.append(
            Reference(
                label=label or str(position),
                line=blk.segments[0].line,
                text=body,
                doi=doi.group(1).rstrip(".,;)]").lower() if doi else None,
                years=_reference_years(body),
                first_author=_reference_first_author(body),
            )
        )
    return out


def _reference_years(body: str) -> tuple[str, ...]:
    ordered: list[str] = []
    for pattern in (_APA_YEAR, _VANCOUVER_YEAR, _YEAR):
        for m in pattern.finditer(body):
            if m.group(1) not in ordered:
                ordered.append(m.group(1))
    return tuple(ordered)


def _reference_first_author(body: str) -> str | None:
    m = re.match(r"\s*(" + _NAME + r"(?:\s+" + _NAME + r")*)", body)
    if not m:
        return None
    name = m.group(1)
    # "Fairclough J" (Vancouver): drop the initials
    name = re.sub(r"\s+[A-Z]{1,3}$", "", name)
    return name.strip() or None


# --- resolving against sources.bib ---------------------------------------------------


def fold(name: str) -> str:
    """A name or word folded for comparison: ASCII, lower case, letters only."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_.lower())


_STOP_WORDS = (
    "a an and the of in on for to with by at from as is are was were be its it into their than or not "
    "during after before between within without via"
)
_STOP = frozenset(_STOP_WORDS.split())


def _words(text: str) -> set[str]:
    return {w for w in (fold(t) for t in re.split(r"[^\w]+", text)) if len(w) > 2 and w not in _STOP}


@dataclass(frozen=True)
class SourceRecord:
    """What reference matching needs to know about one bib entry."""

    key: str
    doi: str | None
    year: str | None
    first_author: str | None  #: family name
    title: str
    journal: str | None


class _Fetcher:
    """Runs the ``graph/queries/draft/*.rq`` queries that find bib entries."""

    def __init__(self, eg: EvidenceGraph):
        self.eg = eg

    @staticmethod
    def query(name: str) -> str:
        from graph.sparql.catalogue import query_text

        return query_text(f"draft/{name}.rq")

    def rows(self, name: str, variable: str | None = None, value: str | None = None) -> list[SourceRecord]:
        from rdflib import Literal
        from rdflib.namespace import XSD

        bindings = None
        if variable is not None:
            term = Literal(value, datatype=XSD.gYear) if variable == "year" else Literal(value)
            bindings = {variable: term}
        records: dict[str, SourceRecord] = {}
        for row in self.eg.select(self.query(name), bindings):
            key = str(row["key"])
            if key in records:
                continue
            if variable is not None and row.get(variable) is None:  # some stores leave bound variables out
                row = {**row, variable: value}
            records[key] = SourceRecord(
                key=key,
                doi=str(row["doi"]).lower() if row.get("doi") is not None else None,
                year=str(row["year"])[:4] if row.get("year") is not None else None,
                first_author=str(row["family"]) if row.get("family") is not None else None,
                title=str(row["title"]) if row.get("title") is not None else "",
                journal=str(row["journal"]) if row.get("journal") is not None else None,
            )
        return list(records.values())

    def keys(self) -> list[str]:
        return sorted(str(row["key"]) for row in self.eg.select(self.query("bib-keys")))


class SourceIndex:
    """The bib entries of a graph, indexed for matching references and
    author-year citations.

    Built from a list of records, or from a graph with :meth:`from_graph`.
    Given the draft, that fetches only the entries the draft can need (by key,
    DOI and first author, one small query each) and more on demand (all keys
    for a misspelt key, the entries of a year for a reference whose first
    author matches nothing), so a large bibliography is never read whole.
    """

    def __init__(self, records=(), *, fetch: _Fetcher | None = None):
        self.records: dict[str, SourceRecord] = {}
        self.by_lower: dict[str, str] = {}
        self.by_doi: dict[str, str] = {}
        self.by_author: dict[str, list[SourceRecord]] = {}
        self._title_words: dict[str, set[str]] = {}
        self._journal_words: dict[str, set[str]] = {}
        self._fetch = fetch
        self._all_keys: list[str] | None = None if fetch else []
        self._years_loaded: set[str] = set()
        self.add(records)

    def add(self, records) -> None:
        for r in records:
            if r.key in self.records:
                continue
            self.records[r.key] = r
            self.by_lower[r.key.lower()] = r.key
            if r.doi:
                self.by_doi[r.doi.lower()] = r.key
            if r.first_author:
                for name in _name_forms(r.first_author):
                    self.by_author.setdefault(name, []).append(r)
            self._title_words[r.key] = _words(r.title)
            self._journal_words[r.key] = _words(r.journal or "")

    @classmethod
    def from_graph(cls, eg: EvidenceGraph, draft: Draft | None = None) -> SourceIndex:
        """Every bib entry of ``eg``, or, given ``draft``, those it can need."""
        fetch = _Fetcher(eg)
        if draft is None:
            index = cls(fetch.rows("bib-index"))
            index._all_keys = sorted(index.records)
            index._fetch = None
            return index
        index = cls(fetch=fetch)
        keys = {t for s in draft.sentences for c in s.citations if c.kind == "pandoc" for t in c.targets}
        families = {r.first_author for r in draft.references if r.first_author}
        for c in draft.citations:
            if c.kind == "author-year":
                families.update(t.rsplit(" ", 1)[0] for t in c.targets)
        dois = {r.doi for r in draft.references if r.doi}
        for key in sorted(keys):
            index.add(fetch.rows("bib-by-key", "key", key))
        for family in sorted(families):
            for spelling in dict.fromkeys((family, family[:1].swapcase() + family[1:])):
                index.add(fetch.rows("bib-by-family", "family", spelling))
        for doi in sorted(dois):
            for ref in draft.references:  # the DOI as written, and lower-cased
                m = re.search(re.escape(doi), ref.text, re.I)
                if m:
                    for spelling in dict.fromkeys((m.group(0), doi)):
                        index.add(fetch.rows("bib-by-doi", "doi", spelling))
                    break
        return index

    def _load_all_keys(self) -> list[str]:
        if self._all_keys is None:
            self._all_keys = self._fetch.keys() if self._fetch else sorted(self.records)
            for k in self._all_keys:
                self.by_lower.setdefault(k.lower(), k)
        return self._all_keys

    def _load_year(self, year: str) -> None:
        if self._fetch and year not in self._years_loaded:
            self._years_loaded.add(year)
            self.add(self._fetch.rows("bib-by-year", "year", year))

    def key(self, key: str) -> str | None:
        """The bib key as spelt in sources.bib (case-insensitive), or None."""
        found = self.by_lower.get(key.lower())
        if found is None and self._fetch is not None:
            self._load_all_keys()
            found = self.by_lower.get(key.lower())
        return found

    def close_keys(self, key: str, n: int = 3) -> list[str]:
        import difflib

        lowered = {k.lower(): k for k in self._load_all_keys()} or dict(self.by_lower)
        return [lowered[k] for k in difflib.get_close_matches(key.lower(), list(lowered), n=n, cutoff=0.6)]

    def by_author_year(self, family: str, year: str) -> list[str]:
        """Keys whose first author is ``family`` and year ``year`` ("2006" or "2006a")."""
        suffix = year[4:]
        hits = [r.key for r in self.by_author.get(fold(family), []) if r.year == year[:4]]
        if suffix and len(hits) > 1:
            hits = [k for k in hits if k.lower().endswith(year[:4] + suffix)] or hits
        return sorted(hits)

    def match_reference(self, ref: Reference) -> tuple[str | None, str]:
        """(bib key, how) for one reference: by DOI, else first author + year +
        title or journal words, else title + year alone."""
        if ref.doi and ref.doi in self.by_doi:
            return self.by_doi[ref.doi], "doi"
        words = _words(ref.text)
        candidates: list[tuple[float, str]] = []
        if ref.first_author:
            for name in _name_forms(ref.first_author):
                for r in self.by_author.get(name, []):
                    if r.year not in ref.years:
                        continue
                    title = _overlap(self._title_words[r.key], words)
                    journal = _overlap(self._journal_words[r.key], words)
                    if title >= TITLE_MATCH_MIN or journal >= JOURNAL_MATCH_MIN:
                        candidates.append((title + journal / 10, r.key))
            if candidates:
                return max(candidates)[1], "author-year-title"
        for year in ref.years:
            self._load_year(year)
        for key, title_words in self._title_words.items():
            r = self.records[key]
            if r.year in ref.years and _overlap(title_words, words) >= TITLE_ONLY_MATCH_MIN:
                candidates.append((_overlap(title_words, words), key))
        if candidates:
            return max(candidates)[1], "title-year"
        return None, "none"


def _name_forms(family: str) -> list[str]:
    """Folded forms of a family name: whole ("vanderworp") and last word ("worp")."""
    whole = fold(family)
    last = fold(re.split(r"[\s]+", family.strip())[-1]) if family.strip() else ""
    return [f for f in dict.fromkeys((whole, last)) if f]


def _overlap(needed: set[str], have: set[str]) -> float:
    return len(needed & have) / len(needed) if needed else 0.0


@dataclass(frozen=True)
class Unresolved:
    """A citation that names no known source, and why."""

    line: int
    marker: str
    target: str  #: the key, number or "Family YEAR" that failed
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: citation {self.marker} ({self.target}): {self.reason}"

    def to_dict(self) -> dict:
        return {"line": self.line, "marker": self.marker, "target": self.target, "reason": self.reason}


@dataclass(frozen=True)
class Resolution:
    """Every citation of a draft tied to bib keys."""

    #: per sentence (same order as ``draft.sentences``): the bib keys it cites, in order
    cited: tuple[tuple[str, ...], ...]
    #: per sentence: the citations that could not be resolved
    unresolved: tuple[tuple[Unresolved, ...], ...]
    #: per reference (same order as ``draft.references``): its bib key or None
    reference_keys: tuple[str | None, ...]
    #: per sentence: the citations that count (a tentative narrative one only if it resolved)
    counted: tuple[tuple[Citation, ...], ...] = ()

    @property
    def all_unresolved(self) -> list[Unresolved]:
        return [u for group in self.unresolved for u in group]


def resolve(draft: Draft, index: SourceIndex) -> Resolution:
    """Tie each citation in ``draft`` to bib keys.

    Numbers go through the draft's reference list (matched to the bib by
    :meth:`SourceIndex.match_reference`); pandoc keys must be bib keys;
    author-year pairs go through the reference list when one matches, else
    straight to the bib by first author and year.
    """
    ref_keys = tuple(index.match_reference(r)[0] for r in draft.references)
    by_label = {r.label: (r, k) for r, k in zip(draft.references, ref_keys)}
    cited: list[tuple[str, ...]] = []
    unresolved: list[tuple[Unresolved, ...]] = []
    counted: list[tuple[Citation, ...]] = []
    for sentence in draft.sentences:
        keys: list[str] = []
        bad: list[Unresolved] = []
        real: list[Citation] = []
        for c in sentence.citations:
            found = False
            for target in c.targets:
                key, reason = _resolve_one(c, target, draft, index, by_label, ref_keys)
                if key:
                    found = True
                    if key not in keys:
                        keys.append(key)
                elif not c.tentative:
                    bad.append(Unresolved(c.line, c.marker, target, reason))
            if found or not c.tentative:
                real.append(c)
        cited.append(tuple(keys))
        unresolved.append(tuple(bad))
        counted.append(tuple(real))
    return Resolution(tuple(cited), tuple(unresolved), ref_keys, tuple(counted))


def _resolve_one(c: Citation, target: str, draft: Draft, index: SourceIndex, by_label, ref_keys):
    if c.kind == "pandoc":
        key = index.key(target)
        if key:
            return key, ""
        close = index.close_keys(target)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return None, f"no entry {target!r} in sources.bib{hint}"
    if c.kind in ("numeric", "superscript"):
        if not draft.references:
            return None, "the draft has no reference list to look the number up in"
        if target not in by_label:
            return None, f"the reference list has no entry {target} (it has {len(draft.references)})"
        ref, key = by_label[target]
        if key is None:
            return None, f"reference {target} ({ref.short(50)}) matches no entry in sources.bib"
        return key, ""
    # author-year
    family, year = target.rsplit(" ", 1)
    for ref, key in zip(draft.references, ref_keys):
        if ref.first_author and year[:4] in ref.years and set(_name_forms(ref.first_author)) & set(_name_forms(family)):
            if key is None:
                return None, f"reference {ref.label} ({ref.short(50)}) matches no entry in sources.bib"
            return key, ""
    hits = index.by_author_year(family, year)
    if len(hits) == 1:
        return hits[0], ""
    if hits:
        return None, f"ambiguous: {', '.join(hits)} (add a year letter, e.g. {year[:4]}a)"
    return None, f"no entry by {family} in {year} in sources.bib or the reference list"
