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


#: Plugins imported by name rather than looked up: pybtex's find_plugin() reads
#: every installed distribution's entry points on each call (30-50 ms each in a
#: large environment, five or six calls to format one citation), which was most
#: of `evg sources` on the bundled corpus. Other names still go through pybtex.
_KNOWN_STYLES = {
    "vancouver": "graph.bibliography.styles.vancouver:VancouverStyle",
    "apa": "graph.bibliography.styles.apa:APAStyle",
    "plain": "pybtex.style.formatting.plain:Style",
}
_KNOWN_BACKENDS = {
    "text": "pybtex.backends.plaintext:Backend",
    "plaintext": "pybtex.backends.plaintext:Backend",
    "html": "pybtex.backends.html:Backend",
    "markdown": "pybtex.backends.markdown:Backend",
    "md": "pybtex.backends.markdown:Backend",
    "latex": "pybtex.backends.latex:Backend",
}
#: the name, label and sorting plugins a style names (pybtex's defaults when it names none)
_KNOWN_PARTS = {
    "pybtex.style.names": {
        "plain": "pybtex.style.names.plain:NameStyle",
        "lastfirst": "pybtex.style.names.lastfirst:NameStyle",
    },
    "pybtex.style.labels": {"number": "pybtex.style.labels.number:LabelStyle"},
    "pybtex.style.sorting": {
        "none": "pybtex.style.sorting.none:SortingStyle",
        "author_year_title": "pybtex.style.sorting.author_year_title:SortingStyle",
    },
}
_PART_DEFAULTS = {"pybtex.style.names": "plain", "pybtex.style.labels": "number", "pybtex.style.sorting": "none"}


def _import(target: str):
    import importlib

    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


def _part(group: str, name: str | None):
    target = _KNOWN_PARTS[group].get(name or _PART_DEFAULTS[group])
    if target is not None:
        return _import(target)
    from pybtex.plugin import find_plugin

    return find_plugin(group, name)


@cache
def _style(name: str):
    from pybtex.plugin import PluginNotFound, find_plugin

    if name in _KNOWN_STYLES:
        klass = _import(_KNOWN_STYLES[name])
        return klass(
            name_style=_part("pybtex.style.names", klass.default_name_style),
            label_style=_part("pybtex.style.labels", klass.default_label_style),
            sorting_style=_part("pybtex.style.sorting", klass.default_sorting_style),
        )
    try:
        return find_plugin("pybtex.style.formatting", name)()
    except PluginNotFound:
        raise ValueError(f"unknown citation style {name!r}; choose from: {', '.join(STYLES)}") from None


@cache
def _backend(name: str):
    # pybtex's render_as() looks the backend plugin up through entry points on
    # every call (tens of ms); look it up once, by import where the name is known.
    if name in _KNOWN_BACKENDS:
        return _import(_KNOWN_BACKENDS[name])()
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
