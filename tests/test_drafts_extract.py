"""``evg extract``: draft Statements from an article's cited sentences."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from graph.drafts.extract import extract_statements
from graph.drafts.parse import read_draft
from graph.model.errors import InputError
from graph.model.namespaces import CITO, EV, OA, RDF, SOURCE, local_name

from .conftest import CLAIMS_TTL, CORPUS, DATA, SOURCES_BIB

DRAFTS = DATA / "drafts"
ARTICLE = "itbs-compression-not-friction"


def statements_of(ttl: str) -> dict[str, tuple[str, tuple[str, ...], str]]:
    """statement IRI -> (quote, cited keys, stance local name), read back with rdflib."""
    g = Graph()
    g.parse(data=ttl, format="turtle")
    out = {}
    for stmt in g.subjects(RDF.type, EV.Statement):
        quote = str(g.value(g.value(stmt, OA.hasSelector), OA.exact))
        keys = tuple(sorted(local_name(s, SOURCE) for s in g.objects(stmt, CITO.citesAsEvidence)))
        out[str(stmt)] = (quote, keys, local_name(g.value(stmt, EV.stance), EV._NS))
    return out


def test_every_numbered_citation_of_the_cited_article(eg, articles_dir):
    result = extract_statements(eg, read_draft(articles_dir / f"{ARTICLE}.txt"), ARTICLE)
    numbered = [(s.line, s.markers, s.cited) for s in result.statements if s.markers[0].isdigit()]
    assert numbered == [
        (10, ("1",), ("fairclough2006",)),
        (11, ("2",), ("fairclough2007",)),
        (12, ("2",), ("fairclough2007",)),
        (25, ("3",), ("chaudhry2008",)),
        (26, ("4",), ("falvey2010",)),
        (35, ("5",), ("fredericson2000",)),
        (37, ("6",), ("vanderworp2012",)),
        (43, ("7",), ("beers2008",)),
    ]
    assert {m for _, markers, _ in numbered for m in markers} == {"1", "2", "3", "4", "5", "6", "7"}
    assert result.unresolved == ()
    assert [r.key for r in result.references] == [
        "fairclough2006",
        "fairclough2007",
        "chaudhry2008",
        "falvey2010",
        "fredericson2000",
        "vanderworp2012",
        "beers2008",
        "ellis2007",
        "noehren2007",
    ]


def test_claims_of_the_cited_article_match_the_curated_ones(eg, articles_dir):
    result = extract_statements(eg, read_draft(articles_dir / f"{ARTICLE}.txt"), ARTICLE)
    assert [(s.line, local_name(s.claim_iri, "https://w3id.org/evidence-graph/claim/")) for s in result.statements] == [
        (10, "itb-anchored-to-femur"),
        (11, "impingement-angle-matches-pain"),
        (12, "friction-based-treatment-misses-driver"),
        (22, "compression-model-supported-by-anatomy"),
        (25, "fascia-elongation-needs-900n"),
        (26, "itb-stiffness-defeats-stretching-and-pressure"),
        (35, "runners-with-itbs-weaker-hip-abductors"),
        (37, "local-only-treatment-recurs"),
        (43, "multimodal-physio-improves-itbs"),
    ]
    # "It is fixed.1" is too short to match alone; the quote takes in the sentences before it
    first = result.statements[0]
    assert first.quote.startswith("Their dissections revealed something")
    assert first.quote.endswith("It is fixed.")


def test_turtle_reads_back_and_validates_with_verbatim_quotes(evg, eg, articles_dir, tmp_path):
    out = tmp_path / "draft-statements.ttl"
    code, _, err = evg("extract", articles_dir / f"{ARTICLE}.txt", "--article-id", ARTICLE, "-o", out, *CORPUS)
    assert code == 0
    assert "9 statements from 9 references: 9 matched to a known claim, 0 new; 0 unresolved citations" in err
    ttl = out.read_text()
    statements = statements_of(ttl)
    assert len(statements) == 9
    assert {stance for _, _, stance in statements.values()} == {"Asserts"}
    assert sorted(keys for _, keys, _ in statements.values()) == sorted(
        [
            ("fairclough2006",),
            ("fairclough2007",),
            ("fairclough2007",),
            ("fairclough2006", "fairclough2007"),
            ("chaudhry2008",),
            ("falvey2010",),
            ("fredericson2000",),
            ("vanderworp2012",),
            ("beers2008",),
        ]
    )
    # new statement IRIs never collide with curated ones
    curated = Graph().parse(CLAIMS_TTL, format="turtle")
    assert not any((URIRef(iri), RDF.type, EV.Statement) in curated for iri in statements)
    # merged with the curated claims, it passes validation, every quote verbatim in the article
    from graph.ingest.validate import validate

    report = validate([CLAIMS_TTL, out], SOURCES_BIB, articles_dir)
    assert report.problems == []


def test_labelled_draft_gets_placeholder_claims_and_reports_unresolved(eg):
    result = extract_statements(eg, read_draft(DRAFTS / "labelled-draft.md"), "labelled-draft")
    assert [s.line for s in result.statements] == [10, 11, 12, 15, 19, 20, 21, 22, 23, 25, 27, 31, 32, 33, 34, 35]
    new = [(s.line, s.claim_iri, s.quote) for s in result.statements if s.new_claim]
    assert new == [
        (
            35,
            "https://w3id.org/evidence-graph/claim/todo-labelled-draft-line35",
            "Many runners replace their shoes every 500 to 800 kilometres",
        )
    ]
    assert [(u.line, u.marker) for u in result.unresolved] == [
        (25, "[9]"),
        (33, "[@nosuchkey2020]"),
        (34, "(Smith et al., 2019)"),
        (35, "[5]"),
    ]
    ttl = result.to_turtle()
    statements = statements_of(ttl)
    assert len(statements) == 16
    g = Graph().parse(data=ttl, format="turtle")
    placeholder = URIRef("https://w3id.org/evidence-graph/claim/todo-labelled-draft-line35")
    assert (placeholder, RDF.type, EV.Claim) in g
    assert "# line 25, citation [9] -> nothing resolved" in ttl
    assert "#   [5] NO MATCH in sources.bib: Smith J, Jones K." in ttl


def test_json_format(evg):
    import json

    code, out, _ = evg("extract", DRAFTS / "labelled-plain.txt", "--format", "json", *CORPUS)
    assert code == 0
    data = json.loads(out)
    assert data["article"] == "https://w3id.org/evidence-graph/article/labelled-plain"
    assert [(s["line"], s["markers"], s["cited"]) for s in data["statements"]] == [
        (3, ["1"], ["fredericson2000"]),
        (4, ["3"], ["chaudhry2008"]),
        (6, ["2,3"], ["fairclough2006", "chaudhry2008"]),
    ]


def test_bad_article_id(eg):
    with pytest.raises(InputError, match="is not a slug"):
        extract_statements(eg, read_draft(DRAFTS / "labelled-plain.txt"), "Not A Slug")


def test_failed_extract_leaves_no_output(evg, tmp_path):
    out = tmp_path / "out.ttl"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01")
    code, _, _ = evg("extract", bad, "-o", out, *CORPUS)
    assert code != 0
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_a_thousand_sentence_article(eg, tmp_path):
    refs = (
        "References\n"
        "1. Fredericson M, Cookingham CL. Hip abductor weakness in distance runners with iliotibial band syndrome. "
        "Clin J Sport Med. 2000;10(3):169-75.\n"
        "2. Chaudhry H, Schleip R. Three-dimensional mathematical model for deformation of human fasciae in manual "
        "therapy. J Am Osteopath Assoc. 2008;108(8):379-90.\n"
    )
    body = []
    for i in range(1000):
        if i % 2:
            body.append("Runners with ITBS have weaker hip abductors on the injured side than healthy runners.1")
        else:
            body.append("Dense fascia is far too stiff for a foam roller to lengthen the IT band.2")
    path = tmp_path / "long-article.txt"
    path.write_text("\n".join(body) + "\n\n" + refs)
    draft = read_draft(path)
    assert len(draft.sentences) == 1000
    result = extract_statements(eg, draft, "long-article")
    assert len(result.statements) == 1000
    assert sum(1 for s in result.statements if s.cited == ("fredericson2000",)) == 500
    assert sum(1 for s in result.statements if s.cited == ("chaudhry2008",)) == 500
    assert len({s.iri for s in result.statements}) == 1000
    assert len(statements_of(result.to_turtle())) == 1000
