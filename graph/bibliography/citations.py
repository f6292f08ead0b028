"""Formatted citations of the graph's sources, through CSL styles.

A style is a CSL style name (``vancouver``, the default; ``apa``, ``ama``,
``chicago-author-date``, ``harvard``, ``nature`` are shipped, and any style of
an installed CSL collection works by name) or the path of a ``.csl`` file;
see :mod:`graph.bibliography.csl`. A name that is no CSL style but an
installed pybtex formatting style (``plain``, ``unsrt``, ``alpha``) is
formatted by pybtex.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

__all__ = ["STYLES", "check_style", "format_citation", "format_entry", "short_label", "style_key"]

#: The styles ``--help`` names; any CSL style name or .csl path works too.
STYLES = ("vancouver", "apa", "ama", "chicago-author-date", "harvard", "nature", "plain")

#: pybtex's own styles, used when a name is not a CSL style.
_PYBTEX_ONLY = ("plain", "unsrt", "alpha", "unsrtalpha")


def _is_csl(style: str) -> bool:
    from graph.bibliography.csl import resolve_style

    try:
        resolve_style(style)
    except ValueError:
        return False
    return True


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
def _pybtex_style(name: str):
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
        return None


@cache
def _backend(name: str):
    # pybtex's render_as() looks the backend plugin up through entry points on
    # every call (tens of ms); look it up once, by import where the name is known.
    if name in _KNOWN_BACKENDS:
        return _import(_KNOWN_BACKENDS[name])()
    from pybtex.plugin import find_plugin

    return find_plugin("pybtex.backends", name)()


def check_style(style: str) -> None:
    """Raise ``ValueError`` unless ``style`` is a CSL style (name or .csl
    file) or a pybtex formatting style."""
    if style in _PYBTEX_ONLY or _is_csl(style):
        return
    from graph.bibliography.csl import resolve_style

    if _pybtex_style(style) is None:
        resolve_style(style)  # raises with the CSL message


def style_key(style: str) -> str:
    """A name for what ``style`` formats with, for keeping formatted text on
    disk: a CSL style's file name and a digest of its content, so that an
    edited (or updated) style file is never answered from text formatted
    with its old version (a dependent style: and its parent's), nor from
    text formatted before the corrections of :mod:`~graph.bibliography.csl`
    changed (its ``FORMAT_VERSION``); a pybtex
    style's name. Raises ``ValueError`` like
    :func:`check_style`."""
    import hashlib

    check_style(style)
    if style in _PYBTEX_ONLY or not _is_csl(style):
        return style
    from graph.bibliography.csl import FORMAT_VERSION, independent_style, resolve_style

    path = resolve_style(style)
    parent, _locale = independent_style(str(path))
    content = path.read_bytes() + (Path(parent).read_bytes() if parent != str(path) else b"")
    content += f"format {FORMAT_VERSION}".encode()
    digest = hashlib.blake2b(content, digest_size=8).hexdigest()
    return f"{re.sub(r'[^A-Za-z0-9-]+', '_', path.stem)}-{digest}"


def format_entry(entry, style: str = "vancouver", backend: str = "text", key: str | None = None) -> str:
    """One pybtex ``Entry`` (as parsed, LaTeX fields) as a reference in
    ``style``: plain ``text`` or ``html`` (pybtex styles also take
    ``markdown`` and ``latex``)."""
    if style not in _PYBTEX_ONLY and _is_csl(style):
        from graph.bibliography.csl import entry_to_csl, format_csl

        if backend not in ("text", "html"):
            raise ValueError(f"CSL styles render as text or html, not {backend!r}")
        item = entry_to_csl(key or entry.key or "item", entry)
        return format_csl([item], style, backend)[item["id"]]
    pybtex_style = _pybtex_style(style)
    if pybtex_style is None:
        check_style(style)  # raises
    from graph.bibliography.styles import decoded_entry

    formatted = pybtex_style.format_entry("1", decoded_entry(entry))
    return formatted.text.render(_backend(backend)).strip()


def format_citation(eg, key: str, style: str = "vancouver", backend: str = "text") -> str:
    """The source ``key`` of graph ``eg`` as a reference in ``style`` (plain
    text by default). Unknown keys raise :class:`graph.model.errors.NotFoundError`."""
    return format_entry(eg.bib_entry(key), style, backend, key=key)


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
