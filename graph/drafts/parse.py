"""Read a writer's draft: its sentences, the citations in each, and its reference list.

Read with :func:`read_draft` or :func:`parse_draft` (pure text processing);
:func:`graph.drafts.resolve.resolve` then ties every
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
from pathlib import Path
from typing import TYPE_CHECKING

from graph.drafts.citations import _sentences
from graph.drafts.markup import _NAME, _NUMBERED, _YEAR, MARKDOWN_SUFFIXES, _Block, _blocks
from graph.drafts.ownbib import front_matter_bibliography
from graph.drafts.records import Citation, Draft, Reference, Sentence
from graph.model.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    pass

from graph.drafts.resolve import Resolution, SourceIndex, SourceRecord, Unresolved, resolve

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
    "parse_reference",
    "read_draft",
    "resolve",
]

# --- reading -------------------------------------------------------------------------


#: The largest draft :func:`read_draft` accepts, in bytes (checking takes
#: time in proportion to the size: 3 to 7 CPU seconds a megabyte here).
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
    footnotes: list[Reference] = []
    if markdown:
        text, footnotes = _footnote_definitions(text)
    blocks, ref_blocks, ref_line = _blocks(text, markdown)
    sentences: list[Sentence] = []
    for number, block in enumerate(blocks):
        sentences.extend(_sentences(text, block, number))
    references = _references(text, ref_blocks)
    for r in references:
        if not (r.years or r.doi or r.pmid or r.pmcid):
            raise InputError(
                path,
                f"reference {r.label} has no year ({r.short(50)}): add its year, or its DOI or PMID",
                r.line,
            )
    defined = {f.label for f in footnotes}
    for c in (c for s in sentences for c in s.citations if c.kind == "footnote"):
        if c.targets[0] not in defined:
            raise InputError(
                path, f"footnote {c.marker} has no definition (add a line '[^{c.targets[0]}]: ...')", c.line
            )
    return Draft(
        path=path,
        sentences=tuple(sentences),
        references=tuple(references),
        reference_line=ref_line,
        text=text,
        footnotes=tuple(footnotes),
        bibliography=front_matter_bibliography(text),
    )


_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*(.*)$")


def _footnote_definitions(text: str) -> tuple[str, list[Reference]]:
    """Take Markdown footnote definitions (with their indented continuation
    lines) out of ``text``, blanking them so line numbers stay, and read each
    as a reference labelled with the footnote's label."""
    lines = text.split("\n")
    notes: list[Reference] = []
    i = 0
    while i < len(lines):
        m = _FOOTNOTE_DEF.match(lines[i])
        if not m:
            i += 1
            continue
        start, body = i, [m.group(2).strip()]
        lines[i] = ""
        i += 1
        while i < len(lines) and lines[i][:1] in (" ", "\t") and lines[i].strip():
            body.append(lines[i].strip())
            lines[i] = ""
            i += 1
        notes.append(parse_reference(" ".join(body), m.group(1), start + 1))
    return "\n".join(lines), notes


# --- references ----------------------------------------------------------------------

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_VANCOUVER_YEAR = re.compile(r"(?<!\d)((?:1[89]|20)\d{2})[a-z]?(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?\s*;")
_APA_YEAR = re.compile(r"\(((?:1[89]|20)\d{2})[a-z]?(?:,[^()]*)?\)")


def _references(text: str, blocks: list[_Block]) -> list[Reference]:
    out = []
    for position, blk in enumerate(blocks, 1):
        body = " ".join(" ".join(text[seg.start : seg.end].split()) for seg in blk.segments).strip()
        label = blk.label
        m = _NUMBERED.match(body)
        if m:  # a number written without a list marker the block parser saw
            label = label or next(g for g in m.groups() if g)
            body = body[m.end() :]
        out.append(parse_reference(body, label or str(position), blk.segments[0].line))
    return out


_PMID = re.compile(r"\bPMID\s*:?\s*(\d{4,9})\b", re.I)
_PMCID = re.compile(r"\b(?:PMCID\s*:?\s*)?(PMC\d{4,9})\b", re.I)
#: volume and first page: "2006;208(3):309-16" (NLM, AMA), "208(3), 309–316" (APA),
#: "208(3), pp. 309-316" (Harvard), "108:379", "vol. 208, no. 3, pp. 309"
#: (no pattern scans past a parenthesis it cannot close, or far after "vol":
#: a long reference would be rescanned from every start)
_VOLUME_PAGE = (
    re.compile(r";\s*(\d{1,4})\s*(?:\([^()]*\))?\s*:\s*[eE]?(\d{1,6})"),
    re.compile(r"\b(\d{1,4})\s*\([^()]*\)\s*,\s*(?:pp?\.\s*)?[eE]?(\d{1,6})"),
    re.compile(r"\bvol(?:ume)?\.?\s*(\d{1,4})\b.{0,80}?\bpp?\.\s*(\d{1,6})", re.I),
    re.compile(r"(?<![\d.])(\d{1,4})\s*:\s*(\d{1,6})(?:\s*[-–]\s*\d+)?\b"),
    re.compile(r"\b(\d{1,4})\s*,\s*(?:pp?\.\s*)(\d{1,6})"),
)


def parse_reference(body: str, label: str = "1", line: int = 1) -> Reference:
    """One entry of a reference list, as written: DOI, PMID, PMCID, years,
    first author, volume and first page are picked out where present."""
    doi = _DOI.search(body)
    pmid = _PMID.search(body)
    pmcid = _PMCID.search(body)
    volume = page = None
    without_doi = _DOI.sub(" ", body)
    for pattern in _VOLUME_PAGE:
        m = pattern.search(without_doi)
        if m and not (len(m.group(1)) == 4 and m.group(1)[:2] in ("19", "20") and pattern is _VOLUME_PAGE[3]):
            volume, page = m.group(1), m.group(2)
            break
    return Reference(
        label=label,
        line=line,
        text=body,
        doi=doi.group(1).rstrip(".,;)]").lower() if doi else None,
        years=_reference_years(body),
        first_author=_reference_first_author(re.sub(r"^\s*(?:see(?:\s+also)?|cf\.?)\s+", "", body, flags=re.I)),
        pmid=pmid.group(1) if pmid else None,
        pmcid=pmcid.group(1).upper() if pmcid else None,
        volume=volume,
        first_page=page,
    )


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
