"""Vancouver (ICMJE / NLM) references, as in the corpus articles' own lists.

``Fairclough J, Hayashi K, Toumi H, et al. Title. Journal. 2006;208(3):309–316.``

* Authors: family name, then up to two initials without stops or spaces
  (``Best TM``; ``Backx FJ`` for Frank J. G. Backx, as MEDLINE-derived lists
  print him). Up to six authors are all listed; more than six give the first
  three and "et al.".
* Article: authors. Title. Journal. Year;Volume(Issue):Pages. Page ranges
  use an en dash; a title ending in "?" or "!" takes no extra full stop.
* Book: authors. Title. Edition ed. Place: Publisher; Year.
* Chapter: authors. Title. In: Editors, editors. Book. Place: Publisher;
  Year. p. Pages.
* Anything else: authors. Title. Publisher or institution; Year. Available
  from: URL.
"""

from __future__ import annotations

from pybtex.richtext import Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle

from graph.bibliography.styles import Name, decoded_entry, edition, initials, names, page_range, with_stop

__all__ = ["VancouverStyle", "vancouver_name", "vancouver_names"]

MAX_LISTED = 6
LISTED_WHEN_TRUNCATED = 3
MAX_INITIALS = 2


def vancouver_name(name: Name) -> str:
    """``Fairclough J``; ``van der Worp MP``; ``Smith AB Jr``."""
    letters = "".join(i.replace("-", "") for i in initials(name.given)[:MAX_INITIALS])
    parts = [name.family or name.given, letters if name.family else ""]
    if name.suffix:
        parts.append(name.suffix.rstrip("."))
    return " ".join(p for p in parts if p)


def vancouver_names(people: list[Name]) -> str:
    if len(people) > MAX_LISTED:
        return ", ".join(vancouver_name(p) for p in people[:LISTED_WHEN_TRUNCATED]) + ", et al"
    return ", ".join(vancouver_name(p) for p in people)


class VancouverStyle(BaseStyle):
    """pybtex formatting style ``vancouver``."""

    def format_entry(self, label, entry, bib_data=None):
        e = decoded_entry(entry)
        return FormattedEntry(entry.key, Text(format_vancouver(e)), label)


def _date_part(f: dict) -> str:
    out = f.get("year", "")
    if f.get("volume"):
        out += f";{f['volume']}"
    if f.get("number"):
        out += f"({f['number']})"
    pages = page_range(f.get("pages"))
    if pages:
        out += f":{pages}"
    return out


def format_vancouver(e) -> str:
    """One decoded entry as a Vancouver reference (plain text)."""
    f = {k.lower(): v for k, v in e.fields.items()}
    kind = e.type.lower()
    authors = names(e, "author")
    pieces: list[str] = []
    if authors:
        pieces.append(with_stop(vancouver_names(authors)))
    if f.get("title"):
        pieces.append(with_stop(f["title"]))
    place_publisher = ": ".join(x for x in (f.get("address"), f.get("publisher")) if x)
    if kind == "article":
        if f.get("journal"):
            pieces.append(with_stop(f["journal"]))
        date = _date_part(f)
        if date:
            pieces.append(with_stop(date))
    elif kind in ("book", "inbook", "incollection", "inproceedings", "conference"):
        if kind != "book":
            editors = names(e, "editor")
            container = f.get("booktitle") or ""
            lead = "In: "
            if editors:
                lead += vancouver_names(editors) + (", editors. " if len(editors) > 1 else ", editor. ")
            pieces.append(with_stop(lead + container))
        if f.get("edition"):
            pieces.append(edition(f["edition"]))
        tail = "; ".join(x for x in (place_publisher, f.get("year")) if x)
        if tail:
            pieces.append(with_stop(tail))
        pages = page_range(f.get("pages"))
        if pages and kind != "book":
            pieces.append(f"p. {pages}.")
    else:
        where = place_publisher or f.get("institution") or f.get("school") or f.get("howpublished") or ""
        tail = "; ".join(x for x in (where, f.get("year")) if x)
        if tail:
            pieces.append(with_stop(tail))
    if f.get("url") and kind not in ("article", "book"):
        pieces.append(f"Available from: {f['url']}")
    return " ".join(pieces)
