"""Query size and depth limits, checked before any engine sees the query."""

from __future__ import annotations

import pytest

from graph.model.errors import QueryError
from graph.sparql import run_query
from graph.sparql.text import MAX_QUERY_CHARS, MAX_QUERY_DEPTH, MAX_TRIPLE_PATTERNS, check_limits

from .conftest import CORPUS, ROOT, STORES, evg_process

DEEP = f"nests deeper than {MAX_QUERY_DEPTH} levels (groups, brackets or operators)"


def test_documented_defaults():
    assert (MAX_QUERY_CHARS, MAX_QUERY_DEPTH, MAX_TRIPLE_PATTERNS) == (200_000, 100, 5_000)
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for value in ("200,000", "100 levels", "5,000"):
        assert value in text


REFUSED = {
    "braces": ("SELECT * WHERE " + "{" * 3000 + "}" * 3000, f"-e:1: the query {DEEP}"),
    "parentheses": ("SELECT * WHERE { FILTER(" + "(" * 200 + "1" + ")" * 200 + ") }", f"-e:1: the query {DEEP}"),
    "brackets": ("SELECT * WHERE { ?s ?p " + "[ ?p " * 200 + "1" + " ]" * 200 + " }", f"-e:1: the query {DEEP}"),
    "negations": ("SELECT * WHERE { FILTER(" + "!" * 20000 + "true) }", f"-e:1: the query {DEEP}"),
    "minus signs": ("SELECT * WHERE {\n FILTER(" + "- " * 500 + "1) }", f"-e:2: the query {DEEP}"),
    "patterns": (
        "SELECT * WHERE {\n" + "?s ?p ?o .\n" * 6000 + "}",
        "-e:5001: the query has more than 5,000 triple patterns",
    ),
    "length": (
        "SELECT * WHERE { }" + " " * MAX_QUERY_CHARS,
        "-e: the query is 200,018 characters long; the limit is 200,000",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_query_over_a_limit_is_refused(any_store, name):
    text, message = REFUSED[name]
    with pytest.raises(QueryError) as info:
        run_query(any_store, text, where="-e")
    assert str(info.value) == message


def test_braces_inside_strings_iris_and_comments_do_not_count():
    inner = '"' + "{" * 500 + '" ' + "<urn:" + "(" * 10 + "> # " + "{" * 500 + "\n"
    check_limits("SELECT * WHERE { FILTER(?x != " + inner + ") }")
    check_limits("SELECT * WHERE { FILTER(?x IN (1.5, 2.25)) }")


@pytest.mark.parametrize(
    ("name", "text", "rows"),
    [
        ("groups", "SELECT ?s WHERE " + "{" * 99 + " ?s a ev:Claim " + "}" * 99 + " LIMIT 1", 1),
        ("optionals", "SELECT ?s WHERE { " + "OPTIONAL { ?s a ev:Claim } " * 99 + "} LIMIT 1", 1),
        ("unions", "SELECT ?s WHERE { " + "{ ?s a ev:Claim } UNION " * 1000 + "{ } } LIMIT 3", 3),
    ],
)
def test_a_query_just_inside_the_limits_runs_on_both_stores(any_store, name, text, rows):
    assert len(run_query(any_store, text).rows) == rows


@pytest.mark.parametrize("store", STORES)
def test_deep_nesting_exits_one_not_by_a_signal(store):
    # 3,000 nested groups used to crash Oxigraph's parser (SIGSEGV, exit 139).
    text = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    proc = evg_process("query", *CORPUS, "--store", store, "-e", text)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", f"evg: error: -e:1: the query {DEEP}\n")
