"""``evg validate``: SHACL shapes plus the integrity checks SHACL cannot do.

Every finding is a :class:`~graph.model.errors.Problem` that prints as
``file:line: message``. Unusable input (syntax errors, missing or non-UTF-8
files) raises :class:`~graph.model.errors.InputError` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from graph.bibliography.bibtex import Bibliography, parse_bib
from graph.ingest.turtle import build_graph, resolve_inputs, unknown_keys
from graph.model.errors import InputError, Problem
from graph.model.locate import Locator, short_name
from graph.model.namespaces import ARTICLE, BIBO, EV, OA, RDF, SOURCE, local_name
from graph.model.paths import SHAPES_TTL, read_text

__all__ = ["DOI_PATTERN", "Report", "validate"]

#: A DOI as Crossref defines it: "10.", a registrant code, "/", a suffix.
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")


@dataclass
class Report:
    """What ``validate`` found, in file then line order."""

    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _shacl(g: Graph, locator: Locator) -> list[Problem]:
    import pyshacl

    shapes = Graph().parse(SHAPES_TTL, format="turtle")
    _conforms, results_graph, _text = pyshacl.validate(
        g, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    SH = "http://www.w3.org/ns/shacl#"
    # unknown_keys() reports unknown citation keys with the key and its line.
    reported_elsewhere = URIRef("https://w3id.org/evidence-graph/shapes#CitedSourceHasEntry")
    out = []
    for result in results_graph.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        if results_graph.value(result, URIRef(SH + "sourceShape")) == reported_elsewhere:
            continue
        focus = results_graph.value(result, URIRef(SH + "focusNode"))
        path = results_graph.value(result, URIRef(SH + "resultPath"))
        message = results_graph.value(result, URIRef(SH + "resultMessage"))
        node_text = short_name(g, focus)
        if path is None:
            prop = ""
        elif isinstance(path, URIRef):
            prop = " " + short_name(g, path)
        else:  # a blank-node path such as [ sh:inversePath ev:claim ]
            inv = results_graph.value(path, URIRef(SH + "inversePath"))
            prop = f" ^{short_name(g, inv)}" if inv is not None else " (path)"
        file, line = locator.find(focus)
        out.append(Problem(file, line, f"{node_text}{prop}: {message}"))
    return out


def _bib_field_line(text: str, entry_line: int | None, name: str) -> int | None:
    if entry_line is None:
        return None
    lines = text.splitlines()
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*=", re.IGNORECASE)
    for i in range(entry_line - 1, len(lines)):
        if i > entry_line - 1 and lines[i].lstrip().startswith("@"):
            break
        if pattern.match(lines[i]):
            return i + 1
    return entry_line


def _check_dois(g: Graph, bib: Bibliography, bib_text: str) -> list[Problem]:
    out = []
    for source, doi in g.subject_objects(BIBO.doi):
        key = local_name(source, SOURCE) or str(source)
        if not DOI_PATTERN.match(str(doi)):
            line = _bib_field_line(bib_text, bib.line_of(key), "doi")
            out.append(
                Problem(str(bib.path), line, f"{key}: malformed DOI {str(doi)!r} (expected 10.<registrant>/<suffix>)")
            )
    return out


def _check_quotes(g: Graph, articles_dir: Path, locator: Locator) -> list[Problem]:
    out = []
    texts: dict[str, str | None] = {}
    for statement in sorted(g.subjects(RDF.type, EV.Statement)):
        article = g.value(statement, OA.hasSource)
        selector = g.value(statement, OA.hasSelector)
        exact = g.value(selector, OA.exact) if selector is not None else None
        if article is None or exact is None:
            continue  # SHACL reports these
        slug = local_name(article, ARTICLE) or str(article)
        if slug not in texts:
            path = articles_dir / f"{slug}.txt"
            texts[slug] = read_text(path, allow_empty=True) if path.is_file() else None
            if texts[slug] is None:
                file, line = locator.find(article)
                out.append(Problem(file, line, f"article text {path} not found for article:{slug}"))
        text = texts[slug]
        if text is None or str(exact) in text:
            continue
        file, line = locator.find(statement)
        hint = ""
        if " ".join(str(exact).split()) in " ".join(text.split()):
            hint = " (it differs only in white space)"
        where = f"{short_name(g, statement)}: quote is not verbatim in {slug}.txt{hint}"
        out.append(Problem(file, line, f"{where}: {str(exact)[:60]!r}"))
    return out


def validate(
    claims: Iterable | None = None,
    sources=None,
    articles: str | Path | None = None,
    *,
    shacl: bool = True,
) -> Report:
    """Validate claims files and a bib file; optionally check quotes against
    article texts in ``articles`` (``<article-slug>.txt``)."""
    claim_paths, source_path = resolve_inputs(claims, sources)
    bib_text = read_text(source_path)
    bib = parse_bib(source_path, bib_text)
    files = {p: read_text(p) for p in claim_paths}
    g = build_graph(claim_paths, bib)
    locator = Locator(g, files)

    report = Report()
    report.problems.extend(bib.problems)
    if shacl:
        report.problems.extend(_shacl(g, locator))
    report.problems.extend(unknown_keys(g, locator))
    report.problems.extend(_check_dois(g, bib, bib_text))
    if articles is not None:
        articles = Path(articles)
        if not articles.is_dir():
            raise InputError(articles, "articles folder not found")
        report.problems.extend(_check_quotes(g, articles, locator))
    report.problems.sort(key=lambda p: (p.path, p.line or 0, p.message))
    report.checked = {
        "claims": len(set(g.subjects(RDF.type, EV.Claim))),
        "statements": len(set(g.subjects(RDF.type, EV.Statement))),
        "sources": len(bib.entries),
    }
    return report
