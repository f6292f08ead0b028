"""Build one RDF graph from the BibTeX and the claims Turtle files.

Order: vocabulary, then the BibTeX converted to RDF, then each claims file,
then the derived links (support, dispute, their inverses, symmetric
contradiction). Every way the input can be unusable becomes an
:class:`~graph.model.errors.InputError` naming the file and, where known, the line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from graph.model.errors import InputError, Problem
from graph.model.namespaces import EV, SCHEMA, SOURCE, bind_prefixes, local_name
from graph.model.paths import VOCAB_TTL, check_file, default_claims, default_sources, expand_claims, read_text
from graph.model.rules import CITING_PREDICATES

__all__ = [
    "build_graph",
    "derive",
    "load_rdflib",
    "parse_turtle",
    "raise_unknown_keys",
    "resolve_inputs",
    "unknown_keys",
]

if TYPE_CHECKING:
    from graph.bibliography.bibtex import Bibliography

PathLike = str | os.PathLike


def resolve_inputs(
    claims: PathLike | Iterable[PathLike] | None = None,
    sources: PathLike | None = None,
) -> tuple[list[Path], Path]:
    """The claims files and the bib file that a load would read.

    ``claims`` may be one path or several; folders stand for their ``*.ttl``
    files. ``None`` means ``./claims.ttl`` (or the bundled corpus), likewise
    ``./sources.bib`` for ``sources``.
    """
    if claims is None:
        claim_paths = default_claims()
    else:
        if isinstance(claims, (str, os.PathLike)):
            claims = [claims]
        claim_paths = expand_claims(list(claims))
        if not claim_paths:
            claim_paths = default_claims()
    source_path = check_file(Path(sources) if sources is not None else default_sources())
    return claim_paths, source_path


_OX_LOCATION = re.compile(
    r"^Parser error (?:at line \d+ (?:between columns \d+ and \d+|column \d+)?"
    r"|between line \d+ column \d+ and line \d+ column \d+)?:?\s*"
)
_OX_TRAILER = re.compile(r"\s*\([^()]*, line \d+\)$")


def turtle_syntax_error(path: str | os.PathLike, exc: SyntaxError) -> InputError:
    """Oxigraph's Turtle parse error as the loader's :class:`InputError`:
    ``file:line:column: Turtle syntax error: reason`` (line and column as
    Oxigraph counts them: a CRLF is one line end, columns from 1)."""
    message = str(exc.args[0]) if exc.args else str(exc)
    reason = _OX_TRAILER.sub("", _OX_LOCATION.sub("", message)).strip() or "cannot be read"
    reason = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", reason)  # one printable line
    line = getattr(exc, "lineno", None) or None
    column = getattr(exc, "offset", None) or None
    return InputError(path, f"Turtle syntax error: {reason}", line, column)


def check_turtle_syntax(path: str | os.PathLike, data: bytes) -> None:
    """Parse ``data`` (the file's bytes, BOM removed) with Oxigraph's Turtle
    parser, whichever store loads it, so that every store reports a syntax
    error at the same line and column, and refuses a malformed IRI."""
    import pyoxigraph as ox

    try:
        for _ in ox.parse(input=data, format=ox.RdfFormat.TURTLE, base_iri=Path(path).resolve().as_uri()):
            pass
    except SyntaxError as exc:
        raise turtle_syntax_error(path, exc) from None


def parse_turtle(g: Graph, path: Path, text: str | None = None) -> None:
    """Parse one Turtle file into ``g``; syntax errors carry their line and
    column, found by Oxigraph's parser (see :func:`check_turtle_syntax`)."""
    if text is None:
        text = read_text(path)
    check_turtle_syntax(path, text.encode("utf-8"))
    try:
        g.parse(data=text, format="turtle", publicID=Path(path).resolve().as_uri())
    except BadSyntax as exc:
        raise InputError(path, f"Turtle syntax error: {exc._why}", exc.lines + 1) from None
    except Exception as exc:  # rdflib raises assorted errors on odd input
        raise InputError(path, f"cannot parse as Turtle: {exc}") from None


def derive(g: Graph) -> None:
    """Add the links users query (:func:`graph.model.rules.derive_links`)."""
    from rdflib import Literal, URIRef

    from graph.model.rules import DERIVE_INPUTS, derive_links

    inputs = [t for p in DERIVE_INPUTS for t in g.triples((None, p, None))]
    # A literal cited as a source starts no triple (as in every other store).
    g.addN((s, URIRef(p), o, g) for s, p, o in derive_links(inputs) if not isinstance(s, Literal))


def unknown_keys(g: Graph, locator) -> list[Problem]:
    """Sources named in the claims (cited, listed, reviewed or given a study
    design) that the BibTeX does not define, located by ``locator``."""
    mentioned: set = set()
    for p in CITING_PREDICATES:
        mentioned.update(g.objects(None, p))
    mentioned.update(g.subjects(EV.studyDesign, None))
    mentioned.update(o for o in g.objects(None, SCHEMA.itemReviewed) if local_name(o, SOURCE) is not None)
    known = set(g.subjects(EV.entryType, None))
    out = []
    for node in sorted(mentioned - known, key=str):
        key = local_name(node, SOURCE)
        name = repr(key) if key is not None else f"<{node}>"
        file, line = locator.find(node, as_subject=False)
        out.append(Problem(file, line, f"unknown citation key {name}: no entry in the BibTeX file"))
    return out


def build_graph(claim_paths: list[Path], bib: Bibliography) -> Graph:
    """The merged graph: vocabulary, bibliography, claims files, derived links."""
    from graph.bibliography.bibtex import entry_to_rdf

    g = Graph()
    bind_prefixes(g)
    g.parse(VOCAB_TTL, format="turtle")
    for key, entry in bib.entries.items():
        entry_to_rdf(g, key, entry)
    for path in claim_paths:
        parse_turtle(g, path)
    derive(g)
    return g


class _LazyLocator:
    """Reads the claims files only if a problem needs a line number."""

    def __init__(self, g: Graph, paths: list[Path]):
        self.g, self.paths = g, paths

    def find(self, node, *, as_subject: bool = True):
        from graph.model.locate import Locator

        return Locator(self.g, {p: read_text(p) for p in self.paths}).find(node, as_subject=as_subject)


def raise_unknown_keys(unknown: list[Problem]) -> None:
    """Raise the loader's one error for citation keys the BibTeX lacks (the first, and how many more)."""
    if unknown:
        from graph.model.errors import UnknownKeysError

        first = unknown[0]
        # the keys, as unknown_keys wrote them into its messages
        keys = [m.group(1) for p in unknown if (m := re.match(r"unknown citation key '([^']+)'", p.message))]
        more = ""
        if len(unknown) > 1:
            others = ", ".join(repr(k) for k in keys[1:6]) + (", ..." if len(keys) > 6 else "")
            more = f" (and {len(unknown) - 1} more: {others}; run `evg validate`)"
        raise UnknownKeysError(first.path, first.message + more, first.line, keys)


def load_rdflib(claim_paths: list[Path], source_path: Path):
    """The rdflib backend for these inputs."""
    from graph.bibliography.bibtex import parse_bib
    from graph.store import RdflibBackend

    bib = parse_bib(source_path)
    if bib.problems:
        first = bib.problems[0]
        raise InputError(first.path, first.message, first.line)
    g = build_graph(claim_paths, bib)
    raise_unknown_keys(unknown_keys(g, _LazyLocator(g, claim_paths)))
    return RdflibBackend(g)
