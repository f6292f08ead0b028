"""How a text becomes search terms, the same for claims and for questions
(the BM25 index over those terms is :mod:`graph.evidence.search`):

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
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "Analyzer",
    "Expansion",
    "curated_synonyms",
    "graph_synonyms",
    "number_words_to_digits",
]

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
        #: words of the indexed texts (folded, not stemmed) -> stem, for
        #: :meth:`correct`; the index that owns the analyzer fills it
        self.vocabulary: dict[str, str] = {}
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

    def correct(self, plain: str, stem: str) -> str:
        """The stem of the known word closest in spelling to ``plain``
        (a misspelling: "hamstirng" -> "hamstring"), or ``stem`` if none is
        close (difflib ratio 0.85 or more, same first letter)."""
        import difflib

        vocab = self.vocabulary
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
