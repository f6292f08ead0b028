"""Precision and recall of draft-sentence matching per similarity threshold.

    python scripts/tune_threshold.py [--labels tests/data/drafts/match-labels.tsv] [--step 0.02]

Each labelled sentence is matched as ``evg check`` matches it (search, then
the similarity gate of :class:`graph.drafts.check.ClaimMatcher`). For every
threshold the table shows:

- precision: matches that are the labelled claim / all matches made
- recall: sentences labelled with a claim that match it / all of those
- unrelated: sentences labelled "-" that match some claim (must be 0)

and it marks the lowest threshold at which no unrelated sentence matches.
``graph.drafts.check.MATCH_THRESHOLD`` is set a little above that, for a margin.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def read_labels(path: Path) -> list[tuple[str | None, str]]:
    """(expected claim slug or None, sentence) pairs from a labels TSV."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        expected, sentence = line.split("\t", 1)
        out.append((None if expected == "-" else expected, sentence))
    return out


def candidates_all(eg, labels):
    """(expected, sentence, candidates) per labelled sentence: the search is
    run once, and each threshold only re-applies :func:`graph.drafts.check.choose`."""
    from graph.drafts.check import ClaimMatcher

    matcher = ClaimMatcher(eg, threshold=0.0)
    return [(expected, sentence, matcher.candidates(sentence)) for expected, sentence in labels]


def decide(rows, threshold):
    """(expected, matched slug or None, similarity, sentence) at ``threshold``."""
    from graph.drafts.check import choose

    out = []
    for expected, sentence, cands in rows:
        claim, similarity = choose(cands, threshold)
        out.append((expected, claim.slug if claim else None, similarity, sentence))
    return out


def table(rows, thresholds):
    positives = sum(1 for r in rows if r[0])
    out = []
    for t in thresholds:
        made = [r for r in decide(rows, t) if r[1]]
        right = sum(1 for r in made if r[1] == r[0])
        unrelated = sum(1 for r in made if r[0] is None)
        precision = right / len(made) if made else 1.0
        recall = right / positives if positives else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append((t, precision, recall, f1, unrelated, len(made)))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=ROOT / "tests" / "data" / "drafts" / "match-labels.tsv")
    parser.add_argument("--step", type=float, default=0.02)
    parser.add_argument("--claims", type=Path, default=ROOT / "claims.ttl")
    parser.add_argument("--sources", type=Path, default=ROOT / "sources.bib")
    parser.add_argument("--show", action="store_true", help="also list every sentence with its score")
    args = parser.parse_args(argv)

    import graph
    from graph.drafts.check import MATCH_THRESHOLD

    eg = graph.load(claims=args.claims, sources=args.sources)
    labels = read_labels(args.labels)
    rows = candidates_all(eg, labels)
    n_pos = sum(1 for r in rows if r[0])
    print(f"{len(rows)} labelled sentences: {n_pos} state a claim, {len(rows) - n_pos} state none")
    unconstrained = decide(rows, 0.0)
    worst_unrelated = max((r[2] for r in unconstrained if r[0] is None), default=0.0)
    ranked_wrong = [r for r in unconstrained if r[0] and r[1] != r[0]]
    print(f"highest similarity of an unrelated sentence: {worst_unrelated:.3f}")
    print(f"claim sentences matched to another claim whatever the threshold: {len(ranked_wrong)}")
    print()
    print(f"{'threshold':>9}  {'precision':>9}  {'recall':>6}  {'F1':>5}  {'unrelated':>9}  {'matches':>7}")
    steps = round(1 / args.step)
    grid = sorted({round(i * args.step, 4) for i in range(1, steps)} | {MATCH_THRESHOLD})
    first_clean = None
    for t, p, r, f1, unrelated, made in table(rows, grid):
        if unrelated == 0 and first_clean is None:
            first_clean = t
        mark = "  <- MATCH_THRESHOLD" if abs(t - MATCH_THRESHOLD) < 1e-9 else ""
        if first_clean == t:
            mark += "  <- lowest with no unrelated match"
        print(f"{t:9.2f}  {p:9.3f}  {r:6.3f}  {f1:5.3f}  {unrelated:9d}  {made:7d}{mark}")
    if args.show:
        print()
        for expected, got, sim, sentence in sorted(decide(rows, MATCH_THRESHOLD), key=lambda r: r[2]):
            flag = "ok " if got == expected else ("-  " if expected is None else "BAD")
            print(f"{flag} {sim:.3f}  {expected or '-':45} {got or '-':45} {sentence[:60]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
