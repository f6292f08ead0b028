"""pybtex style ``apa``: the official CSL style ``apa.csl``, through citeproc-py."""

from __future__ import annotations

from graph.bibliography.styles import CslStyle

__all__ = ["APAStyle"]


class APAStyle(CslStyle):
    """pybtex formatting style ``apa`` (CSL ``apa``)."""

    csl = "apa"
