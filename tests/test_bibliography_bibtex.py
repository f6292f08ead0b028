"""BibTeX -> RDF -> BibTeX keeps every field, and the RDF follows docs/model.md."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.collection import Collection

from graph.bibliography.bibtex import RAW_FIELDS, entry_to_rdf, latex_to_text, parse_bib, rdf_to_bibliography, write_bib
from graph.model.namespaces import BIBFIELD, BIBO, DCTERMS, EV, FABIO, FOAF, RDF, SOURCE, XSD

from .conftest import DATA, SOURCES_BIB, require_or_skip

BIBS = {"sources.bib": SOURCES_BIB, "roundtrip.bib": DATA / "roundtrip.bib"}


def _to_rdf(path: Path) -> Graph:
    g = Graph()
    for key, entry in parse_bib(path).entries.items():
        entry_to_rdf(g, key, entry)
    return g


def _normalised(data) -> dict:
    """Entries as comparable values: decoded text, names as (family, given, suffix)."""
    out = {}
    for key, entry in data.entries.items():
        fields = {
            name.lower(): (value if name.lower() in RAW_FIELDS else latex_to_text(value))
            for name, value in entry.fields.items()
        }
        persons = {
            role: [
                (
                    latex_to_text(" ".join(p.prelast_names + p.last_names)),
                    latex_to_text(" ".join(p.first_names + p.middle_names)),
                    latex_to_text(" ".join(p.lineage_names)),
                )
                for p in people
            ]
            for role, people in entry.persons.items()
        }
        out[key] = (entry.type.lower(), fields, persons)
    return out


@pytest.mark.parametrize("name", sorted(BIBS))
def test_round_trip_keeps_every_field(name, tmp_path):
    original = parse_bib(BIBS[name])
    back_text = write_bib(rdf_to_bibliography(_to_rdf(BIBS[name])))
    (tmp_path / "back.bib").write_text(back_text, encoding="utf-8")
    back = parse_bib(tmp_path / "back.bib")
    assert _normalised(back.data) == _normalised(original.data)
    assert not back.problems


def test_source_rdf_follows_the_model():
    g = _to_rdf(SOURCES_BIB)
    s = SOURCE.fairclough2006
    assert (s, RDF.type, FABIO.JournalArticle) in g
    assert g.value(s, DCTERMS.identifier) == Literal("fairclough2006")
    assert g.value(s, BIBO.doi) == Literal("10.1111/j.1469-7580.2006.00531.x")
    assert g.value(s, BIBO.pmid) is None  # only secondary in sources-facts.json: left out
    assert g.value(SOURCE.beers2008, BIBO.pmid) == Literal("20145781")
    assert g.value(s, DCTERMS.issued) == Literal("2006", datatype=XSD.gYear)
    assert (g.value(s, BIBO.volume), g.value(s, BIBO.issue)) == (Literal("208"), Literal("3"))
    assert (g.value(s, BIBO.pageStart), g.value(s, BIBO.pageEnd)) == (Literal("309"), Literal("316"))
    journal = g.value(s, DCTERMS.isPartOf)
    assert (journal, RDF.type, FABIO.Journal) in g
    assert g.value(journal, DCTERMS.title) == Literal("Journal of Anatomy")
    authors = list(Collection(g, g.value(s, BIBO.authorList)))
    assert [str(g.value(a, FOAF.familyName)) for a in authors] == [
        "Fairclough", "Hayashi", "Toumi", "Lyons", "Bydder", "Phillips", "Best", "Benjamin",
    ]  # fmt: skip
    assert str(g.value(authors[6], FOAF.givenName)) == "Thomas M."
    assert len(set(g.objects(s, DCTERMS.creator))) == 8


def test_name_particles_accents_and_escapes_are_decoded():
    g = _to_rdf(SOURCES_BIB)
    first = next(iter(Collection(g, g.value(SOURCE.vanderworp2012, BIBO.authorList))))
    assert str(g.value(first, FOAF.familyName)) == "van der Worp"
    last = list(Collection(g, g.value(SOURCE.vanderworp2012, BIBO.authorList)))[-1]
    assert str(g.value(last, FOAF.familyName)) == "Nijhuis-van der Sanden"
    falvey_journal = g.value(SOURCE.falvey2010, DCTERMS.isPartOf)
    assert str(g.value(falvey_journal, DCTERMS.title)) == "Scandinavian Journal of Medicine & Science in Sports"
    assert str(g.value(SOURCE.ellis2007, DCTERMS.title)) == "Iliotibial band friction syndrome—a systematic review"

    rt = _to_rdf(DATA / "roundtrip.bib")
    s = SOURCE.schroder2019
    people = list(Collection(rt, rt.value(s, BIBO.authorList)))
    assert [str(rt.value(p, FOAF.familyName)) for p in people] == ["Schröder", "Müller-Lüdenscheidt", "van der Berg"]
    assert str(rt.value(people[2], EV.nameSuffix)) == "Jr."
    assert str(rt.value(s, DCTERMS.title)) == "Fascia stiffness in MRI: a naïve model"
    assert str(rt.value(rt.value(s, DCTERMS.isPartOf), DCTERMS.title)) == "Manual Therapy and Rehabilitation"
    assert str(rt.value(s, BIBFIELD.note)) == "Costs 50% less & runs faster"
    assert str(rt.value(s, BIBFIELD.month)) == "mar"


def test_entry_types_crossref_and_odd_fields():
    g = _to_rdf(DATA / "roundtrip.bib")
    assert (SOURCE.doe2001, RDF.type, FABIO.Book) in g
    assert (SOURCE.lee2020, RDF.type, FABIO.ConferencePaper) in g
    assert (SOURCE.sportsproc2020, RDF.type, FABIO.ConferenceProceedings) in g
    assert (SOURCE.physio2021, RDF.type, FABIO.WebPage) in g
    assert (SOURCE.anon1999, RDF.type, FABIO.Expression) in g
    # crossref becomes a link to the parent source, not copied fields
    assert g.value(SOURCE.lee2020, DCTERMS.isPartOf) == SOURCE.sportsproc2020
    assert g.value(SOURCE.lee2020, DCTERMS.issued) is None
    assert str(g.value(SOURCE.physio2021, BIBFIELD.urldate)) == "2021-05-04"
    assert str(g.value(SOURCE.anon1999, BIBO.pages)) == "e101"
    editors = list(Collection(g, g.value(SOURCE.doe2001, BIBO.editorList)))
    assert str(g.value(editors[1], FOAF.familyName)) == "World Health Organization"
    assert str(g.value(SOURCE.doe2001, DCTERMS.publisher)) == "ACM Press"


def test_written_bib_puts_crossref_parents_last():
    text = write_bib(rdf_to_bibliography(_to_rdf(DATA / "roundtrip.bib")))
    assert text.index("@inproceedings{lee2020") < text.index("@proceedings{sportsproc2020")


NINE_KEYS = ["fairclough2006", "fairclough2007", "chaudhry2008", "falvey2010", "fredericson2000"]
NINE_KEYS += ["vanderworp2012", "beers2008", "ellis2007", "noehren2007"]


def test_sources_bib_has_the_nine_references():
    bib = parse_bib(SOURCES_BIB)
    assert sorted(bib.entries) == sorted(NINE_KEYS)
    for key, entry in bib.entries.items():
        for field in ("title", "journal", "year", "volume", "number", "pages", "doi"):
            assert entry.fields.get(field), f"sources.bib: {key} lacks {field}"
        assert entry.persons["author"], key


def test_pmids_only_where_the_facts_file_allows_them():
    """Only PMIDs that sources-facts.json marks verified (rule in the header of sources.bib)."""
    bib = parse_bib(SOURCES_BIB)
    with_pmid = sorted(k for k, e in bib.entries.items() if "pmid" in e.fields)
    assert with_pmid == [
        "beers2008",
        "chaudhry2008",
        "vanderworp2012",
    ]


def _run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_bibtex_and_biber_accept_sources_bib(tmp_path):
    require_or_skip(
        bool(shutil.which("bibtex")), "bibtex not installed (apt-get install texlive-binaries texlive-base)"
    )
    require_or_skip(bool(shutil.which("biber")), "biber not installed (apt-get install biber)")
    shutil.copy(SOURCES_BIB, tmp_path / "sources.bib")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibdata{sources}\n\\bibstyle{plain}\n")
    run = _run(["bibtex", "doc"], tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "error" not in run.stdout.lower(), run.stdout
    assert (tmp_path / "doc.bbl").read_text().count("\\bibitem") == 9
    run = _run(["biber", "--tool", "--validate-datamodel", "--output-file", "out.bib", "sources.bib"], tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ERROR" not in run.stdout, run.stdout


def test_text_to_latex_skips_the_codec_only_where_it_would_change_nothing():
    import codecs

    from graph.bibliography.bibtex import text_to_latex

    samples = [chr(c) for c in range(32, 127)] + [
        "Iliotibial band syndrome: a review",
        "Smith & Jones 100% effect_size ~5",
        "van der Worp {ITB} $x^2$ \\emph{a}",
        "Müller–Lüdenscheidt café",
    ]
    for text in samples:
        assert text_to_latex(text) == codecs.encode(text, "ulatex+utf8"), repr(text)
    assert text_to_latex("A & B") == "A \\& B"
    assert text_to_latex("plain title") == "plain title"
