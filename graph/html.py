"""Compatibility: the interactive HTML graph moved to :mod:`graph.render.html`;
``graph.html.write_html`` keeps working."""

from graph.render.html import DEFAULT_OUTPUT, HtmlResult, write_html

__all__ = ["DEFAULT_OUTPUT", "HtmlResult", "write_html"]
