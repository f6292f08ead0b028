"""The docs say what the code does: terms, commands, examples, set-up.

README.md is one page; the detail is in docs/. docs/cli.md is generated
from the commands' --help, and every example command in the README and in
the --help texts runs on a fresh clone (except placeholders under path/to/
and the ones that need a running SPARQL server).
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import subprocess

import click
import pytest

from graph.cli import COMMANDS, cli
from graph.model.namespaces import PREFIXES, RDF

from .conftest import ROOT, evg_process, load_script

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
MODEL = (DOCS / "model.md").read_text(encoding="utf-8")
CLI_MD = DOCS / "cli.md"
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
README_MAX_LINES = 250
#: Marks a path the reader supplies; examples holding one are not run.
PLACEHOLDER = "path/to/"


# --- the data model ------------------------------------------------------------


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
    missing = sorted(t for t in _terms_used(eg.rdf) if f"`{t}`" not in MODEL and f"{t}`" not in MODEL)
    assert missing == [], f"document these terms in docs/model.md (Every term used): {missing}"


def test_every_ev_term_of_the_vocabulary_is_documented():
    from graph.model.namespaces import EV

    missing = [name for name in EV.__annotations__ if f"ev:{name}" not in MODEL]
    assert missing == [], f"document these ev: terms in docs/model.md: {missing}"


def test_prefix_iris_in_the_model_match_the_code():
    for prefix in DOCUMENTED_NAMESPACES:
        assert f"`{prefix}:` <{PREFIXES[prefix]}>" in MODEL, f"docs/model.md prefix line for {prefix}: is wrong"


def test_the_seven_questions_name_their_queries():
    from graph.sparql import list_queries

    section = MODEL.split("## The seven questions", 1)[1].split("\n## ", 1)[0]
    numbered = {}
    for q in list_queries():
        m = re.search(r"question (\d) of docs/model\.md", q.description)
        if m:
            numbered[int(m.group(1))] = q.name
    assert sorted(numbered) == [1, 2, 3, 4, 5, 6, 7]
    for n, name in numbered.items():
        assert re.search(rf"^\| {n} \| [^\n]*\| `{name}` \|", section, flags=re.M), f"question {n}: `{name}`"


def test_the_architecture_lists_the_layers_in_the_tested_order():
    from .test_layers import LAYERS

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| `(\w+)/` \|", text, flags=re.M)
    assert [(int(n), name) for n, name in rows] == list(enumerate(LAYERS, start=1))


def test_the_architecture_says_why_for_every_dependency():
    import tomllib

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        names += extra
    for requirement in names:
        name = re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0]
        assert re.search(rf"^\| {re.escape(name)}\b", text, flags=re.M | re.I), f"{name}: say why in architecture.md"


# --- the command reference -----------------------------------------------------------


def test_cli_reference_is_generated_from_the_current_help():
    expected = load_script("gen_cli_docs").generate()
    current = CLI_MD.read_text(encoding="utf-8") if CLI_MD.exists() else ""
    assert current == expected, "docs/cli.md is stale: run `python scripts/gen_cli_docs.py` and commit the result"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_reference_the_tour_and_has_an_example(evg, name):
    assert f"## `evg {name}`" in CLI_MD.read_text(encoding="utf-8"), f"docs/cli.md has no section for evg {name}"
    assert f"**`evg {name}`**" in README, f"README.md's tour does not show `evg {name}`"
    code, out, err = evg(name, "--help")
    assert code == 0, err
    assert "Example" in out, f"`evg {name} --help` should include an example"


# --- the README ---------------------------------------------------------------


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


def test_readme_is_one_page_that_links_every_doc():
    assert len(README.splitlines()) <= README_MAX_LINES
    for doc in sorted(DOCS.glob("*.md")):
        assert f"](docs/{doc.name})" in README, f"README.md does not link docs/{doc.name}"


def test_relative_links_between_docs_resolve():
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


#: A repository file named in backticks: `tests/...`, `scripts/...`, `graph/...`.
NAMED_FILE = re.compile(r"`((?:tests|scripts|graph)/[\w./-]+\.(?:py|tsv|md|ttl|rq|bib|json))`")


def test_files_the_docs_name_exist():
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        for path in sorted(set(NAMED_FILE.findall(page.read_text(encoding="utf-8")))):
            assert (ROOT / path).exists(), f"{page.name} names {path}, which does not exist"


# --- examples run -----------------------------------------------------------------


def _needs_a_server(argv: list[str]) -> bool:
    # serve runs until stopped, publish and --endpoint need an endpoint:
    # tests/test_server.py runs those against a real server. nanopub needs a
    # signing key and signed files: tests/test_cli_nanopub.py runs it.
    return argv[1] in ("serve", "publish", "nanopub") or "--endpoint" in argv


def _examples(text: str) -> list[str]:
    """The `evg ...` commands of a text's example lines (comments dropped,
    `a && b` split, pip steps left out)."""
    out = []
    for line in re.sub(r"\\\n\s*", " ", text).splitlines():  # shell line continuations
        line = line.strip()
        if not line.startswith(("evg ", "pip ")):
            continue
        for part in line.split("&&"):
            argv = shlex.split(part, comments=True)
            if argv and argv[0] == "evg" and len(argv) > 1 and shlex.join(argv) not in out:
                out.append(shlex.join(argv))
    return out


def _readme_examples() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    return _examples("\n".join(blocks))


def _help_examples() -> list[str]:
    out = []
    root = click.Context(cli, info_name="evg", **cli.context_settings)
    for name in [None, *sorted(COMMANDS)]:
        cmd = cli if name is None else cli.get_command(root, name)
        ctx = root if name is None else click.Context(cmd, info_name=name, parent=root)
        section = cmd.get_help(ctx).split("Options:", 1)[0]
        out += [e for e in _examples(section) if e not in out]
    return out


def _runnable(examples: list[str]) -> list[str]:
    return [e for e in examples if PLACEHOLDER not in e and not _needs_a_server(shlex.split(e))]


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A folder laid out like a fresh clone (the corpus files copied, the
    test data linked), so that examples which write files write them here."""
    where = tmp_path_factory.mktemp("clone")
    for name in ("claims.ttl", "sources.bib"):
        shutil.copy(ROOT / name, where / name)
    (where / "tests").symlink_to(ROOT / "tests", target_is_directory=True)
    return where


def _run(example: str, cwd) -> subprocess.CompletedProcess:
    argv = shlex.split(example)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EVG_PROGRESS": "0"}
    return evg_process(*argv[1:], cwd=cwd, env=env, timeout=300)


def test_the_readme_and_help_have_examples_to_run():
    readme, helps = _runnable(_readme_examples()), _runnable(_help_examples())
    # Guard against a parser that finds nothing: every command but those
    # needing a server has a runnable example in each.
    runnable_commands = {name for name in COMMANDS if name not in ("serve", "publish", "extract", "nanopub")}
    assert {shlex.split(e)[1] for e in readme} >= runnable_commands
    # check and validate show only placeholders in --help (a draft, the article texts)
    assert {shlex.split(e)[1] for e in helps} >= runnable_commands - {"check", "validate"}
    assert any(PLACEHOLDER in e for e in _readme_examples())


@pytest.mark.slow
@pytest.mark.parametrize("example", _runnable(_readme_examples()))
def test_readme_example_runs(example, clone):
    result = _run(example, clone)
    assert result.returncode == 0, f"{example}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"


@pytest.mark.slow
@pytest.mark.parametrize("example", [e for e in _runnable(_help_examples()) if e not in _readme_examples()])
def test_help_example_runs(example, clone):
    result = _run(example, clone)
    assert result.returncode == 0, f"{example}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"


def test_python_api_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(ROOT))
    result = doctest.testfile(str(DOCS / "api.md"), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 30
    assert result.failed == 0, "an example in docs/api.md printed something else (see the output above)"
