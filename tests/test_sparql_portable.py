"""Every shipped named query gives the same rows on three independent SPARQL
engines, rdflib, Oxigraph and Comunica (run with Node), compared as
multisets of terms on the bundled corpus."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter

import pytest

from graph.model.namespaces import PREFIXES, XSD, prefix_header
from graph.sparql import list_queries, run_query

from .conftest import ROOT, STORES, load_corpus, require_or_skip

pytestmark = pytest.mark.slow

QUERIES = list_queries()
#: Where .ci/run (npm install --prefix .node) puts the Node packages the tests use.
NODE_MODULES = ROOT / ".node" / "node_modules"


def _key(term) -> tuple | None:
    """A term as the three engines can agree on it: blank nodes only as such."""
    from rdflib import BNode, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("uri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)
    datatype = None if term.datatype in (None, XSD.string) else str(term.datatype)
    return ("literal", str(term), term.language, datatype)


def _json_key(binding: dict | None) -> tuple | None:
    if binding is None:
        return None
    kind = binding["type"]
    if kind == "uri":
        return ("uri", binding["value"])
    if kind == "bnode":
        return ("bnode",)
    datatype = binding.get("datatype")
    if datatype == str(XSD.string):
        datatype = None
    return ("literal", binding["value"], binding.get("xml:lang"), datatype)


@pytest.fixture(scope="module")
def comunica(tmp_path_factory, request):
    node = shutil.which("node")
    require_or_skip(node is not None, "node is not installed")
    require_or_skip(
        (NODE_MODULES / "@comunica" / "query-sparql-file").is_dir(),
        "Comunica is not installed (npm install --prefix .node @comunica/query-sparql-file)",
    )
    eg = load_corpus("rdflib")
    folder = tmp_path_factory.mktemp("comunica")
    data, queries = folder / "corpus.nt", folder / "queries.json"
    data.write_bytes(eg.backend.serialize("nt"))
    # Comunica knows no predeclared prefixes: send them as rdflib and Oxigraph get them.
    queries.write_text(json.dumps({q.name: prefix_header(PREFIXES) + q.text for q in QUERIES}), encoding="utf-8")
    done = subprocess.run(
        [node, str(ROOT / "tests" / "node" / "comunica.mjs"), str(data), str(queries)],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, NODE_PATH=str(NODE_MODULES)),
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def engines():
    return {store: load_corpus(store) for store in STORES}


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_same_rows_on_rdflib_oxigraph_and_comunica(engines, comunica, query):
    answers = {}
    for store, eg in engines.items():
        result = run_query(eg, query.text, where=query.name)
        answers[store] = (list(result.variables), Counter(tuple(_key(t) for t in row) for row in result.rows))
    data = comunica[query.name]
    names = data["head"]["vars"]
    answers["comunica"] = (
        names,
        Counter(tuple(_json_key(b.get(n)) for n in names) for b in data["results"]["bindings"]),
    )
    assert answers["comunica"] == answers["rdflib"]
    assert answers["oxigraph"] == answers["rdflib"]
    assert sum(answers["rdflib"][1].values()) > 0, f"{query.name} gives no rows: the comparison would prove nothing"
