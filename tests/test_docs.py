"""The README documents what the code does: terms, commands, set-up."""

from __future__ import annotations

import re

import pytest

from graph.cli import COMMANDS
from graph.model.namespaces import PREFIXES, RDF

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCUMENTED_NAMESPACES = (
    "cito",
    "fabio",
    "bibo",
    "dcterms",
    "foaf",
    "oa",
    "prov",
    "skos",
    "schema",
    "ev",
    "owl",
    "rdfs",
)


def _terms_used(g) -> set[str]:
    nm = g.namespace_manager
    terms = set()
    for _s, p, o in g:
        terms.add(p)
        if p == RDF.type:
            terms.add(o)
    out = set()
    for t in terms:
        name = nm.normalizeUri(t)
        if name.split(":", 1)[0] in DOCUMENTED_NAMESPACES:
            out.add(name)
    return out


def test_every_vocabulary_term_in_the_graph_is_documented(eg):
    missing = sorted(t for t in _terms_used(eg.rdf) if f"`{t}`" not in README and f"{t}`" not in README)
    assert missing == [], f"document these terms in README.md (Terms used): {missing}"


def test_every_ev_term_of_the_vocabulary_is_documented():
    from graph.model.namespaces import EV

    missing = [name for name in EV.__annotations__ if f"ev:{name}" not in README]
    assert missing == [], f"document these ev: terms in README.md: {missing}"


def test_prefix_iris_in_readme_match_the_code():
    for prefix in DOCUMENTED_NAMESPACES:
        assert f"`{prefix}:` <{PREFIXES[prefix]}>" in README, f"README prefix line for {prefix}: is missing or wrong"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_documented_and_has_an_example(evg, name):
    assert f"`evg {name}" in README, f"README.md has no section for `evg {name}`"
    code, out, err = evg(name, "--help")
    assert code == 0, err
    assert "Example" in out, f"`evg {name} --help` should include an example"


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)


def test_quick_start_has_exactly_two_commands():
    commands = _quick_start_commands()
    assert len(commands) == 2, commands
    assert all("\n" not in c for c in commands)
    assert commands[0].startswith("pip install . && evg html")
    assert commands[1].startswith("pip install -e '.[test]' && ")


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci.splitlines()
    assert "CI=true" in ci
