"""Exporters: one module per format, one small interface, one registry.

Every exporter is an :class:`Exporter` subclass whose :meth:`~Exporter.render`
turns an :class:`~graph.evidence.graph.EvidenceGraph` into text. :data:`REGISTRY` maps a
format name to ``"module:Class"`` and is imported lazily, so listing the
formats (the CLI's ``--format`` choices) loads neither rdflib nor networkx.

>>> import graph
>>> from graph.export import export
>>> text = export(graph.load(), "csl-json")
"""

from __future__ import annotations

import difflib
import importlib
import re
from dataclasses import dataclass
from typing import ClassVar

from graph.model.errors import NotFoundError

__all__ = [
    "DEFAULT_LICENSE",
    "FORMATS",
    "IRI",
    "ISO_DATE",
    "REGISTRY",
    "ExportOptions",
    "Exporter",
    "export",
    "get_exporter",
    "kept",
    "xsd_datetime",
]


#: The licence nanopublications carry unless told otherwise.
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"

#: What ``--created`` accepts: an ISO 8601 date or date-time.
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def xsd_datetime(value: str) -> str:
    """``value`` (what ``--created`` accepts) as the lexical form of an
    ``xsd:dateTime``: a date is midnight UTC, a time without seconds gets
    ``:00`` (XML Schema requires them). ``ValueError`` unless it is an ISO
    8601 date or date-time of the calendar (not 2024-02-30)."""
    from datetime import datetime

    m = ISO_DATE.match(value)
    if m:
        stamp = value + "T00:00:00Z" if m.group(1) is None else value
        if m.group(1) is not None and m.group(2) is None:  # hh:mm
            stamp = value[:16] + ":00" + value[16:]
        try:
            datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            return stamp
        except ValueError:
            pass
    raise ValueError(f"created must be an ISO date or date-time, e.g. 2024-05-01, not {value!r}")


#: What ``--creator`` and ``--license`` accept: an absolute IRI (a scheme, then
#: no space and none of the characters an IRI may not hold), as RDF needs.
IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$')


@dataclass(frozen=True)
class ExportOptions:
    """Settings that some formats use; every field has a deterministic default."""

    #: ``dcterms:created`` of each nanopublication (ISO date or date-time; a
    #: date is written as midnight UTC). None leaves it out: the clock is never read.
    created: str | None = None
    #: IRI of whoever publishes the nanopublications (``dcterms:creator``); an ORCID iD is best.
    creator: str = "https://w3id.org/evidence-graph"
    #: ``dcterms:license`` of each nanopublication.
    license: str = DEFAULT_LICENSE

    def __post_init__(self):
        if self.created is not None:
            xsd_datetime(self.created)  # raises
        for name in ("creator", "license"):
            value = getattr(self, name)
            if not IRI.match(value):
                raise ValueError(
                    f"{name} must be an absolute IRI, e.g. https://orcid.org/0000-0002-1825-0097, not {value!r}"
                )


class Exporter:
    """The interface every format implements."""

    #: The name users pass to ``--format``.
    name: ClassVar[str]
    #: Usual file suffix, with the dot.
    suffix: ClassVar[str]
    #: IANA media type.
    media_type: ClassVar[str]
    #: One line for ``--help`` and the README.
    description: ClassVar[str]

    def render(self, eg, options: ExportOptions) -> str:
        """The whole export as text."""
        raise NotImplementedError


#: format name -> "module:Class", in the order ``--help`` lists them.
REGISTRY: dict[str, str] = {
    "ttl": "graph.export.turtle:TurtleExporter",
    "jsonld": "graph.export.jsonld:JsonLdExporter",
    "trig-nanopub": "graph.export.nanopub:NanopubExporter",
    "graphml": "graph.export.graphml:GraphMLExporter",
    "csl-json": "graph.export.csl:CslJsonExporter",
    "csv": "graph.export.table:CsvExporter",
}
#: The format names, for ``--format`` choices.
FORMATS: tuple[str, ...] = tuple(REGISTRY)


def get_exporter(name: str) -> Exporter:
    """An instance of the exporter registered as ``name``."""
    target = REGISTRY.get(name)
    if target is None:
        raise NotFoundError("export format", name, difflib.get_close_matches(name, FORMATS, n=3, cutoff=0.4))
    module, attr = target.split(":")
    return getattr(importlib.import_module(module), attr)()


#: Part of the name of the exports kept beside a cached store; change it when
#: any exporter's output changes.
ARTIFACT_VERSION = 2


def export(eg, fmt: str, options: ExportOptions | None = None) -> str:
    """Export ``eg`` in format ``fmt`` (one of :data:`FORMATS`).

    An export depends on the graph and the options alone, so with the on-disk
    cache each (format, every option) is rendered once per set of inputs and
    read back afterwards (see :meth:`graph.evidence.graph.EvidenceGraph.cached`).
    """
    exporter = get_exporter(fmt)
    options = options or ExportOptions()
    return kept(eg, fmt, options, lambda: exporter.render(eg, options))


def kept(eg, kind: str, options: ExportOptions, build):
    """``build()``, kept beside the cached store of the graph ``eg`` under a
    name made of ``kind`` and every field of ``options`` (see
    :meth:`graph.evidence.graph.EvidenceGraph.cached`: without the cache it
    simply builds)."""
    import dataclasses
    import hashlib

    settings = hashlib.blake2b(repr(dataclasses.astuple(options)).encode(), digest_size=8).hexdigest()
    return eg.cached(f"export-{kind}-{settings}-{ARTIFACT_VERSION}", build)
