"""The network projection and what it says about dependence on sources,
with exact answers on the bundled corpus and on the small mini fixture."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from graph.evidence.network import ClaimRef, impact, isolated_claims, load_bearing, projection
from graph.evidence.stats import compute_stats
from graph.model.errors import NotFoundError

from .conftest import CORPUS, DATA


@pytest.fixture(scope="module")
def net(eg):
    return projection(eg)


def test_projection_has_every_kind_of_node(net):
    assert Counter(d["kind"] for _, d in net.nodes(data=True)) == {"claim": 71, "topic": 35, "source": 9, "article": 2}


def test_projection_edges_by_relation(net):
    assert Counter(d["relation"] for *_, d in net.edges(data=True)) == {
        "about": 190,
        "asserts": 66,
        "related": 68,
        "supports": 18,
        "broader": 19,
        "cites": 9,
        "rejects": 8,
        "reports": 11,
        "contradicts": 4,
        "disputes": 1,
    }


def test_projection_edges_point_the_right_way(net):
    assert net.has_edge("source:chaudhry2008", "claim:fascia-elongation-needs-900n", key="supports")
    assert net.has_edge("source:fairclough2006", "claim:itb-slides-over-epicondyle", key="disputes")
    assert net.has_edge("article:itbs-compression-not-friction", "source:ellis2007", key="cites")
    assert net.has_edge("claim:fascia-elongation-needs-900n", "concept:fascia", key="about")
    # the misattributed citation stays in the network but holds nothing up
    edge = net.edges["source:noehren2007", "claim:rapid-mileage-most-common-precipitant", "supports"]
    assert edge == {"relation": "supports", "refuted": True}


def _slugs(refs) -> list[str]:
    return [r.slug for r in refs]


def test_what_depends_on_chaudhry2008_alone(eg, net):
    result = impact(eg, "chaudhry2008", net)
    assert _slugs(result.lose_all_support) == ["fascia-elongation-needs-900n", "foam-rolling-cannot-lengthen-itb"]
    assert result.left_with_one_source == ()
    assert (result.disputes, result.refuted) == ((), ())


def test_impact_of_fairclough2006(eg, net):
    result = impact(eg, "fairclough2006", net)
    assert _slugs(result.supports) == ["compression-model-supported-by-anatomy", "itb-anchored-to-femur"]
    assert _slugs(result.lose_all_support) == ["itb-anchored-to-femur"]
    assert [(c.slug, key) for c, key in result.left_with_one_source] == [
        ("compression-model-supported-by-anatomy", "fairclough2007")
    ]
    assert _slugs(result.disputes) == ["itb-slides-over-epicondyle"]


def test_impact_of_fairclough2007(eg, net):
    result = impact(eg, "fairclough2007", net)
    assert _slugs(result.lose_all_support) == [
        "fat-pad-deep-to-itb",
        "friction-based-treatment-misses-driver",
        "impingement-angle-matches-pain",
        "itb-compresses-fat-pad-at-30-degrees",
        "itbs-compression-syndrome",
    ]
    assert [(c.slug, key) for c, key in result.left_with_one_source] == [
        ("compression-model-supported-by-anatomy", "fairclough2006")
    ]


def test_a_refuted_citation_holds_nothing_up(eg, net):
    result = impact(eg, "noehren2007", net)
    assert (result.supports, result.lose_all_support) == ((), ())
    assert _slugs(result.refuted) == ["rapid-mileage-most-common-precipitant"]


def test_a_source_cited_for_nothing(eg, net):
    result = impact(eg, "ellis2007", net)
    assert result.to_dict() == {
        "source": "ellis2007",
        "supports": [],
        "lose_all_support": [],
        "left_with_one_source": [],
        "disputes": [],
        "refuted": [],
    }


def test_unknown_source_names_the_closest(eg):
    with pytest.raises(NotFoundError) as info:
        impact(eg, "chaudry2008")
    assert str(info.value) == "no source named 'chaudry2008'; did you mean: chaudhry2008?"


def test_load_bearing_sources(eg, net):
    assert [(x.source, x.sole_support, x.supports) for x in load_bearing(eg, net)] == [
        ("fairclough2007", 5, 6),
        ("chaudhry2008", 2, 2),
        ("fredericson2000", 2, 2),
        ("vanderworp2012", 2, 2),
        ("fairclough2006", 1, 2),
        ("beers2008", 1, 1),
        ("falvey2010", 1, 1),
    ]


def test_claims_linked_to_nothing_else(eg, net):
    assert _slugs(isolated_claims(eg, net)) == [
        "downhill-running-increases-impingement",
        "foam-rolling-increases-blood-flow",
        "foam-rolling-pre-exercise-confidence",
        "hip-extension-deficit-raises-itb-tension",
        "ice-anti-inflammatories-short-term",
        "itb-stabilizes-lateral-knee",
        "itbs-lateral-knee-pain-in-runners",
        "leg-length-discrepancy-hip-drop",
        "short-term-reduce-training-load",
    ]


def test_stats_gains_the_network_sections(eg):
    extra = compute_stats(eg).extra
    assert extra["most load-bearing sources (claims resting on them alone)"] == [
        "fairclough2007   sole support of 5 claims, supports 6",
        "chaudhry2008     sole support of 2 claims, supports 2",
        "fredericson2000  sole support of 2 claims, supports 2",
        "vanderworp2012   sole support of 2 claims, supports 2",
        "fairclough2006   sole support of 1 claim, supports 2",
    ]
    assert len(extra["claims linked to nothing else: no source, no related claim (9)"]) == 9


def test_mini_fixture():
    import graph

    mini = graph.load(claims=DATA / "mini" / "claims.ttl", sources=DATA / "mini" / "sources.bib")
    assert [(x.source, x.sole_support, x.supports) for x in load_bearing(mini)] == [("smith2010", 1, 1)]
    assert isolated_claims(mini) == []
    assert impact(mini, "smith2010").lose_all_support == (
        ClaimRef("weak-hips-cause-knee-pain", "Weak hips cause knee pain in runners."),
    )
    assert impact(mini, "brown2015").disputes == (
        ClaimRef("stretching-lengthens-band", "Stretching lengthens the band."),
    )


# --- command line -----------------------------------------------------------------------


def test_cli_impact_text(evg):
    code, out, err = evg("impact", *CORPUS, "chaudhry2008")
    assert (code, err) == (0, "")
    assert out == (
        "If chaudhry2008 were retracted (2 claims it supports):\n"
        "\n"
        "claims left with no support (2)\n"
        "  fascia-elongation-needs-900n: Elongating dense connective tissue by 1% would take a force of about 900 N"
        " applied for two minutes.\n"
        "  foam-rolling-cannot-lengthen-itb: Foam rolling cannot meaningfully lengthen or deform the iliotibial band,"
        " because dense fascia is too stiff for the pressure a roller applies.\n"
        "\n"
        "claims left resting on a single source (0)\n"
        "  (none)\n"
    )


def test_cli_impact_json(evg):
    code, out, _ = evg("impact", *CORPUS, "source:Fairclough2006", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["source"] == "fairclough2006"
    assert data["left_with_one_source"] == [
        {
            "slug": "compression-model-supported-by-anatomy",
            "text": "Anatomical dissection and MRI evidence support the compression model of IT band syndrome.",
            "remaining": "fairclough2007",
        }
    ]


def test_cli_impact_unknown_source(evg):
    code, out, err = evg("impact", *CORPUS, "chaudhry")
    assert (code, out, err) == (1, "", "evg: error: no source named 'chaudhry'; did you mean: chaudhry2008?\n")
