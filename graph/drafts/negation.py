"""Negation in a writer's sentence: does it assert a claim, or its opposite?

Search ignores negation words (they are stop words), so "the band does not
slide over the bone" finds the claim that the band slides over the bone. This
module says which way round the sentence stands to the claim's wording.

1. A **cue** is ``not``, ``no``, ``nor``, ``never``, ``cannot``, ``without``,
   a contracted ``n't`` (``isn't``, ``doesn't``, ``won't``, ``can't``...),
   ``no longer``, ``too ... to`` ("too stiff to deform"), or a word ``un-X`` whose ``X`` the graph's texts use
   (``unsupported``); ``rather than``, ``instead of`` and ``than`` are
   contrastive cues ("a compression syndrome rather than a friction one").
2. The cue's **heads** are the first content word after it, adverbs in ``-ly``
   skipped (``does not slide``, ``is not a muscle``, ``cannot meaningfully
   lengthen``), and the words listed with it (``cannot be stretched, released
   or loosened``). Its **scope** runs to the end of the clause (``;``, ``:``,
   end of sentence, or ``because``, ``but``, ``so``, ``while``...).
3. On the content words sentence and claim share: a head on one side that is
   outside every scope on the other makes the sentence the **opposite** of the
   claim; a head inside a scope on the other side makes it the **same**.
4. When no shared word decides, a sentence with a cue is the opposite of a
   claim without one if the clauses with a cue hold at least half the words
   they share ("gait retraining doesn't help runners" against "gait
   retraining improves... in runners", but not "the band is not a muscle —
   it runs from the iliac crest..." against "the band runs from the iliac
   crest"); otherwise the same. Contrastive cues do not count here:
   "X rather than Y" still asserts X.

Words are compared as the search index stems them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.evidence.terms import _STOP, Analyzer, _fold

__all__ = ["OPPOSITE", "SAME", "Negation", "negation", "relation"]

SAME = "same"
OPPOSITE = "opposite"

_CUES = frozenset({"not", "no", "nor", "never", "cannot", "neither", "without"})
#: first halves of "n't" contractions as the tokenizer splits them ("isn", "t")
_CONTRACTED = frozenset(
    {"isn", "aren", "wasn", "weren", "doesn", "don", "didn", "won", "can", "couldn", "shouldn", "wouldn", "hasn"}
    | {"haven", "hadn", "mustn", "needn", "ain"}
)
#: two-word cues
_PAIRS = frozenset({("rather", "than"), ("instead", "of"), ("no", "longer")})
#: words that end a cue's scope
_CLAUSE_END = frozenset(
    {";", ":", ".", "!", "?", "—", "–", "because", "but", "so", "while", "whereas", "although", "since"}
)
_LIST_JOIN = frozenset({",", "or", "and", "nor"})
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[,;:.!?—–]")


def _content(word: str) -> bool:
    return word[0].isalnum() and ((word not in _STOP and len(word) > 1) or word.isdigit())


@dataclass(frozen=True)
class Negation:
    """The negation cues of a text, as stems."""

    cue: bool  #: whether it has any cue
    heads: frozenset[str]  #: the words its cues negate
    scope: frozenset[str]  #: every content word within a cue's clause
    words: frozenset[str]  #: all its content words
    #: content words of the clauses that hold a (not contrastive) cue, subject included
    negated_clauses: frozenset[str] = frozenset()


def negation(analyzer: Analyzer, text: str) -> Negation:
    """The :class:`Negation` of ``text`` (see the module docs)."""
    tokens = _TOKEN.findall(_fold(text))
    vocabulary = analyzer.vocabulary
    stem = analyzer.stem
    heads: set[str] = set()
    scope: set[str] = set()
    words: set[str] = set()
    cue = False
    n = len(tokens)
    for i, w in enumerate(tokens):
        if _content(w):
            words.add(stem(w))
        start, contrast = None, False
        if w in _CUES or (w in _CONTRACTED and i + 1 < n and tokens[i + 1] == "t"):
            start = i + (2 if w in _CONTRACTED else 1)
            if w == "no" and i + 1 < n and tokens[i + 1] == "longer":
                start = i + 2
        elif i + 1 < n and (w, tokens[i + 1]) in _PAIRS:
            start = i + 2
            contrast = w != "no"
        elif w == "than" and not (i and tokens[i - 1] == "rather"):  # "better ... than as a friction syndrome"
            start, contrast = i + 1, True
            if start < n and tokens[start] == "as":
                start += 1
        elif w == "too" and "to" in tokens[i + 2 : i + 8]:  # "too stiff to deform"
            start = tokens.index("to", i + 2) + 1
            if any(t in _CLAUSE_END for t in tokens[i:start]):
                start = None
        elif w.startswith("un") and len(w) > 5 and w[2:] in vocabulary:
            cue = True
            heads.add(vocabulary[w[2:]])
            words.add(vocabulary[w[2:]])
            scope.add(vocabulary[w[2:]])
            start = i + 1
            _scope(tokens, start, stem, scope)
            continue
        if start is None:
            continue
        cue = cue or not contrast  # "X rather than Y" still asserts X
        _scope(tokens, start, stem, scope)
        j = start
        while True:  # the head, then the words listed with it
            while j < n and not (_content(tokens[j]) and not tokens[j].endswith("ly")):
                if tokens[j] in _CLAUSE_END or tokens[j] in _CUES:
                    j = n
                    break
                j += 1
            if j >= n:
                break
            heads.add(stem(tokens[j]))
            j += 1
            if j < n and tokens[j] in _LIST_JOIN:
                j += 1
                if j < n and tokens[j] in _LIST_JOIN:  # ", or"
                    j += 1
                continue
            break
    clauses: list[tuple[set[str], bool]] = [(set(), False)]
    for t in tokens:  # content words per clause, and whether the clause has a cue
        if t in _CLAUSE_END:
            clauses.append((set(), False))
        elif _content(t):
            clauses[-1][0].add(stem(t))
        if t in _CUES or t == "t" or t == "longer" or (t.startswith("un") and len(t) > 5 and t[2:] in vocabulary):
            clauses[-1] = (clauses[-1][0], True)
    in_negated = {w for words_, negated in clauses if negated for w in words_}
    return Negation(cue, frozenset(heads), frozenset(scope), frozenset(words), frozenset(in_negated))


def _scope(tokens: list[str], start: int, stem, scope: set[str]) -> None:
    for t in tokens[start:]:
        if t in _CLAUSE_END:
            break
        if _content(t):
            scope.add(stem(t))


def relation(analyzer: Analyzer, sentence: str, claim_text: str) -> str:
    """:data:`SAME` or :data:`OPPOSITE`: how ``sentence`` stands to the claim worded ``claim_text``."""
    s = negation(analyzer, sentence)
    c = negation(analyzer, claim_text)
    if not (s.heads or c.heads):
        return SAME
    shared = s.words & c.words
    if ((s.heads & shared) - c.scope) or ((c.heads & shared) - s.scope):
        return OPPOSITE
    if (s.heads & shared & c.scope) or (c.heads & shared & s.scope):
        return SAME
    # the negated clauses must hold at least half the words the two share
    return OPPOSITE if s.cue and not c.cue and 2 * len(s.negated_clauses & shared) >= len(shared) else SAME
