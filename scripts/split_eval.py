"""Split the issue-13 evaluation data once into a tuning half and a test half.

    python scripts/split_eval.py           # refuses if a file already has a half column
    python scripts/split_eval.py --check   # re-derives the split and compares

Each row of tests/data/eval/{questions,references,negation}.tsv gets a
``half`` column, ``tune`` or ``test``. Rows are drawn with
``random.Random(SEED)`` within strata, so that both halves get about half of
each kind:

- questions: known (``expected`` names a claim) and unknown (``expected`` is ``-``)
- references: in the corpus (``expected_key`` set) and not in the corpus (empty)
- negation: negated ``yes`` and ``no``

Within a stratum the ids are sorted, shuffled with the one generator (strata
are visited in sorted order), and the first ceil(n/2) go to ``tune``. The
split was written once and committed; ``--check`` only verifies it. Tune on
the ``tune`` half only; the ``test`` half is for the figures tests assert.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

SEED = 13
EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval"

STRATA = {
    "questions.tsv": lambda r: "unknown" if r["expected"].strip() == "-" else "known",
    "references.tsv": lambda r: "in-corpus" if r["expected_key"].strip() else "not-in-corpus",
    "negation.tsv": lambda r: "negated-" + r["negated"].strip(),
}


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        w.writeheader()
        w.writerows(rows)


def assign(rng: random.Random, rows: list[dict[str, str]], stratum) -> dict[str, str]:
    """id -> 'tune' or 'test'."""
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(stratum(r), []).append(r["id"])
    halves = {}
    for name in sorted(groups):
        ids = sorted(groups[name])
        rng.shuffle(ids)
        cut = (len(ids) + 1) // 2
        for i, rid in enumerate(ids):
            halves[rid] = "tune" if i < cut else "test"
    return halves


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--check", action="store_true", help="re-derive the split and compare with the committed half column"
    )
    args = ap.parse_args(argv)
    rng = random.Random(SEED)
    status = 0
    for name, stratum in STRATA.items():
        path = EVAL / name
        fields, rows = read(path)
        halves = assign(rng, rows, stratum)
        if args.check:
            bad = [r["id"] for r in rows if r.get("half") != halves[r["id"]]]
            print(f"{name}: {'ok' if not bad else f'{len(bad)} rows differ, e.g. {bad[:3]}'}")
            status |= bool(bad)
            continue
        if "half" in fields:
            print(f"{name} already has a half column: the split is done once", file=sys.stderr)
            return 2
        for r in rows:
            r["half"] = halves[r["id"]]
        write(path, [*fields, "half"], rows)
        counts: dict[tuple[str, str], int] = {}
        for r in rows:
            k = (stratum(r), r["half"])
            counts[k] = counts.get(k, 0) + 1
        print(name, " ".join(f"{s}/{h}={n}" for (s, h), n in sorted(counts.items())))
    return status


if __name__ == "__main__":
    sys.exit(main())
