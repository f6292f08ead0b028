"""Citations inside a sentence (pandoc, numeric, superscript, author-year) and
the sentences of a block."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.drafts.markup import _NAME, _Block
from graph.drafts.records import Citation, Sentence

if TYPE_CHECKING:  # pragma: no cover
    pass


# --- citations -----------------------------------------------------------------------

_PANDOC_BRACKET = re.compile(r"\[([^\[\]\n]*?-?@[A-Za-z0-9_][^\[\]\n]*)\](?!\()")
_PANDOC_KEY = re.compile(r"-?@([A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[A-Za-z0-9_])?)")
_PANDOC_BARE = re.compile(r"(?<![\w@.\]])@([A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[A-Za-z0-9_])?)")
_NUM_LIST = r"\d{1,3}(?:\s*[-–—,]\s*\d{1,3})*"
# No pattern may scan past an opening bracket it cannot close: "[[[[..." or
# "[^[^[^..." would make every bracket scan to the end of the block (quadratic).
_FOOTNOTE = re.compile(r"\[\^([^\[\]\s]+)\](?!:)")
_WIKI = re.compile(r"\[\[([^\[\]|#\n]+)(?:#[^\[\]|\n]*)?(?:\|[^\[\]\n]*)?\]\]")
_NUMERIC_BRACKET = re.compile(r"\[\s*(" + _NUM_LIST + r")\s*\](?![(:\[])")
_NUMERIC_PAREN = re.compile(r"(?:(?<=\s)|^)\((" + _NUM_LIST + r")\)")
# Not inside a list of numbers ("[1,2,3"): each of its commas would start a
# scan to the end of the list (quadratic); such a marker is refused anyway,
# since a letter must come before the punctuation.
_SUPERSCRIPT = re.compile(r"(?<=[.,;:!?)\]\"”’'])(?<!\d[,–-])(\d{1,3}(?:[,–-]\d{1,3})*)(?=\s|$)")
_UNICODE_SUP = re.compile(r"(?<=\S)([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}(?:[,⁻–-][⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})*)")
_SUP_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_YEARS = r"(?:1[5-9]|20)\d{2}[a-z]?(?:\s*[,;]\s*(?:1[5-9]|20)\d{2}[a-z]?)*"
_AUTHORS = _NAME + r"(?:(?:\s*,\s*|\s+and\s+|\s*&\s*)" + _NAME + r")*(?:\s+et\s+al\.?)?"
_AY_ITEM = re.compile(
    r"^\s*(?:(?:see(?:\s+also)?|e\.g\.,?|cf\.?|i\.e\.,?|also)\s+)?(" + _AUTHORS + r")\s*,?\s+(" + _YEARS + r")"
    r"(?:\s*,\s*(?:pp?\.|p\.)\s*[\d–-]+)?\s*$"
)
# A parenthesis holding a year (checked with _AY_YEAR: a lazy year inside the
# pattern rescans the parenthesis once for every year in it).
_AY_PAREN = re.compile(r"\(([^()\n]*)\)")
_AY_YEAR = re.compile(r"(?:1[5-9]|20)\d{2}")
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
    """The numbers a numeric marker cites, each once, in order ("1-3,5" -> 1 2 3 5)."""
    out: list[int] = []
    seen: set[int] = set()
    for part in re.split(r"\s*,\s*", spec.strip()):
        m = re.fullmatch(r"(\d{1,3})\s*[-–—]\s*(\d{1,3})", part)
        numbers: range | tuple[int, ...] = ()
        if m and int(m.group(1)) <= int(m.group(2)) < int(m.group(1)) + 200:
            numbers = range(int(m.group(1)), int(m.group(2)) + 1)
        elif part.isdigit():
            numbers = (int(part),)
        if not seen.issuperset(numbers):  # a marker of many repeated ranges stays cheap
            out.extend(k for k in numbers if k not in seen)
            seen.update(numbers)
    return tuple(str(k) for k in out)


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
    return tuple(dict.fromkeys(targets)) or None


def _find_citations(s: str, line_of) -> list[_Found]:
    """Every citation in one block's text, in order, without overlaps."""
    found: list[_Found] = []
    taken = bytearray(len(s) + 1)  # 1 where a citation already found lies

    def free(a: int, b: int) -> bool:
        return taken.find(1, a, b) < 0

    def add(f: _Found) -> None:
        found.append(f)
        taken[f.start : f.end] = b"\x01" * (f.end - f.start)

    for m in _WIKI.finditer(s):
        add(_Found(m.start(), m.end(), Citation("wiki", m.group(0), line_of(m.start()), (m.group(1).strip(),))))
    for m in _FOOTNOTE.finditer(s):
        if free(m.start(), m.end()):
            add(_Found(m.start(), m.end(), Citation("footnote", m.group(0), line_of(m.start()), (m.group(1),))))
    for m in _PANDOC_BRACKET.finditer(s):
        if not free(m.start(), m.end()):
            continue
        keys = tuple(dict.fromkeys(_PANDOC_KEY.findall(m.group(1))))  # each key once
        if keys:
            add(_Found(m.start(), m.end(), Citation("pandoc", m.group(0), line_of(m.start()), keys)))
    for m in _NUMERIC_BRACKET.finditer(s):
        if free(m.start(), m.end()):
            nums = _expand_numbers(m.group(1))
            if nums:
                add(_Found(m.start(), m.end(), Citation("numeric", m.group(0), line_of(m.start()), nums)))
    for m in _AY_PAREN.finditer(s):
        if not _AY_YEAR.search(m.group(1)) or not free(m.start(), m.end()):
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
# Each pattern fails fast where it cannot match (none scans past a bracket or
# parenthesis it cannot close, emphasis spans at most 300 characters, blanks
# are tried from the first of a run), so that cleaning takes linear time.
_MARKUP = [
    (re.compile(r"!\[[^\[\]]*\]\([^()]*\)"), ""),  # images
    (re.compile(r"\[([^\[\]]+)\]\([^()]*\)"), r"\1"),  # links
    (re.compile(r"<(https?://[^<>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^<>]*>"), ""),  # inline HTML
    (re.compile(r"`+([^`]*)`+"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.{1,300}?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?!\s)(.{1,300}?)(?<!\s)_(?![\w_])"), r"\1"),
    (re.compile(r"(?<!\s)\s+([.,;:!?])"), r"\1"),
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


#: The longest run of letters and dots before a period that can be an
#: abbreviation ("approx", "e.g"); a longer one is a word.
_ABBREVIATION_REACH = 2 + max(len(w) for w in _ABBREVIATIONS)
_WORD_OR_DOT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")


def _is_abbreviation(s: str, dot: int) -> bool:
    """Is the period at ``dot`` part of an abbreviation or an initial?
    (Looks back a few characters only: the time stays linear in the block.)"""
    start = dot
    while start > 0 and dot - start <= _ABBREVIATION_REACH and s[start - 1] in _WORD_OR_DOT:
        start -= 1
    if dot - start > _ABBREVIATION_REACH:
        return False  # too long for any abbreviation
    while start < dot and s[start] == ".":
        start += 1
    word = s[start:dot]
    if not word:
        return False
    if word.lower().rstrip(".") in _ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isupper()  # an initial: "J. Smith"


def _sentence_spans(s: str, found: list[_Found]) -> list[tuple[int, int]]:
    """Sentence spans of a block, citations kept whole and glued markers kept
    with the sentence they follow."""
    starts = [f.start for f in found]  # sorted, and citations do not overlap
    starts_at = {f.start: f for f in found}
    spans: list[tuple[int, int]] = []
    begin = 0
    for m in _BOUNDARY.finditer(s):
        k = bisect.bisect_right(starts, m.start()) - 1
        if k >= 0 and m.start() < found[k].end:  # inside a citation
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
        nxt = _NOT_BLANK.search(s, end)
        first = nxt.group() if nxt else ""
        if first and not (first.isupper() or first.isdigit() or first in "\"'“‘([*_@"):
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
        pieces, pos = [], a
        for f in _within(found, starts, a, b):
            if not f.prose:
                pieces.append(s[pos : f.start])
                pos = f.end
        pieces.append(s[pos:b])
        rest = "".join(pieces)
        if out and not re.sub(r"[\s.,;:]", "", rest):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


_NOT_BLANK = re.compile(r"\S")


def _within(found: list[_Found], starts: list[int], a: int, b: int) -> list[_Found]:
    """The citations that lie in ``[a, b)`` (``starts``: their sorted starts)."""
    out = []
    for k in range(bisect.bisect_left(starts, a), len(found)):
        f = found[k]
        if f.start >= b:
            break
        if f.end <= b:
            out.append(f)
    return out


def _clean(s: str) -> str:
    for pattern, repl in _MARKUP:
        s = pattern.sub(repl, s)
    return s.strip()


def _sentences(text: str, block: _Block, number: int = 0) -> list[Sentence]:
    s, origin, lines = _block_text(text, block)
    found = _find_citations(s, lambda pos: lines[pos] if pos < len(lines) else lines[-1])
    starts = [f.start for f in found]
    out = []
    for a, b in _sentence_spans(s, found):
        mine = _within(found, starts, a, b)
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
