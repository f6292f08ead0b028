"""APA 7th edition references.

``Fairclough, J., Hayashi, K., Toumi, H., Lyons, K., Bydder, G., Phillips,
N., Best, T. M., & Benjamin, M. (2006). Title. Journal, 208(3), 309–316.
https://doi.org/10.1111/j.1469-7580.2006.00531.x``

* Authors: ``Family, I. I.``; hyphenated given names keep the hyphen
  (``J.-P.``). Up to 20 authors are all listed, the last after ", &"; with
  21 or more, the first 19, an ellipsis, then the last author.
* Journal name and volume are italic (``<em>`` in HTML, ``*...*`` in
  Markdown); titles are kept as written in the BibTeX.
* The DOI, when there is one, ends the reference as a https://doi.org/ link;
  else the URL.
"""

from __future__ import annotations

from pybtex.richtext import Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle

from graph.bibliography.styles import Name, decoded_entry, edition, initials, names, page_range, with_stop

__all__ = ["APAStyle", "apa_name", "apa_names"]

MAX_LISTED = 20


def apa_name(name: Name) -> str:
    """``Best, T. M.``; ``van der Worp, M. P.``; ``Smith, A. B., Jr.``"""
    letters = _given_first(name)
    if not name.family:
        return name.given
    out = f"{name.family}, {letters}" if letters else name.family
    if name.suffix:
        out += f", {with_stop(name.suffix)}"
    return out


def _given_first(name: Name) -> str:
    return " ".join(".-".join(i.split("-")) + "." for i in initials(name.given))


def apa_names(people: list[Name]) -> str:
    listed = [apa_name(p) for p in people]
    if len(listed) > MAX_LISTED:
        return ", ".join(listed[: MAX_LISTED - 1]) + ", . . . " + listed[-1]
    if len(listed) == 1:
        return listed[0]
    if len(listed) == 2:
        return f"{listed[0]}, & {listed[1]}"
    return ", ".join(listed[:-1]) + ", & " + listed[-1]


class APAStyle(BaseStyle):
    """pybtex formatting style ``apa``."""

    def format_entry(self, label, entry, bib_data=None):
        return FormattedEntry(entry.key, format_apa(decoded_entry(entry)), label)


def format_apa(e) -> Text:
    """One decoded entry as an APA 7 reference (rich text)."""
    f = {k.lower(): v for k, v in e.fields.items()}
    kind = e.type.lower()
    authors = names(e, "author")
    year = f"({f['year']})." if f.get("year") else "(n.d.)."
    title = f.get("title", "")
    parts: list = []
    if kind == "book" and title:
        ed = edition(f.get("edition"))
        title_part = Text(Tag("em", title), f" ({ed})." if ed else "" if title[-1] in ".?!" else ".")
    else:
        title_part = Text(with_stop(title))
    if authors:
        parts += [with_stop(apa_names(authors)), " ", year]
        if title:
            parts += [" ", title_part]
    elif title:  # no author: the title takes the author's place
        parts += [title_part, " ", year]
    if kind == "article":
        journal, volume = f.get("journal"), f.get("volume")
        if journal:
            parts += [" ", Tag("em", journal)]
            if volume:
                parts += [", ", Tag("em", volume)]
            if f.get("number"):
                parts.append(f"({f['number']})")
            pages = page_range(f.get("pages"))
            if pages:
                parts.append(f", {pages}")
            parts.append(".")
    elif kind in ("incollection", "inbook", "inproceedings", "conference"):
        editors = names(e, "editor")
        lead = " In "
        if editors:
            eds = [" ".join(x for x in (_given_first(n), n.family) if x) for n in editors]
            joined = eds[0] if len(eds) == 1 else ", ".join(eds[:-1]) + (", & " if len(eds) > 2 else " & ") + eds[-1]
            lead += joined + (" (Eds.), " if len(eds) > 1 else " (Ed.), ")
        parts.append(lead)
        if f.get("booktitle"):
            parts.append(Tag("em", f["booktitle"]))
        pages = page_range(f.get("pages"))
        parts.append(f" (pp. {pages})." if pages else ".")
        if f.get("publisher"):
            parts.append(f" {with_stop(f['publisher'])}")
    else:
        publisher = f.get("publisher") or f.get("institution") or f.get("school")
        if publisher:
            parts.append(f" {with_stop(publisher)}")
    if f.get("doi"):
        parts.append(f" https://doi.org/{f['doi']}")
    elif f.get("url"):
        parts.append(f" {f['url']}")
    return Text(*parts)
