"""Blocks of a draft: paragraphs, list items, headings, code, tables and the
reference list, in Markdown or plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    pass


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
# A family name, after at most three particles ("van der Worp", "de la Cruz",
# "o'Brien"). Each particle ends at a blank or before a capital, so that no
# text splits into particles two ways ("della" is never "del" + "la"): the
# old unbounded, ambiguous loop took exponential time on "delladella...".
_NAME = r"(?:(?:van|von|der|den|de|da|di|du|del|della|la|le|dos|das|ten|ter|mc|o')(?:\s+|(?=[A-Z]))){0,3}[A-Z][\w'’\-]+"
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
