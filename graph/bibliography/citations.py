"""Formatted citations of the graph's sources, through pybtex styles.

``vancouver`` and ``apa`` are this package's own pybtex plugins (see
:mod:`graph.bibliography.styles`); any other installed pybtex formatting style, such as
``plain``, works too.
"""

from __future__ import annotations

from functools import cache

__all__ = ["STYLES", "check_style", "format_citation", "format_entry", "short_label"]

#: The styles the CLI offers.
STYLES = ("vancouver", "apa", "plain")


@cache
def _style(name: str):
    from pybtex.plugin import PluginNotFound, find_plugin

    try:
        return find_plugin("pybtex.style.formatting", name)()
    except PluginNotFound:
        raise ValueError(f"unknown citation style {name!r}; choose from: {', '.join(STYLES)}") from None


@cache
def _backend(name: str):
    # pybtex's render_as() looks the backend plugin up through entry points on
    # every call (tens of ms); look it up once.
    from pybtex.plugin import find_plugin

    return find_plugin("pybtex.backends", name)()


def check_style(style: str) -> None:
    """Raise ``ValueError`` unless ``style`` names a pybtex formatting style."""
    _style(style)


def format_entry(entry, style: str = "vancouver", backend: str = "text") -> str:
    """One pybtex ``Entry`` as a reference in ``style``, rendered with a pybtex
    backend (``text``, ``html``, ``markdown`` or ``latex``)."""
    from graph.bibliography.styles import decoded_entry

    formatted = _style(style).format_entry("1", decoded_entry(entry))
    return formatted.text.render(_backend(backend)).strip()


def format_citation(eg, key: str, style: str = "vancouver", backend: str = "text") -> str:
    """The source ``key`` of graph ``eg`` as a reference in ``style`` (plain
    text by default). Unknown keys raise :class:`graph.model.errors.NotFoundError`."""
    return format_entry(eg.bib_entry(key), style, backend)


def short_label(entry, key: str = "") -> str:
    """``Noehren 2007``: the first author's family name and the year, with a
    key's trailing letter kept (``smith2010b`` -> ``Smith 2010b``)."""
    import re

    from graph.bibliography.styles import decoded_entry, names

    e = decoded_entry(entry)
    people = names(e, "author") or names(e, "editor")
    who = people[0].family if people else (e.fields.get("title", key) or key)
    year = e.fields.get("year", "")
    m = re.search(r"\d{4}([a-z])$", key)
    if m and year:
        year += m.group(1)
    return f"{who} {year}".strip()
