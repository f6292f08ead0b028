"""Benchmark claim search at scale: build a BM25 index over N synthetic claims
and run Q queries, printing a table of timings.

Two synthetic corpora, each claim carrying the topics of a bundled claim:

* ``dense``: claims recombine only the ~600 words of the bundled claims, so
  every word is in thousands of claims: a worst case for an inverted index.
* ``zipf``: half the words come from the bundled claims, half from a 50,000
  word vocabulary drawn with Zipf frequencies, as a large real corpus has.

Queries are 8-25 word sentences made the same way (1000 by default, as a
draft checker would send). Usage:

    python scripts/bench_search.py [--claims 100000] [--queries 1000]
"""

from __future__ import annotations

import argparse
import itertools
import random
import time

import graph
from graph.evidence.search import SearchIndex, graph_synonyms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()

    eg = graph.load()
    rng = random.Random(7)
    claims = eg.claims()
    words = [w for c in claims for w in c.text.rstrip(".").split()]
    topics = [c.topics for c in claims]
    synonyms = graph_synonyms(eg)
    vocabulary = [f"term{i}" for i in range(50_000)]
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))

    def sentence(kind: str) -> str:
        n = rng.randint(8, 25)
        if kind == "dense":
            return " ".join(rng.choice(words) for _ in range(n))
        own = [rng.choice(words) for _ in range(n // 2)]
        return " ".join(own + rng.choices(vocabulary, cum_weights=cumulative, k=n - len(own)))

    print(f"{'corpus':>7} {'claims':>8} {'build cpu s':>8} {'queries':>8} {'query cpu s':>8} {'ms/query':>9}")
    for kind in ("zipf", "dense"):
        queries = [sentence(kind) for _ in range(args.queries)]
        for n in args.claims:
            docs = [(f"c{i}", sentence(kind), rng.choice(topics)) for i in range(n)]
            t0 = time.process_time()
            index = SearchIndex(docs, synonyms=synonyms)
            build = time.process_time() - t0
            t0 = time.process_time()
            for q in queries:
                index.search(q, 5)
            run = time.process_time() - t0
            print(f"{kind:>7} {n:>8} {build:>8.2f} {len(queries):>8} {run:>8.2f} {1000 * run / len(queries):>9.2f}")


if __name__ == "__main__":
    main()
