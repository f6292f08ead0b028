"""Running one checked, bound query on an evidence graph's store."""

from __future__ import annotations

import difflib
import re

from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.model.errors import NotFoundError, QueryError
from graph.model.namespaces import ARTICLE, CLAIM, CONCEPT, PREFIXES, REVIEW, SOURCE, STATEMENT, XSD
from graph.sparql.results import QueryResult
from graph.sparql.text import bind_values, deep_recursion

__all__ = ["SLUG_NAMESPACES", "check_iri", "parse_param", "parse_term", "run_query"]

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


#: Characters an IRI may not hold (the SPARQL and Turtle ``IRIREF`` rule).
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_IRI_CHARS = r"""(?:[^\x00-\x20<>"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*"""
_PN = r"[A-Za-z][\w\-]*"
_LOCAL_CHAR = r"(?:[\w\-:%]|\\[_~.\-!$&'()*+,;=/?#@%])"
_LOCAL = rf"{_LOCAL_CHAR}(?:\.*{_LOCAL_CHAR})*"
_LANG = r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*"
_STRING = (
    r""""{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}"""
    r"""|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*\'"""
)
# One RDF term, whole: what --param accepts (a strict subset of Turtle's term syntax).
_TERM = re.compile(
    rf"""(?P<iri><(?P<iri_body>{_IRI_CHARS})>)
    |(?P<absolute>(?:https?|urn|doi|file):[^\x00-\x20<>"{{}}|^`\\]*)
    |(?P<string>{_STRING})(?:@(?P<lang>{_LANG})|\^\^(?P<datatype><{_IRI_CHARS}>|{_PN}:{_LOCAL}|:{_LOCAL}))?
    |(?P<double>[+-]?(?:\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+)
    |(?P<decimal>[+-]?\d*\.\d+)
    |(?P<integer>[+-]?\d+)
    |(?P<boolean>true|false)
    |(?P<pname>(?:{_PN})?:(?:{_LOCAL})?)
    |(?P<word>[\w\-]+(?:\.[\w\-]+)*)""",
    re.X | re.S,
)


def _unescape(text: str, *, echar: bool) -> str:
    def one(m):
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"the escape {m.group()} is not a character")
        return chr(code)

    text = _UCHAR.sub(one, text)
    if not echar:
        return text
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt not in _ECHAR:
                raise ValueError(f"unknown escape \\{nxt} in a literal")
            out.append(_ECHAR[nxt])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def check_iri(iri: str, what: str = "IRI") -> URIRef:
    """``iri`` as a URIRef, or :class:`QueryError` when it holds a character
    IRIs may not (blank, control, one of ``<>"{}|^`\\``) or is not absolute."""
    bad = _NOT_IRI.search(iri)
    if bad:
        raise QueryError(f"{what}: {bad.group()!r} is not allowed in an IRI")
    if not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
        raise QueryError(f"{what}: <{iri}> is not an absolute IRI")
    return URIRef(iri)


def parse_term(raw: str, name: str = "value") -> Node:
    """Read ``raw`` as exactly one RDF term (the forms :func:`parse_param`
    lists). Anything else, trailing text included, raises :class:`QueryError`
    naming ``--param name``."""
    what = f"--param {name}"
    m = _TERM.fullmatch(raw)
    if m is None:
        shown = raw if len(raw) <= 60 else raw[:57] + "..."
        raise QueryError(
            f'{what}: {shown!r} is not one RDF term (an <IRI>, prefix:name, "literal", number, true or false)'
        )
    try:
        if m.group("iri") is not None:
            return check_iri(_unescape(m.group("iri_body"), echar=False), what)
        if m.group("absolute") is not None:
            return check_iri(raw, what)
        if m.group("string") is not None:
            body = m.group("string")
            quote = 3 if body[:3] in ('"""', "'''") else 1
            lexical = _unescape(body[quote:-quote], echar=True)
            if m.group("lang"):
                return Literal(lexical, lang=m.group("lang"))
            datatype = m.group("datatype")
            if datatype is None:
                return Literal(lexical)
            if datatype.startswith("<"):
                dt = check_iri(_unescape(datatype[1:-1], echar=False), what)
            else:
                dt = _prefixed(datatype, what)
            return _typed(lexical, dt, what)
    except ValueError as exc:
        raise QueryError(f"{what}: {exc}") from None
    for kind, datatype in (("double", XSD.double), ("decimal", XSD.decimal), ("integer", XSD.integer)):
        if m.group(kind) is not None:
            return Literal(raw, datatype=datatype)
    if m.group("boolean") is not None:
        return Literal(raw, datatype=XSD.boolean)
    if m.group("pname") is not None:
        return _prefixed(raw, what)
    if name in SLUG_NAMESPACES:  # a bare word
        return check_iri(str(SLUG_NAMESPACES[name]) + raw, what)
    return Literal(raw)


def _typed(lexical: str, datatype: URIRef, what: str) -> Literal:
    # rdflib logs a traceback for a lexical form its datatype does not allow
    # ("x"^^xsd:integer); such a literal matches nothing a query could want.
    import logging

    log = logging.getLogger("rdflib.term")
    level, log.disabled = log.disabled, True
    try:
        term = Literal(lexical, datatype=datatype)
    finally:
        log.disabled = level
    if term.ill_typed:
        raise QueryError(f"{what}: {lexical!r} is not a valid <{datatype}> value")
    return term


def _prefixed(pname: str, what: str) -> URIRef:
    prefix, _, local = pname.partition(":")
    if prefix not in PREFIXES:
        known = ", ".join(sorted(p + ":" for p in PREFIXES if p))
        raise QueryError(f"{what}: unknown prefix {prefix + ':'!r} (known: {known})")
    return check_iri(str(PREFIXES[prefix]) + re.sub(r"\\(.)", r"\1", local), what)


def parse_param(name: str, value: str | Node, eg=None) -> Node:
    """Turn a ``--param`` value into one RDF term.

    The value must be exactly one term, read by a strict tokenizer (nothing
    before or after it but blanks): ``<IRI>`` (``\\u`` escapes allowed),
    ``http(s)://...``, ``urn:``/``doi:``/``file:`` IRIs, a prefixed name
    (``claim:slug``, ``source:key``, any prefix of
    :data:`~graph.model.namespaces.PREFIXES`), a Turtle literal (``"text"``,
    ``'''text'''``, ``"text"@en``, ``"5"^^xsd:integer``), a number or
    ``true``/``false``. A bare word (letters, digits, ``-``, ``_``, inner
    dots) for a variable named claim, source, article, topic, concept,
    review or statement is a slug in that namespace; any other bare word is a
    plain literal. IRIs holding a blank or one of ``<>"{}|^`\\`` are refused.
    Anything else raises :class:`QueryError` naming the parameter. The term
    reaches the query as :func:`graph.sparql.text.bind_values` writes it,
    never as the user's text. With ``eg``, claims and sources must exist
    (unknown ones raise :class:`NotFoundError` with close names).
    """
    if isinstance(value, Node):
        return value
    raw = value.strip()
    term = parse_term(raw, name)
    if eg is not None and isinstance(term, URIRef):
        term = _known(eg, term, raw.strip("<>"))
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


def _unknown_param(name: str, known: set[str], documented: dict[str, str] | None) -> str:
    names = sorted(known) if documented is None else list(documented)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    hint = f"; did you mean ?{close[0]}?" if close else ""
    if documented is None:
        listed = ", ".join("?" + v for v in names) or "none"
        return f"the query has no variable ?{name}{hint} (it has {listed})"
    if not documented:
        return f"the query has no parameter ?{name} (it takes none)"
    listed = ", ".join("?" + v for v in documented)
    return f"the query has no parameter ?{name}{hint} (its parameters: {listed})"


def run_query(
    eg,
    text: str,
    params: dict[str, str | Node] | None = None,
    *,
    allow_service: bool = False,
    where: str = "query",
    documented: dict[str, str] | None = None,
) -> QueryResult:
    """Check and run one read-only SPARQL query on ``eg``.

    ``params`` binds variables before the query runs (``{"claim": "claim:slug"}``;
    values as :func:`parse_param` reads them) through :func:`bind_values`, so
    every store, and a remote endpoint, runs the same self-contained text. ``where`` names the query in
    error messages (a file name, ``-e``, or a named query). The project's
    prefixes are predeclared, so queries may use ``ev:``, ``cito:``, ``claim:``
    ... without PREFIX lines. ``documented`` (a query's ``# param`` lines,
    :func:`~graph.sparql.catalogue.documented_params`) are then the only
    names ``params`` may bind, and what an unknown one's message lists;
    without it any variable of the query may be bound.
    """
    backend = eg.backend
    form, known = backend.check(text, allow_service=allow_service, where=where)
    bindings = {}
    for name, value in (params or {}).items():
        name = name.lstrip("?$")
        if name not in known or (documented is not None and name not in documented):
            raise QueryError(f"{where}: --param {name}: {_unknown_param(name, known, documented)}")
        bindings[name] = parse_param(name, value, eg)
    bound = bind_values(text, bindings, form=form) if bindings else text
    try:
        with deep_recursion():
            return backend.execute(bound, form, where=where, given=text, allow_service=allow_service)
    except QueryError:
        raise
    except Exception as exc:
        raise QueryError(f"{where}: query failed: {type(exc).__name__}: {exc}") from None
