"""graph.load(): inputs, derived links, defaults, and unusable input."""

from __future__ import annotations

import os

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import graph
from graph.model.errors import InputError, NotFoundError
from graph.model.namespaces import CITO, CLAIM, EV, RDF, SOURCE

from .conftest import CLAIMS_TTL, DATA, evg_process

MINI = DATA / "mini"


def test_bundled_corpus_counts(eg):
    assert len(eg.claim_iris) == 71
    assert len(set(eg.rdf.subjects(RDF.type, EV.Statement))) == 90
    assert eg.source_keys == (
        "beers2008", "chaudhry2008", "ellis2007", "fairclough2006", "fairclough2007",
        "falvey2010", "fredericson2000", "noehren2007", "vanderworp2012",
    )  # fmt: skip
    assert len(eg.article_iris) == 2


def test_derived_support_and_dispute_links_with_inverses(eg):
    g = eg.rdf
    supports = set(g.subject_objects(CITO.obtainsSupportFrom))
    disputes = set(g.subject_objects(CITO.isDisputedBy))
    assert len(supports) == 18
    assert disputes == {(CLAIM["itb-slides-over-epicondyle"], SOURCE.fairclough2006)}
    assert {(o, s) for s, o in supports} == set(g.subject_objects(CITO.givesSupportTo))
    assert {(o, s) for s, o in disputes} == set(g.subject_objects(CITO.disputes))
    assert set(g.objects(CLAIM["runners-with-itbs-weaker-hip-abductors"], CITO.obtainsSupportFrom)) == {
        SOURCE.fredericson2000
    }


def test_every_support_link_comes_from_an_asserting_or_reporting_statement(eg):
    g = eg.rdf
    expected = set()
    for st in g.subjects(RDF.type, EV.Statement):
        if g.value(st, EV.stance) in (EV.Asserts, EV.Reports):
            expected |= {(g.value(st, EV.claim), src) for src in g.objects(st, CITO.citesAsEvidence)}
    assert set(g.subject_objects(CITO.obtainsSupportFrom)) == expected


def test_contradicts_is_made_symmetric(eg):
    pairs = set(eg.rdf.subject_objects(EV.contradicts))
    assert pairs and all((b, a) in pairs for a, b in pairs)
    assert (CLAIM["itbs-friction-syndrome"], CLAIM["itbs-compression-syndrome"]) in pairs


def test_vocabulary_is_part_of_the_graph(eg):
    assert eg.rdf.value(EV.CadavericStudy, EV.evidenceRank).toPython() == 2


def _split_mini(tmp_path):
    """The mini claims file split in two: prefixes + first half, prefixes + rest."""
    text = (MINI / "claims.ttl").read_text()
    head, body = text.split("\n\n", 1)
    first, second = body.split("claim:stretching-lengthens-band a ev:Claim", 1)
    (tmp_path / "a.ttl").write_text(head + "\n\n" + first)
    (tmp_path / "b.ttl").write_text(head + "\n\nclaim:stretching-lengthens-band a ev:Claim" + second)
    return [tmp_path / "a.ttl", tmp_path / "b.ttl"]


def test_several_claims_files_and_a_folder_give_the_same_graph(tmp_path):
    whole = graph.load(claims=MINI / "claims.ttl", sources=MINI / "sources.bib")
    parts = _split_mini(tmp_path)
    from_files = graph.load(claims=parts, sources=MINI / "sources.bib")
    from_folder = graph.load(claims=tmp_path, sources=MINI / "sources.bib")
    assert isomorphic(whole.rdf, from_files.rdf)
    assert isomorphic(whole.rdf, from_folder.rdf)
    assert from_folder.claims_files == tuple(parts)


def test_summaries_of_mini(tmp_path):
    eg = graph.load(claims=MINI / "claims.ttl", sources=MINI / "sources.bib")
    by_slug = {s.slug: s for s in eg.claim_summaries()}
    hips = by_slug["weak-hips-cause-knee-pain"]
    assert (hips.supported_by, hips.disputed_by, hips.status, hips.best_rank) == (("smith2010",), (), "supported", 5)
    band = by_slug["stretching-lengthens-band"]
    assert (band.supported_by, band.disputed_by, band.status) == ((), ("brown2015",), "contested")


def test_unknown_names_suggest_close_ones(eg):
    with pytest.raises(NotFoundError) as info:
        eg.resolve_source("chaudry2008")
    assert str(info.value) == "no source named 'chaudry2008'; did you mean: chaudhry2008?"
    with pytest.raises(NotFoundError) as info:
        eg.resolve_claim("itbs-compresion-syndrome")
    assert info.value.suggestions[0] == "itbs-compression-syndrome"
    assert eg.resolve_claim("claim:itbs-compression-syndrome") == CLAIM["itbs-compression-syndrome"]
    assert eg.resolve_claim(str(CLAIM["itbs-compression-syndrome"])) == CLAIM["itbs-compression-syndrome"]
    assert eg.resolve_source("Fairclough2006") == SOURCE.fairclough2006


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.ttl", "file is empty"),
        ("not-utf8.ttl", "not UTF-8 text (byte 0xe9)"),
        ("turtle-syntax.ttl", "Turtle syntax error: Line jumps are not allowed in string literals, use \\n"),
    ],
)
def test_unusable_claims_raise_input_error(name, message):
    with pytest.raises(InputError) as info:
        graph.load(claims=DATA / "invalid" / name, sources=MINI / "sources.bib")
    assert info.value.problem.message == message
    assert info.value.path == str(DATA / "invalid" / name)


def test_duplicate_key_is_refused_by_load():
    with pytest.raises(InputError) as info:
        graph.load(claims=MINI / "claims.ttl", sources=DATA / "invalid" / "duplicate-key.bib")
    assert (info.value.line, info.value.problem.message) == (
        25,
        "duplicate citation key 'smith2010' (first defined at line 3)",
    )


def test_empty_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"folder holds no \.ttl files"):
        graph.load(claims=tmp_path, sources=MINI / "sources.bib")


def _evg(cwd, *args):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return evg_process(*args, cwd=cwd, env=env)


def test_defaults_use_the_current_directory_else_the_bundled_corpus(tmp_path):
    bundled = _evg(tmp_path, "stats", "--format", "json")
    assert bundled.returncode == 0, bundled.stderr
    assert '"claims": 71' in bundled.stdout
    (tmp_path / "claims.ttl").write_text((MINI / "claims.ttl").read_text())
    (tmp_path / "sources.bib").write_text((MINI / "sources.bib").read_text())
    local = _evg(tmp_path, "stats", "--format", "json")
    assert local.returncode == 0, local.stderr
    assert '"claims": 2' in local.stdout


def test_merged_graph_round_trips_through_turtle(eg):
    again = Graph().parse(data=eg.rdf.serialize(format="turtle"), format="turtle")
    assert isomorphic(again, eg.rdf)


def test_bundled_corpus_is_the_checkout_corpus():
    from graph.model.paths import bundled

    assert bundled("claims.ttl").read_bytes() == CLAIMS_TTL.read_bytes()


def test_load_refuses_an_unknown_citation_key():
    with pytest.raises(InputError) as info:
        graph.load(claims=DATA / "invalid" / "unknown-key.ttl", sources=MINI / "sources.bib")
    assert str(info.value) == (
        f"{DATA / 'invalid' / 'unknown-key.ttl'}:32: unknown citation key 'smiht2010': no entry in the BibTeX file"
    )
