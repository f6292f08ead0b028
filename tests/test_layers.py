"""The package's shape: layers in the order data flows, and no import that
runs up a layer or round in a circle. The import graph is read from the
source with ``ast``, so an import inside a function counts as much as one at
the top; imports under ``if TYPE_CHECKING:`` do not (they never run)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from .conftest import ROOT

PACKAGE = ROOT / "graph"

#: The one place the layer order is written: each layer may import its own
#: modules and those of the layers before it, never one after it.
LAYERS = (
    "model",  # namespaces, errors, paths, the data model's rules and records
    "bibliography",  # BibTeX in and out, citation styles
    "sparql",  # the named-query catalogue, query text, results
    "store",  # one backend interface: rdflib, Oxigraph, remote
    "ingest",  # corpus files into a store, cache, validation, canonical Turtle
    "evidence",  # the graph object, claim records, search, network, stats
    "drafts",  # a writer's draft: parse, resolve, check, extract
    "render",  # report and HTML graph
    "export",  # the exporter registry
    "server",  # the SPARQL endpoint and publishing
    "cli",  # the evg command
)
#: Top-level modules that stand outside the layers: the facade (``graph``),
#: ``python -m graph`` and a compatibility alias, each placed where it imports.
TOP = {"graph": len(LAYERS), "graph.__main__": LAYERS.index("cli"), "graph.html": LAYERS.index("render")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, name: str) -> set[str]:
    """The graph.* modules ``path`` imports at run time (relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "graph")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] == "graph":
                found.add(module)
                # ``from graph.x import y`` may name the submodule graph.x.y
                found.update(f"{module}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _graph() -> nx.DiGraph:
    modules = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    g = nx.DiGraph()
    g.add_nodes_from(modules)
    for name, path in modules.items():
        for target in _imports(path, name):
            if target in modules and target != name:
                g.add_edge(name, target)
    return g


def layer_of(module: str) -> int:
    if module in TOP:
        return TOP[module]
    return LAYERS.index(module.split(".")[1])


def test_every_module_sits_in_a_layer():
    assert [m for m in _graph() if m not in TOP and m.split(".")[1] not in LAYERS] == []


def test_no_import_runs_up_a_layer():
    upward = [
        f"{a} ({LAYERS[layer_of(a)] if a not in TOP else a}) imports {b} ({LAYERS[layer_of(b)]})"
        for a, b in _graph().edges
        if b != "graph" and layer_of(b) > layer_of(a)
    ]
    assert upward == [], "move the code down a layer, or the import up:\n" + "\n".join(upward)


def test_nothing_imports_the_facade():
    assert sorted(a for a, b in _graph().edges if b == "graph") == []


def test_no_import_circle():
    cycles = sorted(sorted(c) for c in nx.simple_cycles(_graph()))
    assert cycles == [], f"import circles: {cycles}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from graph.model.errors import InputError\n", {"graph.model.errors", "graph.model.errors.InputError"}),
        ("def f():\n    from ..store import oxigraph\n", {"graph.store", "graph.store.oxigraph"}),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from graph.cli import main\n", set()),
        ("import graph.sparql\n", {"graph.sparql"}),
    ],
)
def test_the_reader_sees_every_run_time_import(tmp_path, source, expected):
    folder = tmp_path / "graph" / "evidence"
    folder.mkdir(parents=True)
    path = folder / "thing.py"
    path.write_text(source, encoding="utf-8")
    assert _imports(path, "graph.evidence.thing") == expected
