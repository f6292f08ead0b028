"""pybtex style ``vancouver``: the official CSL style ``vancouver.csl``, through citeproc-py."""

from __future__ import annotations

from graph.bibliography.styles import CslStyle

__all__ = ["VancouverStyle"]


class VancouverStyle(CslStyle):
    """pybtex formatting style ``vancouver`` (CSL ``vancouver``)."""

    csl = "vancouver"
