"""``csv``: the evidence table, one row per statement and cited source.

Columns (documented in the README):

``claim``          claim slug
``claim_text``     the claim's wording
``article``        article slug of the statement (empty if no article states the claim)
``stance``         asserts, reports or rejects
``relation``       supports (asserts/reports with a source), disputes (rejects with a source), empty if uncited
``source``         bib key of the cited source (empty when the statement cites nothing)
``study_design``   the source's study design label
``evidence_rank``  its rank, 1 (model, opinion) to 7 (systematic review)
``verdict``        review verdict of this citation (supported, overstated, misattributed, ...)
``quote``          the verbatim quote

Rows are sorted by claim, article, quote and source. Built from the named query ``evidence-table``.
"""

from __future__ import annotations

import csv
import io

from graph.export import Exporter, ExportOptions

COLUMNS = (
    "claim",
    "claim_text",
    "article",
    "stance",
    "relation",
    "source",
    "study_design",
    "evidence_rank",
    "verdict",
    "quote",
)


def evidence_rows(eg) -> list[dict[str, str]]:
    """The rows of the CSV export as dicts of :data:`COLUMNS`."""
    from graph.model.namespaces import ARTICLE, CLAIM, EV, SOURCE, local_name
    from graph.model.rules import stance_relation
    from graph.sparql import named_query

    labels: dict = {}  # a few designs and verdicts label 200,000 rows: one lookup each, not one a row

    def label(node) -> str:
        if node is None:
            return ""
        if node not in labels:
            labels[node] = eg.label(node)
        return labels[node]

    out = []
    for row in eg.select(named_query("evidence-table").text):
        stance = (local_name(row["stance"], EV._NS) or "").lower() if row["stance"] is not None else ""
        source = local_name(row["source"], SOURCE) or "" if row["source"] is not None else ""
        relation = (stance_relation(row["stance"]) or "") if source else ""
        out.append(
            {
                "claim": local_name(row["claim"], CLAIM) or str(row["claim"]),
                "claim_text": str(row["text"]),
                "article": (local_name(row["article"], ARTICLE) or str(row["article"])) if row["article"] else "",
                "stance": stance,
                "relation": relation,
                "source": source,
                "study_design": label(row["design"]),
                "evidence_rank": str(row["rank"]) if row["rank"] is not None else "",
                "verdict": label(row["verdict"]),
                "quote": str(row["quote"]) if row["quote"] is not None else "",
            }
        )
    return out


class CsvExporter(Exporter):
    name = "csv"
    suffix = ".csv"
    media_type = "text/csv"
    description = "one row per statement and cited source: claim, article, stance, source, design, verdict, quote"

    def render(self, eg, options: ExportOptions) -> str:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(evidence_rows(eg))
        return buf.getvalue()
