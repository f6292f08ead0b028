"""Field values between LaTeX (as BibTeX files hold them) and plain Unicode.

Kept apart from :mod:`graph.bibliography.bibtex` so that formatting a
citation (CSL and pybtex styles) does not import rdflib.
"""

from __future__ import annotations

import codecs
import re

import latexcodec  # noqa: F401  (registers the "ulatex" codecs)

__all__ = ["RAW_FIELDS", "latex_to_text", "text_to_latex"]

#: Fields whose values are identifiers, never LaTeX.
RAW_FIELDS = frozenset({"doi", "pmid", "pmcid", "url", "eprint", "isbn", "issn", "crossref", "file"})

_UNESCAPED_BRACE = re.compile(r"(?<!\\)[{}]")


def latex_to_text(value: str) -> str:
    """LaTeX markup to plain Unicode: accents, dashes, escapes; braces dropped."""
    if "\\" in value or "{" in value or "--" in value or "~" in value:
        value = codecs.decode(value, "ulatex")
        value = _UNESCAPED_BRACE.sub("", value)
    return value


#: ASCII text without these characters is its own LaTeX under "ulatex+utf8"
#: (checked in tests/test_bibliography_bibtex.py), so it skips the codec, which costs tens
#: of microseconds a call: thousands of calls when a big bibliography is formatted.
_LATEX_SPECIAL = re.compile(r"[#%&_~]")


def text_to_latex(value: str) -> str:
    """Plain Unicode back to BibTeX-safe text (keeps non-ASCII as UTF-8)."""
    if value.isascii() and not _LATEX_SPECIAL.search(value):
        return value
    return codecs.encode(value, "ulatex+utf8")
