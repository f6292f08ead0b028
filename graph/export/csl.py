"""``csl-json``: the sources as CSL-JSON (Citation Style Language data), for Zotero and citeproc.

Each source's BibTeX entry (rebuilt from the graph, braces in titles kept) goes
through :func:`graph.bibliography.csl.entry_to_csl`, the same conversion the
project's own citations use, so pandoc ``--citeproc`` on this file and
``evg`` print the same references. Items carry every identifier the BibTeX
has (``DOI``, ``PMID``, ``PMCID``, ``ISSN``, ``ISBN``, ``URL``) and titles as CSL
rich text: a braced group is ``<span class="nocase">…</span>``.
"""

from __future__ import annotations

import json

from graph.bibliography.csl import CSL_TYPES
from graph.export import Exporter, ExportOptions

__all__ = ["CSL_TYPES", "CslJsonExporter", "csl_items"]


def csl_items(eg) -> list[dict]:
    """The CSL-JSON items of every source, sorted by key."""
    from graph.bibliography.csl import entry_to_csl

    entries = eg.bib_entries(eg.source_keys)
    return [entry_to_csl(key, entries[key]) for key in sorted(entries)]


class CslJsonExporter(Exporter):
    name = "csl-json"
    suffix = ".json"
    media_type = "application/vnd.citationstyles.csl+json"
    description = "the sources as CSL-JSON, for Zotero and other reference managers"

    def render(self, eg, options: ExportOptions) -> str:
        return json.dumps(csl_items(eg), indent=2, ensure_ascii=False) + "\n"
