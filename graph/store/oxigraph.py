"""The Oxigraph backend: a pyoxigraph ``Store`` (in memory or on disk) that
answers with rdflib terms, and the fast loader that fills it.

Loading: the vocabulary and each claims file go straight into Oxigraph's
Turtle parser; the BibTeX goes through :mod:`graph.store.fastbib` (falling
back to pybtex for anything unusual) as N-Triples; the derived links come
from SPARQL updates equivalent to :func:`graph.loader.derive`.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import InputError, QueryError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["OxigraphBackend", "check_unknown_keys", "fill_store", "load_backend", "to_oxigraph", "to_rdflib"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# The derived links of MODEL.md, as graph.loader.derive computes them; run as
# an INSERT in memory, and as a CONSTRUCT bulk-loaded back on disk.
DERIVE = """
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX ev: <https://w3id.org/evidence-graph/vocab#>
CONSTRUCT { ?claim ?forward ?source . ?source ?backward ?claim . ?b ev:contradicts ?a }
WHERE {
  { ?st a ev:Statement ; ev:claim ?claim ; ev:stance ?stance ; cito:citesAsEvidence ?source .
    VALUES (?stance ?forward ?backward) {
      (ev:Asserts cito:obtainsSupportFrom cito:givesSupportTo)
      (ev:Reports cito:obtainsSupportFrom cito:givesSupportTo)
      (ev:Rejects cito:isDisputedBy cito:disputes) } }
  UNION { ?a ev:contradicts ?b }
}"""


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

    from ..sparql import bind_values

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


class OxigraphBackend:
    """The graph in a pyoxigraph ``Store``; rows come back as rdflib terms."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, *, path: Path | None = None):
        self.store = store
        #: the on-disk store folder, when the graph comes from the cache
        self.path = path
        self._rdf: Graph | None = None
        self._len: int | None = None

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
        from ..namespaces import bind_prefixes

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
        from . import Description

        out, conv = Description(), to_rdflib
        for quad in self._bounded_quads(nodes):
            out.add((conv(quad.subject), conv(quad.predicate), conv(quad.object)))
        return out

    def serialize(self, fmt: str = "nt") -> bytes:
        out = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE
        prefixes = None
        if fmt == "ttl":
            from ..namespaces import PREFIXES

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

            from ..namespaces import bind_prefixes

            g = Graph()
            bind_prefixes(g)
            conv = _ToRdflib()  # its own IRI table, dropped with the copy
            g.addN(
                (conv(q.subject), conv(q.predicate), conv(q.object), g)
                for q in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            )
            self._rdf = g
        return self._rdf


#: Claims files at least this big go to Oxigraph by path, without a copy in
#: Python (a 100 MB file would cost 300 MB as str and bytes).
BY_PATH_BYTES = 1_000_000


def _clean_utf8(path: Path) -> bool:
    """Whether the file is UTF-8 without NUL bytes, read in chunks (no full copy)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except (UnicodeDecodeError, OSError):
        return False
    return True


def _load_turtle(store: ox.Store, path: Path, bulk: bool) -> None:
    from ..paths import read_text

    base = Path(path).resolve().as_uri()
    try:
        big = Path(path).is_file() and Path(path).stat().st_size >= BY_PATH_BYTES
    except OSError:
        big = False
    # read_text turns missing, unreadable, non-UTF-8 and empty files into InputError;
    # a big file is checked by Oxigraph's parser, and by read_text if that fails.
    if big and not _clean_utf8(path):
        read_text(path)  # raises the loader's message for this file
    source = {"path": str(path)} if big else {"input": read_text(path).encode("utf-8")}
    try:
        if bulk:
            store.bulk_load(format=ox.RdfFormat.TURTLE, base_iri=base, **source)
        else:
            store.load(format=ox.RdfFormat.TURTLE, base_iri=base, **source)
    except SyntaxError as exc:
        # Report it in the rdflib loader's words, so messages do not depend on the store.
        from rdflib import Graph

        from ..loader import parse_turtle

        parse_turtle(Graph(), path)
        message = str(exc.args[0]) if exc.args else str(exc)  # rdflib accepted what Oxigraph refuses
        message = message.split(": ", 1)[-1] if message.startswith("Parser error") else message
        raise InputError(path, f"Turtle syntax error: {message}", exc.lineno) from None


#: BibTeX files larger than this are converted in a separate process while
#: the claims load (the conversion is Python; the loading is Rust holding the GIL).
PARALLEL_BIB_BYTES = 2_000_000


def _bib_child(path: str, out: str) -> tuple | None:
    from .fastbib import bib_to_turtle

    try:
        Path(out).write_text(bib_to_turtle(path), encoding="utf-8")
    except InputError as exc:
        return (exc.path, exc.problem.message, exc.line)
    return None


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_EV = "https://w3id.org/evidence-graph/vocab#"
_CITO = "http://purl.org/spar/cito/"


def _stance_links() -> dict[str, tuple[str, str]]:
    """ev:stance IRI -> (claim -> source link, source -> claim link), from the
    stances :func:`graph.loader.derive` counts as support."""
    from ..loader import SUPPORTING_STANCES
    from ..namespaces import CITO, EV

    links = {str(s): (str(CITO.obtainsSupportFrom), str(CITO.givesSupportTo)) for s in SUPPORTING_STANCES}
    links[str(EV.Rejects)] = (str(CITO.isDisputedBy), str(CITO.disputes))
    return links


def derived_ntriples(claim_paths: list[str]) -> str | None:
    """What :data:`DERIVE` constructs, as N-Triples, computed from a streaming
    parse of the claims files alone, so that it can run in the background while
    the store loads. None when it cannot stand in for the query: a file fails
    to parse (the store's load reports that), or a derived triple involves a
    blank node (whose labels would differ from the store's)."""
    statements, claims, stances, cites = set(), {}, {}, {}
    contradictions = []
    wanted = {_RDF_TYPE, _EV + "claim", _EV + "stance", _CITO + "citesAsEvidence", _EV + "contradicts"}
    try:
        for path in claim_paths:
            base = Path(path).resolve().as_uri()
            for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base):
                p = t.predicate.value
                if p not in wanted:
                    continue
                subject, obj = t.subject, t.object
                if p == _RDF_TYPE:
                    if type(obj) is ox.NamedNode and obj.value == _EV + "Statement":
                        statements.add(subject)
                elif p == _EV + "contradicts":
                    contradictions.append((subject, obj))
                else:
                    store = claims if p == _EV + "claim" else stances if p == _EV + "stance" else cites
                    store.setdefault(subject, []).append(obj)
    except (OSError, SyntaxError, ValueError):
        return None
    out, stance_links = set(), _stance_links()
    for st in statements:
        named = [s.value for s in stances.get(st, ()) if type(s) is ox.NamedNode]
        links = [stance_links[s] for s in named if s in stance_links]
        for claim in claims.get(st, ()) if links else ():
            for source in cites.get(st, ()):
                for forward, backward in links:
                    out.add((claim, forward, source))
                    out.add((source, backward, claim))
    for a, b in contradictions:
        out.add((b, _EV + "contradicts", a))
    lines = []
    for subject, predicate, obj in out:
        if type(subject) is ox.BlankNode or type(obj) is ox.BlankNode:
            return None
        if type(subject) is ox.NamedNode:  # a literal starts no triple: CONSTRUCT drops it too
            lines.append(f"{subject} <{predicate}> {obj} .")
    lines.sort()
    return "\n".join(lines) + "\n"


def _derive_child(claim_paths: list[str], out: str) -> bool:
    text = derived_ntriples(claim_paths)
    if text is None:
        return False
    Path(out).write_text(text, encoding="utf-8")
    return True


class _BibInBackground:
    """``bib_to_turtle(path)``, in a forked process when that pays off; the
    same process then derives the CiTO links from the claims files (see
    :func:`derived_ntriples`) while the parent loads the store."""

    def __init__(self, path: Path, claim_paths: list[Path] = ()):
        self.path = Path(path)
        self.pool = self.future = self.tmp = self.derive_future = self.derive_tmp = None
        try:
            big = self.path.stat().st_size > PARALLEL_BIB_BYTES
        except OSError:
            big = False
        if big:
            import multiprocessing
            import tempfile
            from concurrent.futures import ProcessPoolExecutor

            try:
                context = multiprocessing.get_context("fork")
            except ValueError:  # no fork on this platform: do it inline
                return
            fd, self.tmp = tempfile.mkstemp(prefix="evg-bib-", suffix=".ttl")
            os.close(fd)
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self.future = self.pool.submit(_bib_child, str(self.path), self.tmp)
            if claim_paths:
                fd, self.derive_tmp = tempfile.mkstemp(prefix="evg-derived-", suffix=".nt")
                os.close(fd)
                self.derive_future = self.pool.submit(_derive_child, [str(p) for p in claim_paths], self.derive_tmp)

    def result(self) -> dict:
        """``input=`` the Turtle text, or ``path=`` the file the child wrote it to."""
        from .fastbib import bib_to_turtle

        if self.future is None:
            return {"input": bib_to_turtle(self.path)}
        error = self.future.result()
        if error is not None:
            raise InputError(*error)
        return {"path": self.tmp}

    def derived(self) -> str | None:
        """The path of the derived links as N-Triples, or None: derive in the store."""
        if self.derive_future is None:
            return None
        try:
            return self.derive_tmp if self.derive_future.result() else None
        except Exception:  # a failed helper costs only its head start
            return None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        for tmp in (self.tmp, self.derive_tmp):
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def fill_store(
    store: ox.Store,
    claim_paths: list[Path],
    source_path: Path,
    *,
    bulk: bool = True,
    step: Callable[[str], None] | None = None,
) -> None:
    """Load vocabulary, bibliography, claims files and derived links into ``store``.

    ``step(description)`` is called before each stage (for progress bars).
    ``bulk`` (for an on-disk store) writes without transactions, which is
    faster there; in memory, plain transactional loads are the faster ones.
    Raises :class:`InputError` exactly where the rdflib loader would.
    """
    from ..paths import VOCAB_TTL

    step = step or (lambda _d: None)
    step("BibTeX")
    bib = _BibInBackground(source_path, claim_paths)
    try:
        store.load(path=str(VOCAB_TTL), format=ox.RdfFormat.TURTLE)
        for path in claim_paths:
            step(f"claims {Path(path).name}")
            try:
                _load_turtle(store, path, bulk)
            except InputError:
                bib.result()  # a BibTeX error is reported first, as the rdflib loader does
                raise
        step("BibTeX")
        source = bib.result()
        # This Turtle is our own, written from parsed BibTeX: skipping the IRI
        # checks (lenient) saves about a tenth of its load time. Keys with
        # characters IRIs forbid then load as rdflib's loader takes them.
        if bulk:
            store.bulk_load(format=ox.RdfFormat.TURTLE, lenient=True, **source)
        else:
            store.load(format=ox.RdfFormat.TURTLE, lenient=True, **source)
        del source
        step("derived links")
        derived = bib.derived()
        if derived is not None:  # computed in the background while the store loaded
            if bulk:
                store.bulk_load(path=derived, format=ox.RdfFormat.N_TRIPLES, lenient=True)
            else:
                store.load(path=derived, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    finally:
        bib.close()
    if derived is None:
        if bulk:
            # On disk a transactional update is slow: serialise the new triples
            # (in Rust, no Python object per triple) and bulk-load them.
            nt = store.query(DERIVE).serialize(format=ox.RdfFormat.N_TRIPLES)
            store.bulk_load(nt, ox.RdfFormat.N_TRIPLES)
        else:
            store.update(DERIVE.replace("CONSTRUCT", "INSERT", 1))
    if bulk:
        store.flush()


# Where claims files refer to sources (as graph.loader.unknown_keys looks).
_MENTIONED = """
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX ev: <https://w3id.org/evidence-graph/vocab#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?node WHERE {
  { ?s cito:citesAsEvidence ?node } UNION { ?s cito:cites ?node } UNION { ?s ev:aboutSource ?node }
  UNION { ?node ev:studyDesign ?d }
  UNION { ?s schema:itemReviewed ?node FILTER(STRSTARTS(STR(?node), "https://w3id.org/evidence-graph/source/")) }
}"""
_KNOWN = "SELECT ?s WHERE { ?s <https://w3id.org/evidence-graph/vocab#entryType> ?t }"
# The triples that mention them, for the loader's messages.
_MENTIONS = """
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX ev: <https://w3id.org/evidence-graph/vocab#>
PREFIX schema: <https://schema.org/>
CONSTRUCT { ?s ?p ?o } WHERE {
  { VALUES ?p { cito:citesAsEvidence cito:cites ev:aboutSource schema:itemReviewed } ?s ?p ?o FILTER(?o IN (NODES)) }
  UNION { ?s ev:studyDesign ?o FILTER(?s IN (NODES)) BIND(ev:studyDesign AS ?p) }
}"""


def check_unknown_keys(store: ox.Store, claim_paths: list[Path]) -> None:
    """Raise the loader's InputError if the claims cite a key the BibTeX lacks."""
    known = {row[0] for row in store.query(_KNOWN)}
    nodes = [row[0] for row in store.query(_MENTIONED) if row[0] not in known]
    if not nodes:
        return
    terms = ", ".join(str(n) for n in nodes[:1000])  # pyoxigraph terms print as SPARQL
    triples = list(store.query(_MENTIONS.replace("NODES", terms)))
    from rdflib import Graph

    from ..loader import _LazyLocator, unknown_keys
    from ..namespaces import bind_prefixes

    g = Graph()
    bind_prefixes(g)
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    unknown = unknown_keys(g, _LazyLocator(g, claim_paths))
    first = unknown[0]
    more = f" (and {len(unknown) - 1} more; run `evg validate`)" if len(unknown) > 1 else ""
    raise InputError(first.path, first.message + more, first.line)


def load_backend(claim_paths: list[Path], source_path: Path, *, cache: bool = False) -> OxigraphBackend:
    """The Oxigraph backend for these inputs: from the persistent cache, or
    built in memory when ``cache`` is false."""
    if cache:
        from ..cache import open_cached

        return open_cached(claim_paths, source_path)
    from ..progress import Progress

    store = ox.Store()
    with Progress("loading") as bar:
        fill_store(store, claim_paths, source_path, bulk=False, step=bar.update)
    check_unknown_keys(store, claim_paths)
    return OxigraphBackend(store)
