"""Which lane of workers a query goes to.

The endpoint keeps workers of its own for *lookups*: a shipped named query
whose parameters are bound by ``VALUES`` clauses of one row each, placed first
in a group (what ``evg query NAME --endpoint URL --param ...`` sends, and what
a user writes in a tab of the web editor). Bound to one item, these answer in
milliseconds whatever the size of the graph; every other query, hostile or
merely long, runs in the general lane, so it can never make a lookup wait.

The decision reads tokens only (the tokenizer of :mod:`graph.sparql.text`, one
regular expression, linear in the text); the query is still checked and run
in a worker like any other.
"""

from __future__ import annotations

from functools import cache

__all__ = ["GENERAL", "LOOKUP", "lane"]

LOOKUP = "lookup"
GENERAL = "general"

#: Characters; the longest shipped named query is under 3,000.
_LONGEST = 20_000


def lane(text: str) -> str:
    """:data:`LOOKUP` for a bound named query as described above, else :data:`GENERAL`."""
    from graph.sparql.text import significant_tokens

    if len(text) > _LONGEST:  # no bound named query is this long: do not even tokenize it
        return GENERAL
    shape = _shape(significant_tokens(text))
    if shape is None:
        return GENERAL
    body, bound = shape
    params = _named_shapes().get(body)
    if params is None or not bound or not bound <= params:
        return GENERAL
    return LOOKUP


@cache
def _named_shapes() -> dict[tuple[str, ...], frozenset[str]]:
    """The shape of each shipped named query that has parameters -> their names."""
    from graph.sparql import list_queries
    from graph.sparql.text import significant_tokens

    out = {}
    for query in list_queries():
        shape = _shape(significant_tokens(query.text))
        if query.params and shape is not None and not shape[1]:
            out[shape[0]] = frozenset(query.params)
    return out


@cache
def _prefixes() -> dict[str, str]:
    from graph.model.namespaces import PREFIXES

    return {f"{name}:": f"<{iri}>" for name, iri in PREFIXES.items()}


def _word(m) -> str:
    text = m.group()
    return text.upper() if m.lastgroup == "word" and ":" not in text else text


def _shape(tokens) -> tuple[tuple[str, ...], frozenset[str]] | None:
    """The query's tokens without its PREFIX declarations and the one-row
    VALUES clauses that open a group, and the variables those clauses bind;
    None when a declaration differs from the project's prefixes, or for a BASE."""
    out: list[str] = []
    bound: set[str] = set()
    i, n = 0, len(tokens)
    while i < n:
        word = _word(tokens[i])
        if word == "BASE":
            return None
        if word == "PREFIX":
            if i + 2 >= n:
                return None
            name, iri = tokens[i + 1].group(), tokens[i + 2].group()
            if _prefixes().get(name) != iri:
                return None
            i += 3
            continue
        if word == "VALUES" and out and out[-1] == "{":
            end, names = _values(tokens, i + 1)
            if end is not None:
                bound.update(names)
                i = end
                continue
        out.append(word)
        i += 1
    return tuple(out), frozenset(bound)


def _values(tokens, i: int) -> tuple[int | None, list[str]]:
    """Read ``?v { t }`` or ``(?a ?b) { (s t) }`` from ``tokens[i]``: the index
    after it and the variable names, or (None, []) unless it is one row of
    constant terms (a query's own table of several rows stays in its shape)."""
    n = len(tokens)

    def text(k):
        return tokens[k].group() if k < n else ""

    names: list[str] = []
    if i < n and tokens[i].lastgroup == "var":
        names, i, row = [tokens[i].group()[1:]], i + 1, False
    elif text(i) == "(":
        i += 1
        while i < n and tokens[i].lastgroup == "var":
            names.append(tokens[i].group()[1:])
            i += 1
        if text(i) != ")" or not names:
            return None, []
        i, row = i + 1, True
    else:
        return None, []
    if text(i) != "{":
        return None, []
    i += 1
    if row:
        if text(i) != "(":
            return None, []
        i += 1
    for _ in names:
        i = _term(tokens, i)
        if i is None:
            return None, []
    if row:
        if text(i) != ")":
            return None, []
        i += 1
    if text(i) != "}":
        return None, []
    return i + 1, names


def _term(tokens, i: int) -> int | None:
    """The index after one constant term (an IRI, a prefixed name, a string
    with its language tag or datatype) at ``tokens[i]``, else None."""
    n = len(tokens)
    if i >= n:
        return None
    m = tokens[i]
    if m.lastgroup == "iri" or (m.lastgroup == "word" and ":" in m.group()):
        return i + 1
    if m.lastgroup != "string":
        return None
    i += 1
    if i + 1 < n and tokens[i].group() == "@" and tokens[i + 1].lastgroup == "word":
        return i + 2
    if i + 2 < n and tokens[i].group() == "^" and tokens[i + 1].group() == "^":
        nxt = tokens[i + 2]
        if nxt.lastgroup == "iri" or (nxt.lastgroup == "word" and ":" in nxt.group()):
            return i + 3
        return None
    return i
