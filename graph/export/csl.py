"""``csl-json``: the sources as CSL-JSON (Citation Style Language data), for Zotero and citeproc.

Built from the named queries ``source-record`` and ``source-authors``. Each
item has ``id`` (the bib key), ``type`` (from the BibTeX entry type),
``title``, ``author`` (family/given), ``issued`` (``date-parts``),
``container-title``, ``volume``, ``issue``, ``page``, ``DOI``, ``PMID``,
``URL``, ``publisher``, ``ISBN`` and ``ISSN`` where known.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from graph.export import Exporter, ExportOptions

#: BibTeX entry type -> CSL item type.
CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "unpublished": "manuscript",
}
_MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}


def _month(value: str | None) -> int | None:
    if not value:
        return None
    text = value.strip().lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _MONTHS.get(text[:3])


def csl_items(eg) -> list[dict]:
    """The CSL-JSON items of every source, sorted by key."""
    from graph.sparql import named_query

    authors: dict = defaultdict(list)
    for row in eg.select(named_query("source-authors").text):
        person = {}
        if row["family"] is not None:
            person["family"] = str(row["family"])
        if row["given"] is not None:
            person["given"] = str(row["given"])
        authors[row["source"]].append((int(row["position"]), person))
    items = []
    for row in eg.select(named_query("source-record").text):
        r = {k: (str(v) if v is not None else None) for k, v in row.items()}
        item: dict = {"id": r["key"], "type": CSL_TYPES.get(r["entryType"] or "", "document")}
        people = [p for _, p in sorted(authors.get(row["source"], []), key=lambda x: x[0]) if p]
        if people:
            item["author"] = people
        if r["title"]:
            item["title"] = r["title"]
        if r["year"]:
            m = re.match(r"^(\d{4})", r["year"])
            if m:
                parts = [int(m.group(1))]
                month = _month(r["month"])
                if month:
                    parts.append(month)
                item["issued"] = {"date-parts": [parts]}
            else:
                item["issued"] = {"literal": r["year"]}
        for field, csl in (
            ("journal", "container-title"),
            ("volume", "volume"),
            ("issue", "issue"),
            ("doi", "DOI"),
            ("pmid", "PMID"),
            ("url", "URL"),
            ("publisher", "publisher"),
            ("isbn", "ISBN"),
            ("issn", "ISSN"),
        ):
            if r[field]:
                item[csl] = r[field]
        if r["pageStart"]:
            item["page"] = f"{r['pageStart']}-{r['pageEnd']}" if r["pageEnd"] else r["pageStart"]
        elif r["pages"]:
            item["page"] = r["pages"]
        items.append(item)
    return sorted(items, key=lambda x: x["id"])


class CslJsonExporter(Exporter):
    name = "csl-json"
    suffix = ".json"
    media_type = "application/vnd.citationstyles.csl+json"
    description = "the sources as CSL-JSON, for Zotero and other reference managers"

    def render(self, eg, options: ExportOptions) -> str:
        return json.dumps(csl_items(eg), indent=2, ensure_ascii=False) + "\n"
