"""The shared palette: readable with colour-vision deficiencies, on white, and
the same in the HTML graph and the HTML report."""

from __future__ import annotations

import re

import pytest

from graph.render import palette
from graph.render.report import render_report


def test_palette_keeps_its_rule():
    assert palette.problems() == []


def test_simulation_matches_known_values():
    # sRGB red in CIELAB (D65), as published: L 53.24, a 80.09, b 67.20
    assert palette.simulate("#ff0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.05)
    # a simulated colour is the Machado matrix times linear RGB: red takes the
    # matrix's first column (clamped to [0, 1])
    column = tuple(min(1.0, max(0.0, row[0])) for row in palette._SIMULATION["protanopia"])
    assert palette.simulate("#ff0000", "protanopia") == pytest.approx(palette._lab(column))
    assert palette.simulate("#808080", "tritanopia") == pytest.approx(
        palette.simulate("#808080"), abs=0.6
    )  # greys stay grey
    assert palette.contrast_on_white("#000000") == pytest.approx(21.0)
    assert palette.contrast_on_white("#767676") == pytest.approx(4.54, abs=0.01)  # the WCAG 4.5:1 grey
    assert palette.tint("#000000", 0.5) == "#808080"


def test_the_rule_catches_what_the_old_page_had(monkeypatch):
    # the old page: contested crimson was the colour of "article rejects", and
    # supports green against disputes red is lost with deuteranopia
    old = dict(palette.LINK)
    old["rejects"] = palette.LinkColour("#c2255c", "article rejects")
    old["supports"] = palette.LinkColour("#2f9e44", "supports")
    old["disputes"] = palette.LinkColour("#e03131", "disputes")
    monkeypatch.setattr(palette, "LINK", old)
    found = palette.problems()
    assert any("link supports #2f9e44 and link disputes #e03131" in p and "deuteranopia" in p for p in found)
    assert any("link disputes #e03131 and link rejects #c2255c" in p for p in found)


def test_report_colours_statuses_from_the_palette(eg):
    html = render_report(eg, "html")
    rules = dict(re.findall(r"tr\.([a-z-]+) td\.status \{ --fill: (#[0-9a-f]{6});", html))
    assert rules == {k: c.fill for k, c in palette.STATUS.items()}
    assert "#fff0c2" not in html and "#fde2e1" not in html  # the report's own old colours are gone
