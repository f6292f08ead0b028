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

from .conftest import CORPUS, DATA, require_or_skip


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
        (this, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")),
        (this, DCTERMS.created, Literal("2024-05-01T00:00:00Z", datatype=XSD.dateTime)),
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
        if str(g.identifier).endswith("#pubinfo"):
            # no blank nodes here; compare literal values ("Z" and "+00:00" are one time zone)
            assert _valued(theirs.graph(g.identifier)) == _valued(g)
        elif len(g):
            assert isomorphic(theirs.graph(g.identifier), g), g.identifier


def _valued(g) -> set:
    return {(s, p, (o.value, o.datatype) if isinstance(o, Literal) else o) for s, p, o in g}


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
    assert sorted((u, v, d["relation"], d["refuted"]) for u, v, d in theirs.edges(data=True)) == sorted(
        (u, v, d["relation"], bool(d.get("refuted"))) for u, v, d in ours.edges(data=True)
    )
    assert theirs.nodes["source:chaudhry2008"] == {
        "kind": "source",
        "label": "chaudhry2008",
        "design": "mathematical model",
        "rank": 1,
    }


def _igraph_fill(value) -> bool:
    # igraph gives every vertex every attribute: NaN or "" where the file has none.
    return value == "" or (isinstance(value, float) and value != value)


def test_graphml_edge_ids_are_unique(exports):
    import xml.etree.ElementTree as ET

    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    edges = ET.fromstring(exports["graphml"].encode("utf-8")).findall(".//g:edge", ns)
    ids = [e.get("id") for e in edges]
    assert len(ids) == 394 and len(set(ids)) == 394 and ids[:3] == ["e0", "e1", "e2"]


def test_graphml_reads_back_the_same_in_networkx_and_igraph(exports, tmp_path):
    import networkx as nx

    try:
        import igraph
    except ImportError:
        require_or_skip(False, "python-igraph not installed (test extra)")
    path = tmp_path / "evidence.graphml"
    path.write_text(exports["graphml"], encoding="utf-8")
    nxg = nx.read_graphml(path, force_multigraph=True)
    ig = igraph.Graph.Read_GraphML(str(path))
    assert ig.is_directed() and (ig.vcount(), ig.ecount()) == (nxg.number_of_nodes(), nxg.number_of_edges())
    ig_nodes = {v["id"]: {k: x for k, x in v.attributes().items() if k != "id" and not _igraph_fill(x)} for v in ig.vs}
    assert ig_nodes == dict(nxg.nodes(data=True))
    ig_edges = sorted(
        (
            ig.vs[e.source]["id"],
            ig.vs[e.target]["id"],
            e["id"],
            tuple(sorted((k, x) for k, x in e.attributes().items() if k != "id" and not _igraph_fill(x))),
        )
        for e in ig.es
    )
    nx_edges = sorted((u, v, k, tuple(sorted(d.items()))) for u, v, k, d in nxg.edges(keys=True, data=True))
    assert ig_edges == nx_edges
    assert ig_nodes["source:chaudhry2008"] == {
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
        "Implications for understanding iliotibial band syndrome",
        "issued": {"date-parts": [[2006]]},
        "container-title": "Journal of Anatomy",
        "volume": "208",
        "issue": "3",
        "page": "309-316",
        "DOI": "10.1111/j.1469-7580.2006.00531.x",
    }
    # LaTeX in the BibTeX (\&) is plain text here.
    assert items["falvey2010"]["container-title"] == "Scandinavian Journal of Medicine & Science in Sports"
    # Every identifier the BibTeX has; braces as CSL's "nocase" markup.
    assert {k: items["beers2008"][k] for k in ("DOI", "PMID", "PMCID")} == {
        "DOI": "10.3138/physio.60.2.180",
        "PMID": "20145781",
        "PMCID": "PMC2792799",
    }
    assert items["noehren2007"]["title"].startswith('<span class="nocase">ASB</span> clinical biomechanics')


def test_csl_json_carries_issn_and_url(tmp_path):
    from rdflib import Graph

    from graph.bibliography.bibtex import entry_to_rdf, parse_bib, rdf_to_entry
    from graph.bibliography.csl import entry_to_csl

    bib = tmp_path / "ids.bib"
    bib.write_text(
        "@article{ids2020,\n  author = {Doe, Jane},\n  title = {Identifiers},\n  journal = {J},\n"
        "  year = {2020},\n  issn = {1234-5678},\n  url = {https://example.org/a?b=1&c=2},\n"
        "  pmcid = {PMC1},\n  pmid = {1},\n}\n",
        encoding="utf-8",
    )
    # The exporter's path: BibTeX -> RDF -> entry -> CSL-JSON.
    g = Graph()
    node = entry_to_rdf(g, "ids2020", parse_bib(bib).entries["ids2020"])
    item = entry_to_csl("ids2020", rdf_to_entry(g, node)[1])
    assert {k: item[k] for k in ("ISSN", "URL", "PMCID", "PMID")} == {
        "ISSN": "1234-5678",
        "URL": "https://example.org/a?b=1&c=2",
        "PMCID": "PMC1",
        "PMID": "1",
    }


def test_csl_json_renders_the_same_through_pandoc(exports, tmp_path, eg, pandoc):
    # The exported file, read by pandoc --citeproc, gives the references evg prints.
    from graph.bibliography.citations import format_citation

    json_file = tmp_path / "sources.json"
    json_file.write_text(exports["csl-json"], encoding="utf-8")
    for style in ("vancouver", "apa"):
        refs = pandoc(style, json_file)
        assert len(refs) == 9
        assert refs == {key: format_citation(eg, key, style) for key in refs}


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


def test_cli_prints_the_single_file_to_stdout(evg, exports):
    code, out, _ = evg("export", *CORPUS, "--format", "trig-nanopub", "--single-file", "--created", "2024-05-01")
    assert (code, out) == (0, exports["trig-nanopub"])


def test_cli_takes_the_date_from_source_date_epoch(evg, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714521600")
    code, out, _ = evg("export", *CORPUS, "--format", "trig-nanopub", "--single-file")
    assert code == 0
    assert 'dcterms:created "2024-05-01T00:00:00Z"^^xsd:dateTime' in out


def test_trig_nanopub_needs_a_folder_or_single_file(evg):
    code, out, err = evg("export", *CORPUS, "--format", "trig-nanopub")
    assert (code, out) == (2, "")
    assert "trig-nanopub writes one file per nanopublication: give -o DIR (or --single-file)" in err


@pytest.fixture
def nanopub_dir(evg, tmp_path):
    folder = tmp_path / "nanopubs"
    args = ["--format", "trig-nanopub", "-o", str(folder), "--created", "2024-05-01T12:00:00Z"]
    args += ["--creator", "https://orcid.org/0000-0002-1825-0097", "--license", "https://spdx.org/licenses/CC0-1.0"]
    assert evg("export", *CORPUS, *args) == (0, "", f"wrote 71 nanopublications to {folder}\n")
    return folder


def test_folder_has_one_nanopub_per_claim_file(nanopub_dir, eg):
    files = sorted(nanopub_dir.iterdir())
    assert len(files) == len(eg.claim_iris) == 71
    ds = _trig((nanopub_dir / "fascia-elongation-needs-900n.trig").read_text(encoding="utf-8"))
    this = NANOPUB["fascia-elongation-needs-900n"]
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {f"{this}#{p}" for p in _PARTS}
    assert set(ds.graph(URIRef(f"{this}#pubinfo"))) == {
        (this, DCTERMS.creator, URIRef("https://orcid.org/0000-0002-1825-0097")),
        (this, DCTERMS.license, URIRef("https://spdx.org/licenses/CC0-1.0")),
        (this, DCTERMS.created, Literal("2024-05-01T12:00:00Z", datatype=XSD.dateTime)),
    }


_PARTS = ("Head", "assertion", "provenance", "pubinfo")


def test_every_file_passes_the_nanopub_packages(nanopub_dir, exports):
    # Both nanopub libraries: nanopub-sign (Rust, its check) and nanopub (Python, its parser).
    try:
        import nanopub
        import nanopub_sign
    except ImportError:
        require_or_skip(False, "nanopub and nanopub-sign not installed (test extra)")
    for path in sorted(nanopub_dir.iterdir()):
        text = path.read_text(encoding="utf-8")
        nanopub_sign.Nanopub(text).check()  # raises on an invalid nanopublication
        ds = Dataset()
        ds.parse(data=text, format="trig")
        parsed = nanopub.Nanopub(rdf=ds)
        assert str(parsed.metadata.np_uri) == f"https://w3id.org/evidence-graph/np/{path.stem}"
    # The single file is what both refuse.
    with pytest.raises(Exception, match="multiple Nanopublications"):
        nanopub_sign.Nanopub(exports["trig-nanopub"]).check()
    ds = Dataset()
    ds.parse(data=exports["trig-nanopub"], format="trig")
    with pytest.raises(nanopub.utils.MalformedNanopubError):
        nanopub.Nanopub(rdf=ds)


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


@pytest.mark.parametrize(
    ("option", "value", "example"),
    [
        ("--creator", "not an iri", "https://orcid.org/0000-0002-1825-0097"),
        ("--creator", "0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097"),
        ("--license", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ],
)
def test_cli_a_creator_or_license_that_is_no_iri_is_one_line(evg, tmp_path, option, value, example):
    # It used to reach rdflib's serialiser: a logged warning, then "internal error", exit 3.
    out_dir = tmp_path / "nanopubs"
    code, out, err = evg("export", *CORPUS, "--format", "trig-nanopub", option, value, "-o", str(out_dir))
    assert (code, out) == (2, "")
    assert err == (
        f"evg: error: Invalid value for '{option}': give an absolute IRI, e.g. {example} (see `evg export --help`)\n"
    )
    assert not out_dir.exists()


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("2024-05-01", "2024-05-01T00:00:00Z"),
        ("2024-05-01T12:00", "2024-05-01T12:00:00"),  # XML Schema needs the seconds
        ("2024-05-01T12:00Z", "2024-05-01T12:00:00Z"),
        ("2024-05-01T12:00+02:00", "2024-05-01T12:00:00+02:00"),
        ("2024-05-01T12:00:00.5Z", "2024-05-01T12:00:00.5Z"),
    ],
)
def test_created_is_an_xsd_datetime(eg, given, written):
    from graph.export import xsd_datetime

    assert xsd_datetime(given) == written
    ds = nanopub_dataset(eg, ExportOptions(created=given))
    this = NANOPUB["fascia-elongation-needs-900n"]
    # the lexical form as written ("Z" kept)
    created = list(ds.graph(URIRef(f"{this}#pubinfo")).objects(this, DCTERMS.created))
    assert [(str(o), o.datatype) for o in created] == [(written, XSD.dateTime)]


@pytest.mark.parametrize("given", ["2024-02-30", "2024-05-01T25:00", "2024-13-01", "yesterday"])
def test_created_must_be_a_real_date(evg, given):
    from graph.export import xsd_datetime

    with pytest.raises(ValueError, match=f"created must be an ISO date or date-time, e.g. 2024-05-01, not '{given}'"):
        xsd_datetime(given)
    code, out, err = evg("export", *CORPUS, "--format", "trig-nanopub", "--single-file", "--created", given)
    assert (code, out) == (2, "")
    assert err == (
        "evg: error: Invalid value for '--created': use an ISO date or date-time, e.g. 2024-05-01 or "
        "2024-05-01T12:00:00Z (see `evg export --help`)\n"
    )


def test_export_options_refuse_a_creator_that_is_no_iri():
    from graph.export import ExportOptions

    with pytest.raises(ValueError, match=r"creator must be an absolute IRI, e.g. https://orcid.org/.*, not 'Jane Doe'"):
        ExportOptions(creator="Jane Doe")
    assert ExportOptions(creator="https://orcid.org/0000-0002-1825-0097", license="urn:x").license == "urn:x"


def test_listing_the_formats_loads_neither_rdflib_nor_networkx():
    import subprocess
    import sys

    code = "import sys, graph.cli.query; print(sorted({m.split('.')[0] for m in sys.modules} & {'rdflib', 'networkx'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"
