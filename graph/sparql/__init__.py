"""Read-only SPARQL over the evidence graph: named queries, checks, results.

:func:`run_query` checks a query (read forms only, no ``SERVICE`` unless
allowed), binds parameters, runs it through :meth:`EvidenceGraph.query`, and
returns a backend-neutral :class:`QueryResult`. The ``to_*`` functions write
that result in the W3C SPARQL 1.1 result formats (JSON, CSV, TSV), as Turtle
for graphs, or as a text table. Execution and formatting stay apart so another
store or a remote endpoint only has to produce a :class:`QueryResult`.

>>> import graph
>>> from graph.sparql import run_query, named_query, to_tsv
>>> result = run_query(graph.load(), named_query("claims-of-source").text, params={"source": "chaudhry2008"})
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.model.errors import NotFoundError, QueryError
from graph.model.namespaces import ARTICLE, CLAIM, CONCEPT, PREFIXES, REVIEW, SOURCE, STATEMENT, XSD, bind_prefixes
from graph.model.paths import QUERIES_DIR, read_text

__all__ = [
    "FORMATS",
    "READ_FORMS",
    "NamedQuery",
    "QueryResult",
    "bind_values",
    "check_query",
    "compact_iri",
    "format_result",
    "list_queries",
    "named_query",
    "parse_param",
    "run_query",
    "to_csv",
    "to_json",
    "to_table",
    "to_tsv",
    "to_turtle",
]

#: The query forms that run; everything else (updates) is refused.
READ_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: Output formats of :func:`format_result`.
FORMATS = ("table", "json", "csv", "tsv")

#: A bare parameter value for a variable of this name is a slug in this namespace,
#: so ``--param claim=itbs-friction-syndrome`` means ``claim:itbs-friction-syndrome``.
SLUG_NAMESPACES = {
    "claim": CLAIM,
    "other": CLAIM,
    "source": SOURCE,
    "article": ARTICLE,
    "topic": CONCEPT,
    "concept": CONCEPT,
    "review": REVIEW,
    "statement": STATEMENT,
}

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
_PARAM_LINE = re.compile(r"^#\s*param\s+\?(\w+)\s*:?\s*(.*)$", re.IGNORECASE)


# --- named queries --------------------------------------------------------------


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file shipped in ``graph/queries/``; its first line is ``# description``
    and ``# param ?var: help`` lines document the variables ``--param`` may bind."""

    name: str
    path: Path

    @cached_property
    def text(self) -> str:
        return read_text(self.path)

    @property
    def description(self) -> str:
        first = self.text.splitlines()[0] if self.text else ""
        return first.lstrip("#").strip()

    @property
    def params(self) -> dict[str, str]:
        """Variable name -> what to bind it to, from the ``# param`` lines."""
        out = {}
        for line in self.text.splitlines():
            m = _PARAM_LINE.match(line.strip())
            if m:
                out[m.group(1)] = m.group(2).strip()
        return out


def list_queries(folder: Path = QUERIES_DIR) -> list[NamedQuery]:
    """The named queries, sorted by name. Sub-folders hold the queries that
    features use internally and are not listed."""
    return [NamedQuery(p.stem, p) for p in sorted(folder.glob("*.rq")) if p.is_file()]


def named_query(name: str) -> NamedQuery:
    """One named query; :class:`NotFoundError` with the closest names if unknown."""
    queries = {q.name: q for q in list_queries()}
    name = name.strip().removesuffix(".rq")
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.4)
    if not close:  # a word of the name is often enough: "contested" -> contested-claims
        close = [q for q in queries if name and name.lower() in q][:3]
    raise NotFoundError("query", name, close)


def _internal_query(relpath: str) -> str:
    """Text of a query used by the library itself, e.g. ``network/edges.rq``."""
    return read_text(QUERIES_DIR / relpath)


# --- checking -------------------------------------------------------------------


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


def check_query(text: str, *, allow_service: bool = False, where: str = "query"):
    """Parse ``text`` and return ``(form, parsed)``, where ``form`` is one of
    :data:`READ_FORMS`. Raises :class:`QueryError` for an empty query, a syntax
    error (with line and column), an update, or ``SERVICE`` unless allowed."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parser import parseUpdate

    if not text.strip():
        raise QueryError(f"{where}: the query is empty")
    try:
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


def _variables(parsed) -> set[str]:
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


def _light_check(text: str, allow_service: bool) -> tuple[str, set[str]] | None:
    """``(form, variables)`` read from the tokens alone, for a store that parses
    the query itself (Oxigraph): rdflib's parser costs 5-50 ms a query, more
    than a bound query takes to run. None when the tokens leave any doubt (an
    update keyword, SERVICE, no query form): :func:`check_query` decides then.
    A query the store then refuses gets :func:`check_query`'s message too."""
    form, variables = None, set()
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "var":
            variables.add(m.group()[1:])
        elif kind == "word":
            word = m.group().upper()
            if word in _UPDATE_WORDS or (word == "SERVICE" and not allow_service):
                return None
            if form is None and word in READ_FORMS:
                form = word
    return None if form is None else (form, variables)


#: Words that start an update; the light check leaves queries with any of them to rdflib.
_UPDATE_WORDS = frozenset(("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"))


# --- parameters -----------------------------------------------------------------


def parse_param(name: str, value: str | Node, eg=None) -> Node:
    """Turn a ``--param`` value into an RDF term.

    Accepted: ``<IRI>``, ``http(s)://...``, a prefixed name (``claim:slug``,
    ``source:key``, any prefix of :data:`~graph.model.namespaces.PREFIXES`), a Turtle
    literal (``"text"``, ``"text"@en``, ``"5"^^xsd:integer``), a number or
    ``true``/``false``. A bare word for a variable named claim, source,
    article, topic, concept, review or statement is a slug in that namespace;
    any other bare word is a plain literal. With ``eg``, claims and sources
    must exist (unknown ones raise :class:`NotFoundError` with close names).
    """
    if isinstance(value, Node):
        return value
    raw = value.strip()
    term: Node
    if raw.startswith("<") and raw.endswith(">"):
        term = URIRef(raw[1:-1])
    elif re.match(r"^(https?|urn|doi|file):", raw):
        term = URIRef(raw)
    elif raw.startswith(("'", '"')):
        term = _turtle_literal(raw)
    elif re.fullmatch(r"[+-]?\d+", raw):
        term = Literal(raw, datatype=XSD.integer)
    elif re.fullmatch(r"[+-]?\d*\.\d+", raw):
        term = Literal(raw, datatype=XSD.decimal)
    elif raw in ("true", "false"):
        term = Literal(raw, datatype=XSD.boolean)
    elif ":" in raw and raw.split(":", 1)[0] in PREFIXES:
        prefix, local = raw.split(":", 1)
        term = URIRef(PREFIXES[prefix] + local)
    elif name in SLUG_NAMESPACES and re.fullmatch(r"[\w.\-]+", raw):
        term = URIRef(str(SLUG_NAMESPACES[name]) + raw)
    else:
        term = Literal(raw)
    if eg is not None and isinstance(term, URIRef):
        term = _known(eg, term, raw.strip("<>"))
    return term


def _turtle_literal(raw: str) -> Literal:
    from rdflib.util import from_n3

    g = Graph()
    bind_prefixes(g)
    try:
        term = from_n3(raw, nsm=g.namespace_manager)
    except Exception as exc:
        raise QueryError(f"--param: cannot read {raw!r} as a Turtle literal: {exc}") from None
    if not isinstance(term, Literal):
        raise QueryError(f"--param: {raw!r} is not a literal")
    return term


def _is_article(eg, iri: URIRef) -> bool:
    # One lookup, not the list of every article (5,000 of them in a big corpus).
    from graph.model.namespaces import FABIO

    return eg.ask(f"ASK {{ ?a a <{FABIO.WebArticle}> }}", {"a": iri})


def _known(eg, iri: URIRef, given: str) -> URIRef:
    """The IRI itself, after checking that a claim, source or article exists
    (error messages name the value as the user gave it)."""
    text = str(iri)
    if text.startswith(str(CLAIM)):
        return eg.resolve_claim(given)
    if text.startswith(str(SOURCE)):
        return eg.resolve_source(given)
    if text.startswith(str(ARTICLE)) and not _is_article(eg, iri):
        slugs = [str(a)[len(str(ARTICLE)) :] for a in eg.article_iris]
        slug = text[len(str(ARTICLE)) :]
        close = difflib.get_close_matches(slug, slugs, n=3, cutoff=0.4) or [s for s in slugs if slug in s][:3]
        raise NotFoundError("article", given, close)
    return iri


# --- running --------------------------------------------------------------------


@dataclass(frozen=True)
class QueryResult:
    """What a query returned, independent of the store that ran it.

    SELECT: ``variables`` and ``rows`` (tuples of RDF terms, None where
    unbound). ASK: ``boolean``. CONSTRUCT and DESCRIBE: ``graph``.
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def dicts(self) -> list[dict[str, Node | None]]:
        """SELECT rows as dicts, variable name -> term or None."""
        return [dict(zip(self.variables, row)) for row in self.rows]

    @classmethod
    def from_rdflib(cls, result, form: str) -> QueryResult:
        """Wrap an rdflib ``Result`` (the shape :meth:`EvidenceGraph.query` returns)."""
        if form == "ASK":
            return cls(form, boolean=bool(result.askAnswer))
        if form in ("CONSTRUCT", "DESCRIBE"):
            g = Graph()
            bind_prefixes(g)
            for triple in result.graph if result.graph is not None else ():
                g.add(triple)
            return cls(form, graph=g)
        names = tuple(str(v) for v in result.vars)
        rows = tuple(tuple(row[i] for i in range(len(names))) for row in result)
        return cls(form, variables=names, rows=rows)


def run_query(
    eg,
    text: str,
    params: dict[str, str | Node] | None = None,
    *,
    allow_service: bool = False,
    where: str = "query",
) -> QueryResult:
    """Check and run one read-only SPARQL query on ``eg``.

    ``params`` binds variables before the query runs (``{"claim": "claim:slug"}``;
    values as :func:`parse_param` reads them) through :func:`bind_values`, so
    every store, and a remote endpoint, runs the same self-contained text. ``where`` names the query in
    error messages (a file name, ``-e``, or a named query). The project's
    prefixes are predeclared, so queries may use ``ev:``, ``cito:``, ``claim:``
    ... without PREFIX lines.
    """
    fast = getattr(eg.backend, "select_rows", None)  # Oxigraph: it parses the query itself
    light = _light_check(text, allow_service) if fast is not None else None
    if light is None:
        form, parsed = check_query(text, allow_service=allow_service, where=where)
    else:
        form, parsed = light[0], None
    bindings = {}
    if params:
        known = _variables(parsed) if light is None else light[1]
        for name, value in params.items():
            name = name.lstrip("?$")
            if name not in known:
                listed = ", ".join("?" + v for v in sorted(known)) or "none"
                raise QueryError(f"{where}: --param {name}: the query has no variable ?{name} (it has {listed})")
            bindings[name] = parse_param(name, value, eg)
    given = text
    try:
        text = bind_values(text, bindings, form=form) if bindings else text
        if fast is not None and form == "SELECT":  # rows straight to tuples, no rdflib Result in between
            split = split_order(text)
            if split is not None:  # Oxigraph sorts slowly (5 us a row in memory, 70 on disk): sort here
                names, rows = fast(split[0], PREFIXES)
                if sort_rows(rows, names, split[1]):
                    return QueryResult(form, variables=names, rows=tuple(rows))
            names, rows = fast(text, PREFIXES)
            return QueryResult(form, variables=names, rows=tuple(rows))
        return QueryResult.from_rdflib(eg.query(text), form)
    except QueryError as exc:
        if light is not None:  # the store refused it: rdflib's message, with line and column, if it agrees
            check_query(given, allow_service=allow_service, where=where)
            message = str(exc)
            if message.startswith("query:"):  # Oxigraph's syntax error: name the query, as rdflib's do
                message = where + message[len("query") :]
            raise QueryError(message) from None
        raise
    except Exception as exc:
        raise QueryError(f"{where}: query failed: {type(exc).__name__}: {exc}") from None


# --- ordering rows in Python ------------------------------------------------------


def split_order(text: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """``(text without its ORDER BY, [(variable, descending), ...])`` for a query
    whose outermost ORDER BY sorts by plain variables (``?v``, ``ASC(?v)``,
    ``DESC(?v)``) and ends the query; None for anything else (an expression, a
    LIMIT or OFFSET, which need the order first). The clause becomes blanks, so
    line and column numbers hold."""
    tokens = _significant(text)
    depth, start = 0, None
    for i, m in enumerate(tokens):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif depth == 0 and kind == "word" and m.group().upper() == "ORDER":
            start = i
    if start is None or start + 1 >= len(tokens) or tokens[start + 1].group().upper() != "BY":
        return None
    keys, i = [], start + 2
    while i < len(tokens):
        word = tokens[i].group().upper()
        if tokens[i].lastgroup == "var":
            keys.append((tokens[i].group()[1:], False))
            i += 1
        elif word in ("ASC", "DESC") and [t.group() for t in tokens[i + 1 : i + 4]][::2] == ["(", ")"]:
            if tokens[i + 2].lastgroup != "var":
                return None
            keys.append((tokens[i + 2].group()[1:], word == "DESC"))
            i += 4
        else:
            return None  # an expression, LIMIT, OFFSET or a trailing VALUES
    if not keys:
        return None
    begin, end = tokens[start].start(), tokens[-1].end()
    blank = re.sub(r"[^\n]", " ", text[begin:end])
    return text[:begin] + blank + text[end:], keys


class _UnsortableError(Exception):
    pass


_INTEGERS = {
    str(XSD[t])
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}


def _order_key(term, kinds: set):
    # SPARQL's order (unbound, blank nodes, IRIs, literals) for the terms whose
    # comparison every engine agrees on; _UnsortableError for the rest.
    if term is None:
        return (0, "")
    if isinstance(term, URIRef):
        return (2, str(term))
    if isinstance(term, Literal) and term.language is None:
        datatype = term.datatype
        if datatype is None or datatype == XSD.string:
            kinds.add("string")
            return (3, str(term))
        name = str(datatype)
        try:
            if name in _INTEGERS:
                value = int(term)
            elif datatype == XSD.decimal:
                from decimal import Decimal

                value = Decimal(str(term))
            elif datatype in (XSD.double, XSD.float):
                value = float(str(term))
                if value != value:  # NaN orders nowhere
                    raise _UnsortableError
            else:
                raise _UnsortableError
        except (ValueError, ArithmeticError):
            raise _UnsortableError from None
        kinds.add("number")
        return (3, value)
    raise _UnsortableError  # blank nodes (engine-specific order), language tags, dates ...


def sort_rows(rows: list[tuple], variables: tuple[str, ...], keys: list[tuple[str, bool]]) -> bool:
    """Sort ``rows`` in place as ``ORDER BY`` would; False (rows untouched) when
    a key is not a result variable or holds terms whose order is not certain
    (see :func:`_order_key`): the engine must sort then."""
    try:
        columns = [(variables.index(name), descending) for name, descending in keys]
    except ValueError:
        return False
    try:
        decorated = []
        for index, _descending in columns:
            kinds: set = set()
            # Terms repeat down a column (an article on each of its rows), and
            # equal terms have equal keys: each distinct term is keyed once.
            seen: dict = {}
            column = []
            for row in rows:
                term = row[index]
                key = seen.get(term)
                if key is None:
                    key = seen[term] = _order_key(term, kinds)
                column.append(key)
            if len(kinds) > 1:  # numbers and strings in one column: no agreed order
                return False
            if len({rank for rank, _value in column}) == 1:  # all IRIs, or all literals: compare the values
                column = [value for _rank, value in column]
            decorated.append(column)
    except _UnsortableError:
        return False
    # One stable sort per run of keys in the same direction, the last run first.
    runs: list[tuple[bool, list]] = []
    for (_index, descending), column in zip(columns, decorated):
        if runs and runs[-1][0] == descending:
            runs[-1][1].append(column)
        else:
            runs.append((descending, [column]))
    order = list(range(len(rows)))
    for descending, run in reversed(runs):
        key = run[0] if len(run) == 1 else list(zip(*run))
        order.sort(key=key.__getitem__, reverse=descending)
    rows[:] = [rows[i] for i in order]
    return True


# One lexical token of SPARQL, enough to find the query's WHERE group: comments,
# strings and IRIs are matched whole so that braces inside them do not count.
_TOKEN = re.compile(
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
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "word" and m.group().upper() in READ_FORMS:
            return m.group().upper()
    return None


def _significant(text: str) -> list:
    """The tokens of ``text`` without comments and blanks."""
    return [m for m in _TOKEN.finditer(text) if m.lastgroup != "comment" and not m.group().isspace()]


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

    def clause(names):
        row = " ".join(turtle_term(bindings[n]) for n in names)
        return "VALUES (" + " ".join("?" + n for n in names) + ") { (" + row + ") }"

    tokens = _significant(text)
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


# --- formatting -----------------------------------------------------------------


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON Format (https://www.w3.org/TR/sparql11-results-json/)."""
    if result.form == "ASK":
        doc: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        _require_select(result, "json")
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _plain(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV Format: a header of variable names, plain
    values (IRIs and literal text, no datatype or language), CRLF line ends.
    ASK gives ``true`` or ``false``."""
    if result.form == "ASK":
        return "true\r\n" if result.boolean else "false\r\n"
    _require_select(result, "csv")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_plain(t) for t in row])
    return buf.getvalue()


_TSV_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DOUBLE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$")


def compact_iri(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """``claim:slug`` for a claim IRI, likewise for every prefix of
    :data:`~graph.model.namespaces.PREFIXES` (or ``prefixes``); other IRIs unchanged."""
    return _compact(str(iri), PREFIXES if prefixes is None else prefixes) or str(iri)


def _compact(iri: str, prefixes: dict[str, str] | None) -> str | None:
    if not prefixes:
        return None
    best = None
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(prefixes[best])):
            best = prefix
    if best is None:
        return None
    local = iri[len(prefixes[best]) :]
    return f"{best}:{local}" if re.fullmatch(r"[\w.\-]*", local) and not local.endswith(".") else None


def turtle_term(term: Node | None, prefixes: dict[str, str] | None = None) -> str:
    """A term in Turtle syntax as SPARQL TSV writes it; IRIs become prefixed
    names only when ``prefixes`` is given (not part of the W3C format)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _compact(str(term), prefixes) or f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    lexical = str(term)
    dt = term.datatype
    if dt == XSD.integer and _INTEGER.match(lexical):
        return lexical
    if dt == XSD.decimal and _DECIMAL.match(lexical):
        return lexical
    if dt == XSD.double and _DOUBLE.match(lexical):
        return lexical
    if dt == XSD.boolean and lexical in ("true", "false"):
        return lexical
    quoted = '"' + "".join(_TSV_ESCAPES.get(c, c) for c in lexical) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if dt is not None and dt != XSD.string:
        return f"{quoted}^^{turtle_term(URIRef(dt), prefixes)}"
    return quoted


def to_tsv(result: QueryResult, prefixes: dict[str, str] | None = None) -> str:
    """SPARQL 1.1 Query Results TSV Format: a header of ``?variables``, terms
    in Turtle syntax, LF line ends. ASK gives ``true`` or ``false``."""
    if result.form == "ASK":
        return "true\n" if result.boolean else "false\n"
    _require_select(result, "tsv")
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join(turtle_term(t, prefixes) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def to_turtle(result: QueryResult) -> str:
    """The graph of a CONSTRUCT or DESCRIBE as Turtle, with the project's prefixes."""
    if result.graph is None:
        raise QueryError(f"a {result.form} query returns no graph")
    return result.graph.serialize(format="turtle")


#: Longest cell of a text table; longer text ends in an ellipsis (use tsv or json for full text).
TABLE_CELL_MAX = 80


def _cell(term: Node | None) -> str:
    if term is None:
        return ""
    text = compact_iri(term) if isinstance(term, URIRef) else _plain(term)
    text = " ".join(text.split())
    return text if len(text) <= TABLE_CELL_MAX else text[: TABLE_CELL_MAX - 1] + "…"


def to_table(result: QueryResult) -> str:
    """A text table for people: IRIs as prefixed names, literals as their text,
    long cells cut at :data:`TABLE_CELL_MAX` characters, then a row count."""
    if result.form == "ASK":
        return "true\n" if result.boolean else "false\n"
    _require_select(result, "table")
    header = list(result.variables)
    body = [[_cell(t) for t in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
    n = len(body)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines) + "\n"


def _require_select(result: QueryResult, fmt: str) -> None:
    if result.is_graph:
        raise QueryError(f"a {result.form} query returns a graph, written as Turtle; --format {fmt} does not apply")


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result: graphs (CONSTRUCT, DESCRIBE) always as Turtle when
    ``fmt`` is ``table``; SELECT and ASK in any of :data:`FORMATS`."""
    if result.is_graph:
        if fmt != "table":
            _require_select(result, fmt)
        return to_turtle(result)
    writers = {"table": to_table, "json": to_json, "csv": to_csv, "tsv": to_tsv}
    if fmt not in writers:
        raise QueryError(f"unknown result format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return writers[fmt](result)
