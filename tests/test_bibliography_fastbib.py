"""The fast BibTeX path gives the pybtex path's triples, and declines what it
does not cover."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph

from graph.bibliography.bibtex import rdf_to_bibliography, write_bib
from graph.bibliography.fastbib import _fast, _slow, fast_entries

from .conftest import DATA, SOURCES_BIB, load_script


def _bib_signature(turtle: str) -> tuple:
    g = Graph().parse(data=turtle, format="turtle")
    ground = sorted(t for t in g if not isinstance(t[0], BNode) and not isinstance(t[2], BNode))
    return len(g), ground, write_bib(rdf_to_bibliography(g))


@pytest.mark.parametrize("bib", [SOURCES_BIB, DATA / "mini" / "sources.bib"], ids=["bundled", "mini"])
def test_fast_bibtex_gives_the_pybtex_triples(bib):
    from graph.model.paths import read_text

    text = read_text(bib)
    fast = _fast(text)
    assert fast is not None, "the fast path should handle this file"
    assert _bib_signature(fast) == _bib_signature(_slow(bib, text))


def test_fast_bibtex_on_a_synthetic_bibliography(tmp_path):
    from graph.model.paths import read_text

    out = tmp_path / "c"
    load_script("synthetic").generate(400, out, seed=5)
    text = read_text(out / "sources.bib")
    fast = _fast(text)
    assert fast is not None
    assert _bib_signature(fast) == _bib_signature(_slow(out / "sources.bib", text))


TRICKY = r"""% comment with no at-sign
@Article{Key1,
  author = {van den Berg, Jan-Pieter and O'Brien, M. A. and {Nijhuis-van der Sanden}, Maria and Smith, Jr, John},
  title = { A  title
   over {Two}   lines -- with dashes --- and more },
  journal = "J. Quoted {Name}",
  year = 2001,
  pages = {12--15},
  url = {http://example.org/a_b~c},
  note = {50\% of {\"o}ne},
  editor = {Smith, John and Doe, Jane},
}

@book{key2,
  title = {Book},
  year = {ca. 2000},
  pages = {xii},
  publisher = {P \& Q}
}
"""


def test_fast_bibtex_on_tricky_but_supported_input(tmp_path):
    path = tmp_path / "t.bib"
    path.write_text(TRICKY, encoding="utf-8")
    fast = _fast(TRICKY)
    assert fast is not None
    assert _bib_signature(fast) == _bib_signature(_slow(path, TRICKY))
    entries = fast_entries(TRICKY)
    assert [(kind, key) for kind, key, _f in entries] == [("article", "Key1"), ("book", "key2")]
    assert dict(entries[0][2])["title"] == "A title over {Two} lines -- with dashes --- and more"


@pytest.mark.parametrize(
    "text",
    [
        '@string{j = "Journal"}\n@article{a, journal = j}\n',
        "@article{a, title = {A} # {B}}\n",
        "@article{a, title = {A}}\n@article{a, title = {B}}\n",
        "@article{a, title = {A}, Title = {B}}\n",
        "@article{a, title = {A}\n",
        "@article{a, Author = {Smith, J.}}\n",
    ],
    ids=["macro", "concatenation", "duplicate-key", "duplicate-field", "unclosed", "mixed-case-author"],
)
def test_fast_bibtex_declines_what_it_does_not_cover(text):
    assert _fast(text) is None
