"""Citations through CSL (citeproc-py), checked against pandoc --citeproc.

For every entry of ``sources.bib`` and ``tests/data/citations.bib`` and six
official CSL styles, :func:`format_entry` must print what pandoc prints with
the same style file: once from the CSL-JSON the project writes (the same
data, two CSL processors), once from the BibTeX file itself (two BibTeX
readers as well). The few deliberate differences are listed below, each with
both outputs spelt out and the reason.
"""

from __future__ import annotations

import json

import pybtex
import pytest
from pybtex.plugin import find_plugin
from rdflib import Graph

from graph.bibliography.bibtex import entry_to_rdf, parse_bib, rdf_to_entry
from graph.bibliography.citations import check_style, format_citation, format_entry, short_label
from graph.bibliography.csl import (
    entry_to_csl,
    format_csl,
    independent_style,
    resolve_style,
    shipped_styles,
    title_to_csl,
)
from graph.bibliography.styles.apa import APAStyle
from graph.bibliography.styles.vancouver import VancouverStyle

from .conftest import DATA, SOURCES_BIB, require_or_skip

BIBS = [SOURCES_BIB, DATA / "citations.bib"]
STYLES = ["vancouver", "apa", "american-medical-association", "chicago-author-date", "harvard-cite-them-right"]
STYLES.append("nature")

# Deliberate differences: (style, key) -> (ours, pandoc's).
#
# citeproc-py 0.11's en-GB locale follows current British usage and writes
# contractions without a full stop ("eds"); pandoc 2.17 carries an older
# en-GB locale with "eds.". Nature is an en-GB style. Not ours to change: the
# locale belongs to the processor.
_ODE_NATURE = (
    "Ode, O. The knee. in Sports anatomy (eds Fry, F. & Gale, G.) 45–67 (Anatomy Press, 2010).",
    "Ode, O. The knee. in Sports anatomy (eds. Fry, F. & Gale, G.) 45–67 (Anatomy Press, 2010).",
)
FROM_CSL_JSON = {("nature", "ode2010"): _ODE_NATURE}

# Reading the .bib, pandoc also differs in two ways we do not follow:
# - it makes BibTeX's "von" part a *dropping* particle, so Vancouver (NLM,
#   which files "van der Worp MP" under V) prints "Worp MP van der"; we make it
#   CSL's non-dropping particle, as Zotero and the CSL-JSON convention do;
# - it reads {\'\i} as a dotless i with a combining accent (U+0131 U+0301)
#   where the character is í (U+00ED), which we print.
FROM_BIBTEX = {
    **FROM_CSL_JSON,
    ("vancouver", "vanderworp2012"): (
        "van der Worp MP, van der Horst N, de Wijer A, Backx FJG, Nijhuis-van der Sanden MWG. Iliotibial band "
        "syndrome in runners: A systematic review. Sports Medicine. 2012;42(11):969–92.",
        "Worp MP van der, Horst N van der, Wijer A de, Backx FJG, Nijhuis-van der Sanden MWG. Iliotibial band "
        "syndrome in runners: A systematic review. Sports Medicine. 2012;42(11):969–92.",
    ),
}
#: The other pairs where only the particle's place or the dotless i differ.
PARTICLE_OR_DOTLESS_I = {
    *((s, k) for s in ("apa", "american-medical-association", "nature") for k in ("vanderworp2012", "smith2001")),
    *((s, "muller2019") for s in ("vancouver", "apa", "american-medical-association", "chicago-author-date", "nature")),
    ("vancouver", "smith2001"),
    ("harvard-cite-them-right", "vanderworp2012"),
    ("harvard-cite-them-right", "smith2001"),
}


def _entries():
    out = {}
    for path in BIBS:
        out.update(parse_bib(path).entries)
    return out


ENTRIES = _entries()


def _ours(style: str) -> dict[str, str]:
    return {key: format_entry(entry, style, key=key) for key, entry in ENTRIES.items()}


@pytest.mark.parametrize("style", STYLES)
def test_same_as_pandoc_on_our_csl_json(pandoc, tmp_path, style):
    items = [entry_to_csl(key, entry) for key, entry in ENTRIES.items()]
    (tmp_path / "items.json").write_text(json.dumps(items), encoding="utf-8")
    theirs = pandoc(style, tmp_path / "items.json")
    ours = _ours(style)
    assert sorted(theirs) == sorted(ours) and len(ours) == 14
    for key in ours:
        if (style, key) in FROM_CSL_JSON:
            assert (ours[key], theirs[key]) == FROM_CSL_JSON[(style, key)]
        else:
            assert ours[key] == theirs[key], key


@pytest.mark.parametrize("style", STYLES)
def test_same_as_pandoc_reading_the_bibtex(pandoc, style):
    theirs = {}
    for path in BIBS:
        theirs.update(pandoc(style, path))
    ours = _ours(style)
    for key in ours:
        if (style, key) in FROM_BIBTEX:
            assert (ours[key], theirs[key]) == FROM_BIBTEX[(style, key)]
        elif (style, key) in PARTICLE_OR_DOTLESS_I:
            assert ours[key] != theirs[key]
            assert _unparticled(ours[key]) == _unparticled(theirs[key].replace("ı\u0301", "í")), key
        else:
            assert ours[key] == theirs[key], key


def _unparticled(text: str) -> str:
    # Sorted words without particles: what is left when only the particle's place differs.
    return " ".join(sorted(w.strip(",.") for w in text.split() if w.strip(",.") not in ("van", "der", "de", "la")))


# --- exact values ------------------------------------------------------------------


def test_vancouver_is_the_default_and_follows_nlm(eg):
    # NLM: up to six authors then "et al."; page ranges elide repeated digits.
    assert format_citation(eg, "fairclough2006") == (
        "Fairclough J, Hayashi K, Toumi H, Lyons K, Bydder G, Phillips N, et al. The functional anatomy of the "
        "iliotibial band during flexion and extension of the knee: Implications for understanding iliotibial band "
        "syndrome. Journal of Anatomy. 2006;208(3):309–16."
    )


def test_apa_capitalises_the_subtitle(eg):
    assert format_citation(eg, "falvey2010", "apa") == (
        "Falvey, E. C., Clark, R. A., Franklyn-Miller, A., Bryant, A. L., Briggs, C., & McCrory, P. R. (2010). "
        "Iliotibial band syndrome: An examination of the evidence behind a number of treatment options. "
        "Scandinavian Journal of Medicine & Science in Sports, 20(4), 580–587. https://doi.org/10.1111/j.1600-0838.2009.00968.x"
    )


def test_braces_protect_case_through_the_graph(eg):
    # {ASB} survives bib -> RDF -> bib, so a title-case style leaves it alone
    # and a sentence-case one does not lower it.
    assert format_citation(eg, "noehren2007", "chicago-author-date").startswith(
        "Noehren, Brian, Irene Davis, and Joseph Hamill. 2007. “ASB Clinical Biomechanics Award Winner 2006: "
        "Prospective Study"
    )
    assert eg.bib_entry("noehren2007").fields["title"].startswith("{ASB} clinical")


def test_title_to_csl():
    assert title_to_csl(r"Sch{\"a}del shape and {MRI} findings -- a case series") == (
        'Schädel shape and <span class="nocase">MRI</span> findings – a case series'
    )
    assert title_to_csl("{iPhone} use: a {UK} survey") == (
        '<span class="nocase">iPhone</span> use: A <span class="nocase">UK</span> survey'
    )


def test_citeproc_py_syndrome_bug_is_worked_around():
    # citeproc-py adds the style's full stop after a title ending in "?"
    # ("syndrome?."); format_csl drops it, as pandoc and the CSL spec do.
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    item = entry_to_csl("fairclough2007", ENTRIES["fairclough2007"])
    style = CitationStylesStyle(str(resolve_style("vancouver")), validate=False)
    raw = CitationStylesBibliography(style, CiteProcJSON([dict(item)]), formatter.plain)
    raw.register(Citation([CitationItem("fairclough2007")]))
    assert "friction syndrome?. Journal" in str(raw.bibliography()[0])
    ours = format_csl([item], "vancouver")["fairclough2007"]
    assert "friction syndrome? Journal of Science" in ours and "?." not in ours
    chicago = format_csl([item], "chicago-author-date")["fairclough2007"]
    assert "Really a Friction Syndrome?” Journal" in chicago


def test_no_stop_after_a_semicolon_as_pandoc(pandoc):
    # An article with neither volume nor pages: citeproc-py prints "2019;."
    bib = DATA / "xss" / "xss-sources.bib"
    ours = format_entry(parse_bib(bib).entries["plain2019"], "vancouver", key="plain2019")
    assert ours == "Plain P. A plain fictional study. Journal of Invented Results. 2019;"
    assert pandoc("vancouver", bib)["plain2019"] == ours


@pytest.mark.parametrize("key", sorted(ENTRIES))
@pytest.mark.parametrize("style", ["vancouver", "apa"])
def test_same_after_rdf_round_trip(key, style):
    g = Graph()
    node = entry_to_rdf(g, key, ENTRIES[key])
    assert format_entry(rdf_to_entry(g, node)[1], style, key=key) == format_entry(ENTRIES[key], style, key=key)


def test_apa_italics_in_html(eg):
    html_text = format_citation(eg, "noehren2007", "apa", backend="html")
    assert "<i>Clinical Biomechanics</i>, <i>22</i>(9), 951–956." in html_text


def test_style_by_path_and_alias(tmp_path):
    entry = ENTRIES["lee2015"]
    copy = tmp_path / "my-style.csl"
    copy.write_bytes(resolve_style("ama").read_bytes())
    assert format_entry(entry, str(copy)) == format_entry(entry, "american-medical-association")
    assert format_entry(entry, "ama") == (
        "Lee A, Brown B, Chan C, et al. Seven authors and no issue number. Journal of Tests. 2015;3:10-20. "
        "doi:10.1000/xyz.123"
    )
    assert shipped_styles() == sorted(STYLES)


def test_style_from_an_installed_collection():
    # Any style of the CSL collection works by name (Debian: citation-style-language-styles).
    try:
        path = resolve_style("apa-6th-edition")
    except ValueError:
        require_or_skip(False, "no CSL style collection installed (Debian package citation-style-language-styles)")
    assert path.name == "apa-6th-edition.csl"
    assert format_entry(ENTRIES["lee2015"], "apa-6th-edition").startswith("Lee, A., Brown, B., Chan, C., Diaz, D.")


# A dependent style (most of the CSL collection: a journal's name, its locale
# and the style it uses) formats with its parent in its own locale, as the CSL
# specification says. pandoc would fetch the parent from zotero.org; it is given
# the parent and the locale instead.
_DEPENDENT = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="{locale}">
  <info>
    <title>Journal of Tests</title>
    <id>http://www.zotero.org/styles/journal-of-tests</id>
    <link href="http://www.zotero.org/styles/{parent}" rel="independent-parent"/>
    <updated>2024-01-01T00:00:00+00:00</updated>
  </info>
</style>
"""


def _csl_json(tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps([entry_to_csl(key, entry) for key, entry in ENTRIES.items()]), encoding="utf-8")
    return path


def test_a_dependent_style_file_formats_with_its_parent_in_its_locale(pandoc, tmp_path):
    style = tmp_path / "journal-of-tests.csl"
    style.write_text(_DEPENDENT.format(locale="de-DE", parent="vancouver"), encoding="utf-8")
    assert independent_style(str(style)) == (str(resolve_style("vancouver")), "de-DE")
    ours = {key: format_entry(entry, str(style), key=key) for key, entry in ENTRIES.items()}
    assert ours == pandoc("vancouver", _csl_json(tmp_path), lang="de-DE")
    assert (
        ours["smith2001"] == "Smith JA Jr., de la Cruz M. Running injuries. 2. Aufl. Champaign: Human Kinetics; 2001."
    )


@pytest.mark.parametrize(
    ("name", "parent", "locale"),
    [
        # en-US over its parent's en-GB: "2nd ed." where bmj prints "2nd edn"
        ("british-journal-of-sports-medicine", "bmj", "en-US"),
        ("anales-de-pediatria", "vancouver-superscript-only-year", "es-ES"),
    ],
)
def test_a_dependent_style_by_name_from_the_collection(pandoc, tmp_path, name, parent, locale):
    from graph.bibliography.csl import _collections

    installed = any((folder / "dependent" / f"{name}.csl").is_file() for folder in _collections())
    require_or_skip(installed, "no CSL style collection installed (Debian package citation-style-language-styles)")
    path = resolve_style(name)
    assert path.parent.name == "dependent"
    assert independent_style(str(path)) == (str(resolve_style(parent)), locale)
    ours = {key: format_entry(entry, name, key=key) for key, entry in ENTRIES.items()}
    assert ours == pandoc(parent, _csl_json(tmp_path), lang=locale)
    assert ours != {key: format_entry(entry, parent, key=key) for key, entry in ENTRIES.items()}


def test_a_dependent_style_whose_parent_is_missing(tmp_path):
    style = tmp_path / "journal-of-tests.csl"
    style.write_text(_DEPENDENT.format(locale="en-US", parent="no-such-parent"), encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        check_style(str(style))
    assert str(caught.value) == (
        f"{style}: not a usable CSL style (its parent style 'no-such-parent' is not installed; give no-such-parent.csl)"
    )


# Five more styles of the collection where citeproc-py 0.11 departed from the
# CSL specification and from pandoc, now the same on every entry:
# ieee ("syndrome?,”"), modern-language-association and american-sociological-
# association (initialize="false": "Beers, Amanda"), science (is-numeric on a
# page range; it printed "in press" and dropped the title), american-chemical-
# society ("(1)" before the reference and "p ." for a book without pages).
MORE_STYLES = [
    "ieee",
    "modern-language-association",
    "american-sociological-association",
    "science",
    "american-chemical-society",
]


@pytest.mark.parametrize("style", MORE_STYLES)
def test_more_collection_styles_same_as_pandoc(pandoc, tmp_path, style):
    from graph.bibliography.csl import _collections

    installed = any((folder / f"{style}.csl").is_file() for folder in _collections())
    require_or_skip(installed, "no CSL style collection installed (Debian package citation-style-language-styles)")
    ours = {key: format_entry(entry, style, key=key) for key, entry in ENTRIES.items()}
    assert ours == pandoc(style, _csl_json(tmp_path))


def test_citeproc_py_corrections_exact():
    from graph.bibliography.csl import _NUMERIC, _initials_only, _tidy

    assert _initials_only("Jack E", ". ") == "Jack E."
    assert _initials_only("Frank J. G.", ". ") == "Frank J. G."
    assert _initials_only("J G", ".") == "J.G."
    assert _initials_only("José María", ". ") == "José María"
    assert [bool(_NUMERIC.match(v)) for v in ("180-188", "2, 4", "2 & 4", "e12", "D2", "in press")] == [
        True,
        True,
        True,
        True,
        True,
        False,
    ]
    # With punctuation-in-quote only: a comma after "?" inside the quotes goes.
    assert _tidy("“Is it friction?,” Journal", True) == "“Is it friction?” Journal"
    assert _tidy("‘Is it friction?’, Journal", False) == "‘Is it friction?’, Journal"


def test_plain_is_still_pybtex_plain(eg):
    assert format_citation(eg, "ellis2007", "plain") == (
        "Richard Ellis, Wayne Hing, and Duncan Reid. Iliotibial band friction syndrome—a systematic review. "
        "Manual Therapy, 12(3):200–208, 2007. doi:10.1016/j.math.2006.08.004."
    )


@pytest.mark.parametrize(("name", "cls"), [("vancouver", VancouverStyle), ("apa", APAStyle)])
def test_pybtex_style_names_still_work(name, cls):
    assert find_plugin("pybtex.style.formatting", name) is cls
    bib = (DATA / "citations.bib").read_text(encoding="utf-8")
    out = pybtex.format_from_string(bib, name, citations=["lee2015"], output_backend="text")
    assert out.strip() == "[1] " + format_entry(ENTRIES["lee2015"], name)


def test_pybtex_adapter_keeps_italics():
    bib = (DATA / "citations.bib").read_text(encoding="utf-8")
    out = pybtex.format_from_string(bib, "apa", citations=["lee2015"], output_backend="html")
    assert "<em>Journal of Tests</em>, <em>3</em>, 10–20." in out


def test_unknown_style_is_a_value_error():
    with pytest.raises(ValueError, match=r"unknown citation style 'no-such-style'; give a \.csl file or a CSL style"):
        check_style("no-such-style")
    with pytest.raises(ValueError, match=r"CSL style file 'missing\.csl' not found"):
        check_style("missing.csl")


def test_a_broken_csl_file_is_a_value_error(tmp_path):
    bad = tmp_path / "bad.csl"
    bad.write_text("<style>", encoding="utf-8")
    with pytest.raises(ValueError, match="not a usable CSL style"):
        format_entry(ENTRIES["lee2015"], str(bad))
    # Found when the style is checked, before anything is formatted.
    with pytest.raises(ValueError, match=r"bad\.csl: not a usable CSL style \(.*line 1"):
        check_style(str(bad))
    notcsl = tmp_path / "page.csl"
    notcsl.write_text("<html/>", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"page\.csl: not a usable CSL style \(the root element is not a CSL <style>\)"
    ):
        check_style(str(notcsl))


def test_cli_a_broken_csl_file_is_one_line(evg, tmp_path):
    # It used to get through --style and fail while formatting: "internal error", exit 3.
    bad = tmp_path / "bad.csl"
    bad.write_text("<style>", encoding="utf-8")
    code, out, err = evg("claims", "beers2008", "--style", str(bad))
    assert (code, out) == (2, "")
    assert err.startswith(f"evg: error: Invalid value for '--style': {bad}: not a usable CSL style (")
    assert err.endswith(" (see `evg claims --help`)\n") and err.count("\n") == 1


@pytest.mark.parametrize(("key", "label"), [("noehren2007", "Noehren 2007"), ("vanderworp2012", "van der Worp 2012")])
def test_short_label(eg, key, label):
    assert short_label(eg.bib_entry(key), key) == label
