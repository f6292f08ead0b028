"""pybtex formatting-style plugins that format through CSL.

``vancouver`` and ``apa`` are registered under the ``pybtex.style.formatting``
entry point group in ``pyproject.toml``, so a pybtex user can still pick them
by name. They are thin adapters: each entry is turned into CSL-JSON and
rendered by citeproc-py with the official CSL style of the same name (see
:mod:`graph.bibliography.csl`), italics kept as pybtex ``em`` tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pybtex.database import Entry, Person
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle

from graph.bibliography.latex import RAW_FIELDS, latex_to_text

__all__ = ["CslStyle", "Name", "decoded_entry", "names"]

_INITIAL_SPLIT = re.compile(r"[\s.]+")


def decoded_entry(entry: Entry) -> Entry:
    """A copy of ``entry`` with every field and name part decoded from LaTeX
    to Unicode (identifier fields such as ``doi`` are left as they are).
    An entry this function made is returned as it is."""
    if getattr(entry, "_evg_decoded", False):
        return entry
    fields = {k: v if k.lower() in RAW_FIELDS else latex_to_text(v) for k, v in entry.fields.items()}
    persons = {
        role: [
            Person(
                first=latex_to_text(" ".join(p.first_names)),
                middle=latex_to_text(" ".join(p.middle_names)),
                prelast=latex_to_text(" ".join(p.prelast_names)),
                last=latex_to_text(" ".join(p.last_names)),
                lineage=latex_to_text(" ".join(p.lineage_names)),
            )
            for p in people
        ]
        for role, people in entry.persons.items()
    }
    out = Entry(entry.type, fields=fields, persons=persons)
    out.key = entry.key
    out._evg_decoded = True
    return out


@dataclass(frozen=True)
class Name:
    """A person's name, decoded: family name with its particles ("van der
    Worp"), given names as written, and a suffix ("Jr.")."""

    family: str
    given: str
    suffix: str

    @classmethod
    def from_person(cls, person: Person) -> Name:
        join = " ".join
        family = join(person.prelast_names + person.last_names).strip()
        given = join(person.first_names + person.middle_names).strip()
        return cls(latex_to_text(family), latex_to_text(given), latex_to_text(join(person.lineage_names)).strip())


def names(entry: Entry, role: str = "author") -> list[Name]:
    return [Name.from_person(p) for p in entry.persons.get(role, [])]


class CslStyle(BaseStyle):
    """A pybtex style that renders each entry with the CSL style :attr:`csl`."""

    csl = "vancouver"

    def format_entry(self, label, entry, bib_data=None):
        from graph.bibliography.csl import entry_to_csl, format_csl

        item = entry_to_csl(entry.key or label, entry)
        html = format_csl([item], self.csl, "html")[item["id"]]
        return FormattedEntry(entry.key, _rich(html), label)


_TAGS = re.compile(r"(</?i>)")
_OTHER_TAGS = re.compile(r"<[^>]+>")


def _rich(html: str):
    """citeproc-py's HTML as pybtex rich text: ``<i>`` becomes ``em``, other
    markup is dropped and entities decoded."""
    import html as html_lib

    from pybtex.richtext import Tag, Text

    parts, italic = [], False
    for piece in _TAGS.split(html):
        if piece in ("<i>", "</i>"):
            italic = piece == "<i>"
            continue
        text = html_lib.unescape(_OTHER_TAGS.sub("", piece))
        if text:
            parts.append(Tag("em", text) if italic else text)
    return Text(*parts)
