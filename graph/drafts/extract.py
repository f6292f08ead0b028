"""Turn an article's cited sentences into draft Statements for a curator.

Every sentence that carries a citation becomes one ``ev:Statement`` in the
project's vocabulary (see docs/model.md): the verbatim quote as an
``oa:TextQuoteSelector``, ``ev:stance ev:Asserts``, and each cited source as
``cito:citesAsEvidence``. Numbered citations resolve through the article's
reference list to ``sources.bib`` keys (:func:`graph.drafts.parse.resolve`).

The statement's claim is the known claim the sentence matches, as in
``evg check``. A short sentence that matches nothing on its own ("It is
fixed.1") is tried together with the uncited sentence before it, and then
quotes both. A sentence that still matches nothing gets a new placeholder
claim, ``claim:todo-<article>-line<N>``, labelled with the quote, for the
curator to word neutrally, give topics, or replace with an existing claim.
Comments in the Turtle say which line and marker each statement comes from
and which other claims came close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.drafts.check import MATCH_THRESHOLD, ClaimMatcher, ReferenceCheck
from graph.drafts.parse import Draft, SourceIndex, Unresolved, resolve
from graph.model.errors import InputError
from graph.model.words import plural

if TYPE_CHECKING:  # pragma: no cover
    from graph.evidence.graph import EvidenceGraph

__all__ = [
    "CONTEXT_SENTENCES",
    "SHORT_SENTENCE_WORDS",
    "SLUG_PATTERN",
    "DraftStatement",
    "Extraction",
    "extract_statements",
]

#: Article ids (and so IRIs ``article/<id>``): lower-case letters, digits and hyphens.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: A cited sentence of at most this many words that matches no claim is tried
#: together with the uncited sentences before it in its paragraph, up to
#: :data:`CONTEXT_SENTENCES` of them.
SHORT_SENTENCE_WORDS = 8
CONTEXT_SENTENCES = 2


@dataclass(frozen=True)
class DraftStatement:
    """One statement to propose."""

    iri: str
    claim_iri: str
    claim_label: str  #: the matched claim's wording, or the quote for a new claim
    new_claim: bool  #: whether ``claim_iri`` is a placeholder minted here
    line: int
    quote: str
    markers: tuple[str, ...]  #: citation markers as written, e.g. ("1",) or ("[@key]",)
    cited: tuple[str, ...]  #: bib keys, in order
    unresolved: tuple[Unresolved, ...]
    similarity: float
    candidates: tuple[tuple[str, float], ...]  #: other claims that came close: (IRI, similarity)
    existing: tuple[str, ...] = ()  #: statements of the same claim and article already in the graph

    def to_dict(self) -> dict:
        return {
            "statement": self.iri,
            "claim": self.claim_iri,
            "new_claim": self.new_claim,
            "line": self.line,
            "quote": self.quote,
            "markers": list(self.markers),
            "cited": list(self.cited),
            "similarity": round(self.similarity, 3),
            "unresolved": [u.to_dict() for u in self.unresolved],
        }


@dataclass(frozen=True)
class Extraction:
    """The statements proposed for one article."""

    article: str  #: the article's slug
    path: str
    statements: tuple[DraftStatement, ...]
    references: tuple[ReferenceCheck, ...]
    unresolved: tuple[Unresolved, ...]

    @property
    def article_iri(self) -> str:
        from graph.model.namespaces import ARTICLE

        return str(ARTICLE[self.article])

    def to_dict(self) -> dict:
        return {
            "article": self.article_iri,
            "path": self.path,
            "statements": [s.to_dict() for s in self.statements],
            "references": [r.to_dict() for r in self.references],
            "unresolved": [u.to_dict() for u in self.unresolved],
        }

    def to_turtle(self) -> str:
        """The statements as Turtle in the project's vocabulary, with comments
        for the curator."""
        return _turtle(self)


def extract_statements(
    eg: EvidenceGraph,
    draft: Draft,
    article_id: str,
    *,
    threshold: float = MATCH_THRESHOLD,
    index: SourceIndex | None = None,
) -> Extraction:
    """One draft statement per cited sentence of ``draft`` (see the module docs)."""
    from graph.model.namespaces import ARTICLE, CLAIM, STATEMENT
    from graph.model.progress import track

    if not SLUG_PATTERN.match(article_id):
        raise InputError(
            draft.path, f"article id {article_id!r} is not a slug (lower-case letters, digits and hyphens)"
        )
    article_iri = str(ARTICLE[article_id])
    resolution = resolve(draft, index or SourceIndex.from_graph(eg, draft))
    matcher = ClaimMatcher(eg, threshold=threshold)
    used: set[str] = set()
    statements: list[DraftStatement] = []
    rows = enumerate(zip(draft.sentences, resolution.cited, resolution.unresolved))
    for i, (sentence, cited, unresolved) in track(rows, "extracting statements", total=len(draft.sentences)):
        if not resolution.counted[i]:
            continue
        claim, similarity, cands = matcher.match(sentence.plain, cited)
        quote = sentence.quote
        if claim is None and len(sentence.plain.split()) <= SHORT_SENTENCE_WORDS:
            context = ""
            for j in range(i - 1, max(-1, i - 1 - CONTEXT_SENTENCES), -1):
                previous = draft.sentences[j]
                if previous.block != sentence.block or resolution.counted[j]:
                    break
                context = previous.plain + " " + context
                found = matcher.match(context + sentence.plain, cited)
                if found[0] is not None:
                    claim, similarity, cands = found
                    quote = _joined_quote(draft, previous, sentence)
                    break
        if claim is not None:
            claim_iri, label, new = claim.iri, claim.text, False
            slug = claim.slug
            existing = tuple(stmt for stmt, article in claim.statements if article == article_iri)
        else:
            slug = f"todo-{article_id}-line{sentence.line}"
            claim_iri, label, new, existing = str(CLAIM[slug]), quote, True, ()
        base = f"{slug}--{article_id}"
        name, n = base, 1
        while name in used or str(STATEMENT[name]) in existing:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        others = sorted(((c[0].iri, c[2]) for c in cands if c[0].iri != claim_iri and c[2] > 0), key=lambda c: -c[1])
        others = tuple(others[:3])
        statements.append(
            DraftStatement(
                iri=str(STATEMENT[name]),
                claim_iri=claim_iri,
                claim_label=label,
                new_claim=new,
                line=sentence.line,
                quote=quote,
                markers=tuple(c.marker for c in resolution.counted[i]),
                cited=cited,
                unresolved=unresolved,
                similarity=similarity,
                candidates=others,
                existing=existing,
            )
        )
    references = tuple(
        ReferenceCheck(r.label, r.line, r.text, key) for r, key in zip(draft.references, resolution.reference_keys)
    )
    return Extraction(
        article=article_id,
        path=draft.path,
        statements=tuple(statements),
        references=references,
        unresolved=tuple(resolution.all_unresolved),
    )


def _joined_quote(draft: Draft, previous, sentence) -> str:
    """The verbatim text from the start of ``previous`` to the end of
    ``sentence``'s quote."""
    text = draft.text
    within = text.find(sentence.quote, sentence.start, sentence.end)
    end = within + len(sentence.quote) if within >= 0 else sentence.end
    return text[previous.start : end]


# --- Turtle ----------------------------------------------------------------------------


def _name(iri: str) -> str:
    """A prefixed name for ``iri`` when one is safe, else ``<iri>``."""
    from graph.model.namespaces import PREFIXES

    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            local = iri[len(ns) :]
            if re.fullmatch(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?", local):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def _literal(text: str) -> str:
    from rdflib import Literal

    return Literal(text).n3()


def _comment(text: str) -> str:
    return " ".join(text.split())


def _turtle(x: Extraction) -> str:
    from graph.model.namespaces import PREFIXES, SOURCE

    matched = sum(1 for r in x.references if r.key)
    new_claims = sum(1 for s in x.statements if s.new_claim)
    lines = [
        f"# Draft statements extracted by `evg extract` from {x.path}",
        f"# for {_name(x.article_iri)}: {plural(len(x.statements), 'cited sentence')}, "
        f"{len(x.statements) - new_claims} matched to a known claim, {new_claims} new.",
        "#",
        "# Review every statement before merging it into claims.ttl:",
        "#  - check ev:claim; a claim:todo-... node is new: word it neutrally and give it a",
        "#    dcterms:subject, or point the statement at an existing claim instead;",
        "#  - keep oa:exact verbatim, trimmed to the words that state the claim;",
        "#  - set ev:stance: ev:Asserts here by default, ev:Rejects or ev:Reports where fitting;",
        "#  - then run `evg fmt` and `evg validate --articles <folder of article texts>`.",
        "#",
        f"# Reference list: {plural(len(x.references), 'entry')}, {matched} matched to sources.bib.",
    ]
    for r in x.references:
        lines.append(f"#   [{r.label}] {r.key or 'NO MATCH in sources.bib'}: {_comment(r.text)[:90]}")
    if x.unresolved:
        lines.append(f"# Citations that could not be resolved: {len(x.unresolved)}")
        lines += [f"#   line {u.line}: {u.marker} ({u.target}): {_comment(u.reason)}" for u in x.unresolved]
    lines.append("")
    used = ("article", "cito", "claim", "ev", "fabio", "oa", "rdfs", "source", "stmt")
    width = max(len(p) for p in used)
    lines += [f"@prefix {p + ':':<{width + 1}} <{PREFIXES[p]}> ." for p in used]
    lines.append("")
    cites = [str(SOURCE[r.key]) for r in x.references if r.key]
    lines.append(f"{_name(x.article_iri)} a fabio:WebArticle" + (" ;" if cites else " ."))
    if cites:
        lines.append("    cito:cites " + ", ".join(_name(c) for c in dict.fromkeys(cites)) + " .")
    lines.append("")
    for s in x.statements:
        marks = ", ".join(s.markers)
        keys = ", ".join(s.cited) or "nothing resolved"
        lines.append(f"# line {s.line}, citation {marks} -> {keys}")
        if s.new_claim:
            lines.append("# TODO: no known claim matches; a new claim is proposed below")
        else:
            lines.append(f"# matched (similarity {s.similarity:.2f}): {_comment(s.claim_label)}")
        if s.candidates:
            lines.append("# also close: " + ", ".join(f"{_name(iri)} ({sim:.2f})" for iri, sim in s.candidates))
        if s.existing:
            lines.append("# already curated for this article: " + ", ".join(_name(e) for e in s.existing))
        for u in s.unresolved:
            lines.append(f"# unresolved: {u.marker} ({u.target}): {_comment(u.reason)}")
        body = [
            f"{_name(s.iri)} a ev:Statement ;",
            f"    ev:claim {_name(s.claim_iri)} ;",
            f"    oa:hasSource {_name(x.article_iri)} ;",
            f"    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {_literal(s.quote)} ] ;",
        ]
        if s.cited:
            body.append("    ev:stance ev:Asserts ;")
            body.append("    cito:citesAsEvidence " + ", ".join(_name(str(SOURCE[k])) for k in s.cited) + " .")
        else:
            body.append("    ev:stance ev:Asserts .")
        lines += body
        if s.new_claim:
            lines += ["", f"{_name(s.claim_iri)} a ev:Claim ;", f"    rdfs:label {_literal(s.claim_label)} ."]
        lines.append("")
    return "\n".join(lines)
