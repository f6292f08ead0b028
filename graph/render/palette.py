"""The one palette of claim statuses, node kinds and link kinds, shared by the
HTML graph (``evg html``) and the HTML report (``evg report --format html``).

A colour stands for one meaning: the "supports" link has the colour of a
supported claim, the "disputes" link that of a contested claim (a claim some
source disputes). Everything else has a colour of its own.

The rule the palette is checked against (:func:`problems`, run by the tests):

- **Told apart with a colour-vision deficiency.** Within each group that is
  seen side by side (:func:`groups`: the fills of nodes, four statuses and
  three kinds; the links as drawn on the white page, faint background links
  see-through; the background links' own colours, shown when highlighted),
  every two colours are at least :data:`MIN_DISTANCE`
  apart in CIELAB (CIE76 ΔE, D65 white), with normal vision and after
  simulating protanopia, deuteranopia and tritanopia at full severity
  (Machado, Oliveira and Fernandes 2009, applied to linear sRGB).
- **Seen on white.** Every node border and every solid link colour has a
  contrast ratio of at least :data:`MIN_CONTRAST` against the white page
  (the WCAG 2 rule for graphical objects).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

__all__ = [
    "KIND",
    "LINK",
    "MIN_CONTRAST",
    "MIN_DISTANCE",
    "STATUS",
    "Colour",
    "LinkColour",
    "as_json",
    "contrast_on_white",
    "distance",
    "problems",
    "simulate",
    "tint",
]

#: Least CIE76 ΔE between two colours of a group, in every vision simulated.
MIN_DISTANCE = 20.0
#: Least contrast ratio of a border or a solid link against white.
MIN_CONTRAST = 3.0


@dataclass(frozen=True)
class Colour:
    """A node's fill and border, with the legend's words for it."""

    fill: str
    border: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class LinkColour:
    """A link's colour; ``alpha`` below 1 draws a background link faintly
    (its solid colour shows when it is highlighted and in the legend)."""

    color: str
    label: str
    alpha: float = 1.0


#: Claim status (as in :attr:`graph.evidence.index.ClaimDetail.status`) -> colour.
STATUS: dict[str, Colour] = {
    "supported": Colour("#1b9e77", "#0f6b50", "supported", "a source of a higher rank supports it"),
    "low-rank": Colour("#f5c000", "#8a6d00", "low-rank only", "only models, opinion, cadaver or bench studies"),
    "contested": Colour("#d55e00", "#8f3f00", "contested", "some source disputes it"),
    "no-source": Colour("#c8c8c8", "#6e6e6e", "no source", "nothing cited supports it"),
}

#: Node kind -> colour (claims are coloured by status instead).
KIND: dict[str, Colour] = {
    "source": Colour("#1f5fad", "#123d73", "Sources"),
    "article": Colour("#3b3b3b", "#111111", "Articles"),
    "topic": Colour("#7a45e6", "#4f24a8", "Topics"),
}

#: Link kind (as in :data:`graph.render.html.EDGE_KINDS`) -> colour.
LINK: dict[str, LinkColour] = {
    "supports": LinkColour(STATUS["supported"].fill, "supports"),
    "disputes": LinkColour(STATUS["contested"].fill, "disputes"),
    "states": LinkColour("#4a5056", "article states", 0.24),
    "reports": LinkColour("#a2a8ae", "article reports", 0.3),
    "rejects": LinkColour("#000000", "article rejects"),
    "about": LinkColour(KIND["topic"].fill, "about topic", 0.2),
    "contradicts": LinkColour("#a313bf", "contradicts"),
}


# --- checking ---------------------------------------------------------------------------

#: Machado et al. (2009) simulation matrices at severity 1.0, for linear RGB.
_SIMULATION = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
VISIONS = ("normal", *_SIMULATION)


def _linear(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    out = []
    for i in (0, 2, 4):
        c = int(h[i : i + 2], 16) / 255
        out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return tuple(out)


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def simulate(hex_colour: str, vision: str = "normal") -> tuple[float, float, float]:
    """The CIELAB coordinates of ``hex_colour`` as seen with ``vision``
    (``normal``, ``protanopia``, ``deuteranopia`` or ``tritanopia``)."""
    rgb = _linear(hex_colour)
    if vision != "normal":
        m = _SIMULATION[vision]
        rgb = tuple(min(1.0, max(0.0, sum(m[i][j] * rgb[j] for j in range(3)))) for i in range(3))
    return _lab(rgb)


def distance(a: str, b: str) -> tuple[float, str]:
    """The least CIE76 ΔE between two colours over every vision, and that vision."""
    return min((math.dist(simulate(a, v), simulate(b, v)), v) for v in VISIONS)


def contrast_on_white(hex_colour: str) -> float:
    """WCAG 2 contrast ratio of ``hex_colour`` against white."""
    r, g, b = _linear(hex_colour)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def groups() -> dict[str, dict[str, str]]:
    """The colours seen side by side, by group: name -> hex."""
    nodes = {f"status {k}": c.fill for k, c in STATUS.items()} | {f"kind {k}": c.fill for k, c in KIND.items()}
    faint = {f"link {k}": c.color for k, c in LINK.items() if c.alpha < 1.0}
    return {
        "node fills": nodes,
        "links as drawn": {f"link {k}": drawn(c) for k, c in LINK.items()},
        "background links highlighted": faint,
    }


def _pairs(group: str, colours: dict[str, str]):
    for (a, ha), (b, hb) in itertools.combinations(colours.items(), 2):
        # two faint background links are told apart when highlighted (their own group)
        if group == "links as drawn" and LINK[a[5:]].alpha < 1.0 and LINK[b[5:]].alpha < 1.0:
            continue
        yield (a, ha), (b, hb)


def drawn(link: LinkColour) -> str:
    """A link's colour as it shows on the white page (faint ones are see-through)."""
    return link.color if link.alpha == 1.0 else tint(link.color, 1 - link.alpha)


def problems() -> list[str]:
    """Every breach of the rule in the module docs, as a sentence; empty when none."""
    out = []
    for group, colours in groups().items():
        for (a, ha), (b, hb) in _pairs(group, colours):
            d, vision = distance(ha, hb)
            if d < MIN_DISTANCE:
                out.append(f"{group}: {a} {ha} and {b} {hb} are {d:.1f} apart with {vision}")
    solid = {f"border of {k}": c.border for k, c in (STATUS | KIND).items()}
    solid |= {f"link {k}": c.color for k, c in LINK.items() if c.alpha == 1.0}
    for name, h in solid.items():
        ratio = contrast_on_white(h)
        if ratio < MIN_CONTRAST:
            out.append(f"{name} {h} has contrast {ratio:.2f} on white")
    return out


# --- use ----------------------------------------------------------------------------------


def tint(hex_colour: str, amount: float) -> str:
    """``hex_colour`` mixed with white: ``amount`` 0 is the colour, 1 is white."""
    h = hex_colour.lstrip("#")
    parts = [int(h[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in parts)


def as_json() -> dict:
    """The palette as the HTML graph's script reads it."""
    return {
        "status": {
            k: {"color": c.fill, "border": c.border, "label": c.label, "help": c.help} for k, c in STATUS.items()
        },
        "kind": {k: {"color": c.fill, "border": c.border, "label": c.label} for k, c in KIND.items()},
        "link": {k: {"color": c.color, "label": c.label, "alpha": c.alpha} for k, c in LINK.items()},
    }
