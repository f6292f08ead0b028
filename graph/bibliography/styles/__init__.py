"""Citation styles, as pybtex formatting-style plugins.

``vancouver`` and ``apa`` are registered under the ``pybtex.style.formatting``
entry point group in ``pyproject.toml``, so any pybtex user can pick them by
name once the package is installed. Both read entries through
:func:`decoded_entry`, so LaTeX markup (``{\\"u}``, ``\\&``, ``--``) is
already plain Unicode when they format it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pybtex.database import Entry, Person

from graph.bibliography.bibtex import RAW_FIELDS, latex_to_text

__all__ = ["Name", "decoded_entry", "edition", "initials", "names", "page_range", "with_stop"]

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


def initials(given: str) -> list[str]:
    """The initials of given names, one item per name; a hyphenated name
    gives one item with a hyphen: ``"Jean-Pierre M."`` -> ``["J-P", "M"]``."""
    out = []
    for part in _INITIAL_SPLIT.split(given):
        pieces = [p for p in part.split("-") if p]
        if pieces:
            out.append("-".join(p[0].upper() for p in pieces))
    return out


def page_range(pages: str | None) -> str | None:
    """``309--316`` or ``309-316`` as ``309–316`` (en dash)."""
    if not pages:
        return None
    return re.sub(r"\s*(?:-{1,3}|–|—)\s*", "–", pages.strip())


def with_stop(text: str, stop: str = ".") -> str:
    """``text`` ending in ``stop`` unless it already ends in punctuation."""
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + stop


def edition(value: str | None) -> str | None:
    """``2`` -> ``2nd ed.``; ``Second`` -> ``Second ed.``; None stays None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        n = int(value)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        value = f"{n}{suffix}"
    return value if value.lower().endswith("ed.") else f"{value} ed."
