"""The Oxigraph backend: a pyoxigraph ``Store`` (in memory or on disk) that
answers with rdflib terms. :mod:`graph.ingest.oxigraph` fills it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Literal, URIRef

from graph.model.errors import QueryError
from graph.model.namespaces import PREFIXES, XSD
from graph.sparql.results import QueryResult
from graph.sparql.text import READ_FORMS, TOKEN, UPDATE_WORDS, check_query, significant_tokens
from graph.store.base import Backend

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["OxigraphBackend", "to_oxigraph", "to_rdflib"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: how many converted literals :class:`_ToRdflib` keeps for reuse
_LITERAL_CACHE = 100_000


class _ToRdflib:
    """Converts pyoxigraph terms to rdflib terms, reusing the IRIs and literals already seen."""

    def __init__(self):
        from rdflib import BNode, Literal, URIRef

        self.URIRef, self.BNode, self.Literal = URIRef, BNode, Literal
        self.iris: dict[str, object] = {}
        self.datatypes: dict[str, object] = {}
        # Literals repeat down a column (counts, years, a claim's label on each of
        # its rows); rdflib literals are immutable, so equal ones can be shared.
        # Cleared when full, to bound the memory it holds.
        self.literals: dict[object, object] = {}

    def _plain(self, value: str, language: str | None):
        # What Literal(value, lang=language) builds, without its validation and
        # type guessing (a string literal's value is the string itself): rows
        # of big queries hold hundreds of thousands of these.
        lit = str.__new__(self.Literal, value)
        lit._language, lit._datatype, lit._value, lit._ill_typed = language, None, value, False
        return lit

    def __call__(self, term):
        if term is None:
            return None
        kind = type(term)
        if kind is ox.NamedNode:
            value = term.value
            node = self.iris.get(value)
            if node is None:
                node = self.iris[value] = self.URIRef(value)
            return node
        if kind is ox.Literal:
            node = self.literals.get(term)
            if node is not None:
                return node
            if len(self.literals) >= _LITERAL_CACHE:
                self.literals.clear()
            if term.language:
                node = self._plain(term.value, term.language)
            else:
                dt = term.datatype.value
                if dt == _XSD_STRING:
                    node = self._plain(term.value, None)
                else:
                    datatype = self.datatypes.get(dt)
                    if datatype is None:
                        datatype = self.datatypes[dt] = self.URIRef(dt)
                    node = self.Literal(term.value, datatype=datatype)
            self.literals[term] = node
            return node
        if kind is ox.BlankNode:
            return self.BNode(term.value)
        raise TypeError(f"unsupported RDF term {term!r}")


_converter: _ToRdflib | None = None


def _shared_converter() -> _ToRdflib:
    global _converter
    if _converter is None:
        _converter = _ToRdflib()
    return _converter


def to_rdflib(term):
    """A pyoxigraph term as the equal rdflib term (plain literals without xsd:string)."""
    return _shared_converter()(term)


def to_oxigraph(term):
    """An rdflib term (or a plain Python value) as a pyoxigraph term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if not isinstance(term, Literal):
        term = Literal(term)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$")


def _bind(query: str, bindings: dict | None) -> tuple[str, dict | None]:
    """Apply rdflib-style ``initBindings`` for Oxigraph.

    Oxigraph substitutes only projected variables, so IRIs and literals are
    joined in as a ``VALUES`` block at the start of the WHERE group
    (:func:`graph.sparql.bind_values`, which is what rdflib's initBindings
    amount to); blank nodes, which VALUES cannot hold, fall back to substitution.
    """
    if not bindings:
        return query, None
    from urllib.parse import quote

    from rdflib import BNode, Literal, URIRef

    from graph.sparql import bind_values

    values, subs = {}, {}
    for k, v in bindings.items():
        name = str(k).lstrip("?")
        if isinstance(v, BNode):
            subs[ox.Variable(name)] = to_oxigraph(v)
        elif isinstance(v, URIRef) and not _ABSOLUTE.match(v):
            # Every IRI in the store is absolute, so a relative one matches nothing;
            # stand in an absolute IRI that matches nothing either (Oxigraph refuses relative ones).
            values[name] = URIRef("urn:x-evidence-graph:relative:" + quote(str(v), safe=""))
        else:
            values[name] = v if hasattr(v, "n3") else Literal(v)
    return bind_values(query, values), subs or None


def syntax_message(message: str, where: str | None = None) -> str:
    """Oxigraph's SPARQL parse error in the words rdflib's errors use:
    ``where:line:column: SPARQL syntax error: detail``. Oxigraph lists what it
    expected, character classes included; only its sentences ("Duplicated
    variable name in SELECT") say anything to a reader, so only they are kept."""
    m = re.match(r"error at (\d+):(\d+): expected (?:one of )?(.*)", message, re.S)
    if m is None:
        return f"{where}: SPARQL syntax error: {message}" if where else f"SPARQL syntax error: {message}"
    line, column, expected = m.groups()
    sentences = [item for item in re.split(r",\s*", expected) if re.match(r"[A-Z][a-z]+ \w", item)]
    detail = "; ".join(dict.fromkeys(sentences)) or "the query cannot be read from here on"
    return f"{where or 'query'}:{line}:{column}: SPARQL syntax error: {detail}"


class OxigraphBackend(Backend):
    """The graph in a pyoxigraph ``Store``; rows come back as rdflib terms."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, *, path: Path | None = None, triples: int | None = None):
        self.store = store
        #: the on-disk store folder, when the graph comes from the cache
        self.path = path
        self._rdf: Graph | None = None
        #: the number of triples when known already (the cache records it), else counted on first use
        self._len: int | None = triples

    def _run(self, query: str, bindings: dict | None, prefixes: dict | None = None):
        query, subs = _bind(query, bindings)
        try:
            return self.store.query(query, substitutions=subs, prefixes=prefixes)
        except SyntaxError as exc:
            raise QueryError(syntax_message(str(exc))) from None

    def select(self, query: str, bindings: dict | None = None) -> list[dict]:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("select() runs SELECT queries only")
        conv = _shared_converter()
        names = [v.value for v in result.variables]
        idx = range(len(names))
        return [dict(zip(names, [conv(sol[i]) for i in idx])) for sol in result]

    def select_rows(self, query: str, prefixes: dict | None = None) -> tuple[tuple[str, ...], list[tuple]]:
        """(variable names, rows as tuples of rdflib terms or None): what
        :func:`graph.sparql.run_query` keeps, without rdflib's per-row objects."""
        result = self._run(query, None, prefixes)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("select_rows() runs SELECT queries only")
        conv = _shared_converter()
        names = tuple(v.value for v in result.variables)
        return names, [tuple([conv(t) for t in sol]) for sol in result]

    def check(self, text: str, *, allow_service: bool = False, where: str = "query") -> tuple[str, set[str]]:
        # rdflib's parser costs 5-50 ms a query, more than a bound query takes to
        # run: read the form and variables from the tokens where they leave no doubt.
        from graph.sparql.text import check_limits

        check_limits(text, where=where)  # before any parser: deep nesting overflows Oxigraph's stack
        return _light_check(text, allow_service) or super().check(text, allow_service=allow_service, where=where)

    def execute(
        self, text: str, form: str, *, where: str = "query", given: str | None = None, allow_service: bool = False
    ) -> QueryResult:
        try:
            if form == "SELECT":  # rows straight to tuples, no rdflib Result in between
                split = split_order(text)
                if split is not None:  # Oxigraph sorts slowly (5 us a row in memory, 70 on disk): sort here
                    names, rows = self.select_rows(split[0], PREFIXES)
                    if sort_rows(rows, names, split[1]):
                        return QueryResult(form, variables=names, rows=tuple(rows))
                names, rows = self.select_rows(text, PREFIXES)
                return QueryResult(form, variables=names, rows=tuple(rows))
            return super().execute(text, form, where=where, given=given, allow_service=allow_service)
        except QueryError as exc:
            # Oxigraph refused it: rdflib's message (line and column) where rdflib refuses it too.
            check_query(given or text, allow_service=allow_service, where=where)
            message = str(exc)
            if message.startswith("query:"):  # name the query, as rdflib's messages do
                message = where + message[len("query") :]
            raise QueryError(message) from None

    def select_values(self, query: str, bindings: dict | None = None) -> list[dict]:
        """Rows of plain strings: no rdflib terms to build."""
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("select_values() runs SELECT queries only")
        names = [v.value for v in result.variables]
        return [dict(zip(names, [None if t is None else t.value for t in sol])) for sol in result]

    def ask(self, query: str, bindings: dict | None = None) -> bool:
        return bool(self._run(query, bindings))

    def query(self, query: str, prefixes: dict | None = None, bindings: dict | None = None):
        """Any read form, as an rdflib ``Result`` so that callers need not care
        which store answered."""
        from rdflib import Graph, Variable
        from rdflib.query import Result

        result = self._run(query, bindings, prefixes)
        if isinstance(result, ox.QuerySolutions):
            out = Result("SELECT")
            names = [Variable(v.value) for v in result.variables]
            out.vars = names
            out.bindings = [
                {name: to_rdflib(sol[i]) for i, name in enumerate(names) if sol[i] is not None} for sol in result
            ]
            return out
        if isinstance(result, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(result)
            return out
        out = Result("CONSTRUCT")
        g = Graph()
        from graph.model.namespaces import bind_prefixes

        bind_prefixes(g)
        for t in result:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        out.graph = g
        return out

    def _bounded_quads(self, nodes):
        # The quads of each node and, recursively, of the blank nodes it points to.
        todo = [to_oxigraph(n) for n in nodes]
        seen = set()
        default = ox.DefaultGraph()
        while todo:
            subject = todo.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for quad in self.store.quads_for_pattern(subject, None, None, default):
                if type(quad.object) is ox.BlankNode:
                    todo.append(quad.object)
                yield quad

    def describe(self, node) -> Graph:
        """The concise bounded description of ``node``: its triples, and those
        of the blank nodes reachable from it."""
        from rdflib import Graph

        g = Graph()
        for quad in self._bounded_quads([node]):
            g.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return g

    def describe_many(self, nodes):
        """The concise bounded descriptions of ``nodes``, as one
        :class:`graph.store.Description`."""
        from graph.store import Description

        out, conv = Description(), to_rdflib
        for quad in self._bounded_quads(nodes):
            out.add((conv(quad.subject), conv(quad.predicate), conv(quad.object)))
        return out

    def serialize(self, fmt: str = "nt") -> bytes:
        out = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE
        prefixes = None
        if fmt == "ttl":
            from graph.model.namespaces import PREFIXES

            prefixes = dict(PREFIXES)
        return self.store.dump(format=out, from_graph=ox.DefaultGraph(), prefixes=prefixes)

    def __len__(self) -> int:
        if self._len is None:
            self._len = len(self.store)
        return self._len

    @property
    def rdf(self) -> Graph:
        """An rdflib copy of the graph, built on first use (for rdflib-only features)."""
        if self._rdf is None:
            from rdflib import Graph

            from graph.model.namespaces import bind_prefixes

            g = Graph()
            bind_prefixes(g)
            conv = _ToRdflib()  # its own IRI table, dropped with the copy
            g.addN(
                (conv(q.subject), conv(q.predicate), conv(q.object), g)
                for q in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            )
            self._rdf = g
        return self._rdf


# --- parsing and ordering shortcuts ---------------------------------------------


def _light_check(text: str, allow_service: bool) -> tuple[str, set[str]] | None:
    """``(form, variables)`` read from the tokens alone, for a store that parses
    the query itself (Oxigraph): rdflib's parser costs 5-50 ms a query, more
    than a bound query takes to run. None when the tokens leave any doubt (an
    update keyword, SERVICE, no query form): :func:`check_query` decides then.
    A query the store then refuses gets :func:`check_query`'s message too."""
    form, variables = None, set()
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "var":
            variables.add(m.group()[1:])
        elif kind == "word":
            word = m.group().upper()
            if word in UPDATE_WORDS or (word == "SERVICE" and not allow_service):
                return None
            if form is None and word in READ_FORMS:
                form = word
    return None if form is None else (form, variables)


def split_order(text: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """``(text without its ORDER BY, [(variable, descending), ...])`` for a query
    whose outermost ORDER BY sorts by plain variables (``?v``, ``ASC(?v)``,
    ``DESC(?v)``) and ends the query; None for anything else (an expression, a
    LIMIT or OFFSET, which need the order first). The clause becomes blanks, so
    line and column numbers hold."""
    tokens = significant_tokens(text)
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
