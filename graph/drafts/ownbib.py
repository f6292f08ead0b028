"""The writer's own bibliography: BibTeX / BibLaTeX (Zotero, Better BibTeX)
and CSL-JSON (Zotero's export), named in the draft's front matter
(``bibliography: zotero.bib``) or given with ``evg check --bib FILE``.

Its entries are not sources of the graph: the corpus ``sources.bib`` stays
the one bibliographic truth. Each entry a draft cites is read as a reference
and mapped to a corpus source as a reference-list entry is (DOI, PMID or
PMCID, else first author + year + title; see
:meth:`graph.drafts.resolve.SourceIndex.match_reference`); a key whose entry
maps to none is "not in the evidence graph".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.drafts.records import Reference
from graph.model.errors import InputError

__all__ = ["BibEntry", "OwnBibliography", "front_matter_bibliography", "read_bibliography", "read_own_bibliographies"]

#: Suffixes read as CSL-JSON; anything else is read as BibTeX / BibLaTeX.
JSON_SUFFIXES = frozenset({".json", ".csljson"})


@dataclass(frozen=True)
class BibEntry:
    """What mapping needs to know about one entry of the writer's bibliography."""

    key: str
    path: str  #: the file it was read from
    line: int
    title: str = ""
    first_author: str | None = None  #: family name, with its particle ("van der Worp")
    year: str | None = None
    journal: str | None = None
    doi: str | None = None  #: lower case, without a https://doi.org/ prefix
    pmid: str | None = None
    pmcid: str | None = None
    volume: str | None = None
    first_page: str | None = None

    def as_reference(self) -> Reference:
        """The entry as a reference-list entry, for the same matching."""
        text = ". ".join(p for p in (self.first_author, self.title, self.journal, self.year) if p)
        return Reference(
            label=self.key,
            line=self.line,
            text=text,
            doi=self.doi,
            years=(self.year,) if self.year else (),
            first_author=self.first_author,
            pmid=self.pmid,
            pmcid=self.pmcid,
            volume=self.volume,
            first_page=self.first_page,
        )

    @property
    def where(self) -> str:
        return f"{Path(self.path).name}:{self.line}"


@dataclass
class OwnBibliography:
    """The entries of one or more bibliography files, by key (the first file that defines a key wins)."""

    files: list[str] = field(default_factory=list)
    entries: dict[str, BibEntry] = field(default_factory=dict)

    def add(self, path: str, entries: list[BibEntry]) -> None:
        self.files.append(path)
        for e in entries:
            self.entries.setdefault(e.key, e)

    def get(self, key: str) -> BibEntry | None:
        return self.entries.get(key)

    @property
    def names(self) -> str:
        """The files' names for messages: "zotero.bib" or "a.bib, b.json"."""
        return ", ".join(Path(f).name for f in self.files)

    def __bool__(self) -> bool:
        return bool(self.files)


# --- front matter ----------------------------------------------------------------------

_FRONT_KEY = re.compile(r"^bibliography\s*:\s*(.*?)\s*$")
_LIST_ITEM = re.compile(r"^\s+-\s+(.*?)\s*$")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def front_matter_bibliography(text: str) -> tuple[tuple[str, int], ...]:
    """(file name as written, line) of each file that the YAML front matter's
    ``bibliography:`` names: one value, an inline list ``[a.bib, b.json]`` or a
    block list of ``- a.bib`` lines."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return ()
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return ()
    out: list[tuple[str, int]] = []
    i = 1
    while i < end:
        m = _FRONT_KEY.match(lines[i])
        if not m:
            i += 1
            continue
        value = m.group(1)
        if value.startswith("[") and value.endswith("]"):
            out += [(_unquote(v), i + 1) for v in value[1:-1].split(",") if v.strip()]
        elif value:
            out.append((_unquote(value), i + 1))
        else:
            i += 1
            while i < end and (item := _LIST_ITEM.match(lines[i])):
                out.append((_unquote(item.group(1)), i + 1))
                i += 1
            continue
        i += 1
    return tuple(out)


def read_own_bibliographies(draft_path: str | Path, named, extra=()) -> OwnBibliography:
    """The draft's own bibliography: the files its front matter names
    (``named``: (name, line) pairs, relative to the draft's folder), then the
    ``extra`` paths (``--bib``, relative to the working directory)."""
    own = OwnBibliography()
    folder = Path(draft_path).parent
    for name, line in named:
        path = Path(name).expanduser()
        if not path.is_absolute():
            path = folder / path
        if not path.is_file():
            raise InputError(draft_path, f"bibliography file {name} does not exist ({path})", line)
        own.add(str(path), read_bibliography(path))
    for p in extra:
        path = Path(p)
        if not path.is_file():
            raise InputError(path, "no such bibliography file (--bib)")
        own.add(str(path), read_bibliography(path))
    return own


# --- reading ---------------------------------------------------------------------------


def read_bibliography(path: str | Path) -> list[BibEntry]:
    """The entries of a BibTeX / BibLaTeX or CSL-JSON file (by suffix; a
    file starting with ``[`` or ``{`` is read as JSON whatever its name).
    Raises :class:`InputError` with the file and line for a file that does
    not parse or has the wrong shape."""
    from graph.model.paths import read_text

    path = Path(path)
    text = read_text(path)
    if path.suffix.lower() in JSON_SUFFIXES or text.lstrip()[:1] in ("[", "{"):
        return _read_csl_json(path, text)
    return _read_bibtex(path, text)


_PMID_NOTE = re.compile(r"\bPMID\s*:?\s*(\d{4,9})\b", re.I)
_PMCID_NOTE = re.compile(r"\b(PMC\d{4,9})\b", re.I)
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)


def _doi(value) -> str | None:
    if not value:
        return None
    doi = _DOI_PREFIX.sub("", str(value)).strip().rstrip(".")
    return doi.lower() if doi.startswith("10.") else None


def _first_page(pages) -> str | None:
    m = re.match(r"\s*[eE]?(\d{1,6})", str(pages or ""))
    return m.group(1) if m else None


def _year(value) -> str | None:
    m = re.search(r"(?<!\d)(1[5-9]\d{2}|20\d{2})(?!\d)", str(value or ""))
    return m.group(1) if m else None


def _read_bibtex(path: Path, text: str) -> list[BibEntry]:
    from graph.bibliography.bibtex import latex_to_text, parse_bib

    bib = parse_bib(path, text)
    out = []
    for key, entry in bib.entries.items():
        f = {k.lower(): v for k, v in entry.fields.items()}
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        family = None
        if people:
            p = people[0]
            family = latex_to_text(" ".join([*p.prelast_names, *p.last_names])) or None
        notes = " ".join(str(f.get(k, "")) for k in ("note", "extra", "annote"))
        eprint_type = str(f.get("eprinttype", "")).lower()
        pmid = f.get("pmid") or (f.get("eprint") if eprint_type == "pmid" else None)
        pmid = pmid or (m.group(1) if (m := _PMID_NOTE.search(notes)) else None)
        pmcid = f.get("pmcid") or (f.get("eprint") if eprint_type == "pmcid" else None)
        pmcid = pmcid or (m.group(1) if (m := _PMCID_NOTE.search(notes)) else None)
        journal = f.get("journal") or f.get("journaltitle") or f.get("booktitle")
        out.append(
            BibEntry(
                key=key,
                path=str(path),
                line=bib.line_of(key) or 1,
                title=latex_to_text(str(f.get("title", ""))),
                first_author=family,
                year=_year(f.get("year") or f.get("date")),
                journal=latex_to_text(str(journal)) if journal else None,
                doi=_doi(f.get("doi")) or _doi(f.get("url")),
                pmid=str(pmid).strip() if pmid else None,
                pmcid=str(pmcid).strip().upper() if pmcid else None,
                volume=str(f["volume"]).strip() if f.get("volume") else None,
                first_page=_first_page(f.get("pages")),
            )
        )
    return out


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _read_csl_json(path: Path, text: str) -> list[BibEntry]:
    """CSL-JSON: an array of item objects, each with an ``id``. Items are
    decoded one at a time, so an error names the line of its item."""
    decoder = json.JSONDecoder()
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON: {exc.msg}", exc.lineno) from None
    start = len(text) - len(text.lstrip())
    if text[start : start + 1] != "[":
        kind = "an object" if text[start : start + 1] == "{" else "not an array"
        raise InputError(
            path,
            f"CSL-JSON must be an array of items (as Zotero exports it); this file holds {kind}",
            _line(text, start),
        )
    out: list[BibEntry] = []
    pos = start + 1
    ws = re.compile(r"[\s,]*")
    while True:
        pos = ws.match(text, pos).end()
        if text[pos : pos + 1] == "]":
            break
        item, end = decoder.raw_decode(text, pos)
        line = _line(text, pos)
        if not isinstance(item, dict):
            raise InputError(path, f"CSL-JSON item is {type(item).__name__}, not an object with an 'id'", line)
        if not item.get("id"):
            raise InputError(path, "CSL-JSON item has no 'id' (the citation key)", line)
        out.append(_csl_entry(path, item, line))
        pos = end
    return out


def _csl_family(person) -> str | None:
    if not isinstance(person, dict):
        return None
    if person.get("literal"):
        return str(person["literal"])
    family = str(person.get("family") or "").strip()
    particle = str(person.get("non-dropping-particle") or "").strip()
    return " ".join(p for p in (particle, family) if p) or None


def _csl_year(issued) -> str | None:
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return _year(parts[0][0])
        return _year(issued.get("raw") or issued.get("literal"))
    return _year(issued)


def _csl_entry(path: Path, item: dict, line: int) -> BibEntry:
    people = item.get("author") or item.get("editor") or []
    note = str(item.get("note") or "")
    pmid = item.get("PMID") or (m.group(1) if (m := _PMID_NOTE.search(note)) else None)
    pmcid = item.get("PMCID") or (m.group(1) if (m := _PMCID_NOTE.search(note)) else None)
    return BibEntry(
        key=str(item["id"]),
        path=str(path),
        line=line,
        title=str(item.get("title") or ""),
        first_author=_csl_family(people[0]) if isinstance(people, list) and people else None,
        year=_csl_year(item.get("issued")),
        journal=str(item["container-title"]) if item.get("container-title") else None,
        doi=_doi(item.get("DOI")) or _doi(item.get("URL")),
        pmid=str(pmid).strip() if pmid else None,
        pmcid=str(pmcid).strip().upper() if pmcid else None,
        volume=str(item["volume"]).strip() if item.get("volume") else None,
        first_page=_first_page(item.get("page")),
    )
