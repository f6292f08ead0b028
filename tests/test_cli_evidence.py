"""`evg sources`, `evg claims` and `evg report` on the bundled corpus."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from .conftest import CORPUS, ROOT, evg_process

CLAIM_NS = "https://w3id.org/evidence-graph/claim/"


def sources_json(evg, *args) -> dict:
    code, out, err = evg("sources", *args, "--format", "json", *CORPUS)
    assert code == 0, err
    return json.loads(out)


# --- evg sources -------------------------------------------------------------------


def test_sources_json_has_the_documented_shape(evg):
    data = sources_json(evg, "how much force does it take to elongate fascia or tissue", "--limit", "3")
    assert data["query"] == "how much force does it take to elongate fascia or tissue"
    assert data["nothing_matches"] is False and data["related"] == []
    assert [round(m["relevance"], 2) for m in data["matches"]] == [1.0]
    for m in data["matches"]:
        assert isinstance(m["claim"], str) and m["claim"].startswith(CLAIM_NS)
        assert isinstance(m["text"], str) and isinstance(m["score"], float)
        for ref in m["supported_by"] + m["disputed_by"]:
            assert set(ref) >= {"key", "citation", "doi", "study_design", "verdict"}
        for st in m["stated_in"]:
            assert set(st) >= {"article", "title", "stance", "quote"}
            assert st["stance"] in ("asserts", "rejects", "reports")
    ranks = [m["score"] * m["relevance"] for m in data["matches"]]  # the re-ranking of docs/search.md
    assert ranks == sorted(ranks, reverse=True)
    top = data["matches"][0]
    assert top["claim"] == CLAIM_NS + "fascia-elongation-needs-900n"
    assert [(r["key"], r["study_design"], r["verdict"]) for r in top["supported_by"]] == [
        ("chaudhry2008", "mathematical model", "numbers differ")
    ]


@pytest.mark.parametrize(
    "ident", ["itb-anchored-to-femur", "claim:itb-anchored-to-femur", CLAIM_NS + "itb-anchored-to-femur"]
)
def test_sources_by_claim_id_is_the_only_match(evg, ident):
    data = sources_json(evg, ident, "--limit", "5")
    assert [m["claim"] for m in data["matches"]] == [CLAIM_NS + "itb-anchored-to-femur"]
    (ref,) = data["matches"][0]["supported_by"]
    assert (ref["key"], ref["doi"], ref["study_design"], ref["verdict"]) == (
        "fairclough2006",
        "10.1111/j.1469-7580.2006.00531.x",
        "cadaveric study",
        "supported",
    )


def test_sources_claim_without_source_has_empty_lists(evg):
    (m,) = sources_json(evg, "bursa-is-pain-source")["matches"]
    assert (m["supported_by"], m["disputed_by"]) == ([], [])
    assert m["stated_in"][0]["stance"] == "rejects"


def test_sources_style_apa(evg):
    (m,) = sources_json(evg, "rapid-mileage-most-common-precipitant", "--style", "apa")["matches"]
    assert m["supported_by"][0]["citation"].startswith("Noehren, B., Davis, I., & Hamill, J. (2007).")


def test_an_edited_csl_file_formats_afresh_on_the_next_run(tmp_path):
    """Claim records are kept beside the cache per style; a style file that
    changes between runs (each a fresh `evg` process, as a user runs it) must
    not be answered from the old formatting."""
    from graph.bibliography.csl import resolve_style

    env = dict(os.environ, EVG_CACHE_DIR=str(tmp_path / "cache"))
    style = tmp_path / "mine.csl"
    text = resolve_style("nature").read_text(encoding="utf-8")
    assert text.count('et-al-min="6" et-al-use-first="1"') == 1
    style.write_text(text, encoding="utf-8")
    args = ["sources", "itbs-compression-syndrome", "--style", style, "--format", "json", *CORPUS]

    def first_citation():
        ran = evg_process(*args, env=env)
        assert ran.returncode == 0, ran.stderr
        (m,) = json.loads(ran.stdout)["matches"]
        return m["supported_by"][0]["citation"]

    assert first_citation().startswith("Fairclough, J. et al. Is iliotibial band syndrome")
    assert first_citation().startswith("Fairclough, J. et al. Is iliotibial band syndrome")  # from the cache
    style.write_text(text.replace('et-al-min="6" et-al-use-first="1"', 'et-al-min="20" et-al-use-first="19"'))
    assert first_citation().startswith("Fairclough, J., Hayashi, K., Toumi, H., Lyons, K., Bydder, G.,")


def test_sources_table_shows_citation_quote_verdict_and_no_source(evg):
    code, out, _ = evg("sources", "rapid-mileage-most-common-precipitant", *CORPUS)
    assert code == 0
    flat = " ".join(out.split())
    assert "Noehren B, Davis I, Hamill J. ASB clinical biomechanics award winner 2006" in flat
    assert "doi:10.1016/j.clinbiomech.2007.07.001 · cohort study" in flat
    assert "review: Noehren 2007: misattributed: Secondary summaries (the primary paper was not read)" in flat
    code, out, _ = evg("sources", "rapid-mileage-increase-precipitates-itbs", *CORPUS)
    quote = "“many runners simply take on too much mileage, too fast, without adequate recovery”"
    assert quote in " ".join(out.split())
    code, out, _ = evg("sources", "bursa-is-pain-source", *CORPUS)
    assert "NO SOURCE: nothing cited supports this claim" in " ".join(out.split())


def test_sources_markdown(evg):
    code, out, _ = evg("sources", "itb-slides-over-epicondyle", "--format", "md", *CORPUS)
    assert code == 0
    assert out.startswith("# Sources for: itb-slides-over-epicondyle\n\n## 1. The iliotibial band slides forwards")
    assert "**Supported by**\n\n- no source supports this claim" in out
    assert "**Disputed by**\n\n- Fairclough J, Hayashi K, Toumi H, Lyons K, Bydder G, Phillips N, et al." in out


# --- evg claims --------------------------------------------------------------------


def test_claims_json(evg):
    code, out, err = evg("claims", "fairclough2006", "--format", "json", *CORPUS)
    assert code == 0, err
    data = json.loads(out)
    assert (data["source"], data["study_design"], data["doi"]) == (
        "fairclough2006",
        "cadaveric study",
        "10.1111/j.1469-7580.2006.00531.x",
    )
    assert [c["claim"] for c in data["supports"]] == [
        CLAIM_NS + "compression-model-supported-by-anatomy",
        CLAIM_NS + "itb-anchored-to-femur",
    ]
    assert [c["claim"] for c in data["disputes"]] == [CLAIM_NS + "itb-slides-over-epicondyle"]
    assert set(data["supports"][0]) >= {"claim", "text", "supported_by", "disputed_by", "stated_in"}


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_claims_text_formats(evg, fmt):
    code, out, _ = evg("claims", "ellis2007", "--format", fmt, *CORPUS)
    assert code == 0
    assert "Ellis R, Hing W, Reid D. Iliotibial band friction syndrome" in " ".join(out.split())


# --- evg report --------------------------------------------------------------------


def test_report_csv_weakest_first(evg):
    code, out, _ = evg("report", "--format", "csv", *CORPUS)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 71
    assert [r["slug"] for r in rows[:2]] == ["itb-slides-over-epicondyle", "bursa-is-pain-source"]
    assert rows[0]["disputed_by"] == "Fairclough 2006 (cadaveric study)"
    assert [r["slug"] for r in rows[-2:]] == ["hip-weakness-and-load-main-factors", "local-only-treatment-recurs"]
    assert rows[-2]["flags"] == "van der Worp 2012: overstated"
    mileage = next(r for r in rows if r["slug"] == "rapid-mileage-most-common-precipitant")
    assert mileage["supported_by"] == "Noehren 2007 (cohort study)"
    assert mileage["flags"] == "Noehren 2007: misattributed"
    # misattributed support does not count, so it sorts among the unsupported claims
    first_backed = next(i for i, r in enumerate(rows) if r["supported_by"] and "misattributed" not in r["flags"])
    assert rows.index(mileage) < first_backed


def test_report_md(evg):
    code, out, _ = evg("report", *CORPUS)
    assert code == 0
    lines = out.splitlines()
    assert lines[4] == "| # | claim | status | articles | supported by | disputed by | verdict flags |"
    assert len([line for line in lines if line.startswith("| ") and line[2].isdigit()]) == 71


def test_report_html_to_file(evg, tmp_path):
    target = tmp_path / "evidence.html"
    code, out, err = evg("report", "--format", "html", "-o", str(target), *CORPUS)
    assert code == 0 and out == ""
    assert err.strip() == f"wrote {target}"
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<tr class=") == 71
    assert '<tr class="contested" id="itb-slides-over-epicondyle"><td>1</td>' in page


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sources", "claim:nope"], "evg: error: no claim named 'claim:nope'"),
        (
            ["sources", "itb-is-fasica-not-muscle"],
            "evg: error: no claim named 'itb-is-fasica-not-muscle'; did you mean: itb-is-fascia-not-muscle",
        ),
        (["claims", "noehren"], "evg: error: no source named 'noehren'; did you mean: noehren2007?"),
        (["claims", "smith1999"], "evg: error: no source named 'smith1999'"),
    ],
)
def test_unknown_names_exit_1_with_closest(evg, args, message):
    code, out, err = evg(*args, *CORPUS)
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(message)


@pytest.mark.parametrize(
    "args",
    [
        ["sources", ""],
        ["sources", "   "],
        ["claims", ""],
        ["sources", "x", "--limit", "0"],
        ["report", "--format", "pdf"],
    ],
)
def test_usage_errors_exit_2(evg, args):
    code, _, err = evg(*args, *CORPUS)
    assert code == 2
    assert err.startswith("evg: error: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_report_failure_leaves_no_file(evg, tmp_path):
    target = tmp_path / "out.csv"
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    code, _, _ = evg("report", "--format", "csv", "-o", str(target), "--claims", str(bad))
    assert code == 2
    assert not target.exists() and list(tmp_path.iterdir()) == [bad]


def test_installed_command_from_another_folder(tmp_path):
    # No ./claims.ttl here, so the bundled corpus is used.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = evg_process(
        "sources", "ITB anchored to the thigh bone", "--format", "json", "-n", "1", cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["matches"][0]["claim"] == CLAIM_NS + "itb-anchored-to-femur"
