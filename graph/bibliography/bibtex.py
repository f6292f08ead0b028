"""BibTeX in and out: parse ``sources.bib``, turn entries into RDF, and back.

The mapping keeps every field. Well-known fields go to BIBO, FaBiO and
Dublin Core terms as docs/model.md describes; any other field ``foo`` becomes
``bibfield:foo`` so that bib -> RDF -> bib loses nothing. Text is stored in
the graph as Unicode (``{\\"o}`` becomes ``ö``), which is what SPARQL users
want to match against; writing back escapes only what LaTeX needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError
from pybtex.scanner import PybtexSyntaxError
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from graph.bibliography.bibcheck import scan
from graph.bibliography.latex import RAW_FIELDS, latex_to_text, text_to_latex
from graph.model.errors import InputError, Problem
from graph.model.namespaces import BIBFIELD, BIBO, DCTERMS, EV, FABIO, FOAF, SOURCE, XSD, local_name
from graph.model.paths import read_text

__all__ = [
    "Bibliography",
    "entry_to_rdf",
    "latex_to_text",
    "parse_bib",
    "rdf_to_bibliography",
    "rdf_to_entry",
    "write_bib",
]

#: BibTeX entry type -> FaBiO class. Unknown types become fabio:Expression.
ENTRY_CLASSES: dict[str, URIRef] = {
    "article": FABIO.JournalArticle,
    "book": FABIO.Book,
    "inbook": FABIO.BookChapter,
    "incollection": FABIO.BookChapter,
    "inproceedings": FABIO.ConferencePaper,
    "conference": FABIO.ConferencePaper,
    "proceedings": FABIO.ConferenceProceedings,
    "phdthesis": FABIO.DoctoralThesis,
    "mastersthesis": FABIO.MastersThesis,
    "thesis": FABIO.Thesis,
    "techreport": FABIO.ReportDocument,
    "report": FABIO.ReportDocument,
    "manual": FABIO.Manual,
    "online": FABIO.WebPage,
    "electronic": FABIO.WebPage,
    "www": FABIO.WebPage,
}

#: Plain fields with a standard property. Values are LaTeX-decoded unless raw.
SIMPLE_FIELDS: dict[str, URIRef] = {
    "title": DCTERMS.title,
    "volume": BIBO.volume,
    "number": BIBO.issue,
    "doi": BIBO.doi,
    "pmid": BIBO.pmid,
    "isbn": BIBO.isbn,
    "issn": BIBO.issn,
    "edition": BIBO.edition,
    "chapter": BIBO.chapter,
    "abstract": DCTERMS.abstract,
    "publisher": DCTERMS.publisher,
    "language": DCTERMS.language,
    "url": FABIO.hasURL,
}
_PREDICATE_FIELDS = {v: k for k, v in SIMPLE_FIELDS.items()}


PERSON_LISTS = {"author": BIBO.authorList, "editor": BIBO.editorList}

_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]*)\s*,?", re.MULTILINE)
_NON_ENTRIES = {"string", "comment", "preamble"}
_PAGES = re.compile(r"^\s*([^\s\-–—]+)\s*(?:-{1,3}|–|—)\s*([^\s\-–—]+)\s*$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass
class Bibliography:
    """A parsed ``.bib`` file: its entries, where each starts, and any
    non-fatal problems (duplicate keys or fields, undefined @string macros)."""

    path: Path
    data: BibliographyData
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def entries(self):
        return self.data.entries

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key.lower())


class _CollectingParser(Parser):
    """pybtex's parser, but collecting errors instead of raising the first."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.errors: list[PybtexError] = []

    def handle_error(self, error):
        self.errors.append(error)

    def process_entry(self, entry_type, key, fields):
        # Keep the first of two entries with one key; parse_bib reports the
        # second with its line. (pybtex would raise without a line number.)
        if key is not None and key in self.data.entries:
            return
        super().process_entry(entry_type, key, fields)


def _entry_lines(text: str) -> list[tuple[str, str, int]]:
    """(type, key, line) of each entry in file order, @string etc. excluded."""
    out = []
    for m in _ENTRY_START.finditer(text):
        kind = m.group(1).lower()
        if kind in _NON_ENTRIES:
            continue
        # An "@" inside a field value (an e-mail address, say) is not an entry.
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start : m.start()].strip():
            continue
        out.append((kind, m.group(2), text.count("\n", 0, m.start()) + 1))
    return out


def parse_bib(path: str | Path, text: str | None = None) -> Bibliography:
    """Parse a BibTeX file.

    Raises :class:`InputError` (with the line) for unreadable files and syntax
    errors. Duplicate keys keep the first entry and are listed in
    ``problems``, as are duplicate fields and undefined macros.
    """
    path = Path(path)
    if text is None:
        text = read_text(path)
    starts = _entry_lines(text)
    parser = _CollectingParser(encoding="utf-8")
    parser.filename = str(path)
    problems: list[Problem] = []
    lines: dict[str, int] = {}
    for kind, key, line in starts:
        low = key.lower()
        if not key:
            problems.append(Problem(str(path), line, f"@{kind} entry has no citation key"))
        elif low in lines:
            problems.append(
                Problem(str(path), line, f"duplicate citation key {key!r} (first defined at line {lines[low]})")
            )
        else:
            lines[low] = line
    faults = scan(text)
    for fault in faults:
        if fault.fatal:
            raise InputError(path, f"BibTeX syntax error: {fault.message}", fault.line)
        problems.append(Problem(str(path), fault.line, fault.message))
    try:
        data = parser.parse_string(text)
    except PybtexError as exc:  # pragma: no cover - pybtex reports through handle_error
        raise InputError(path, f"BibTeX error: {exc}", getattr(exc, "lineno", None)) from None
    for err in parser.errors:
        if isinstance(err, PybtexSyntaxError):
            message = re.sub(r"^syntax error in line \d+: ", "", str(err))
            raise InputError(path, f"BibTeX syntax error: {message}", err.lineno) from None
        if "repeated bibliography entry" in str(err) or (faults and "has a duplicate" in str(err)):
            continue  # already reported with its line above
        key_line = None
        m = re.search(r"entry (\S+):", str(err)) or re.search(r"'([^']+)'", str(err))
        if m:
            key_line = lines.get(m.group(1).lower())
        problems.append(Problem(str(path), key_line, f"BibTeX: {err}"))
    if not data.entries:
        raise InputError(path, "no BibTeX entries found")
    return Bibliography(path=path, data=data, lines=lines, problems=problems)


# --- values ------------------------------------------------------------------


def _decode_field(name: str, value: str) -> str:
    return value if name in RAW_FIELDS else latex_to_text(value)


def _person_node(g: Graph, person: Person) -> BNode:
    node = BNode()
    g.add((node, RDF.type, FOAF.Person))
    family = latex_to_text(" ".join(person.prelast_names + person.last_names))
    given = latex_to_text(" ".join(person.first_names + person.middle_names))
    if family:
        g.add((node, FOAF.familyName, Literal(family)))
    if given:
        g.add((node, FOAF.givenName, Literal(given)))
    if person.lineage_names:
        g.add((node, EV.nameSuffix, Literal(latex_to_text(" ".join(person.lineage_names)))))
    g.add((node, FOAF.name, Literal(" ".join(x for x in (given, family) if x))))
    return node


def entry_to_rdf(g: Graph, key: str, entry: Entry) -> URIRef:
    """Add one BibTeX entry to ``g`` as ``source/<key>``; return its IRI."""
    node = SOURCE[key]
    kind = entry.type.lower()
    g.add((node, RDF.type, ENTRY_CLASSES.get(kind, FABIO.Expression)))
    g.add((node, EV.entryType, Literal(kind)))
    g.add((node, DCTERMS.identifier, Literal(key)))

    for role, predicate in PERSON_LISTS.items():
        persons = entry.persons.get(role)
        if not persons:
            continue
        people = [_person_node(g, p) for p in persons]
        head = BNode()
        Collection(g, head, people)
        g.add((node, predicate, head))
        if role == "author":
            for p in people:
                g.add((node, DCTERMS.creator, p))
    for role, persons in entry.persons.items():
        if role not in PERSON_LISTS:  # e.g. "translator": keep as a name string
            names = " and ".join(str(p) for p in persons)
            g.add((node, BIBFIELD[role.lower()], Literal(latex_to_text(names))))

    for name, raw in entry.fields.items():
        name = name.lower()
        value = _decode_field(name, raw)
        if name in SIMPLE_FIELDS:
            dtype = XSD.anyURI if name == "url" else None
            g.add((node, SIMPLE_FIELDS[name], Literal(value, datatype=dtype)))
            if name == "title" and "{" in raw:
                g.add((node, EV.titleLaTeX, Literal(raw)))
        elif name in ("journal", "booktitle"):
            container = BNode()
            g.add((container, RDF.type, FABIO.Journal if name == "journal" else FABIO.Book))
            g.add((container, DCTERMS.title, Literal(value)))
            g.add((node, DCTERMS.isPartOf, container))
        elif name == "crossref":
            g.add((node, DCTERMS.isPartOf, SOURCE[value]))
        elif name == "pages":
            m = _PAGES.match(value)
            if m:
                g.add((node, BIBO.pageStart, Literal(m.group(1))))
                g.add((node, BIBO.pageEnd, Literal(m.group(2))))
            else:
                g.add((node, BIBO.pages, Literal(value)))
        elif name == "year":
            dtype = XSD.gYear if _YEAR.match(value) else None
            g.add((node, DCTERMS.issued, Literal(value, datatype=dtype)))
        else:
            g.add((node, BIBFIELD[name], Literal(value)))
    return node


# --- RDF back to BibTeX --------------------------------------------------------

# rdflib's namespace attribute lookups are slow enough to matter when a big
# bibliography is rebuilt: read each term once.
_FAMILY = FOAF.familyName
_GIVEN = FOAF.givenName
_SUFFIX = EV.nameSuffix
_NIL = RDF.nil
_FIRST = RDF.first
_REST = RDF.rest
_IDENTIFIER = DCTERMS.identifier
_ENTRY_TYPE = EV.entryType
_PAGE_START = BIBO.pageStart
_PAGE_END = BIBO.pageEnd
_ISSUED = DCTERMS.issued
_PAGES_P = BIBO.pages
_PART_OF = DCTERMS.isPartOf
_TYPE = RDF.type
_JOURNAL = FABIO.Journal
_TITLE = DCTERMS.title
_TITLE_LATEX = EV.titleLaTeX


def _person_from_rdf(g: Graph, node) -> Person:
    family = str(g.value(node, _FAMILY) or "")
    given = str(g.value(node, _GIVEN) or "")
    suffix = g.value(node, _SUFFIX)
    parts = [text_to_latex(family)]
    if suffix is not None:
        parts.append(text_to_latex(str(suffix)))
    if given:
        parts.append(text_to_latex(given))
    person = Person(", ".join(parts))
    # A family name such as "Nijhuis-van der Sanden" must survive re-parsing.
    if latex_to_text(" ".join(person.prelast_names + person.last_names)) != family:
        parts[0] = "{" + parts[0] + "}"
        person = Person(", ".join(parts))
    return person


def _list_items(g, head) -> list:
    # The members of an RDF list, walked with value() alone so that any object
    # with rdflib's value() and predicate_objects() (such as a bulk
    # description, see graph.store.Description) can stand in for the graph.
    items, seen = [], set()
    while head is not None and head != _NIL and head not in seen:
        seen.add(head)
        first = g.value(head, _FIRST)
        if first is not None:
            items.append(first)
        head = g.value(head, _REST)
    return items


def rdf_to_entry(g: Graph, source: URIRef) -> tuple[str, Entry]:
    """Rebuild ``(key, Entry)`` from the RDF of one source. ``g`` is an rdflib
    graph, or anything with its ``value``, ``predicate_objects`` and
    ``in`` for triples."""
    key = str(g.value(source, _IDENTIFIER) or local_name(source, SOURCE))
    kind = str(g.value(source, _ENTRY_TYPE) or "misc")
    fields: dict[str, str] = {}
    persons: dict[str, list[Person]] = {}
    for role, predicate in PERSON_LISTS.items():
        head = g.value(source, predicate)
        if head is not None:
            persons[role] = [_person_from_rdf(g, p) for p in _list_items(g, head)]
    pages = (g.value(source, _PAGE_START), g.value(source, _PAGE_END))
    if pages[0] is not None:
        fields["pages"] = f"{pages[0]}--{pages[1]}" if pages[1] is not None else str(pages[0])
    for p, o in g.predicate_objects(source):
        if p in _PREDICATE_FIELDS:
            name = _PREDICATE_FIELDS[p]
            fields[name] = str(o) if name in RAW_FIELDS else text_to_latex(str(o))
        elif p == _TITLE_LATEX:
            continue
        elif p == _ISSUED:
            fields["year"] = str(o)
        elif p == _PAGES_P:
            fields["pages"] = text_to_latex(str(o))
        elif p == _PART_OF:
            if isinstance(o, URIRef) and local_name(o, SOURCE) is not None:
                fields["crossref"] = local_name(o, SOURCE)
            else:
                name = "journal" if (o, _TYPE, _JOURNAL) in g else "booktitle"
                fields[name] = text_to_latex(str(g.value(o, _TITLE) or ""))
        else:
            name = local_name(p, BIBFIELD)
            if name is None:
                continue
            if name in RAW_FIELDS:
                fields[name] = str(o)
            elif name in ("translator", "commentator", "annotator"):
                persons[name] = [Person(n) for n in str(o).split(" and ")]
            else:
                fields[name] = text_to_latex(str(o))
    latex = g.value(source, _TITLE_LATEX)
    if latex is not None:  # the title as written, braces (case protection) kept
        fields["title"] = str(latex)
    return key, Entry(kind, fields=_ordered(fields), persons=persons)


_FIELD_ORDER = [
    "title", "journal", "booktitle", "crossref", "year", "volume", "number", "pages",
    "publisher", "address", "edition", "chapter", "doi", "pmid", "pmcid", "isbn", "issn", "url",
]  # fmt: skip


def _ordered(fields: dict[str, str]) -> dict[str, str]:
    rank = {name: i for i, name in enumerate(_FIELD_ORDER)}
    return dict(sorted(fields.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))


def rdf_to_bibliography(g: Graph) -> BibliographyData:
    """Every source in ``g`` as pybtex data, parents after the entries that
    crossref them (the order BibTeX needs), otherwise in key order."""
    sources = sorted(set(g.subjects(EV.entryType, None)), key=str)
    entries = dict(rdf_to_entry(g, s) for s in sources)
    parents = {e.fields["crossref"] for e in entries.values() if "crossref" in e.fields}
    order = [k for k in entries if k not in parents] + [k for k in entries if k in parents]
    return BibliographyData(entries={k: entries[k] for k in order})


def write_bib(data: BibliographyData) -> str:
    """Serialise pybtex data as BibTeX text, one field a line, values in braces.

    Values are written as they are held: text fields already carry their
    LaTeX escapes (see :func:`rdf_to_entry`), identifiers such as URLs and
    DOIs are verbatim. (pybtex's own writer would escape URLs too.)
    """
    chunks = []
    for key, entry in data.entries.items():
        lines = [f"@{entry.type}{{{key},"]
        for role, people in entry.persons.items():
            lines.append(f"  {role} = {{{' and '.join(str(p) for p in people)}}},")
        for name, value in entry.fields.items():
            lines.append(f"  {name} = {{{value}}},")
        lines.append("}")
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"
