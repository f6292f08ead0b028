"""Citation styles: exact Vancouver and APA 7 strings, and the pybtex plugins."""

from __future__ import annotations

import pybtex
import pytest
from pybtex.plugin import find_plugin
from rdflib import Graph

from graph.bibliography.bibtex import entry_to_rdf, parse_bib, rdf_to_entry
from graph.bibliography.citations import check_style, format_citation, format_entry, short_label
from graph.bibliography.styles.apa import APAStyle
from graph.bibliography.styles.vancouver import VancouverStyle

from .conftest import DATA

# The corpus as the article's own reference list prints it (Vancouver).
VANCOUVER = {
    "fairclough2006": (
        "Fairclough J, Hayashi K, Toumi H, et al. The functional anatomy of the iliotibial band during "
        "flexion and extension of the knee: implications for understanding iliotibial band syndrome. "
        "Journal of Anatomy. 2006;208(3):309–316."
    ),
    "fairclough2007": (
        "Fairclough J, Hayashi K, Toumi H, et al. Is iliotibial band syndrome really a friction syndrome?"
        " Journal of Science and Medicine in Sport. 2007;10(2):74–76."
    ),
    "chaudhry2008": (
        "Chaudhry H, Schleip R, Ji Z, Bukiet B, Maney M, Findley T. Three-dimensional mathematical model "
        "for deformation of human fasciae in manual therapy. Journal of the American Osteopathic "
        "Association. 2008;108(8):379–390."
    ),
    "falvey2010": (
        "Falvey EC, Clark RA, Franklyn-Miller A, Bryant AL, Briggs C, McCrory PR. Iliotibial band "
        "syndrome: an examination of the evidence behind a number of treatment options. Scandinavian "
        "Journal of Medicine & Science in Sports. 2010;20(4):580–587."
    ),
    "vanderworp2012": (
        "van der Worp MP, van der Horst N, de Wijer A, Backx FJ, Nijhuis-van der Sanden MW. Iliotibial "
        "band syndrome in runners: a systematic review. Sports Medicine. 2012;42(11):969–992."
    ),
    "noehren2007": (
        "Noehren B, Davis I, Hamill J. ASB clinical biomechanics award winner 2006: prospective study of "
        "the biomechanical factors associated with iliotibial band syndrome. Clinical Biomechanics. "
        "2007;22(9):951–956."
    ),
}

APA = {
    "fairclough2006": (
        "Fairclough, J., Hayashi, K., Toumi, H., Lyons, K., Bydder, G., Phillips, N., Best, T. M., & "
        "Benjamin, M. (2006). The functional anatomy of the iliotibial band during flexion and extension "
        "of the knee: implications for understanding iliotibial band syndrome. Journal of Anatomy, "
        "208(3), 309–316. https://doi.org/10.1111/j.1469-7580.2006.00531.x"
    ),
    "vanderworp2012": (
        "van der Worp, M. P., van der Horst, N., de Wijer, A., Backx, F. J. G., & Nijhuis-van der Sanden,"
        " M. W. G. (2012). Iliotibial band syndrome in runners: a systematic review. Sports Medicine, "
        "42(11), 969–992. https://doi.org/10.2165/11635400-000000000-00000"
    ),
    "fairclough2007": (
        "Fairclough, J., Hayashi, K., Toumi, H., Lyons, K., Bydder, G., Phillips, N., Best, T. M., & "
        "Benjamin, M. (2007). Is iliotibial band syndrome really a friction syndrome? Journal of Science "
        "and Medicine in Sport, 10(2), 74–76. https://doi.org/10.1016/j.jsams.2006.05.017"
    ),
}

# tests/data/citations.bib: accents, particles, a suffix, >6 and >20 authors, a book, a chapter.
TEST_BIB = {
    ("muller2019", "vancouver"): (
        "Müller J, García-López JM, Østergaard S, Dupont JP. Schädel shape and MRI findings – a case "
        "series. Revue Médicale & Sportive. 2019;12:1–9."
    ),
    ("muller2019", "apa"): (
        "Müller, J., García-López, J. M., Østergaard, S., & Dupont, J.-P. (2019). Schädel shape and MRI "
        "findings – a case series. Revue Médicale & Sportive, 12, 1–9."
    ),
    ("lee2015", "vancouver"): (
        "Lee A, Brown B, Chan C, et al. Seven authors and no issue number. Journal of Tests. 2015;3:10–20."
    ),
    ("lee2015", "apa"): (
        "Lee, A., Brown, B., Chan, C., Diaz, D., Evans, E., Fox, F., & Gray, G. (2015). Seven authors and"
        " no issue number. Journal of Tests, 3, 10–20. https://doi.org/10.1000/xyz.123"
    ),
    ("many2020", "apa"): (
        "A1, A., A2, A., A3, A., A4, A., A5, A., A6, A., A7, A., A8, A., A9, A., A10, A., A11, A., A12, "
        "A., A13, A., A14, A., A15, A., A16, A., A17, A., A18, A., A19, A., . . . Zed, Z. (2020). "
        "Twenty-two authors. Big Science, 1(2), 3."
    ),
    ("smith2001", "vancouver"): (
        "Smith JA Jr, de la Cruz M. Running injuries. 2nd ed. Champaign: Human Kinetics; 2001."
    ),
    ("smith2001", "apa"): ("Smith, J. A., Jr., & de la Cruz, M. (2001). Running injuries (2nd ed.). Human Kinetics."),
    ("ode2010", "vancouver"): (
        "Ode O. The knee. In: Fry F, Gale G, editors. Sports anatomy. London: Anatomy Press; 2010. p. 45–67."
    ),
    ("ode2010", "apa"): (
        "Ode, O. (2010). The knee. In F. Fry & G. Gale (Eds.), Sports anatomy (pp. 45–67). Anatomy Press."
    ),
}


@pytest.fixture(scope="module")
def test_bib():
    return parse_bib(DATA / "citations.bib")


@pytest.mark.parametrize("key", sorted(VANCOUVER))
def test_vancouver_matches_the_articles_reference_list(eg, key):
    assert format_citation(eg, key, "vancouver") == VANCOUVER[key]


@pytest.mark.parametrize("key", sorted(APA))
def test_apa(eg, key):
    assert format_citation(eg, key, "apa") == APA[key]


@pytest.mark.parametrize(("key", "style"), sorted(TEST_BIB))
def test_test_bib_entry(test_bib, key, style):
    assert format_entry(test_bib.entries[key], style) == TEST_BIB[(key, style)]


@pytest.mark.parametrize(("key", "style"), sorted(TEST_BIB))
def test_same_after_rdf_round_trip(test_bib, key, style):
    # EvidenceGraph.bib_entry rebuilds entries from RDF; the style must not care.
    g = Graph()
    node = entry_to_rdf(g, key, test_bib.entries[key])
    assert format_entry(rdf_to_entry(g, node)[1], style) == TEST_BIB[(key, style)]


def test_apa_italics_in_html(eg):
    html = format_citation(eg, "noehren2007", "apa", backend="html")
    assert "<em>Clinical Biomechanics</em>, <em>22</em>(9), 951–956." in html


def test_plain_is_pybtex_plain(eg):
    assert format_citation(eg, "ellis2007", "plain") == (
        "Richard Ellis, Wayne Hing, and Duncan Reid. Iliotibial band friction syndrome—a systematic review. "
        "Manual Therapy, 12(3):200–208, 2007. doi:10.1016/j.math.2006.08.004."
    )


@pytest.mark.parametrize(("name", "cls"), [("vancouver", VancouverStyle), ("apa", APAStyle)])
def test_styles_are_registered_pybtex_plugins(name, cls):
    assert find_plugin("pybtex.style.formatting", name) is cls


def test_pybtex_engine_formats_with_our_style():
    bib = (DATA / "citations.bib").read_text(encoding="utf-8")
    out = pybtex.format_from_string(bib, "vancouver", citations=["lee2015"], output_backend="text")
    assert out.strip() == "[1] " + TEST_BIB[("lee2015", "vancouver")]


def test_unknown_style_is_a_value_error():
    with pytest.raises(ValueError, match="unknown citation style 'harvard'"):
        check_style("harvard")


@pytest.mark.parametrize(("key", "label"), [("noehren2007", "Noehren 2007"), ("vanderworp2012", "van der Worp 2012")])
def test_short_label(eg, key, label):
    assert short_label(eg.bib_entry(key), key) == label
