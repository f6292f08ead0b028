"""Every vocabulary the graph uses, in one place.

Standard vocabularies come first; ``EV`` holds only what they lack. The
``DefinedNamespace`` classes fail on unknown attributes, so a misspelt term
raises ``AttributeError`` instead of quietly minting a new IRI.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    DefinedNamespace,
)

__all__ = [
    "ARTICLE",
    "BIBFIELD",
    "BIBO",
    "CITO",
    "CLAIM",
    "CONCEPT",
    "DCTERMS",
    "EV",
    "FABIO",
    "FOAF",
    "NANOPUB",
    "NP",
    "OA",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "REVIEW",
    "SCHEMA",
    "SKOS",
    "SOURCE",
    "STATEMENT",
    "XSD",
    "bind_prefixes",
]

#: schema.org, https form (rdflib's ``SDO``).
SCHEMA = SDO


class CITO(DefinedNamespace):
    """CiTO, the Citation Typing Ontology: why one work cites another."""

    _fail = True
    _NS = Namespace("http://purl.org/spar/cito/")

    cites: URIRef
    citesAsEvidence: URIRef
    obtainsSupportFrom: URIRef
    givesSupportTo: URIRef
    isDisputedBy: URIRef
    disputes: URIRef
    isCitedBy: URIRef
    isCitedAsEvidenceBy: URIRef


class FABIO(DefinedNamespace):
    """FaBiO, the FRBR-aligned Bibliographic Ontology: kinds of publication."""

    _fail = True
    _NS = Namespace("http://purl.org/spar/fabio/")

    Book: URIRef
    BookChapter: URIRef
    ConferencePaper: URIRef
    ConferenceProceedings: URIRef
    DoctoralThesis: URIRef
    Expression: URIRef
    Journal: URIRef
    JournalArticle: URIRef
    MastersThesis: URIRef
    Manual: URIRef
    ReportDocument: URIRef
    Thesis: URIRef
    WebArticle: URIRef
    WebPage: URIRef
    hasURL: URIRef


class BIBO(DefinedNamespace):
    """BIBO, the Bibliographic Ontology: identifiers and locators."""

    _fail = True
    _NS = Namespace("http://purl.org/ontology/bibo/")

    authorList: URIRef
    editorList: URIRef
    chapter: URIRef
    doi: URIRef
    edition: URIRef
    isbn: URIRef
    issn: URIRef
    issue: URIRef
    pageEnd: URIRef
    pageStart: URIRef
    pages: URIRef
    pmid: URIRef
    volume: URIRef


class OA(DefinedNamespace):
    """W3C Web Annotation: where in an article a claim is stated."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    hasSelector: URIRef
    hasSource: URIRef


class NP(DefinedNamespace):
    """The nanopublication schema: a head graph links a nanopublication to its
    assertion, provenance and publication-info graphs."""

    _fail = True
    _NS = Namespace("http://www.nanopub.org/nschema#")

    Nanopublication: URIRef
    hasAssertion: URIRef
    hasProvenance: URIRef
    hasPublicationInfo: URIRef


class EV(DefinedNamespace):
    """The project's own terms, documented in ``graph/data/vocab.ttl`` and the README."""

    _fail = True
    _NS = Namespace("https://w3id.org/evidence-graph/vocab#")

    # classes
    Claim: URIRef
    Statement: URIRef
    Stance: URIRef
    Verdict: URIRef
    StudyDesign: URIRef
    # properties
    claim: URIRef
    stance: URIRef
    contradicts: URIRef
    studyDesign: URIRef
    evidenceRank: URIRef
    verdict: URIRef
    aboutSource: URIRef
    entryType: URIRef
    nameSuffix: URIRef
    titleLaTeX: URIRef
    # stances
    Stances: URIRef
    Asserts: URIRef
    Reports: URIRef
    Rejects: URIRef
    # verdicts
    Verdicts: URIRef
    Supported: URIRef
    PartlySupported: URIRef
    Overstated: URIRef
    NumbersDiffer: URIRef
    NotSupported: URIRef
    Misattributed: URIRef
    # study designs
    StudyDesigns: URIRef
    SystematicReview: URIRef
    RandomisedControlledTrial: URIRef
    CohortStudy: URIRef
    CaseControlStudy: URIRef
    CrossSectionalStudy: URIRef
    CaseSeries: URIRef
    CadavericStudy: URIRef
    LaboratoryStudy: URIRef
    NarrativeReview: URIRef
    ComputationalModel: URIRef
    ExpertOpinion: URIRef


#: Base of every instance IRI.
BASE = "https://w3id.org/evidence-graph/"
#: Bibliography entries: ``source/<bibkey>``.
SOURCE = Namespace(BASE + "source/")
#: Claims: ``claim/<slug>``.
CLAIM = Namespace(BASE + "claim/")
#: Articles that make claims: ``article/<slug>``.
ARTICLE = Namespace(BASE + "article/")
#: Topic concepts: ``concept/<slug>``.
CONCEPT = Namespace(BASE + "concept/")
#: Statements: ``statement/<claim-slug>--<article-slug>``.
STATEMENT = Namespace(BASE + "statement/")
#: Citation reviews: ``review/<slug>``.
REVIEW = Namespace(BASE + "review/")
#: Nanopublications exported by ``evg export --format trig-nanopub``: ``np/<claim-slug>``.
NANOPUB = Namespace(BASE + "np/")
#: BibTeX fields that no standard property covers: ``bibtex#<field>``.
BIBFIELD = Namespace(BASE + "bibtex#")

#: Prefix -> namespace, in the order serialisations declare them.
PREFIXES: dict[str, str] = {
    "article": str(ARTICLE),
    "bibfield": str(BIBFIELD),
    "bibo": str(BIBO._NS),
    "cito": str(CITO._NS),
    "claim": str(CLAIM),
    "concept": str(CONCEPT),
    "dcterms": str(DCTERMS),
    "ev": str(EV._NS),
    "fabio": str(FABIO._NS),
    "foaf": str(FOAF),
    "oa": str(OA._NS),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "review": str(REVIEW),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "source": str(SOURCE),
    "stmt": str(STATEMENT),
    "xsd": str(XSD),
}


def prefix_header(prefixes: dict[str, str] | None = None) -> str:
    """``PREFIX name: <iri>`` lines for a SPARQL query (default: :data:`PREFIXES`)."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (PREFIXES if prefixes is None else prefixes).items())


def bind_prefixes(g) -> None:
    """Bind the project's prefixes on an rdflib graph, replacing rdflib's defaults."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)


def local_name(iri: str, namespace) -> str | None:
    """The part of ``iri`` after ``namespace``, or None when it is not in it."""
    ns = str(namespace)
    text = str(iri)
    return text[len(ns) :] if text.startswith(ns) else None
