"""Exports, each read back by the tool that consumes it: rdflib for Turtle,
JSON-LD and TriG, networkx for GraphML, the CSL-JSON schema (via jsonschema)
for CSL-JSON, and Python's csv reader for CSV.

``tests/data/csl-data.json`` is the CSL input-data schema from the
citation-style-language/schema repository (schemas/input/csl-data.json,
commit 00412663cee29f630e8a112abf751fce6c9c1748, MIT licence), unchanged.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph.cli import cli
from graph.export import FORMATS, REGISTRY, ExportOptions, export, get_exporter
from graph.export.nanopub import nanopub_dataset
from graph.export.table import COLUMNS
from graph.model.errors import NotFoundError
from graph.model.namespaces import CITO, CLAIM, DCTERMS, EV, NANOPUB, NP, OA, PREFIXES, PROV, RDF, SOURCE, XSD

from .conftest import CORPUS, DATA


@pytest.fixture(scope="module")
def exports(eg):
    """Each format exported once, with a fixed creation date for the nanopubs."""
    options = ExportOptions(created="2024-05-01")
    return {fmt: export(eg, fmt, options) for fmt in FORMATS}


# --- one interface, one registry ------------------------------------------------------


def test_registry_lists_the_six_formats_and_the_cli_offers_exactly_them():
    assert FORMATS == ("ttl", "jsonld", "trig-nanopub", "graphml", "csl-json", "csv")
    params = {p.name: p for p in cli.get_command(None, "export").params}
    assert tuple(params["fmt"].type.choices) == FORMATS


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_exporter_implements_the_interface(fmt):
    exporter = get_exporter(fmt)
    assert exporter.name == fmt
    assert exporter.suffix.startswith(".") and "/" in exporter.media_type and exporter.description
    assert REGISTRY[fmt].startswith("graph.export.")


def test_unknown_format_names_the_closest():
    with pytest.raises(NotFoundError, match="no export format named 'json-ld'; did you mean: jsonld"):
        get_exporter("json-ld")


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_are_deterministic(eg, exports, fmt):
    # Blank nodes get stable labels and everything is sorted: the same data gives the same bytes.
    assert export(eg, fmt, ExportOptions(created="2024-05-01")) == exports[fmt]


# --- RDF --------------------------------------------------------------------------------


def test_turtle_is_the_whole_merged_graph(eg, exports):
    g = Graph().parse(data=exports["ttl"], format="turtle")
    assert isomorphic(g, eg.rdf)
    assert (CLAIM["fascia-elongation-needs-900n"], CITO.obtainsSupportFrom, SOURCE.chaudhry2008) in g
    assert (SOURCE.chaudhry2008, CITO.givesSupportTo, CLAIM["fascia-elongation-needs-900n"]) in g


def test_jsonld_is_the_whole_graph_with_a_context(eg, exports):
    doc = json.loads(exports["jsonld"])
    assert doc["@context"] == PREFIXES
    g = Graph().parse(data=exports["jsonld"], format="json-ld")
    assert isomorphic(g, eg.rdf)


def _expected_assertions(g: Graph) -> Graph:
    """What the assertion graphs should hold, gathered independently of the exporter."""
    out = Graph()
    for claim in g.subjects(RDF.type, EV.Claim):
        for p, o in g.predicate_objects(claim):
            out.add((claim, p, o))
        for p in (CITO.givesSupportTo, CITO.disputes):
            for s in g.subjects(p, claim):
                out.add((s, p, claim))
        for statement in g.subjects(EV.claim, claim):
            for p, o in g.predicate_objects(statement):
                out.add((statement, p, o))
            for selector in g.objects(statement, OA.hasSelector):
                for p, o in g.predicate_objects(selector):
                    out.add((selector, p, o))
    return out


def _trig(text: str) -> Dataset:
    ds = Dataset()
    ds.parse(data=text, format="trig")
    return ds


def test_trig_has_four_graphs_per_claim(eg, exports):
    ds = _trig(exports["trig-nanopub"])
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert len(eg.claim_iris) == 71
    assert names == {
        f"{NANOPUB[c.removeprefix(str(CLAIM))]}#{part}"
        for c in eg.claim_iris
        for part in ("Head", "assertion", "provenance", "pubinfo")
    }


def test_trig_nanopub_of_one_claim(exports):
    ds = _trig(exports["trig-nanopub"])
    this = NANOPUB["fascia-elongation-needs-900n"]
    head, assertion, provenance, pubinfo = (
        URIRef(f"{this}#{p}") for p in ("Head", "assertion", "provenance", "pubinfo")
    )
    assert set(ds.graph(head)) == {
        (this, RDF.type, NP.Nanopublication),
        (this, NP.hasAssertion, assertion),
        (this, NP.hasProvenance, provenance),
        (this, NP.hasPublicationInfo, pubinfo),
    }
    assert set(ds.graph(provenance)) == {
        (
            assertion,
            PROV.wasDerivedFrom,
            URIRef("https://w3id.org/evidence-graph/article/itbs-compression-not-friction"),
        ),
        (assertion, PROV.wasDerivedFrom, SOURCE.chaudhry2008),
    }
    assert set(ds.graph(pubinfo)) == {
        (this, DCTERMS.creator, URIRef("https://w3id.org/evidence-graph")),
        (this, DCTERMS.created, Literal("2024-05-01", datatype=XSD.date)),
    }
    a = ds.graph(assertion)
    claim = CLAIM["fascia-elongation-needs-900n"]
    assert (claim, CITO.obtainsSupportFrom, SOURCE.chaudhry2008) in a
    assert (SOURCE.chaudhry2008, CITO.givesSupportTo, claim) in a
    assert len(set(a.subjects(RDF.type, EV.Statement))) == 1


def test_trig_assertions_are_the_claims_statements_and_derived_links(eg, exports):
    ds = _trig(exports["trig-nanopub"])
    union = Graph()
    for g in ds.graphs():
        if str(g.identifier).endswith("#assertion"):
            for triple in g:
                union.add(triple)
    assert isomorphic(union, _expected_assertions(eg.rdf))


def test_trig_reads_back_isomorphic_graph_by_graph(eg, exports):
    ours = nanopub_dataset(eg, ExportOptions(created="2024-05-01"))
    theirs = _trig(exports["trig-nanopub"])
    for g in ours.graphs():
        if len(g):
            assert isomorphic(theirs.graph(g.identifier), g), g.identifier


def test_trig_without_a_date_reads_no_clock(eg):
    ds = _trig(export(eg, "trig-nanopub"))
    assert not list(ds.quads((None, DCTERMS.created, None, None)))


# --- GraphML ----------------------------------------------------------------------------


def test_graphml_reads_back_into_networkx(eg, exports):
    import networkx as nx

    from graph.evidence.network import projection

    ours = projection(eg)
    theirs = nx.read_graphml(io.BytesIO(exports["graphml"].encode("utf-8")))
    assert (theirs.number_of_nodes(), theirs.number_of_edges()) == (ours.number_of_nodes(), ours.number_of_edges())
    assert (theirs.number_of_nodes(), theirs.number_of_edges()) == (117, 394)
    assert dict(theirs.nodes(data=True)) == dict(ours.nodes(data=True))
    assert sorted((u, v, d["relation"], d.get("refuted")) for u, v, d in theirs.edges(data=True)) == sorted(
        (u, v, d["relation"], d.get("refuted")) for u, v, d in ours.edges(data=True)
    )
    assert theirs.nodes["source:chaudhry2008"] == {
        "kind": "source",
        "label": "chaudhry2008",
        "design": "mathematical model",
        "rank": 1,
    }


# --- CSL-JSON ---------------------------------------------------------------------------


def test_csl_json_validates_against_the_csl_schema(exports):
    import jsonschema

    schema = json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))
    items = json.loads(exports["csl-json"])
    jsonschema.validate(items, schema)
    keys = "fairclough2006 fairclough2007 chaudhry2008 falvey2010 fredericson2000 vanderworp2012 beers2008 ellis2007"
    assert [i["id"] for i in items] == sorted([*keys.split(), "noehren2007"])


def test_csl_json_item_is_exact(exports):
    items = {i["id"]: i for i in json.loads(exports["csl-json"])}
    assert items["fairclough2006"] == {
        "id": "fairclough2006",
        "type": "article-journal",
        "author": [
            {"family": "Fairclough", "given": "John"},
            {"family": "Hayashi", "given": "Koji"},
            {"family": "Toumi", "given": "Hechmi"},
            {"family": "Lyons", "given": "Kathleen"},
            {"family": "Bydder", "given": "Graeme"},
            {"family": "Phillips", "given": "Nicola"},
            {"family": "Best", "given": "Thomas M."},
            {"family": "Benjamin", "given": "Mike"},
        ],
        "title": "The functional anatomy of the iliotibial band during flexion and extension of the knee: "
        "implications for understanding iliotibial band syndrome",
        "issued": {"date-parts": [[2006]]},
        "container-title": "Journal of Anatomy",
        "volume": "208",
        "issue": "3",
        "page": "309-316",
        "DOI": "10.1111/j.1469-7580.2006.00531.x",
    }
    # LaTeX in the BibTeX (\&) is plain text here.
    assert items["falvey2010"]["container-title"] == "Scandinavian Journal of Medicine & Science in Sports"


def test_csl_json_fails_the_schema_when_broken(exports):
    import jsonschema

    schema = json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))
    items = json.loads(exports["csl-json"])
    items[0]["author"][0]["surname"] = "x"  # not a CSL name field
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(items, schema)


# --- CSV --------------------------------------------------------------------------------


def test_csv_has_the_documented_columns_and_one_row_per_citation(exports):
    rows = list(csv.DictReader(io.StringIO(exports["csv"])))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 91  # 90 statements; one of them cites two sources
    misattributed = [r for r in rows if r["verdict"] == "misattributed"]
    assert misattributed == [
        {
            "claim": "rapid-mileage-most-common-precipitant",
            "claim_text": "Rapid increases in mileage are the single most common precipitating factor for IT band"
            " syndrome in distance runners.",
            "article": "itbs-compression-not-friction",
            "stance": "reports",
            "relation": "supports",
            "source": "noehren2007",
            "study_design": "cohort study",
            "evidence_rank": "5",
            "verdict": "misattributed",
            "quote": misattributed[0]["quote"],
        }
    ]
    assert sorted({r["relation"] for r in rows}) == ["", "disputes", "supports"]


# --- command line -----------------------------------------------------------------------


def test_cli_writes_a_file(tmp_path, evg, exports):
    target = tmp_path / "out" / "sources.json"
    code, out, err = evg("export", *CORPUS, "--format", "csl-json", "-o", str(target))
    assert (code, out, err) == (0, "", f"wrote {target}\n")
    assert target.read_text(encoding="utf-8") == exports["csl-json"]


def test_cli_prints_to_stdout(evg, exports):
    code, out, _ = evg("export", *CORPUS, "--format", "trig-nanopub", "--created", "2024-05-01")
    assert (code, out) == (0, exports["trig-nanopub"])


def test_cli_takes_the_date_from_source_date_epoch(evg, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714521600")
    code, out, _ = evg("export", *CORPUS, "--format", "trig-nanopub")
    assert code == 0
    assert 'dcterms:created "2024-05-01T00:00:00Z"^^xsd:dateTime' in out


def test_cli_failure_leaves_an_existing_file_untouched(tmp_path, evg):
    target = tmp_path / "graph.ttl"
    target.write_text("old\n", encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    broken.write_text("claim:x a ev:Claim .\n", encoding="utf-8")  # undeclared prefixes
    code, out, err = evg("export", "--claims", str(broken), "--format", "ttl", "-o", str(target))
    assert code == 2 and out == ""
    assert err.startswith(f"evg: error: {broken}:1:1: Turtle syntax error") and err.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.ttl", "graph.ttl"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "Invalid value for '--format'"),
        (["--format", "trig-nanopub", "--created", "yesterday"], "use an ISO date or date-time"),
        ([], "Missing option '--format'"),
    ],
)
def test_cli_bad_options_are_usage_errors(evg, args, message):
    code, _, err = evg("export", *CORPUS, *args)
    assert code == 2
    assert message in err


def test_listing_the_formats_loads_neither_rdflib_nor_networkx():
    import subprocess
    import sys

    code = "import sys, graph.cli.query; print(sorted({m.split('.')[0] for m in sys.modules} & {'rdflib', 'networkx'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"
