"""BibTeX straight to N-Triples, fast, for the Oxigraph loader.

pybtex builds Python objects for every field and person and takes about
8 s for 50,000 entries. Most bibliographies use a small part of BibTeX:
``@type{key, name = {value}, ...}`` with braced, quoted or numeric values and
"Family, Given" author lists. This module reads that subset with a few
regular expressions and writes the triples of :func:`graph.bibliography.bibtex.entry_to_rdf`
as Turtle text. Anything outside it (``@string`` macros, ``#``
concatenation, duplicate keys or fields, syntax errors, unusual keys) makes
:func:`fast_entries` return None, and :func:`bib_to_turtle` then takes
the pybtex path, which also produces the exact error messages. The two paths
give isomorphic graphs; ``tests/test_bibliography_fastbib.py`` checks it on real and
synthetic bibliographies.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.bibliography.bibtex import ENTRY_CLASSES, PERSON_LISTS, RAW_FIELDS, SIMPLE_FIELDS, latex_to_text
from graph.model.namespaces import BIBFIELD, BIBO, DCTERMS, EV, FABIO, FOAF, RDF, SOURCE, XSD
from graph.model.paths import read_text

__all__ = ["bib_to_turtle", "fast_entries"]

_ENTRY = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*\{[ \t]*([A-Za-z0-9_.:+/-]+)[ \t]*,", re.MULTILINE)
_BRACES = re.compile(r"[{}]")
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"---|--")
#: Values made only of these characters (plus braces and "--") decode by
#: simple rules; anything else goes through the LaTeX codec.
_PLAIN = re.compile(r"[^\\~`'\"$%&#_^<>]*")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_PAGES = re.compile(r"^\s*([^\s\-–—]+)\s*(?:-{1,3}|–|—)\s*([^\s\-–—]+)\s*$")
_YEAR = re.compile(r"^\d{4}$")
_SPACED_GROUP = re.compile(r"\{[^{}]*\s[^{}]*\}")
_SPECIAL_ENTRIES = {"string", "preamble", "comment"}


class _UnsupportedError(Exception):
    """The text uses BibTeX the fast path does not handle."""


# A field value: braces nested up to four deep, a quoted string, or a number.
# Possessive quantifiers keep the regex engine from backtracking.
_VALUE = r'\{(?:[^{}]++|\{(?:[^{}]++|\{(?:[^{}]++|\{[^{}]*+\})*+\})*+\})*+\}|"[^"]*+"|\d++'
_FIELD = re.compile(r"\s*+([A-Za-z][A-Za-z0-9_.:+-]*+)\s*+=\s*+(" + _VALUE + r")\s*+(,?)\s*+")


def fast_entries(text: str) -> list[tuple[str, str, list[tuple[str, str]]]] | None:
    """(type, key, [(field, value)]) of each entry, or None when the text
    needs the full parser. Values are whitespace-normalised as pybtex does."""
    out = []
    keys: set[str] = set()
    pos = 0
    spaces = _SPACES.sub
    field = _FIELD.match
    for m in _ENTRY.finditer(text):
        start = m.start()
        if start < pos or "@" in text[pos:start]:
            return None  # "@" inside a value, or an entry the pattern does not cover
        kind, key = m.group(1).lower(), m.group(2)
        low = key.lower()
        if kind in _SPECIAL_ENTRIES or low in keys:
            return None
        keys.add(low)
        fields = []
        seen = set()
        pos = m.end()
        while True:
            f = field(text, pos)
            if f is None:
                break
            name, value = f.group(1), f.group(2)
            lname = name.lower()
            if lname in seen:
                return None  # pybtex reports duplicate fields
            seen.add(lname)
            if value[0] == "{":
                value = value[1:-1]
            elif value[0] == '"':
                value = value[1:-1]
                if value.count("{") != value.count("}"):
                    return None
            if "\n" in value or "  " in value or "\t" in value or "\r" in value:
                value = spaces(" ", value)
            fields.append((name, value.strip()))
            pos = f.end()
            if not f.group(3):
                break
        while text[pos : pos + 1] in (" ", "\t", "\r", "\n"):
            pos += 1
        if text[pos : pos + 1] != "}":
            return None  # "#" concatenation, a macro, or a syntax error
        pos += 1
        out.append((kind, key, fields))
    if "@" in text[pos:]:
        return None
    return out or None


# --- Turtle writing ----------------------------------------------------------------

_TTL_PREFIXES = f"""@prefix rdf: <{RDF}> .
@prefix s: <{SOURCE}> .
@prefix bf: <{BIBFIELD}> .
@prefix bibo: <{BIBO._NS}> .
@prefix dct: <{DCTERMS}> .
@prefix ev: <{EV._NS}> .
@prefix fabio: <{FABIO._NS}> .
@prefix foaf: <{FOAF}> .
@prefix xsd: <{XSD}> .
"""
_LOCAL = re.compile(r"[A-Za-z0-9_]+")


def _lit(value: str) -> str:
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{value}"'


def _curie(prefix: str, ns, iri) -> str:
    local = str(iri)[len(str(ns)) :]
    return f"{prefix}:{local}" if _LOCAL.fullmatch(local) else f"<{iri}>"


class _Writer:
    """Writes each entry as one Turtle block with the triples of ``entry_to_rdf``."""

    def __init__(self):
        self.chunks: list[str] = [_TTL_PREFIXES]
        self.bnodes = 0
        self.decoded: dict[str, str] = {}
        self.names: dict[str, tuple[str, str, str]] = {}
        self.props: dict[str, str] = {}
        self.simple = {k: _curie("bibo", BIBO._NS, v) if str(v).startswith(str(BIBO._NS)) else f"<{v}>"
                       for k, v in SIMPLE_FIELDS.items()}  # fmt: skip
        self.lists = {k: _curie("bibo", BIBO._NS, v) for k, v in PERSON_LISTS.items()}
        self.classes = {k: _curie("fabio", FABIO._NS, v) for k, v in ENTRY_CLASSES.items()}

    def decode(self, value: str) -> str:
        if "\\" not in value and "{" not in value and "--" not in value and "~" not in value:
            return value
        out = self.decoded.get(value)
        if out is None:
            if _PLAIN.fullmatch(value):
                out = _BRACES.sub("", _DASHES.sub(lambda m: "—" if len(m.group()) == 3 else "–", value))
            else:
                out = latex_to_text(value)
            self.decoded[value] = out
        return out

    def person(self, name: str) -> tuple[str, str, str]:
        """(family, given, suffix) as :func:`graph.bibliography.bibtex._person_node` decodes them."""
        parts = self.names.get(name)
        if parts is None:
            pieces = name.split(",")
            if len(pieces) == 2 and "{" not in name.replace("{\\", "") and "~" not in name:
                parts = (self.decode(pieces[0].strip()), self.decode(pieces[1].strip()), "")
            else:  # other forms: let pybtex split the name
                from pybtex.database import Person

                p = Person(name)
                parts = (
                    latex_to_text(" ".join(p.prelast_names + p.last_names)),
                    latex_to_text(" ".join(p.first_names + p.middle_names)),
                    latex_to_text(" ".join(p.lineage_names)) if p.lineage_names else "",
                )
            self.names[name] = parts
        return parts

    def person_props(self, name: str) -> str:
        family, given, suffix = self.person(name)
        props = ["a foaf:Person"]
        if family:
            props.append(f"foaf:familyName {_lit(family)}")
        if given:
            props.append(f"foaf:givenName {_lit(given)}")
        if suffix:
            props.append(f"ev:nameSuffix {_lit(suffix)}")
        props.append(f"foaf:name {_lit(' '.join(x for x in (given, family) if x))}")
        return " ; ".join(props)

    def entry(self, kind: str, key: str, fields: list[tuple[str, str]]) -> None:
        node = f"s:{key}" if _LOCAL.fullmatch(key) else f"<{SOURCE}{key}>"
        parts = [f"{node} a {self.classes.get(kind, 'fabio:Expression')} ; ev:entryType {_lit(kind)} ;"
                 f" dct:identifier {_lit(key)}"]  # fmt: skip
        extra: list[str] = []
        for name, value in fields:
            if name in self.lists:
                people = self.people(name, value, extra)
                if people:
                    parts.append(people)
                continue
            name = name.lower()
            if name in self.lists:
                raise _UnsupportedError  # "Author": pybtex keeps it as persons and as a field
            raw, value = value, value if name in RAW_FIELDS else self.decode(value)
            if name == "title" and "{" in raw:
                parts.append(f"ev:titleLaTeX {_lit(raw)}")
            if name in self.simple:
                parts.append(f"{self.simple[name]} {_lit(value)}^^xsd:anyURI" if name == "url"
                             else f"{self.simple[name]} {_lit(value)}")  # fmt: skip
            elif name == "journal":
                parts.append(f"dct:isPartOf [ a fabio:Journal ; dct:title {_lit(value)} ]")
            elif name == "booktitle":
                parts.append(f"dct:isPartOf [ a fabio:Book ; dct:title {_lit(value)} ]")
            elif name == "crossref":
                parts.append(f"dct:isPartOf <{SOURCE}{value}>")
            elif name == "pages":
                m = _PAGES.match(value)
                if m:
                    parts.append(f"bibo:pageStart {_lit(m.group(1))} ; bibo:pageEnd {_lit(m.group(2))}")
                else:
                    parts.append(f"bibo:pages {_lit(value)}")
            elif name == "year":
                parts.append(f"dct:issued {_lit(value)}^^xsd:gYear" if _YEAR.match(value)
                             else f"dct:issued {_lit(value)}")  # fmt: skip
            else:
                parts.append(f"<{BIBFIELD}{name}> {_lit(value)}")
        self.chunks.append(" ;\n  ".join(parts) + " .\n" + "".join(extra))

    def people(self, role: str, value: str, extra: list[str]) -> str | None:
        if "{" in value and _SPACED_GROUP.search(value):
            # A braced group with spaces may hide an " and ": pybtex's splitter knows.
            from pybtex.bibtex.utils import split_name_list

            names = split_name_list(value)
        else:
            names = [n for n in _AND.split(value) if n.strip()]
        if not names:
            return None
        ids = []
        for name in names:
            props = self.props.get(name)
            if props is None:
                props = self.props[name] = self.person_props(name.strip())
            self.bnodes += 1
            pid = f"_:p{self.bnodes}"
            ids.append(pid)
            extra.append(f"{pid} {props} .\n")
        out = f"{self.lists[role]} ( {' '.join(ids)} )"
        if role == "author":
            out += f" ; dct:creator {', '.join(ids)}"
        return out


def _fast(text: str) -> str | None:
    entries = fast_entries(text)
    if entries is None:
        return None
    writer = _Writer()
    try:
        for kind, key, fields in entries:
            writer.entry(kind, key, fields)
    except _UnsupportedError:
        return None
    return "".join(writer.chunks)


def bib_to_turtle(path: str | Path) -> str:
    """The triples of every entry in a ``.bib`` file, as Turtle text.

    Raises :class:`~graph.model.errors.InputError` for unusable files, syntax
    errors and the first non-fatal problem (such as a duplicate key), as
    :func:`graph.evidence.graph.load` does.
    """
    text = read_text(path)
    nt = _fast(text)
    if nt is not None:
        return nt
    return _slow(Path(path), text)


def _slow(path: Path, text: str) -> str:
    from rdflib import Graph

    from graph.bibliography.bibtex import entry_to_rdf, parse_bib
    from graph.model.errors import InputError

    bib = parse_bib(path, text)
    if bib.problems:
        first = bib.problems[0]
        raise InputError(first.path, first.message, first.line)
    g = Graph()
    for key, entry in bib.entries.items():
        entry_to_rdf(g, key, entry)
    return g.serialize(format="nt", encoding="utf-8").decode("utf-8")
