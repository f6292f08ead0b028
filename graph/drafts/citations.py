"""Citations inside a sentence (pandoc, numeric, superscript, author-year) and
the sentences of a block."""

from __future__ import annotations

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
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_WIKI = re.compile(r"\[\[([^\]|#\n]+)(?:#[^\]|\n]*)?(?:\|[^\]\n]*)?\]\]")
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

    for m in _WIKI.finditer(s):
        add(_Found(m.start(), m.end(), Citation("wiki", m.group(0), line_of(m.start()), (m.group(1).strip(),))))
    for m in _FOOTNOTE.finditer(s):
        if free(m.start(), m.end()):
            add(_Found(m.start(), m.end(), Citation("footnote", m.group(0), line_of(m.start()), (m.group(1),))))
    for m in _PANDOC_BRACKET.finditer(s):
        if not free(m.start(), m.end()):
            continue
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
