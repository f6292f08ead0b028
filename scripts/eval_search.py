"""How well ``evg sources`` answers writers' questions, and ``evg check`` reads
their reference lists, per half of the evaluation.

    python scripts/eval_search.py              # figures for both halves and the paraphrases
    python scripts/eval_search.py --misses tune  # also list the tune half's misses

Data: ``tests/data/eval/questions.tsv`` (split once into ``tune`` and
``test``; tune only on ``tune``) and ``tests/data/paraphrases.tsv``.

Definitions (the same as docs/search.md):

- **top-1**: the first match is one of the row's listed slugs;
- **top-3**: one of the first three matches is one of them;
- **answered** (known questions): top-1 *and* the answer is not "nothing in
  the graph matches";
- **nothing** (unknown questions, ``expected`` = ``-``): the answer is
  "nothing in the graph matches" (matches empty, closest claims offered as
  related only).

top-1 and top-3 are measured on the ranking alone (the related claims count
as the ranking when nothing matches), so they say whether the right claim
comes first; "answered" adds the threshold.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

EVAL = ROOT / "tests" / "data" / "eval"


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    expected: tuple[str, ...]  #: empty: nothing in the graph answers it
    half: str


def read_questions(path: Path = EVAL / "questions.tsv") -> list[Question]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [
        Question(r["id"], r["question"], tuple(s for s in r["expected"].split() if s != "-"), r["half"]) for r in rows
    ]


def read_paraphrases(path: Path = ROOT / "tests" / "data" / "paraphrases.tsv") -> list[Question]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    rows = list(csv.reader(lines, delimiter="\t"))[1:]
    return [Question(f"p{n:03d}", q, tuple(e.split("|")), "paraphrase") for n, (q, e, _) in enumerate(rows, 1)]


@dataclass
class Figures:
    known: int = 0
    unknown: int = 0
    top1: int = 0
    top3: int = 0
    answered: int = 0  #: known, top-1 and not "nothing matches"
    nothing: int = 0  #: unknown and "nothing matches"

    def rates(self) -> dict[str, float]:
        k, u = self.known or 1, self.unknown or 1
        return {
            "top1": self.top1 / k,
            "top3": self.top3 / k,
            "answered": self.answered / k,
            "nothing": self.nothing / u,
        }


def evaluate(eg, questions: list[Question]) -> tuple[Figures, list[str]]:
    """Figures for ``questions`` and one line per miss."""
    fig, misses = Figures(), []
    for q in questions:
        answer = eg.evidence.answer(q.text, limit=3)
        ranked = [m.claim.slug for m in (answer.matches or answer.related)]
        if not q.expected:
            fig.unknown += 1
            fig.nothing += not answer.matches
            if answer.matches:
                misses.append(f"{q.id} unknown, matched {ranked[:1]} ({answer.matches[0].relevance:.2f}): {q.text}")
            continue
        fig.known += 1
        first = bool(ranked) and ranked[0] in q.expected
        fig.top1 += first
        fig.top3 += bool(set(ranked[:3]) & set(q.expected))
        fig.answered += first and bool(answer.matches)
        if not first:
            misses.append(f"{q.id} got {ranked[:3]}, want {list(q.expected)}: {q.text}")
        elif not answer.matches:
            rel = answer.related[0].relevance if answer.related else 0.0
            misses.append(f"{q.id} right claim but said nothing matches ({rel:.2f}): {q.text}")
    return fig, misses


def all_figures(eg) -> dict[str, tuple[Figures, list[str]]]:
    questions = read_questions()
    out = {half: evaluate(eg, [q for q in questions if q.half == half]) for half in ("tune", "test")}
    out["paraphrase"] = evaluate(eg, read_paraphrases())
    return out


def evaluate_references(eg, half: str) -> tuple[int, int, list[str]]:
    """(right, total, misses) for the references of ``half`` in
    ``tests/data/eval/references.tsv``: each is read as the only entry of a
    draft's reference list and matched as ``evg check`` matches it; right means
    the expected ``sources.bib`` key, or none for a reference not in the corpus."""
    from graph.drafts.parse import parse_draft
    from graph.drafts.resolve import SourceIndex
    from graph.model.errors import InputError

    with (EVAL / "references.tsv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["half"] == half]
    right, misses = 0, []
    for r in rows:
        try:
            draft = parse_draft(f"Text [1].\n\n## References\n\n1. {r['reference']}\n", "references.md")
        except InputError as exc:  # a reference with no year and no identifier is unusable input
            misses.append(f"{r['id']} refused ({exc.problem.message}), want {r['expected_key'] or 'none'}")
            continue
        key, how = SourceIndex.from_graph(eg, draft).match_reference(draft.references[0])
        if (key or "") == r["expected_key"]:
            right += 1
        else:
            misses.append(f"{r['id']} got {key} ({how}), want {r['expected_key'] or 'none'}: {r['reference']}")
    return right, len(rows), misses


@dataclass
class NegationFigures:
    """Negation (``tests/data/eval/negation.tsv``) for one half, negated and plain rows apart.

    A row is answered right when ``evg check`` reads the sentence as one of
    its listed claims with the listed relation (``same`` or ``opposite``).
    precision = right / rows given a claim; recall = right / rows that list a claim."""

    rows: dict[str, list[int]]  #: "negated"/"plain" -> [right, predicted, expected]

    def precision(self, kind: str) -> float:
        right, predicted, _ = self.rows[kind]
        return right / predicted if predicted else 0.0

    def recall(self, kind: str) -> float:
        right, _, expected = self.rows[kind]
        return right / expected if expected else 0.0


def evaluate_negation(eg, half: str) -> tuple[NegationFigures, list[str]]:
    from graph.drafts.check import ClaimMatcher
    from graph.model.namespaces import CLAIM, local_name

    with (EVAL / "negation.tsv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["half"] == half]
    matcher = ClaimMatcher(eg)
    fig = NegationFigures({"negated": [0, 0, 0], "plain": [0, 0, 0]})
    misses = []
    for r in rows:
        kind = "negated" if r["negated"] == "yes" else "plain"
        wanted = {(c, rel) for c, rel in zip(r["expected_claim"].split(), r["expected_relation"].split()) if c != "-"}
        claim, _, rel, _ = matcher.match_stance(r["sentence"])
        got = (local_name(claim.iri, CLAIM), rel) if claim else None
        counts = fig.rows[kind]
        counts[0] += got in wanted
        counts[1] += got is not None
        counts[2] += bool(wanted)
        if got not in wanted and (got or wanted):
            misses.append(f"{r['id']} got {got}, want {sorted(wanted) or 'none'}: {r['sentence']}")
    return fig, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="append", default=[], choices=["tune", "test", "paraphrase"])
    args = parser.parse_args(argv)
    import graph

    eg = graph.load(claims=ROOT / "claims.ttl", sources=ROOT / "sources.bib")
    print(f"{'set':<11} {'known':>5} {'top-1':>7} {'top-3':>7} {'answered':>9} {'unknown':>7} {'nothing':>8}")
    results = all_figures(eg)
    for name, (fig, _) in results.items():
        r = fig.rates()
        nothing = f"{r['nothing']:>8.1%}" if fig.unknown else f"{'-':>8}"
        print(
            f"{name:<11} {fig.known:>5} {r['top1']:>7.1%} {r['top3']:>7.1%} {r['answered']:>9.1%}"
            f" {fig.unknown:>7} {nothing}"
        )
    print()
    for half in ("tune", "test"):
        right, total, misses = evaluate_references(eg, half)
        print(f"references, {half}: {right}/{total} resolved to the right key (or to none)")
        if half in args.misses:
            for line in misses:
                print("  " + line)
    print()
    for half in ("tune", "test"):
        neg, misses = evaluate_negation(eg, half)
        for kind in ("negated", "plain"):
            right, predicted, expected = neg.rows[kind]
            print(
                f"negation, {half}, {kind}: precision {neg.precision(kind):.1%} ({right}/{predicted}),"
                f" recall {neg.recall(kind):.1%} ({right}/{expected})"
            )
        if half in args.misses:
            for line in misses:
                print("  " + line)
    for name in args.misses:
        print(f"\nmisses in {name}:")
        for line in results[name][1]:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
