"""Hints for a query that returned nothing: which of its terms the graph never uses.

A SELECT with no rows, an ASK that is false or an empty CONSTRUCT often
means a misspelt or misremembered predicate or class (``cito:supports`` where
the graph says ``cito:givesSupportTo``). :func:`empty_result_hints` finds the
IRIs the query uses as predicates or as classes (objects of ``rdf:type``),
asks the graph in one bounded query which of them occur in that role, and for
each that does not, names the closest terms that do: by edit distance on the
local name and on the labels and inverses of the table in
:mod:`graph.sparql.terms` (checked in one more bounded query, which also asks
whether the term plays the other role: ``?c a ev:claim``, where ``ev:claim``
is a predicate). It works the same on every store, remote endpoints included,
and costs nothing when the result is not empty.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

from graph.sparql.results import QueryResult, compact_iri

__all__ = [
    "RDF_TYPE",
    "Hint",
    "empty_result_hints",
    "is_empty",
    "occurrence_query",
    "occurring",
    "query_terms",
    "suggest",
]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: How many close terms a hint names, at most.
MAX_SUGGESTIONS = 3
#: Candidates looked up in the graph per missing term (the closest ones of the table).
_CANDIDATES = 8
#: Lowest similarity (0..1) at which a term counts as close.
_CUTOFF = 0.6
#: How far below the best match a term may score and still be named.
_MARGIN = 0.25


@dataclass(frozen=True)
class Hint:
    """A term of the query that occurs nowhere in the graph, and close ones that do."""

    iri: str
    kind: str  # "predicate" or "class"
    suggestions: tuple[str, ...] = ()
    #: the suggestion that is the term's inverse (subject and object swapped), if any
    inverse: str | None = None
    #: the other role ("class" or "predicate") in which the graph does use the term, if it does
    used_as: str | None = None

    def __str__(self) -> str:
        text = f"the {self.kind} {compact_iri(self.iri)} occurs nowhere in the graph"
        if self.used_as:
            text += f" as a {self.kind}, only as a {self.used_as}"
        if not self.suggestions:
            return text + " (`evg query --terms` lists the terms it uses)"
        names = [
            compact_iri(s) + (" (its inverse: swap subject and object)" if s == self.inverse else "")
            for s in self.suggestions
        ]
        return text + "; did you mean: " + ", ".join(names) + "?"


def is_empty(result: QueryResult) -> bool:
    """No rows, ``false``, or an empty graph."""
    if result.form == "ASK":
        return not result.boolean
    if result.is_graph:
        return result.graph is None or len(result.graph) == 0
    return not result.rows


# Tokens for finding the predicates and classes of a query's patterns: like
# graph.sparql.text.TOKEN, with numbers and literals (tags, datatypes) whole.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<literal>(?:"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
        (?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:<[^<>"{}|^`\\\s]*>|[A-Za-z_][\w\-]*:[\w.\-]*|:[\w.\-]*))?
        |[+-]?(?:\d*\.\d+(?:[eE][+-]?\d+)?|\d+\.\d*[eE][+-]?\d+|\d+))
    |(?P<iri><[^<>"{}|^`\\\s]*>)
    |(?P<var>[?$]\w+)
    |(?P<pname>(?:[A-Za-z][\w\-]*)?:(?:[\w\-]|\.(?=[\w\-]))*)
    |(?P<word>[A-Za-z_]\w*)
    |(?P<space>\s+)
    |(?P<other>.)""",
    re.X | re.S,
)
#: Words after which an expression follows (skipped, but for EXISTS groups in it).
_EXPRESSION_WORDS = frozenset(("FILTER", "BIND", "HAVING", "EXISTS", "NOT"))
#: Words before a group: what lies between them and the group is no pattern.
_BEFORE_GROUP = frozenset(("OPTIONAL", "MINUS", "UNION", "GRAPH", "SERVICE", "SELECT", "WHERE"))
#: Solution modifiers of a sub-query: skipped up to the next brace.
_MODIFIERS = frozenset(("GROUP", "ORDER", "LIMIT", "OFFSET"))


class _Scanner:
    """A small state machine over a query's tokens that records the IRIs in
    predicate position (property paths included, negated ones not) and those
    that follow ``a`` or ``rdf:type`` as a class. It reads the pattern
    groups only, not the SELECT clause or a CONSTRUCT template, and passes
    over expressions except for the EXISTS groups inside them."""

    def __init__(self, text: str):
        from graph.model.namespaces import PREFIXES

        self.prefixes = dict(PREFIXES)
        self.found: dict[str, str] = {}
        self.toks = [m for m in _TOKEN.finditer(text) if m.lastgroup not in ("comment", "space")]

    def text(self, i: int) -> str:
        return self.toks[i].group() if i < len(self.toks) else ""

    def iri(self, m) -> str | None:
        if m.lastgroup == "iri":
            value = m.group()[1:-1]
            return value if re.match(r"[A-Za-z][\w+.\-]*:", value) else None
        if m.lastgroup == "pname":
            prefix, _, local = m.group().partition(":")
            ns = self.prefixes.get(prefix)
            return ns + local if ns is not None else None
        if m.lastgroup == "word" and m.group() == "a":
            return RDF_TYPE
        return None

    def scan(self) -> dict[str, str]:
        toks = self.toks
        for i in range(len(toks) - 2):  # the query's own PREFIX lines
            kinds = (toks[i + 1].lastgroup, toks[i + 2].lastgroup)
            if toks[i].group().upper() == "PREFIX" and kinds == ("pname", "iri"):
                self.prefixes[toks[i + 1].group()[:-1]] = toks[i + 2].group()[1:-1]
        i, form, seen_where = 0, None, False
        while i < len(toks):
            word = toks[i].group().upper()
            if form is None and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = word
            seen_where = seen_where or word == "WHERE"
            if word == "{":
                if form == "CONSTRUCT" and not seen_where and self.text(i + 1) != "}":
                    # the template of CONSTRUCT { ... } WHERE { ... }; with
                    # CONSTRUCT WHERE { ... } the group is the pattern
                    i, seen_where = self.skip_braces(i), True
                    continue
                i = self.group(i + 1)
                continue
            i += 1
        return self.found

    def skip_braces(self, i: int) -> int:
        depth = 0
        while i < len(self.toks):
            t = self.toks[i].group()
            depth += t == "{"
            depth -= t == "}"
            i += 1
            if depth == 0:
                break
        return i

    def skip_parens(self, i: int) -> int:
        """From an opening parenthesis to past its match, reading any group inside."""
        depth = 0
        while i < len(self.toks):
            t = self.toks[i].group()
            if t == "{":
                i = self.group(i + 1)
                continue
            depth += t == "("
            depth -= t == ")"
            i += 1
            if depth <= 0:
                break
        return i

    def skip_to_group(self, i: int) -> int:
        while i < len(self.toks) and self.toks[i].group() not in ("{", "}"):
            i = self.skip_parens(i) if self.toks[i].group() == "(" else i + 1
        return i

    def group(self, i: int) -> int:
        """Read a group from just after its ``{``; the index past its ``}``."""
        toks = self.toks
        state = "subject"  # subject, predicate, object or after (an object)
        bnodes: list[str] = []  # for each open [, whether it stood for a subject or an object
        expect = False  # in a predicate: a path element comes next
        parens = 0  # open parentheses of the path being read
        elements = 0  # elements of that path
        typed = False  # the path is just rdf:type
        while i < len(toks):
            m = toks[i]
            t, kind, word = m.group(), m.lastgroup, m.group().upper()
            if t == "}":
                return i + 1
            if t == "{":
                i, state = self.group(i + 1), "subject"
                continue
            if kind == "word" and t != "a" and word not in ("TRUE", "FALSE") and state in ("subject", "after"):
                if word in _EXPRESSION_WORDS:
                    i += 1
                    while self.text(i).upper() in ("NOT", "EXISTS"):
                        i += 1
                    if i < len(toks) and toks[i].lastgroup == "word":  # FILTER regex(...)
                        i += 1
                    if self.text(i) == "(":
                        i = self.skip_parens(i)
                elif word == "VALUES":  # a data block, not a group
                    while i < len(toks) and toks[i].group() not in ("{", "}"):
                        i += 1
                    i = self.skip_braces(i) if self.text(i) == "{" else i
                elif word in _BEFORE_GROUP or word in _MODIFIERS:
                    i = self.skip_to_group(i + 1)
                else:
                    i += 1
                state = "subject"
                continue
            if state == "predicate":
                if expect and (kind in ("iri", "pname", "var") or t == "a"):
                    iri = self.iri(m)
                    elements += 1
                    typed = iri == RDF_TYPE and elements == 1
                    if iri is not None and iri != RDF_TYPE:
                        self.found.setdefault(iri, "predicate")
                    expect = False
                    i += 1
                    continue
                if t in ("/", "|", "^"):
                    expect, typed = True, False
                    i += 1
                    continue
                if t == "!":  # negated: the terms it must not be are no mistake
                    i = self.skip_parens(i + 1) if self.text(i + 1) == "(" else i + 2
                    expect, typed = False, False
                    continue
                if t == "(" and expect:
                    parens += 1
                    i += 1
                    continue
                if t == ")" and parens:
                    parens -= 1
                    i += 1
                    continue
                if t in ("*", "+", "?") and not expect:
                    typed = False
                    i += 1
                    continue
                state = "object"  # anything else starts the object
            if state in ("subject", "object"):
                if kind in ("literal", "iri", "pname", "var") or (kind == "word" and word in ("TRUE", "FALSE")):
                    if state == "object" and typed:
                        iri = self.iri(m)
                        if iri is not None:
                            self.found.setdefault(iri, "class")
                    state = self._after(state)
                    expect, elements, parens = state == "predicate", 0, 0
                    i += 1
                    continue
                if t == "[":
                    bnodes.append(state)
                    state, expect, elements, parens, typed = "predicate", True, 0, 0, False
                    i += 1
                    continue
                if t == "(":  # a collection: its members are subjects or objects
                    i = self.skip_parens(i)
                    state = self._after(state)
                    expect, elements, parens = state == "predicate", 0, 0
                    continue
            if t == "]" and bnodes:
                state = self._after(bnodes.pop())
                expect, elements, parens, typed = state == "predicate", 0, 0, False
            elif t == ";":
                state, expect, elements, parens, typed = "predicate", True, 0, 0, False
            elif t == ",":
                state = "object"
            elif t == ".":
                state, typed = "subject", False
            i += 1
        return i

    @staticmethod
    def _after(state: str) -> str:
        return "predicate" if state == "subject" else "after"


def query_terms(text: str) -> dict[str, str]:
    """IRI -> "predicate" or "class": the terms the query's patterns use as
    predicates (property paths included, negated ones not) and as the class
    of ``a``/``rdf:type``. Read from the tokens, without a SPARQL parser, so
    that it costs well under a millisecond; for a query that parses."""
    return dict(sorted(_Scanner(text).scan().items()))


#: How to find a term in each role: a triple that uses it so.
_ROLE_PATTERNS = {"predicate": "?s ?t ?o", "class": "?s a ?t"}


def occurrence_query(terms) -> str | None:
    """The one query that asks which of ``terms`` ((IRI, "predicate" or
    "class") pairs) a graph uses in that role: rows ``?t ?k``. Its size is
    bounded by the number of terms asked about, not by the graph (``VALUES``
    and ``FILTER EXISTS`` per role, plain SPARQL 1.1); None for no terms."""
    terms = set(terms)
    groups = []
    for kind, pattern in _ROLE_PATTERNS.items():
        iris = sorted(i for i, k in terms if k == kind)
        if iris:
            values = " ".join(f"<{i}>" for i in iris)
            groups.append(f'{{ VALUES ?t {{ {values} }} FILTER EXISTS {{ {pattern} }} BIND("{kind}" AS ?k) }}')
    return "SELECT ?t ?k WHERE { " + " UNION ".join(groups) + " }" if groups else None


def occurring(eg, terms) -> set[tuple[str, str]]:
    """Those of ``terms`` that ``eg`` uses in their role: an index lookup
    each on a local store, :func:`occurrence_query` on a remote endpoint
    (:meth:`graph.store.base.Backend.uses_terms`)."""
    return eg.backend.uses_terms(set(terms))


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1]


def _namespace(iri: str) -> str:
    return iri[: len(iri) - len(_local(iri))]


def _words(text: str) -> set[str]:
    """Content words of a name or label, crudely stemmed: givesSupportTo -> {give, support}."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    out = set()
    for word in re.split(r"[^A-Za-z0-9]+", spaced.lower()):
        if len(word) > 3 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word and word not in _STOP:
            out.add(word)
    return out


_STOP = frozenset(("a", "an", "as", "by", "for", "from", "has", "in", "is", "of", "the", "to", "was", "with"))


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class _Forms:
    """A term's names (local name and labels) squashed for character
    comparison, and its content words."""

    squashed: tuple[str, ...]
    words: frozenset[str]

    @classmethod
    def of(cls, names) -> _Forms:
        names = [n for n in names if n]
        return cls(
            tuple(dict.fromkeys(_squash(n) for n in names)),
            frozenset().union(*(_words(n) for n in names)) if names else frozenset(),
        )


def _similarity(a: _Forms, b: _Forms) -> tuple[float, float]:
    """(score, character similarity) of two terms: the better of the
    similarity of their names' characters and the share of content words
    they have in common."""
    chars = 0.0
    for x in a.squashed:
        matcher = difflib.SequenceMatcher(None, "", x)
        for y in b.squashed:
            matcher.set_seq1(y)
            if matcher.real_quick_ratio() > chars and matcher.quick_ratio() > chars:
                chars = max(chars, matcher.ratio())
    common = len(a.words & b.words) / len(a.words | b.words) if a.words and b.words else 0.0
    words = 0.3 + 0.7 * common if common else 0.0
    return max(chars, words), chars


@cache
def _table_forms() -> tuple[tuple[object, _Forms], ...]:
    from graph.sparql.terms import vocabulary

    return tuple((t, _Forms.of([_local(t.iri), *t.labels])) for t in vocabulary().terms.values())


def suggest(iri: str, kind: str) -> list[tuple[str, bool, float]]:
    """Terms of the table close to ``iri`` (of the same kind), best first:
    (IRI, whether it is ``iri``'s inverse, similarity). Not yet checked
    against any graph."""
    from graph.sparql.terms import vocabulary

    own = vocabulary().get(iri)
    forms = _Forms.of([_local(iri), *(own.labels if own else ())])
    scored = []
    for other, other_forms in _table_forms():
        if other.iri == iri or other.kind != kind:
            continue
        inverse = other.inverse == iri or (own is not None and own.inverse == other.iri)
        score, chars = _similarity(forms, other_forms)
        if inverse:
            score = 1.0
        if score < _CUTOFF:
            continue
        if _namespace(other.iri) == _namespace(iri):
            score += 0.05
        scored.append((-score, -chars, other.iri, inverse))
    scored.sort()
    return [(i, inv, -score) for score, _, i, inv in scored[:_CANDIDATES]]


def empty_result_hints(eg, text: str, result: QueryResult | None = None) -> list[Hint]:
    """Hints for ``text`` when ``result`` is empty (or not given): one per
    predicate or class of the query that the graph never uses, with up to
    :data:`MAX_SUGGESTIONS` close terms that it does use. Empty when the
    result has anything in it, every term occurs, or a remote endpoint fails
    to answer the lookups (a hint never turns an answer into an error)."""
    if result is not None and not is_empty(result):
        return []
    from graph.model.errors import EvidenceGraphError

    terms = query_terms(text)
    if not terms:
        return []
    try:
        found = occurring(eg, terms.items())
        missing = [iri for iri, kind in terms.items() if (iri, kind) not in found]
        if not missing:
            return []
        candidates = {iri: suggest(iri, terms[iri]) for iri in missing}
        other = {iri: "class" if terms[iri] == "predicate" else "predicate" for iri in missing}
        asked = {(c, terms[iri]) for iri, close in candidates.items() for c, _, _ in close}
        present = occurring(eg, asked | set(other.items()))
    except EvidenceGraphError:  # an endpoint that answered the query but not these: no hints
        return []
    hints = []
    for iri in missing:
        kind = terms[iri]
        close = [(c, inv, score) for c, inv, score in candidates[iri] if (c, kind) in present]
        # Far behind the best match that occurs is no match: keep those within _MARGIN of it.
        close = [(c, inv) for c, inv, score in close if score >= close[0][2] - _MARGIN][:MAX_SUGGESTIONS]
        inverse = next((c for c, inv in close if inv), None)
        used_as = other[iri] if (iri, other[iri]) in present else None
        hints.append(Hint(iri, kind, tuple(c for c, _ in close), inverse, used_as))
    return hints
