"""Query text: the read-only check, a light tokenizer (query form, groups),
parameters as RDF terms, and :func:`bind_values`, which binds them."""

from __future__ import annotations

import contextlib
import re
import sys

from rdflib.term import Node

from graph.model.errors import QueryError
from graph.model.namespaces import PREFIXES
from graph.sparql.results import turtle_term

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_QUERY_DEPTH",
    "MAX_TRIPLE_PATTERNS",
    "READ_FORMS",
    "TOKEN",
    "UPDATE_WORDS",
    "bind_values",
    "check_limits",
    "check_query",
    "deep_recursion",
    "query_form",
    "query_variables",
    "significant_tokens",
    "value_text",
]

#: The query forms that run; everything else (updates) is refused.
READ_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

_FORM_NAMES = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_UPDATE_NAMES = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}

#: Words that start an update.
UPDATE_WORDS = frozenset(("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"))


def _syntax_message(exc) -> str:
    msg = re.sub(r"\s*\(at char \d+\),\s*\(line:\d+, col:\d+\)\s*$", "", str(exc))
    msg = msg.replace(
        "Expected {SelectQuery | ConstructQuery | DescribeQuery | AskQuery}",
        "expected SELECT, ASK, CONSTRUCT or DESCRIBE",
    )
    return msg


def _walk(node):
    """Every CompValue in an rdflib parse tree or algebra."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    seen = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


#: The largest query text accepted, in characters.
MAX_QUERY_CHARS = 200_000
#: The deepest nesting of ``{}``, ``()`` and ``[]`` accepted (a run of unary
#: ``!``, ``+`` or ``-`` counts one level per operator): parsers recurse on
#: each level, and Oxigraph's overflows its stack a few thousand levels down.
MAX_QUERY_DEPTH = 100
#: The most triple patterns accepted, counted from the text as the ``.``,
#: ``;`` and ``,`` separators plus one per group (an upper bound).
MAX_TRIPLE_PATTERNS = 5_000

_OPENERS, _CLOSERS = "{([", "})]"


def check_limits(text: str, *, where: str = "query") -> None:
    """Refuse a query longer, deeper or with more triple patterns than
    :data:`MAX_QUERY_CHARS`, :data:`MAX_QUERY_DEPTH` and
    :data:`MAX_TRIPLE_PATTERNS` allow, before any parser sees it
    (:class:`QueryError`, one line, with the line of the excess)."""
    if not any(m.lastgroup != "comment" and not m.group().isspace() for m in TOKEN.finditer(text)):
        raise QueryError(f"{where}: the query is empty")  # blanks and comments only
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"{where}: the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    depth = run = patterns = 0
    previous = ""
    for m in TOKEN.finditer(text):
        kind, token = m.lastgroup, m.group()
        if kind == "comment" or token.isspace():
            continue
        if kind == "open" or token in "([":
            depth += 1
            patterns += kind == "open"
        elif kind == "close" or token in ")]":
            depth -= 1
        if token in ("!", "-", "+") and kind == "other":
            run += 1
        elif not token.isspace():
            run = 0
        if depth + run > MAX_QUERY_DEPTH:
            line = text.count("\n", 0, m.start()) + 1
            raise QueryError(
                f"{where}:{line}: the query nests deeper than {MAX_QUERY_DEPTH} levels (groups, brackets or operators)"
            )
        if token in ";," or (token == "." and not (previous.isdigit() and text[m.end() : m.end() + 1].isdigit())):
            patterns += 1
            if patterns > MAX_TRIPLE_PATTERNS:
                line = text.count("\n", 0, m.start()) + 1
                raise QueryError(f"{where}:{line}: the query has more than {MAX_TRIPLE_PATTERNS:,} triple patterns")
        previous = token[-1:]


@contextlib.contextmanager
def deep_recursion():
    """Room for rdflib to parse and evaluate a query :data:`MAX_QUERY_DEPTH`
    levels deep: its parser (pyparsing) and evaluator recurse some 30 Python
    frames a level, beyond Python's default limit of 1,000."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 40 * MAX_QUERY_DEPTH + 2_000))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def check_query(text: str, *, allow_service: bool = False, where: str = "query"):
    """Parse ``text`` and return ``(form, parsed)``, where ``form`` is one of
    :data:`READ_FORMS`. Raises :class:`QueryError` for an empty query, a syntax
    error (with line and column), an update, or ``SERVICE`` unless allowed."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parser import parseUpdate

    check_limits(text, where=where)  # an empty query (blanks and comments only) too
    try:
        with deep_recursion():
            parsed = prepareQuery(text, initNs=PREFIXES)
    except ParseException as exc:
        try:
            update = parseUpdate(text)
        except Exception:
            raise QueryError(f"{where}:{exc.lineno}:{exc.col}: SPARQL syntax error: {_syntax_message(exc)}") from None
        ops = ", ".join(dict.fromkeys(_UPDATE_NAMES.get(r.name, r.name) for r in update.request))
        raise QueryError(
            f"{where}: refusing to run an update ({ops}); evg query runs only {', '.join(READ_FORMS)}"
        ) from None
    except Exception as exc:  # rdflib's algebra translation raises assorted errors
        raise QueryError(f"{where}: cannot run this query: {exc}") from None
    form = _FORM_NAMES.get(parsed.algebra.name)
    if form is None:  # pragma: no cover - the grammar only yields the four forms
        raise QueryError(f"{where}: unsupported query form {parsed.algebra.name}")
    if not allow_service and any(c.name == "ServiceGraphPattern" for c in _walk(parsed.algebra)):
        raise QueryError(f"{where}: SERVICE (a federated call to another endpoint) is refused; pass --allow-service")
    return form, parsed


def query_variables(parsed) -> set[str]:
    from rdflib.term import Variable

    out = set()
    for comp in _walk(parsed.algebra):
        for value in comp.values():
            items = value if isinstance(value, (list, tuple, set)) else [value]
            out.update(str(v) for v in items if isinstance(v, Variable))
        if comp.name == "BGP":
            out.update(str(t) for triple in comp.get("triples", ()) for t in triple if isinstance(t, Variable))
    # rdflib names aggregate results __agg_N__; they are not the user's variables.
    return {v for v in out if not v.startswith("__")}


# One lexical token of SPARQL, enough to find the query's WHERE group: comments,
# strings and IRIs are matched whole so that braces inside them do not count.
TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\s]*>)
    |(?P<var>[?$]\w+)
    |(?P<word>:?[A-Za-z_][\w.\-]*(?::[\w.\-]*)?)
    |(?P<open>\{)
    |(?P<close>\})
    |(?P<other>.)""",
    re.X | re.S,
)


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these words in the query
    (outside comments, strings and IRIs), for a query already checked; None if none."""
    for m in TOKEN.finditer(text):
        if m.lastgroup == "word" and m.group().upper() in READ_FORMS:
            return m.group().upper()
    return None


def significant_tokens(text: str) -> list:
    """The tokens of ``text`` without comments and blanks."""
    return [m for m in TOKEN.finditer(text) if m.lastgroup != "comment" and not m.group().isspace()]


def bind_values(text: str, bindings: dict[str, Node], *, form: str | None = None) -> str:
    """``text`` with ``VALUES (?a ?b) { (<x> "y") }`` placed first in its WHERE
    group, which binds the variables before the rest of the pattern is matched.

    This is how parameters reach every store: rdflib and Oxigraph both start
    from the bound values (Oxigraph's own ``substitutions`` join them only
    after evaluating everything), and a remote endpoint gets plain SPARQL 1.1.
    The clause goes on the same line, so line numbers hold. ``form`` (from
    :func:`check_query`; read from the text when not given) tells a CONSTRUCT
    template from the WHERE group. A query without a group (``DESCRIBE <x>``)
    gets a trailing VALUES clause.

    A ``MINUS`` group directly in the WHERE group gets the values of the bound
    variables it certainly binds as well (see :func:`_minus_binds`): engines
    evaluate MINUS on its own, over the whole graph, and this restricts it to
    the rows that can remove anything, without changing the answer.
    """
    if not bindings:
        return text

    terms = {name: value_text(term, name) for name, term in bindings.items()}

    def clause(names):
        row = " ".join(terms[n] for n in names)
        return "VALUES (" + " ".join("?" + n for n in names) + ") { (" + row + ") }"

    tokens = significant_tokens(text)
    form = form or query_form(text)
    depth, seen_where, start = 0, False, None
    for i, m in enumerate(tokens):
        kind = m.lastgroup
        if kind == "open":
            if depth == 0 and (seen_where or form != "CONSTRUCT"):
                start = i
                break
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word" and depth == 0 and m.group().upper() == "WHERE":
            seen_where = True
    if start is None:
        return f"{text}\n{clause(list(bindings))}"
    inserts = [(tokens[start].end(), clause(list(bindings)))]
    depth = 1
    for i in range(start + 1, len(tokens)):
        kind = tokens[i].lastgroup
        if kind == "open":
            if tokens[i - 1].group().upper() == "MINUS" and depth == 1:
                binds = _minus_binds(tokens[i + 1 : _group_end(tokens, i)])
                names = [n for n in bindings if n in binds]
                if names:
                    inserts.append((tokens[i].end(), clause(names)))
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth == 0:
                break
    for position, values in sorted(inserts, reverse=True):
        text = f"{text[:position]} {values} {text[position:]}"
    return text


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def value_text(term: Node, name: str = "value") -> str:
    """``term`` as SPARQL text for a VALUES row, written by
    :func:`~graph.sparql.results.turtle_term` (literals escaped), after
    checking what it cannot escape: an IRI (or datatype) holding a blank or
    one of ``<>"{}|^`\\``, a malformed language tag, a blank node (VALUES
    cannot hold one). Raises :class:`QueryError` naming ``--param name``."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, BNode) or not isinstance(term, (URIRef, Literal)):
        raise QueryError(f"--param {name}: a {type(term).__name__} cannot be bound (use an IRI or a literal)")
    iris = [str(term)] if isinstance(term, URIRef) else [str(term.datatype)] if term.datatype else []
    for iri in iris:
        bad = _BAD_IRI.search(iri)
        if bad:
            raise QueryError(f"--param {name}: {bad.group()!r} is not allowed in an IRI")
    if isinstance(term, Literal) and term.language and not _LANG_TAG.fullmatch(term.language):
        raise QueryError(f"--param {name}: {term.language!r} is not a language tag")
    return turtle_term(term)


def _group_end(tokens, i: int) -> int:
    # The index of the brace that closes the group opened at tokens[i].
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].lastgroup == "open":
            depth += 1
        elif tokens[j].lastgroup == "close":
            depth -= 1
            if depth == 0:
                return j
    return len(tokens)


def _minus_binds(body) -> set[str]:
    """The variables every solution of a MINUS group binds, for a group that is
    a plain basic graph pattern with filters (no nested group, no BIND or
    VALUES): those named in a triple pattern, outside any FILTER. For any other
    group, none, so that nothing is moved into it."""
    out, filter_depth, parens = set(), None, 0
    for m in body:
        kind, token = m.lastgroup, m.group()
        if kind == "open" or (kind == "word" and token.upper() in ("BIND", "VALUES", "SERVICE", "GRAPH")):
            return set()
        if kind == "word" and token.upper() == "FILTER":
            filter_depth = parens
        elif token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
            if filter_depth is not None and parens == filter_depth:
                filter_depth = None
        elif kind == "var" and filter_depth is None:
            out.add(token[1:])
    return out
