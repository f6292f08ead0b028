"""Free-text search over claims: Okapi BM25 over the terms of
:mod:`graph.evidence.terms` (folded, number-normalised, stemmed words and one
concept term per synonym phrase found; stop words dropped).

A claim is its wording plus, at weight :data:`TOPIC_WEIGHT`, the labels of
its topics. Scores are BM25 (``k1`` = 1.2, ``b`` = 0.75, idf =
ln(1 + (N - df + 0.5) / (df + 0.5))), computed through an inverted index
whose postings hold each claim's precomputed weight: a query touches only the
claims that share a term with it, rarest term first, and on very large
indexes stops opening new candidates once :data:`OPEN_LIMIT` claims have a
score (see there).

**Score scale.** A raw score is a sum over the query's terms that the claim
contains; each adds about its idf (higher for rarer terms), more for a short
claim or a repeated word. It grows with the length of the query, so compare
raw scores only between claims for one query. To threshold across queries,
use the *relative* score: the raw score divided by the sum of the idf of every
query term (a term the index has never seen counts with the largest possible
idf), capped at 1.0. A claim that contains every query word once, at average
length, scores about 1.0; one sharing a single common word scores near 0.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from itertools import filterfalse, islice, repeat
from operator import add, itemgetter

# The analysis names stay importable from here, as they were before the split.
from graph.evidence.terms import (
    _ARTICLES,
    _FRAMING,
    _STOP,
    Analyzer,
    Expansion,
    curated_synonyms,
    graph_synonyms,
    number_words_to_digits,
)

__all__ = [
    "BROADER_WEIGHT",
    "FRAMING_WEIGHT",
    "QUOTE_WEIGHT",
    "SOURCE_WEIGHT",
    "TOPIC_WEIGHT",
    "Analyzer",
    "Expansion",
    "SearchHit",
    "SearchIndex",
    "curated_synonyms",
    "graph_synonyms",
    "index_key",
    "number_words_to_digits",
]

#: Weight of a topic label's words against the claim's own wording (1.0).
TOPIC_WEIGHT = 0.3
#: Weight of a verbatim quote's words (each term once) and of the labels of a
#: topic's broader concepts.
QUOTE_WEIGHT = 0.5
BROADER_WEIGHT = 0.15
#: Weight of the first author, year and study design of a claim's sources.
SOURCE_WEIGHT = 0.3
#: Questions (``evg sources``): how many BM25 hits are re-ranked, and how much
#: their coverage of the question counts (see :meth:`SearchIndex.rank`).
RERANK_POOL = 20
COVERAGE_POWER = 1.0
#: A question word the graph has never seen (no claim, quote, topic or
#: synonym has it) weighs this many times the largest idf in coverage: a
#: question about "acupuncture" is not answered by claims about the IT band.
UNSEEN_FACTOR = 2.0
#: Share of a content word's weight that a framing word (:data:`_FRAMING`) has.
FRAMING_WEIGHT = 0.2
#: BM25 parameters.
K1 = 1.2
B = 0.75
#: Query evaluation is term at a time, rarest term first ("continue" strategy,
#: Moffat and Zobel 1996): a term may open new candidate claims only while
#: the candidates number at most OPEN_LIMIT; after that the candidates are cut
#: to the RERANK_LIMIT best so far, and the remaining (common) terms only
#: re-rank them. Indexes of up to OPEN_LIMIT claims are ranked exactly.
OPEN_LIMIT = 4_000
RERANK_LIMIT = 1_000


@dataclass(frozen=True)
class SearchHit:
    """One ranked document: its id, raw BM25 score and relative score."""

    doc: str
    score: float
    relative: float
    coverage: float = 0.0  #: share of the query's weight the document contains (0..1)


class SearchIndex:
    """An inverted BM25 index over ``(doc id, text, extra texts)`` triples.

    Built once, in time linear in the total length of the documents. The
    extra texts (topic labels) count at :data:`TOPIC_WEIGHT` and each of
    their terms at most once.
    """

    def __init__(self, docs: Iterable[tuple], synonyms: Iterable = ()):
        self.analyzer = Analyzer(synonyms)
        self.ids: list[str] = []
        counts: list[dict[str, float]] = []
        lengths: list[float] = []
        df: Counter = Counter()
        vocabulary: dict[str, str] = {}
        extra_cache: dict[str, list[str]] = {}  # topic labels repeat across claims

        def extra_terms(text: str) -> list[str]:
            if text not in extra_cache:
                extra_cache[text] = self.analyzer.terms(text)
                for word in self.analyzer._plain_words(text):
                    if word not in vocabulary and len(word) > 3 and word.isalpha():
                        vocabulary[word] = self.analyzer.stem(word)
            return extra_cache[text]

        for doc in docs:
            doc_id, text, extras = doc[:3]
            weighted = doc[3] if len(doc) > 3 else ()
            tf: dict[str, float] = dict(Counter(extra_terms(text)))
            added: dict[str, float] = {}
            for extra in extras:
                for term in extra_terms(extra):
                    added[term] = TOPIC_WEIGHT
            for extra, weight in weighted:
                for term in extra_terms(extra):
                    if added.get(term, 0.0) < weight:
                        added[term] = weight
            for term, weight in added.items():
                tf[term] = tf.get(term, 0.0) + weight
            self.ids.append(doc_id)
            counts.append(tf)
            lengths.append(sum(tf.values()))
            df.update(tf.keys())
        extra_cache.clear()
        self.analyzer.vocabulary = vocabulary
        self.n = len(self.ids)
        avgdl = (sum(lengths) / self.n) if self.n else 1.0
        self.idf: dict[str, float] = {t: math.log(1 + (self.n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        #: term -> {doc number: BM25 weight}; a query only sums these.
        self.postings: dict[str, dict[int, float]] = defaultdict(dict)
        for number, (tf, dl) in enumerate(zip(counts, lengths)):
            norm = K1 * (1 - B + B * dl / avgdl) if avgdl else K1
            for term, f in tf.items():
                self.postings[term][number] = self.idf[term] * f * (K1 + 1) / (f + norm)
        # Strongest weight first, so a huge posting can be opened in part.
        self.postings = {t: dict(sorted(p.items(), key=itemgetter(1), reverse=True)) for t, p in self.postings.items()}
        self._unseen_idf = math.log(1 + (self.n + 0.5) / 0.5)

    def __len__(self) -> int:
        return self.n

    def query_terms(self, text: str) -> list[str]:
        """The distinct terms of a query, in order."""
        return list(dict.fromkeys(self.analyzer.terms(text)))

    def bound(self, terms: list[str]) -> float:
        """The sum of the query terms' idf: what relative scores divide by."""
        return sum(self.idf.get(t, self._unseen_idf) for t in terms)

    def query_units(self, text: str, correct: bool = False) -> list[tuple[str, frozenset[str]]]:
        """:meth:`Analyzer.units` of a query; with ``correct``, unknown words
        are read as the closest known word."""
        return self.analyzer.units(text, self.postings.__contains__ if correct else None)

    def unit_weight(self, unit: tuple[str, frozenset[str]]) -> float:
        """A query word's weight: its idf, or if the index has never seen it,
        the smallest idf among the concepts standing for it (else the largest
        idf possible); a framing word ("actually", "help") weighs
        :data:`FRAMING_WEIGHT` of that, at most of the largest idf."""
        word, terms = unit
        if word in self.analyzer.framing:
            return FRAMING_WEIGHT * min(self.idf.get(word, self._unseen_idf), self._unseen_idf)
        if word in self.idf:
            return self.idf[word]
        seen = [self.idf[t] for t in terms if t in self.idf]
        return min(seen) if seen else UNSEEN_FACTOR * self._unseen_idf

    def framing_terms(self, units: list[tuple[str, frozenset[str]]]) -> frozenset[str]:
        """The terms that stand only for framing words of the query."""
        framing = self.analyzer.framing
        content = {t for w, ts in units if w not in framing for t in ts}
        return frozenset(t for w, ts in units if w in framing for t in ts if t not in content)

    def coverage(self, units: list[tuple[str, frozenset[str]]], doc: int) -> float:
        """The share of the query's weight (:meth:`unit_weight`) whose words,
        or a concept standing for them, the document contains."""
        total = got = 0.0
        for unit in units:
            w = self.unit_weight(unit)
            total += w
            if any(doc in self.postings.get(t, ()) for t in unit[1]):
                got += w
        return got / total if total else 0.0

    def search(self, text: str, limit: int = 5, *, correct: bool = False) -> list[SearchHit]:
        """The best ``limit`` documents for ``text``, best first (ties by id).
        Documents sharing no term with the query are never returned. With
        ``correct``, misspelt words are read as the closest known word
        (:meth:`Analyzer.correct`)."""
        units = self.query_units(text, correct) if correct else None
        framing: frozenset[str] = frozenset()
        if units is not None:
            terms = list(dict.fromkeys(t for _, ts in units for t in sorted(ts)))
            framing = self.framing_terms(units)
        else:
            terms = self.query_terms(text)
        scores: dict[int, float] = {}
        opening = True

        def add_weights(keys, posting):
            # The loop runs inside map/zip/dict.update (C), not as bytecode.
            scores.update(zip(keys, map(add, map(scores.get, keys, repeat(0.0)), map(posting.__getitem__, keys))))

        for term in sorted((t for t in terms if t in self.postings), key=lambda t: len(self.postings[t])):
            posting = self.postings[term]
            if term in framing:
                posting = {n: FRAMING_WEIGHT * v for n, v in posting.items()}
            room = OPEN_LIMIT - len(scores) if opening else 0
            if room >= len(posting):
                add_weights(posting.keys(), posting)
                continue
            if len(posting) < len(scores):  # re-rank the candidates so far
                add_weights(list(filter(scores.__contains__, posting)), posting)
            else:
                add_weights(list(filter(posting.__contains__, scores)), posting)
            if opening:  # postings are ordered by weight: open the strongest new ones
                add_weights(list(islice(filterfalse(scores.__contains__, posting), max(room, 0))), posting)
                opening = False
                if len(scores) > RERANK_LIMIT:
                    cut = sorted(scores.values(), reverse=True)[RERANK_LIMIT - 1]
                    kept = {n: v for n, v in scores.items() if v >= cut}
                    scores.clear()
                    scores.update(kept)
        if not scores or limit <= 0:
            return []
        best = heapq.nlargest(limit, scores.items(), key=itemgetter(1))
        best.sort(key=lambda kv: (-kv[1], self.ids[kv[0]]))  # ties by id
        bound = self.bound(terms) or 1.0
        if units is None:
            return [SearchHit(self.ids[n], s, min(1.0, s / bound)) for n, s in best]
        return [SearchHit(self.ids[n], s, min(1.0, s / bound), self.coverage(units, n)) for n, s in best]

    def rank(self, text: str, limit: int = 5, pool: int = RERANK_POOL) -> list[SearchHit]:
        """Questions' ranking: the best ``pool`` BM25 hits (misspellings
        corrected), re-ranked by BM25 score times coverage to the power
        :data:`COVERAGE_POWER`, so a claim that answers more of the question
        beats one that repeats a single word of it."""
        hits = self.search(text, max(pool, limit), correct=True)
        hits.sort(key=lambda h: (-h.score * h.coverage**COVERAGE_POWER, h.doc))
        return hits[:limit]


def index_key() -> str:
    """A short digest of what shapes an index besides the graph (the curated
    lexicon, the stop and framing words, the weights), so that an index kept
    beside a cached store is rebuilt when any of them changes."""
    import hashlib

    lexicon = resources.files("graph").joinpath("data", "synonyms.txt").read_bytes()
    weights = (TOPIC_WEIGHT, QUOTE_WEIGHT, BROADER_WEIGHT, SOURCE_WEIGHT, K1, B)
    rules = repr((sorted(_STOP), sorted(_FRAMING), sorted(_ARTICLES), weights))
    return hashlib.sha1(lexicon + rules.encode()).hexdigest()[:12]
