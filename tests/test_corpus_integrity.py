"""Curation rules for the corpus (README, "What is in the box"), one sub-test per
entry: wording that keeps the article's hedges, where a citation may sit, the
stance rule, review verdicts, topics, the PMID rule, every review listed, and
every article sentence either stated or decided against.

Each failure message says what to fix.
"""

from __future__ import annotations

import csv
import json
import re

import pytest
from rdflib import Graph

from graph.bibliography.bibtex import parse_bib
from graph.evidence.search import curated_synonyms
from graph.ingest.turtle import parse_turtle
from graph.model.namespaces import CITO, CLAIM, CONCEPT, EV, OA, PROV, RDF, RDFS, SCHEMA, SKOS, SOURCE, local_name
from graph.sparql import named_query, run_query

from .conftest import ARTICLES, CLAIMS_TTL, DATA, ROOT, SOURCES_BIB, require_or_skip

_raw = Graph()
parse_turtle(_raw, CLAIMS_TTL)
BIB = parse_bib(SOURCES_BIB).entries
FACTS_PATH = ROOT.parent / "shared" / "sources-facts.json"
STATEMENTS = sorted(_raw.subjects(RDF.type, EV.Statement))
REVIEWS = sorted(_raw.subjects(RDF.type, SCHEMA.ClaimReview))
CONCEPTS = sorted(_raw.subjects(RDF.type, SKOS.Concept))
NOT_CLAIMS = DATA / "corpus-not-claims.tsv"


def _id(node) -> str:
    return str(node).rsplit("/", 1)[-1]


def _facts() -> dict:
    require_or_skip(FACTS_PATH.is_file(), f"sources-facts.json not found at {FACTS_PATH}")
    return {r["key"]: r for r in json.loads(FACTS_PATH.read_text(encoding="utf-8"))["references"]}


def _article_text(article) -> str:
    path = ARTICLES / f"{_id(article)}.txt"
    require_or_skip(path.is_file(), f"article text not found at {path}")
    return path.read_text(encoding="utf-8")


def _quote(statement) -> str:
    return str(_raw.value(_raw.value(statement, OA.hasSelector), OA.exact))


def _cited(statement) -> list[str]:
    return sorted(local_name(s, SOURCE) for s in _raw.objects(statement, CITO.citesAsEvidence))


# --- where a statement sits in its article ---------------------------------------

#: A sentence ends at . ! or ? (a citation digit may follow) before a space or line end.
_SENTENCE_END = re.compile(r"[.!?]\d*(?=\s|$)")
#: A citation marker: digits right after a sentence's full stop ("is fixed.1").
_MARKER = re.compile(r"(?<=[.!?])(\d+)(?=\s|$)")


def _sentences(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one line of article text."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(paragraph):
        spans.append((start, m.end()))
        start = m.end()
        while start < len(paragraph) and paragraph[start] == " ":
            start += 1
    if start < len(paragraph):
        spans.append((start, len(paragraph)))
    return spans


def _place(statement) -> tuple[str, int, int, str]:
    """The paragraph (line) holding the quote, the quote's span in it, and the
    sentence(s) the quote overlaps."""
    quote = _quote(statement)
    for line in _article_text(_raw.value(statement, OA.hasSource)).split("\n"):
        at = line.find(quote)
        if at >= 0:
            end = at + len(quote)
            parts = [line[a:b] for a, b in _sentences(line) if a < end and b > at]
            return line, at, end, " ".join(parts)
    pytest.fail(f"{_id(statement)}: quote not found on one line of its article; copy it verbatim")


def _reference_numbers(article) -> dict[int, str]:
    """Marker number -> bib key, from the article's numbered reference list (its
    lines after the body that start "- " and contain an entry's title)."""
    text = _article_text(article)
    refs = [line for line in text.split("\n") if line.startswith("- ") and re.search(r"\d{4};\d", line)]

    def norm(s: str) -> str:
        return re.sub(r"[^a-z0-9]", "", s.lower())

    out = {}
    for n, line in enumerate(refs, start=1):
        for key, entry in BIB.items():
            if norm(entry.fields["title"]) in norm(line):
                out[n] = key
    return out


def _family(key: str) -> str:
    return str(BIB[key].persons["author"][0].last_names[-1])


def _marker_spans(article, line: str) -> list[tuple[int, int, str]]:
    """(start, end, bib key) of the stretch of one paragraph each citation marker
    covers: its own sentence and the sentences before it, back to the previous
    marker or to the nearest sentence that names the cited study's first author,
    whichever is later. A marker on a sentence that names its study ("Beers and
    colleagues' 2008 prospective study found ...7") so covers that sentence only,
    and the article's own sentence before it cites nothing."""
    numbers = _reference_numbers(article)
    sentences = _sentences(line)
    spans, floor = [], 0
    for m in _MARKER.finditer(line):
        key = numbers.get(int(m.group(1)))
        own = next(i for i, (_a, b) in enumerate(sentences) if b >= m.end())
        start = floor
        if key is not None:
            named = [a for a, b in sentences[: own + 1] if a >= floor and _family(key) in line[a:b]]
            start = named[-1] if named else floor
            spans.append((start, m.end(), key))
        floor = m.end()
    return spans


def _marker_covers(statement, key: str) -> bool:
    """The article puts ``key``'s marker on this statement (the quote lies in the
    stretch that ``key``'s marker covers), or the sentence names the first author."""
    line, at, end, sentence = _place(statement)
    if _family(key) in sentence:
        return True
    article = _raw.value(statement, OA.hasSource)
    return any(k == key and a <= at and end <= b for a, b, k in _marker_spans(article, line))


CITATIONS = [(s, key) for s in STATEMENTS for key in _cited(s)]


@pytest.mark.parametrize(("statement", "key"), CITATIONS, ids=[f"{_id(s)}-{k}" for s, k in CITATIONS])
def test_a_citation_without_the_articles_marker_is_reviewed(statement, key):
    if _marker_covers(statement, key):
        return
    reviewed = [
        r for r in REVIEWS if (r, SCHEMA.itemReviewed, statement) in _raw and (r, EV.aboutSource, SOURCE[key]) in _raw
    ]
    assert reviewed, (
        f"{_id(statement)} cites {key}, but the article's marker for {key} is not on this sentence: remove the "
        f"citation, or keep it only where the sentence refers back to that study and add a schema:ClaimReview "
        f"(ev:NotSupported if the study did not test the point) saying what the study did"
    )


@pytest.mark.parametrize("statement", STATEMENTS, ids=_id)
def test_a_marked_or_named_statement_cites_its_source(statement):
    line, at, end, _sentence = _place(statement)
    cited = _cited(statement)
    article = _raw.value(statement, OA.hasSource)
    for a, b, key in _marker_spans(article, line):
        if a <= at and end <= b:
            assert key in cited, (
                f"{_id(statement)}: the article's marker for {key} covers this quote: add "
                f"cito:citesAsEvidence source:{key} (docs/corpus.md, citations)"
            )
    quote = _quote(statement)
    for family in sorted({_family(k) for k in BIB if _family(k) in quote}):
        assert any(_family(k) == family for k in cited), (
            f"{_id(statement)}: the quote names {family}: cite that study (cito:citesAsEvidence)"
        )


# --- 5. the stance rule --------------------------------------------------------------

#: The sentence makes a cited study, its authors or their analysis the one who found or said it.
_ATTRIBUTION = re.compile(
    r"\b(colleagues|the authors|their|follow-up|review|study|modelling)\b.{0,200}?"
    r"\b(found|identified|noted|stated|determined|confirmed|demonstrated|revealed|showed|reported|concluded)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("statement", STATEMENTS, ids=_id)
def test_stance_follows_the_rule(statement):
    stance = _raw.value(statement, EV.stance)
    if stance == EV.Rejects:
        return
    _line, _at, _end, sentence = _place(statement)
    attributed = bool(_cited(statement)) and bool(_ATTRIBUTION.search(sentence))
    if attributed:
        assert stance == EV.Reports, (
            f"{_id(statement)}: the sentence attributes the claim to a cited source ({sentence[:70]!r}...): "
            f"use ev:Reports (README, stance rule)"
        )
    else:
        assert stance == EV.Asserts, (
            f"{_id(statement)}: the sentence states the claim in the article's own voice: use ev:Asserts "
            f"(ev:Reports is for a sentence whose subject is a cited study or its authors)"
        )


# --- 1. wording keeps the article's hedges ------------------------------------------

#: claim slug -> the article's own qualifier that the label must keep.
HEDGES = {
    "hip-strengthening-best-supported": "best-supported",
    "short-term-reduce-training-load": "often",
    "itb-stiffness-defeats-stretching-and-pressure": "meaningful",
    "itb-passive-tension-set-by-muscles": "entirely",
    "itbs-compression-syndrome": "better understood",
    "foam-rolling-relief-is-neural": "temporarily",
    "rapid-mileage-most-common-precipitant": "single most common",
    "hip-weakness-and-load-main-factors": "most consistent",
    "itbs-almost-always-hip-and-load-problem": "almost always",
    "foam-rolling-alone-not-lasting": "alone",
}


@pytest.mark.parametrize(("slug", "word"), sorted(HEDGES.items()))
def test_label_keeps_the_articles_qualifier(slug, word):
    label = str(_raw.value(CLAIM[slug], RDFS.label) or "")
    assert word in label, f"claim:{slug}: the article says {word!r}; put it back in the rdfs:label"


#: claim slug -> words that belong to the claims it was split from: one proposition each.
NOT_MERGED = {
    "itbs-friction-syndrome": ("bursa", "slid", "beneath"),  # bursa-is-pain-source, itb-slides-over-epicondyle
    "foam-rolling-alone-not-lasting": ("lasting", "requires"),  # strengthening-needed-for-lasting-resolution
    "hip-strengthening-core-treatment": ("supported",),  # hip-strengthening-best-supported
    "hip-weakness-and-load-main-factors": ("almost always",),  # itbs-almost-always-hip-and-load-problem
}


@pytest.mark.parametrize(("slug", "words"), sorted(NOT_MERGED.items()))
def test_label_states_one_proposition(slug, words):
    label = str(_raw.value(CLAIM[slug], RDFS.label) or "").lower()
    merged = [w for w in words if w in label]
    assert not merged, f"claim:{slug}: {merged} belong to another claim; word the label as this one proposition"


def test_one_statement_per_claim_article_and_quote():
    seen = [(_raw.value(s, EV.claim), _raw.value(s, OA.hasSource), _quote(s)) for s in STATEMENTS]
    assert len(seen) == len(set(seen)), "two statements share a claim, an article and a quote: delete one"


@pytest.mark.parametrize("statement", STATEMENTS, ids=_id)
def test_statement_slug_names_its_claim_and_article(statement):
    claim, article = _id(_raw.value(statement, EV.claim)), _id(_raw.value(statement, OA.hasSource))
    assert re.fullmatch(rf"{re.escape(claim)}--{re.escape(article)}(-[2-9]\d*)?", _id(statement)), (
        f"{_id(statement)}: name it {claim}--{article}, or {claim}--{article}-2, -3 ... for a second place"
    )


# --- 4. every sentence of an article is stated or decided against ---------------------


def _not_claims() -> dict[tuple[str, str], str]:
    with NOT_CLAIMS.open(encoding="utf-8", newline="") as f:
        return {(r["article"], r["sentence"]): r["reason"] for r in csv.DictReader(f, delimiter="\t")}


def _uncovered_sentences() -> list[tuple[str, str]]:
    """(article slug, sentence) for each prose sentence or table cell that no quote
    covers for at least half its length. A table cell is a line starting "- " that
    is not a reference-list entry (those carry "year;volume"); headings and the
    Quick Reference box (other lines without a full stop) are not prose."""
    out = []
    for path in sorted(ARTICLES.glob("*.txt")):
        slug = path.stem
        quotes = [_quote(s) for s in STATEMENTS if _id(_raw.value(s, OA.hasSource)) == slug]
        for line in path.read_text(encoding="utf-8").split("\n"):
            cell = line.startswith("- ") and not re.search(r"\d{4};\d", line)
            if not cell and (line.startswith("- ") or not _SENTENCE_END.search(line)):
                continue
            covered = [False] * len(line)
            for q in quotes:
                at = line.find(q)
                while at >= 0:
                    covered[at : at + len(q)] = [True] * len(q)
                    at = line.find(q, at + 1)
            for a, b in [(2, len(line))] if cell else _sentences(line):
                if sum(covered[a:b]) * 2 < b - a:
                    out.append((slug, _MARKER.sub("", line[a:b]).strip()))
    return out


UNCOVERED = _uncovered_sentences() if ARTICLES.is_dir() else []


@pytest.mark.parametrize(("article", "sentence"), UNCOVERED, ids=[f"{a}-{s[:30]}" for a, s in UNCOVERED])
def test_an_unstated_sentence_is_decided(article, sentence):
    assert (article, sentence) in _not_claims(), (
        f"{article}: {sentence!r} has no statement; add one to claims.ttl, or list it in "
        f"tests/data/corpus-not-claims.tsv with the reason it is not a claim"
    )


def test_the_not_claims_list_has_no_stale_rows():
    require_or_skip(ARTICLES.is_dir(), f"article texts not found at {ARTICLES}")
    stale = sorted(set(_not_claims()) - set(UNCOVERED))
    assert not stale, f"tests/data/corpus-not-claims.tsv lists sentences that now have a statement or changed: {stale}"


# --- 3. verdicts -----------------------------------------------------------------------

#: review slug -> (verdict, phrase or phrases the body must contain, why: the fact in sources-facts.json)
VERDICTS = {
    "beers2008-outcomes": ("Overstated", "abstract reports no pain outcome", "check e: the abstract reports none"),
    "chaudhry2008-force": ("NumbersDiffer", "secondary", "check b: numbers differ, and they are secondary"),
    "chaudhry2008-foam-roller": ("Supported", "physiological range", "check b: the qualitative point holds"),
    "fairclough2006-anchorage": ("Supported", "caveats", "check a: supported, with minor wording issues"),
    "falvey2010-stretching": (
        "PartlySupported",
        ("no manual pressure or foam rolling", "cut off"),
        "check g1: stretch strain only; the conclusion was read in a truncated abstract",
    ),
    "fredericson2000-return-rate": ("NumbersDiffer", "not read", "check c: 22/24 is secondary"),
    "fredericson2000-weakness": ("Supported", "P<0.05", "check c: the torque deficit is verified"),
    "fredericson2000-no-comparison": ("NotSupported", "no stretching or foam-rolling arm", "the design is verified"),
    "noehren2007-mileage": ("Misattributed", "not read", "check d: the finding is secondary"),
    "vanderworp2012-risk-factors": (
        "Overstated",
        ("could not be verified", "truncated"),
        "check f: count not found; the abstract read was truncated",
    ),
}


@pytest.mark.parametrize("review", REVIEWS, ids=_id)
def test_review_verdict_and_body_match_the_facts(review):
    body = str(_raw.value(review, SCHEMA.reviewBody) or "")
    assert body, f"review:{_id(review)}: add a schema:reviewBody saying what the source really reports"
    assert _raw.value(review, EV.aboutSource), f"review:{_id(review)}: add ev:aboutSource"
    assert _raw.value(review, PROV.wasDerivedFrom), (
        f"review:{_id(review)}: add prov:wasDerivedFrom (where it was checked)"
    )
    item = _raw.value(review, SCHEMA.itemReviewed)
    if (item, RDF.type, EV.Statement) not in _raw:
        return  # a review of a source alone (Ellis 2007) has no citation to judge
    verdict = _raw.value(review, EV.verdict)
    assert _id(review) in VERDICTS, f"review:{_id(review)}: add its expected verdict to VERDICTS in this file"
    want, phrases, why = VERDICTS[_id(review)]
    assert verdict == EV[want], f"review:{_id(review)}: verdict should be ev:{want} ({why})"
    for phrase in (phrases,) if isinstance(phrases, str) else phrases:
        assert phrase in body, f"review:{_id(review)}: the body should say {phrase!r} ({why})"


# --- 7. every review is listed ----------------------------------------------------------


@pytest.fixture(scope="module")
def review_rows(eg):
    result = run_query(eg, named_query("reviews").text)
    return {str(row[0]) for row in result.rows}


@pytest.mark.parametrize("review", REVIEWS, ids=_id)
def test_reviews_query_lists_the_review(review_rows, review):
    assert str(review) in review_rows, f"`evg query reviews` drops review:{_id(review)}: fix graph/queries/reviews.rq"


# --- 6. topics ---------------------------------------------------------------------------

#: Labels so generic that they match nearly every claim.
TOO_GENERIC = {"treatment", "therapy", "pain", "exercise", "injury"}


def _labels(concept) -> list[str]:
    return [str(x).lower() for p in (SKOS.prefLabel, SKOS.altLabel) for x in _raw.objects(concept, p)]


def test_no_label_names_two_topics():
    owners: dict[str, list[str]] = {}
    for c in CONCEPTS:
        for label in _labels(c):
            owners.setdefault(label, []).append(_id(c))
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared, f"one label on two topics merges them in search: keep it on one concept: {shared}"


@pytest.mark.parametrize("concept", CONCEPTS, ids=_id)
def test_topic_labels_are_specific(concept):
    generic = sorted(set(_labels(concept)) & TOO_GENERIC)
    assert not generic, f"concept:{_id(concept)}: drop the labels {generic}; they match almost every claim"


#: (concept, label it must not carry, why)
WRONG_LABELS = [
    ("cadence", "stride length", "stride length is its own topic (concept:stride-length)"),
    ("lateral-femoral-epicondyle", "lateral femoral condyle", "the condyle is concept:lateral-femoral-condyle"),
    ("lateral-femoral-epicondyle", "lfc", "LFC is the condyle"),
    ("gluteus-maximus", "glutes", "'glutes' is the whole group (concept:gluteal-muscles)"),
]


@pytest.mark.parametrize(("concept", "label", "why"), WRONG_LABELS, ids=[f"{c}-{x}" for c, x, _ in WRONG_LABELS])
def test_topic_does_not_carry_a_wrong_label(concept, label, why):
    assert label not in _labels(CONCEPT[concept]), f"concept:{concept}: remove the label {label!r}: {why}"


def test_physio_is_physiotherapy_not_a_clinician():
    for group in curated_synonyms():
        folded = {g.lower() for g in group}
        assert not ({"physio", "clinician"} <= folded), (
            "graph/data/synonyms.txt: 'physio' means physiotherapy; take it out of the clinician group"
        )


#: (question, a claim that must be among the first eight found)
SEARCHES = [
    ("weak glutes", "runners-with-itbs-weaker-hip-abductors"),
    ("weak glutes", "hip-abductor-weakness-lets-femur-adduct"),
    ("glute exercises", "gluteal-exercises-address-driver"),
    ("should I ice my knee", "ice-anti-inflammatories-short-term"),
    ("anti-inflammatories", "ice-anti-inflammatories-short-term"),
    ("shorter stride", "cadence-increase-reduces-knee-load"),
    ("lateral femoral condyle", "femoral-adduction-increases-itb-compression"),
]


@pytest.mark.parametrize(("question", "slug"), SEARCHES, ids=[f"{q}-{s}" for q, s in SEARCHES])
def test_lay_words_reach_the_claim(eg, question, slug):
    found = [m.claim.slug for m in eg.search(question, 8)]
    assert slug in found, f"searching {question!r} misses claim:{slug} (found first: {found}); add a topic label"


# --- 8. the PMID rule ----------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(BIB), ids=str)
def test_pmid_present_exactly_when_verified(key):
    fact = _facts().get(key)
    assert fact, f"{key}: sources-facts.json has no record for it"
    verified = fact.get("pmid_status", "").startswith("verified")
    pmid = BIB[key].fields.get("pmid")
    if verified:
        assert pmid == fact["pmid"], f"{key}: add pmid = {{{fact['pmid']}}}; sources-facts.json marks it verified"
    else:
        assert pmid is None, (
            f"{key}: remove the pmid; sources-facts.json marks it {fact.get('pmid_status', '')[:30]!r}, and the "
            f"rule in the header of sources.bib allows verified PMIDs only"
        )


@pytest.mark.parametrize("key", sorted(BIB), ids=str)
def test_doi_matches_the_facts(key):
    fact = _facts()[key]
    doi = BIB[key].fields.get("doi")
    assert not fact.get("doi_status", "").startswith("recalled"), f"{key}: the DOI is only recalled; remove it"
    assert doi == fact["doi"], f"{key}: doi should be {fact['doi']} as in sources-facts.json"


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@pytest.mark.parametrize("key", sorted(BIB), ids=str)
def test_bibliographic_fields_match_the_facts(key):
    fact, entry = _facts()[key], BIB[key]
    f = entry.fields
    for field, want in (("year", fact["year"]), ("volume", fact["volume"]), ("number", fact["issue"])):
        assert f.get(field) == str(want), f"{key}: {field} should be {want} as in sources-facts.json"
    assert f.get("pages", "").replace("--", "-") == fact["pages"], f"{key}: pages should be {fact['pages']}"
    assert _plain(f["title"]) == _plain(fact["title"]), f"{key}: title should read {fact['title']!r}"
    assert _plain(fact["journal"]).startswith(_plain(f["journal"])), f"{key}: journal should be {fact['journal']!r}"
    families = [_plain(" ".join(p.prelast_names + p.last_names)) for p in entry.persons["author"]]
    assert len(families) == len(fact["authors"]), f"{key}: list all {len(fact['authors'])} authors"
    for family, name in zip(families, fact["authors"], strict=True):
        assert _plain(name).endswith(family), f"{key}: author {name!r} is missing or out of order"
