"""Benchmarks of evidence-graph, printed as a table.

    python scripts/bench.py                      # every benchmark
    python scripts/bench.py --only html-20k      # some of them (repeatable)
    python scripts/bench.py --list

Each benchmark is a function registered with ``@bench("name")`` that
returns one or more :class:`Row`; add a row by adding a function. Graphs of
a given size come from :func:`synthetic_graph`, built in memory with the
package's own BibTeX-to-RDF conversion and link derivation.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))


@dataclass
class Row:
    """One line of the table. ``target`` is the goal in seconds, if any."""

    name: str
    size: str
    seconds: float
    target: float | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "ok" if self.seconds <= self.target else "SLOW"


BENCHES: dict[str, Callable[[], list[Row]]] = {}


def bench(name: str):
    """Register a benchmark under ``name``."""

    def register(func: Callable[[], list[Row]]):
        BENCHES[name] = func
        return func

    return register


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


# --- a synthetic evidence graph ------------------------------------------------------

_DESIGNS = (
    "SystematicReview",
    "RandomisedControlledTrial",
    "CohortStudy",
    "CaseControlStudy",
    "CaseSeries",
    "CadavericStudy",
    "LaboratoryStudy",
    "NarrativeReview",
    "ComputationalModel",
    "ExpertOpinion",
)
_VERDICTS = ("Supported", "PartlySupported", "Overstated", "NumbersDiffer", "NotSupported", "Misattributed")
_WORDS = (
    "hip", "knee", "tendon", "fascia", "band", "load", "strength", "pain", "runner", "cadence", "stretch",
    "rolling", "compression", "friction", "bursa", "gait", "training", "mileage", "footwear", "surface",
    "rehabilitation", "injury", "recovery", "muscle", "stiffness",
)  # fmt: skip


def _turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def synthetic_corpus(nodes: int, folder: Path, seed: int = 1) -> tuple[Path, Path]:
    """Write a claims file and a BibTeX file of about ``nodes`` nodes to
    ``folder``: 80% claims, 15% sources, 4% topics, 1% articles. Each claim
    has 1-3 topics (popular ones more often) and 1-2 statements (10% reject
    it), each citing 0-2 sources; 1% of claims contradict another and 3% of
    citing statements carry a review. The same seed gives the same files."""
    rng = random.Random(seed)
    n_claims = int(nodes * 0.80)
    n_sources = max(1, int(nodes * 0.15))
    n_topics = max(1, int(nodes * 0.04))
    n_articles = max(1, nodes - n_claims - n_sources - n_topics)
    bib, ttl = [], []
    keys = []
    for i in range(n_sources):
        key = f"author{i}{1990 + i % 30}"
        keys.append(key)
        bib.append(
            f"@article{{{key},\n  author = {{Author{i}, Ann and Second, Sam}},\n"
            f"  title = {{A study of {' '.join(rng.sample(_WORDS, 4))} number {i}}},\n"
            f"  journal = {{Journal of Synthetic Results}},\n  year = {{{1990 + i % 30}}},\n"
            f"  volume = {{{1 + i % 40}}},\n  pages = {{{i % 90 + 1}--{i % 90 + 9}}},\n"
            f"  doi = {{10.9999/synthetic.{i}}},\n}}\n"
        )
    ttl.append(
        "\n".join(
            f"@prefix {p}: <{iri}> ."
            for p, iri in (
                ("article", "https://w3id.org/evidence-graph/article/"),
                ("claim", "https://w3id.org/evidence-graph/claim/"),
                ("concept", "https://w3id.org/evidence-graph/concept/"),
                ("source", "https://w3id.org/evidence-graph/source/"),
                ("stmt", "https://w3id.org/evidence-graph/statement/"),
                ("review", "https://w3id.org/evidence-graph/review/"),
                ("ev", "https://w3id.org/evidence-graph/vocab#"),
                ("cito", "http://purl.org/spar/cito/"),
                ("dcterms", "http://purl.org/dc/terms/"),
                ("fabio", "http://purl.org/spar/fabio/"),
                ("oa", "http://www.w3.org/ns/oa#"),
                ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
                ("schema", "https://schema.org/"),
                ("skos", "http://www.w3.org/2004/02/skos/core#"),
            )
        )
    )
    for key in keys:
        ttl.append(f"source:{key} ev:studyDesign ev:{rng.choice(_DESIGNS)} .")
    for i in range(n_topics):
        ttl.append(f'concept:topic-{i} a skos:Concept ; skos:prefLabel "{rng.choice(_WORDS)} topic {i}"@en .')
    for i in range(n_articles):
        title = _turtle_string(f"Synthetic article {i} on {' and '.join(rng.sample(_WORDS, 2))}")
        ttl.append(f"article:article-{i} a fabio:WebArticle ; dcterms:title {title} .")
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_topics)]
    for i in range(n_claims):
        topics = sorted(set(rng.choices(range(n_topics), weights, k=rng.randint(1, 3))))
        label = _turtle_string(f"Claim {i}: {' '.join(rng.sample(_WORDS, 7))}.")
        about = ", ".join(f"concept:topic-{t}" for t in topics)
        extra = f" ;\n    ev:contradicts claim:claim-{rng.randrange(i)}" if i and rng.random() < 0.01 else ""
        ttl.append(f"claim:claim-{i} a ev:Claim ;\n    rdfs:label {label} ;\n    dcterms:subject {about}{extra} .")
        for j in range(rng.randint(1, 2)):
            st = f"stmt:claim-{i}--{j}"
            stance = "ev:Rejects" if rng.random() < 0.1 else "ev:Asserts"
            cited = rng.sample(keys, min(len(keys), rng.choice((0, 1, 1, 2))))
            cites = f" ;\n    cito:citesAsEvidence {', '.join(f'source:{k}' for k in cited)}" if cited else ""
            quote = _turtle_string(f"Quote {i}.{j} about {rng.choice(_WORDS)}")
            ttl.append(
                f"{st} a ev:Statement ;\n    ev:claim claim:claim-{i} ;\n"
                f"    oa:hasSource article:article-{rng.randrange(n_articles)} ;\n"
                f"    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {quote} ] ;\n"
                f"    ev:stance {stance}{cites} ."
            )
            if cited and rng.random() < 0.03:
                ttl.append(
                    f"review:r-{i}-{j} a schema:ClaimReview ; schema:itemReviewed {st} ;\n"
                    f"    ev:aboutSource source:{cited[0]} ; ev:verdict ev:{rng.choice(_VERDICTS)} ;\n"
                    f'    schema:reviewBody "What the source really reports." .'
                )
    folder.mkdir(parents=True, exist_ok=True)
    claims, sources = folder / "claims.ttl", folder / "sources.bib"
    claims.write_text("\n\n".join(ttl) + "\n", encoding="utf-8")
    sources.write_text("\n".join(bib), encoding="utf-8")
    return claims, sources


def synthetic_graph(nodes: int, store: str = "auto", seed: int = 1):
    """A loaded :class:`~graph.evidence.graph.EvidenceGraph` of a :func:`synthetic_corpus`."""
    import graph

    with tempfile.TemporaryDirectory() as tmp:
        claims, sources = synthetic_corpus(nodes, Path(tmp), seed)
        return graph.load(claims=claims, sources=sources, store=store)


# --- HTML --------------------------------------------------------------------------------


@bench("html-20k")
def bench_html_20k() -> list[Row]:
    """Generate the HTML page of a 20,000-node graph, layout included."""
    from graph.render.html import build_view, layout, render_html

    rows = []
    eg, t_load = timed(synthetic_graph, 20_000)  # store "auto": Oxigraph at this size, as `evg html` would
    _, t_records = timed(eg.claims)  # the claim records the page is made of (graph.evidence.index)
    view, t_view = timed(build_view, eg)
    _, t_layout = timed(layout, view)
    html, t_render = timed(render_html, view)
    c = view.counts()
    size = f"{c['nodes']} nodes, {c['edges']} edges"
    total = t_records + t_view + t_layout + t_render
    note = (
        f"{eg.backend.name} store (loading {t_load:.1f} s not counted); claim records {t_records:.2f} s, "
        f"view {t_view:.2f} s, layout {t_layout:.2f} s, render {t_render:.2f} s; {len(html) / 1e6:.0f} MB"
    )
    rows.append(Row("html: page from a loaded graph, cold", size, total, 5.0, note))
    mine = t_view + t_layout + t_render
    rows.append(Row("html: page from the claim records", size, mine, 5.0, "view + layout + render, as above"))
    rows.append(_html_20k_warm(size))
    return rows


def _html_20k_warm(size: str) -> Row:
    """What `evg html` does from its second run on: the store and the claim
    records (formatted citations included) come from the on-disk cache."""
    import os

    import graph
    from graph.render.html import build_view, layout, render_html

    with tempfile.TemporaryDirectory() as tmp:
        old = os.environ.get("EVG_CACHE_DIR")
        os.environ["EVG_CACHE_DIR"] = str(Path(tmp) / "cache")
        try:
            claims, sources = synthetic_corpus(20_000, Path(tmp), 1)
            graph.load(claims=claims, sources=sources, cache=True).claims()  # first run fills the cache
            start = time.perf_counter()
            eg = graph.load(claims=claims, sources=sources, cache=True)
            eg.claims()
            view = build_view(eg)
            layout(view)
            render_html(view)
            seconds = time.perf_counter() - start
        finally:
            if old is None:
                os.environ.pop("EVG_CACHE_DIR", None)
            else:
                os.environ["EVG_CACHE_DIR"] = old
    return Row("html: page, warm cache (load included)", size, seconds, 5.0, "as `evg html` on its second run")


@bench("html-5k-browser")
def bench_html_5k_browser() -> list[Row]:
    """Open a 5,000-node page in headless Chromium until it has drawn and
    answers clicks; the time runs from navigation to the first drawing."""
    from playwright.sync_api import sync_playwright

    from graph.render.html import build_html

    html, view = build_html(synthetic_graph(5_000))
    c = view.counts()
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "graph.render.html"
        path.write_text(html, encoding="utf-8")
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
        loaded = time.perf_counter() - start
        ready_ms = page.evaluate("window.evg.readyMs")
        click_start = time.perf_counter()
        page.fill("#search", "claim 42:")
        page.click("#results button >> nth=0")
        page.wait_for_selector("body[data-selected]", state="attached")
        clicked = time.perf_counter() - click_start
        browser.close()
    return [
        Row(
            "html: page interactive in Chromium",
            f"{c['nodes']} nodes, {c['edges']} edges",
            loaded,
            3.0,
            f"first drawing at {ready_ms / 1000:.2f} s after navigation start; search + select {clicked:.2f} s",
        )
    ]


# --- scale: store, cache, named queries, draft check (scripts/bench_scale.py) ---------------

import bench_scale  # noqa: E402  (beside this file)

bench_scale.register(bench, Row, timed)
bench_scale.register_curve(bench, Row)


# --- running -------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    headers = ("benchmark", "size", "seconds", "target", "", "notes")

    def seconds(value: float) -> str:
        return f"{value:.3f}" if value < 0.1 else f"{value:.2f}"  # bound queries take milliseconds

    cells = [
        (r.name, r.size, seconds(r.seconds), f"<= {r.target:g}" if r.target is not None else "", r.verdict, r.note)
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    print(line.rstrip())
    print("  ".join("-" * w for w in widths))
    for c in cells:
        print("  ".join(v.ljust(w) for v, w in zip(c, widths)).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this benchmark (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--claims", type=int, default=100_000, help="claims in the synthetic corpus of the scale rows")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpus")
    parser.add_argument(
        "--baseline-timeout", type=float, default=900, help="seconds before an rdflib baseline run is stopped"
    )
    parser.add_argument(
        "--query-timeout", type=float, default=60, help="seconds before one rdflib baseline query is stopped"
    )
    args = parser.parse_args(argv)
    bench_scale.OPTIONS.update(
        claims=args.claims, seed=args.seed, baseline_timeout=args.baseline_timeout, query_timeout=args.query_timeout
    )
    if args.list:
        for name, func in BENCHES.items():
            print(f"{name:<20} {(func.__doc__ or '').strip().splitlines()[0]}")
        return 0
    names = args.only or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
    rows: list[Row] = []
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.extend(BENCHES[name]())
    print_table(rows)
    return 1 if any(r.verdict == "SLOW" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
