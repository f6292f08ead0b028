"""`evg validate`: one example file per error kind, each with its exact message."""

from __future__ import annotations

import pytest

from .conftest import CLAIMS_TTL, DATA, SOURCES_BIB

MINI = DATA / "mini"
INVALID = DATA / "invalid"
BIB = str(MINI / "sources.bib")
CLAIMS = str(MINI / "claims.ttl")
ARTICLES = str(MINI / "articles")

# file -> (exit status, exact output). Output is stdout for problems (exit 1)
# and the one stderr line for unusable input (exit 2).
CASES = {
    "turtle-syntax.ttl": (
        2,
        "evg: error: {f}:35:49: Turtle syntax error: Line jumps are not allowed in string literals, use \\n",
    ),
    "not-utf8.ttl": (2, "evg: error: {f}:17: not UTF-8 text (byte 0xe9)"),
    "empty.ttl": (2, "evg: error: {f}: file is empty"),
    "unknown-key.ttl": (1, "{f}:32: unknown citation key 'smiht2010': no entry in the BibTeX file"),
    "claim-without-label.ttl": (
        1,
        "{f}:34: claim:stretching-lengthens-band rdfs:label: "
        "a claim needs exactly one plain-text rdfs:label (its neutral wording)",
    ),
    "claim-without-statement.ttl": (
        1,
        "{f}:54: claim:rest-helps ^ev:claim: no ev:Statement states this claim (add one with ev:claim pointing here)",
    ),
    "bad-stance.ttl": (
        1,
        "{f}:38: stmt:stretching-lengthens-band--mini-article ev:stance: "
        "ev:stance must be exactly one of ev:Asserts, ev:Rejects, ev:Reports",
    ),
    "bad-verdict.ttl": (
        1,
        "{f}:45: review:smith2010-hips ev:verdict: ev:verdict must be one ev:Verdict (ev:Supported, "
        "ev:PartlySupported, ev:Overstated, ev:NumbersDiffer, ev:NotSupported, ev:Misattributed)",
    ),
    "quote-not-verbatim.ttl": (
        1,
        "{f}:27: stmt:weak-hips-cause-knee-pain--mini-article: quote is not verbatim in mini-article.txt: "
        "'Weak hips make knees ache in runners.'",
    ),
    "bib-syntax.bib": (
        2,
        "evg: error: {f}:19: BibTeX syntax error: value expected for field 'volume' of brown2015, found ','",
    ),
    "duplicate-key.bib": (1, "{f}:25: duplicate citation key 'smith2010' (first defined at line 3)"),
    "bad-doi.bib": (
        1,
        "{f}:22: brown2015: malformed DOI 'https://doi.org/jir.2015.002' (expected 10.<registrant>/<suffix>)",
    ),
}


def test_every_invalid_example_has_a_case():
    # The other files of the folder are cases of tests/data/invalid/cases.tsv.
    assert set(CASES) <= {p.name for p in INVALID.iterdir()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_invalid_example_gives_its_message(name, evg):
    path = INVALID / name
    if name.endswith(".bib"):
        args = ["validate", "--claims", CLAIMS, "--sources", str(path)]
    else:
        args = ["validate", "--claims", str(path), "--sources", BIB, "--articles", ARTICLES]
    code, out, err = evg(*args)
    expected_code, expected = CASES[name]
    expected = expected.format(f=path)
    assert code == expected_code
    if expected_code == 2:
        assert (out, err) == ("", expected + "\n")
    else:
        assert out == expected + "\n"
        assert err.startswith("1 problem in ")
    assert "Traceback" not in out + err


def test_clean_input_exits_zero(evg):
    code, out, err = evg("validate", "--claims", CLAIMS, "--sources", BIB, "--articles", ARTICLES)
    assert (code, out, err) == (0, "", "ok: 2 claims, 2 statements, 2 sources\n")


def test_missing_file_exits_two(evg, tmp_path):
    code, out, err = evg("stats", "--claims", str(tmp_path / "nope.ttl"), "--sources", BIB)
    assert (code, out) == (2, "")
    assert err == f"evg: error: {tmp_path / 'nope.ttl'}: no such file or folder\n"
    code, out, err = evg("stats", "--claims", CLAIMS, "--sources", str(tmp_path / "nope.bib"))
    assert (code, err) == (2, f"evg: error: {tmp_path / 'nope.bib'}: no such file\n")


def test_missing_articles_folder_exits_two(evg, tmp_path):
    code, _, err = evg("validate", "--claims", CLAIMS, "--sources", BIB, "--articles", str(tmp_path / "no"))
    assert (code, err) == (2, f"evg: error: {tmp_path / 'no'}: articles folder not found\n")


def test_problems_from_several_kinds_are_all_reported(tmp_path, evg):
    # A duplicate key in the bib and an unknown key in the claims: both show.
    code, out, _ = evg(
        "validate",
        "--claims",
        str(INVALID / "unknown-key.ttl"),
        "--sources",
        str(INVALID / "duplicate-key.bib"),
    )
    assert code == 1
    assert out.splitlines() == [
        f"{INVALID / 'duplicate-key.bib'}:25: duplicate citation key 'smith2010' (first defined at line 3)",
        f"{INVALID / 'unknown-key.ttl'}:32: unknown citation key 'smiht2010': no entry in the BibTeX file",
    ]


def _shacl_results(claims, sources):
    import pyshacl
    from rdflib import Graph, URIRef

    from graph.bibliography.bibtex import parse_bib
    from graph.ingest.turtle import build_graph
    from graph.model.paths import SHAPES_TTL

    g = build_graph([claims], parse_bib(sources))
    conforms, results, _ = pyshacl.validate(g, shacl_graph=Graph().parse(SHAPES_TTL), inference="none")
    SH = "http://www.w3.org/ns/shacl#"
    shape = URIRef("https://w3id.org/evidence-graph/shapes#CitedSourceHasEntry")
    return conforms, sorted(
        str(results.value(r, URIRef(SH + "focusNode"))) for r in results.subjects(URIRef(SH + "sourceShape"), shape)
    )


def test_shacl_shape_finds_the_unknown_citation_key():
    # pyshacl alone, on the merged graph: the shape in shapes.ttl reports the
    # source that no BibTeX entry defines.
    conforms, focus = _shacl_results(INVALID / "unknown-key.ttl", MINI / "sources.bib")
    assert not conforms
    assert focus == ["https://w3id.org/evidence-graph/source/smiht2010"]


def test_shacl_shape_passes_the_corpus():
    conforms, focus = _shacl_results(CLAIMS_TTL, SOURCES_BIB)
    assert (conforms, focus) == (True, [])
