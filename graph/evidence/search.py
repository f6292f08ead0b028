"""Free-text search over claims: Okapi BM25 on stemmed words, with synonyms.

How a text becomes terms (the same for claims and for queries):

1. Unicode is folded to plain lower-case letters (``Gerdy’s`` -> ``gerdy``),
   ``°`` becomes "degrees" and ``%`` becomes "percent".
2. Numbers written in words become digits ("thirty" -> ``30``, "nine
   hundred" -> ``900``, "ninety-two" -> ``92``) and ``9,000`` becomes ``9000``,
   so "30 degrees" and "thirty degrees" give the same terms.
3. Words are stemmed with the Snowball English stemmer ("lengthens",
   "lengthening" -> ``lengthen``).
4. Synonym phrases are found in the stemmed words, before stop words are
   dropped (so "IT band" is seen), and each adds one *concept term* shared by
   its group: "ITB", "IT band" and "iliotibial band" all add the same term.
   The words themselves stay, so the curators' own wording still ranks a
   little higher than a synonym. Groups come from the SKOS ``prefLabel`` and
   ``altLabel`` of every topic concept in the graph, plus the curated list in
   ``graph/data/synonyms.txt``.
5. Stop words (including question words: "does", "what", "why") are dropped.

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
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from itertools import filterfalse, islice, repeat
from operator import add, itemgetter

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

_STOP = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because been before being below
    between both but by can cannot could did didn do does doesn doing don down during each either else ever every
    few for from further get gets got had has have having he her here hers herself him himself his how however i
    if in into is isn it its itself just let may me might more most much must my myself no nor not of off often on
    once only or other our ours ourselves out over own per rather really same say says shall she should so some
    such than that the their theirs them themselves then there these they this those through thus to too true
    under until up upon us very via was wasn we were what when where whether which while who whom whose why will
    with within without won would yes yet you your yours yourself yourselves claim claims
    """.split()  # noqa: SIM905
)

#: Words that frame a question rather than name its subject ("is it true
#: that...", "what actually causes...", "does X help", "is X good for"):
#: kept, but a claim's having them counts :data:`FRAMING_WEIGHT` of a content
#: word, in BM25 and in coverage.
_FRAMING = frozenset(
    """
    actual actually anything bad best better cause caused causes causing correct does done everything fact
    fix fixes good happen happens help helps idea kind lot make makes mean means part people proper
    properly real something thing things true truly way ways work worth
    evidence find finding findings finds found paper research result results say said says science scientific
    show showed shown shows studies study
    """.split()  # noqa: SIM905
)

#: Skipped inside synonym phrases: "outside of knee" is "outside of the knee".
_ARTICLES = frozenset(("the", "a", "an", "my", "your"))

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMBER_WORDS = {**_UNITS, **_TENS, **_SCALES}

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_POSSESSIVE = re.compile(r"(\w)['’]s\b")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")


def _fold(text: str) -> str:
    text = _POSSESSIVE.sub(r"\1", text.replace("%", " percent "))
    if text.isascii():
        return text.lower()
    text = text.replace("°", " degrees ").replace("‰", " per mille ").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def number_words_to_digits(words: list[str]) -> list[str]:
    """Replace runs of number words with digits: ``["nine", "hundred"]`` -> ``["900"]``.

    "and" inside a run ("nine hundred and fifty") is absorbed; digits with
    thousands separators lose them (``9,000`` -> ``9000``).
    """
    if _NUMBER_WORDS.keys().isdisjoint(words) and not any("," in w for w in words):
        return words
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        if word not in _NUMBER_WORDS:
            out.append(word.replace(",", "") if _THOUSANDS.match(word) else word)
            i += 1
            continue
        total = current = 0
        while i < n:
            word = words[i]
            if word == "and" and i + 1 < n and words[i + 1] in _NUMBER_WORDS and (total or current >= 100):
                i += 1
                continue
            if word in _UNITS or word in _TENS:
                current += _UNITS.get(word, 0) + _TENS.get(word, 0)
            elif word in _SCALES:
                scale = _SCALES[word]
                if scale == 100:
                    current = max(current, 1) * 100
                else:
                    total += max(current, 1) * scale
                    current = 0
            else:
                break
            i += 1
        out.append(str(total + current))
    return out


class Analyzer:
    """Turns text into search terms (see the module docs). One per index,
    since the synonym groups belong to the graph."""

    def __init__(self, synonyms: Iterable[Iterable[str]] = ()):
        import snowballstemmer

        self._stemmer = snowballstemmer.stemmer("english")
        self._stems: dict[str, str] = {}
        #: first stem -> [(phrase stems, group term)]
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self.groups: dict[str, tuple[str, ...]] = {}
        #: first stem -> [(phrase stems, target phrases)]: one-way expansions ("glutes" > ...)
        self._expansions: dict[str, list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]] = defaultdict(list)
        synonyms = [g if isinstance(g, Expansion) else list(g) for g in synonyms]
        for group in synonyms:  # acronyms are not stemmed: "ITBS" is not "ITB"
            for phrase in group:
                for token in _TOKEN.findall(phrase):
                    if len(token) > 1 and token.isupper() and token.isalpha():
                        self._stems[token.lower()] = token.lower()
        #: stems of the question-framing words (:data:`_FRAMING`)
        self.framing = frozenset(self.stem(w) for w in _FRAMING)
        for group in synonyms:
            if isinstance(group, Expansion):
                self.add_expansion(group.phrase, group.targets)
            else:
                self.add_group(group)

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = word if word[0].isdigit() else self._stemmer.stemWord(word)
            self._stems[word] = stem
        return stem

    def words(self, text: str) -> list[str]:
        """Folded, number-normalised, stemmed words, stop words kept."""
        return [self.stem(w) for w in self._plain_words(text)]

    @staticmethod
    def _plain_words(text: str) -> list[str]:
        return number_words_to_digits(_TOKEN.findall(_fold(text)))

    def add_group(self, phrases: Iterable[str]) -> None:
        """Make the phrases synonyms of each other. A phrase already in a
        group joins that group, so overlapping lists merge."""
        keyed = [k for k in map(self._key, phrases) if k]
        if len(keyed) < 2:
            return
        existing = [self._group_of(k) for k in keyed]
        term = next((t for t in existing if t), None) or "~" + "_".join(keyed[0])
        members = set(self.groups.get(term, ()))
        for k in keyed:
            if k in members:
                continue
            old = self._group_of(k)
            if old and old != term:  # merge the other group into this one
                for member in self.groups.pop(old):
                    self._drop(member, old)
                    self._phrases[member[0]].append((member, term))
                    members.add(member)
                continue
            self._phrases[k[0]].append((k, term))
            members.add(k)
        self.groups[term] = tuple(sorted(members))

    def add_expansion(self, phrase: str, targets: Iterable[str]) -> None:
        """Make ``phrase`` also add the concept terms of each target phrase
        (one way: "glutes" reaches "gluteus medius", not the reverse)."""
        key = self._key(phrase)
        keyed = tuple(k for k in map(self._key, targets) if k)
        if not key or not keyed:
            return
        for k in keyed:  # a target in no group yet gets its own, so texts that use it carry its term
            if self._group_of(k) is None:
                term = "~" + "_".join(k)
                self._phrases[k[0]].append((k, term))
                self.groups[term] = (k,)
        self._expansions[key[0]].append((key, keyed))

    def _key(self, phrase: str) -> tuple[str, ...]:
        """A phrase as matched: its stems, articles left out."""
        words = self.words(phrase)
        return tuple(w for w in words if w not in _ARTICLES) or tuple(words)

    @staticmethod
    def _match(words: list[str], i: int, phrase: tuple[str, ...]) -> int:
        """Where ``phrase`` found at ``words[i]`` ends (articles between its
        words skipped), or 0 if it is not there."""
        j = i
        for n, part in enumerate(phrase):
            while n and j < len(words) and words[j] in _ARTICLES and part not in _ARTICLES:
                j += 1
            if j >= len(words) or words[j] != part:
                return 0
            j += 1
        return j

    def _group_of(self, phrase: tuple[str, ...]) -> str | None:
        for p, term in self._phrases.get(phrase[0], ()):
            if p == phrase:
                return term
        return None

    def _drop(self, phrase: tuple[str, ...], term: str) -> None:
        self._phrases[phrase[0]] = [(p, t) for p, t in self._phrases[phrase[0]] if not (p == phrase and t == term)]

    def terms(self, text: str) -> list[str]:
        """The terms of ``text``: its content words, then one concept term
        for each synonym phrase found (nested phrases included)."""
        plain = self._plain_words(text)
        words = [self.stem(w) for w in plain]
        return [w for _, w in self._kept(plain, words)] + self._concepts(words)

    @staticmethod
    def _kept(plain: list[str], words: list[str]) -> list[tuple[str, str]]:
        return [(p, w) for p, w in zip(plain, words) if (p not in _STOP and len(p) > 1) or p.isdigit()]

    def _expansions_at(self, words: list[str], i: int) -> list[tuple[int, tuple[tuple[str, ...], ...]]]:
        """Where the longest expansion phrases found at ``words[i]`` end, with
        their targets: "step ups"
        (strengthening) stands for itself, not also for "steps" (cadence)."""
        found = [(end, t) for p, t in self._expansions.get(words[i], ()) if (end := self._match(words, i, p))]
        longest = max((end for end, _ in found), default=0)
        return [(end, t) for end, t in found if end == longest]

    def _concepts(self, words: list[str]) -> list[str]:
        concepts: list[str] = []
        for i, word in enumerate(words):
            for phrase, term in self._phrases.get(word, ()):
                if self._match(words, i, phrase):
                    concepts.append(term)
            for _, targets in self._expansions_at(words, i):
                concepts.extend(self._group_of(t) or "~" + "_".join(t) for t in targets)
        return concepts

    def units(self, text: str, known=None) -> list[tuple[str, frozenset[str]]]:
        """The query's content words, each as ``(stem, terms that stand for
        it)``: the stem and the concept terms of every synonym phrase or
        expansion that covers the word. ``known(stem)`` (optional) says
        whether the index has a stem; an unknown word of five letters or more
        is then also read as the closest known word (see :meth:`correct`)."""
        plain = self._plain_words(text)
        words = [self.stem(w) for w in plain]
        if known is not None:
            words = [w if known(w) or len(p) < 5 or p in _STOP else self.correct(p, w) for p, w in zip(plain, words)]
        cover: list[set[str]] = [set() for _ in words]
        for i, word in enumerate(words):
            for phrase, term in self._phrases.get(word, ()):
                for j in range(i, self._match(words, i, phrase)):
                    cover[j].add(term)
            for end, targets in self._expansions_at(words, i):
                for target in targets:
                    term = self._group_of(target) or "~" + "_".join(target)
                    for j in range(i, end):
                        cover[j].add(term)
        out: dict[str, set[str]] = {}
        for i, (p, w) in enumerate(zip(plain, words)):
            if (p not in _STOP and len(p) > 1) or p.isdigit():
                out.setdefault(w, set()).update({w, *cover[i]})
            elif cover[i]:  # a stop word inside a synonym phrase ("deep to")
                key = min(cover[i])
                if not any(key in t for t in out.values()):
                    out.setdefault(key, set()).update(cover[i])
        return [(w, frozenset(t)) for w, t in out.items()]

    #: words of the indexed texts (folded, not stemmed), for :meth:`correct`
    vocabulary: dict[str, str]

    def correct(self, plain: str, stem: str) -> str:
        """The stem of the known word closest in spelling to ``plain``
        (a misspelling: "hamstirng" -> "hamstring"), or ``stem`` if none is
        close (difflib ratio 0.85 or more, same first letter)."""
        import difflib

        vocab = getattr(self, "vocabulary", None) or {}
        pool = [w for w in vocab if w[0] == plain[0] and abs(len(w) - len(plain)) <= 2]
        best = difflib.get_close_matches(plain, pool, n=1, cutoff=0.85)
        return vocab[best[0]] if best else stem


@dataclass(frozen=True)
class Expansion:
    """A one-way synonym: ``phrase`` also stands for each of ``targets``."""

    phrase: str
    targets: tuple[str, ...]

    def __iter__(self):
        """The phrase, then its targets (so it reads like a group where phrases are listed)."""
        return iter((self.phrase, *self.targets))


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


def curated_synonyms() -> list:
    """The synonym groups shipped in ``graph/data/synonyms.txt``: one group per
    line, phrases separated by ``|``, ``#`` starts a comment. A line
    ``phrase > target | target`` is a one-way :class:`Expansion`."""
    text = resources.files("graph").joinpath("data", "synonyms.txt").read_text(encoding="utf-8")
    groups: list = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if ">" in line:
            phrase, targets = line.split(">", 1)
            groups.append(Expansion(phrase.strip(), tuple(p.strip() for p in targets.split("|") if p.strip())))
        else:
            groups.append([p.strip() for p in line.split("|") if p.strip()])
    return groups


def graph_synonyms(eg) -> list[list[str]]:
    """Synonym groups from the graph: each topic concept's prefLabel and
    altLabels, then the curated list."""
    from graph.sparql.catalogue import query_text

    curated = curated_synonyms()
    # A curated expansion's phrase is broader than the topic that lists it
    # ("glutes" is not only gluteus maximus): it leaves that topic's group.
    analyzer = Analyzer()
    broader = {tuple(analyzer.words(g.phrase)) for g in curated if isinstance(g, Expansion)}
    labels: dict = defaultdict(list)
    for row in eg.select(query_text("evidence/concept-labels.rq")):
        label = str(row["label"])
        if tuple(analyzer.words(label)) not in broader:
            labels[row["concept"]].append(label)
    return [labels[c] for c in sorted(labels)] + curated
