"""Scale benchmarks for scripts/bench.py: the store, the cache, the named
queries and the draft check on a synthetic corpus of ``--claims`` claims
(scripts/synthetic.py), each against the rdflib-only baseline measured in the
same run.

Every measurement runs in a fresh Python process, so that start-up, imports
and peak memory are real. The corpus and the cache live under
``$TMPDIR/evg-bench-<N>-<seed>/`` and are reused by later runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: One value per query parameter, present in every synthetic corpus.
PARAMS = {
    "claim": "claim:imaging-findings-in-the-lumbar-multifidus-correlate-poorly",
    "source": "source:vandenberg1983",
    "article": "article:synthetic-article-00001",
    "topic": "concept:iliotibial-band-syndrome",
}

#: Set by bench.py from --claims / --seed / --baseline-timeout / --query-timeout.
OPTIONS = {"claims": 100_000, "seed": 1, "baseline_timeout": 900.0, "query_timeout": 60.0}

# The rdflib baseline's queries, each stopped after {limit} seconds (SIGALRM
# interrupts rdflib's pure-Python evaluation) and then recorded as None.
_BASELINE_QUERIES = """
import signal, time
from graph.sparql import list_queries, run_query

class _Stop(BaseException):  # not an Exception: run_query would report it as a query error
    pass

def _alarm(signum, frame):
    raise _Stop

signal.signal(signal.SIGALRM, _alarm)
def _timed(text, name, params=None):
    start = time.perf_counter()
    signal.alarm(int({limit}))
    try:
        run_query(eg, text, params, where=name)
        return time.perf_counter() - start
    except _Stop:
        return None
    finally:
        signal.alarm(0)

params = {params!r}
times, bound = {{}}, {{}}
for q in list_queries():
    times[q.name] = _timed(q.text, q.name)
    names = [p for p in q.params if p in params]
    if names:
        bound[q.name] = _timed(q.text, q.name, {{names[0]: params[names[0]]}})
extra = {{'times': times, 'bound': bound, 'load_seconds': load_seconds}}
"""

_MEASURE = """
import json, resource, sys, time
t0 = time.perf_counter()
{body}
json.dump({{"seconds": time.perf_counter() - t0, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            **extra}}, sys.stdout)
"""


def _workdir() -> Path:
    import tempfile

    return Path(tempfile.gettempdir()) / f"evg-bench-{OPTIONS['claims']}-{OPTIONS['seed']}"


def corpus() -> tuple[Path, Path, Path]:
    """(claims.ttl, sources.bib, articles/) of the synthetic corpus, written once."""
    folder = _workdir() / "corpus"
    claims, bib = folder / "claims.ttl", folder / "sources.bib"
    if not (claims.exists() and bib.exists()):
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "synthetic.py"), "--claims", str(OPTIONS["claims"]),
             "--out", str(folder), "--seed", str(OPTIONS["seed"])],
            check=True,
        )  # fmt: skip
    return claims, bib, folder / "articles"


def _env(cache: str | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), EVG_PROGRESS="0")
    env["EVG_CACHE_DIR"] = cache or str(_workdir() / "cache")
    return env


def measure(body: str, *, timeout: float | None = None, env: dict | None = None) -> dict | None:
    """Run ``body`` in a fresh interpreter; its wall time from start-up, peak
    RSS and any ``extra`` dict it fills. None if it ran past ``timeout``."""
    code = _MEASURE.format(body=textwrap.dedent(body).strip() + "\nextra = globals().get('extra', {})")
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env or _env(), check=True
        )
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"benchmark process failed:\n{exc.stderr}") from None
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_cli(args: list[str], env: dict | None = None, repeat: int = 1) -> float:
    """Median wall time of ``python -m graph ARGS`` (the `evg` command), start-up included."""
    import time

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "graph", *args], check=True, capture_output=True, env=env or _env())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _load_body(store: str, cache: bool, claims: Path, bib: Path) -> str:
    return (
        "import graph\n"
        f"eg = graph.load(claims={str(claims)!r}, sources={str(bib)!r}, store={store!r}, cache={cache!r})\n"
        "extra = {'triples': len(eg)}\n"
    )


def register(bench, Row, timed) -> None:  # noqa: N803 (the classes bench.py passes in)
    """Add the scale benchmarks to bench.py's registry."""

    @bench("bundled-warm-sources")
    def bundled_warm_sources() -> list[Row]:
        """`evg sources "compression syndrome" --format json` on the bundled corpus, warm cache."""
        args = ["sources", "compression syndrome", "--format", "json"]
        corpus_args = ["--claims", str(ROOT / "claims.ttl"), "--sources", str(ROOT / "sources.bib")]
        env = _env(str(_workdir() / "cache-bundled"))
        run_cli([*args, *corpus_args], env)  # warms the cache
        warm = run_cli([*args, *corpus_args], env, repeat=7)
        rdflib = run_cli([*args, *corpus_args, "--store", "rdflib"], env, repeat=3)
        claims = (ROOT / "claims.ttl").read_text(encoding="utf-8").count(" a ev:Claim")
        return [
            Row("evg sources, bundled corpus, warm", f"{claims} claims", warm, 0.4, f"rdflib store: {rdflib:.2f} s"),
        ]

    @bench("scale-load")
    def scale_load() -> list[Row]:
        """Cold load of N claims (BibTeX included) into Oxigraph, against rdflib + pybtex."""
        claims, bib, _articles = corpus()
        n = OPTIONS["claims"]
        ox = measure(_load_body("oxigraph", False, claims, bib))
        base = measure(_load_body("rdflib", False, claims, bib), timeout=OPTIONS["baseline_timeout"])
        cache_dir = _workdir() / "cache-build"
        import shutil

        shutil.rmtree(cache_dir, ignore_errors=True)
        build = measure(_load_body("auto", True, claims, bib), env=_env(str(cache_dir)))
        warm = measure(_load_body("auto", True, claims, bib), env=_env(str(cache_dir)))
        if base is None:
            ratio = f">= {OPTIONS['baseline_timeout'] / ox['seconds']:.0f}x"
            base_text = f"rdflib + pybtex: > {OPTIONS['baseline_timeout']:.0f} s (stopped)"
        else:
            ratio = f"{base['seconds'] / ox['seconds']:.1f}x"
            base_text = f"rdflib + pybtex: {base['seconds']:.1f} s, {base['rss_mb'] / 1024:.2f} GB"
        size = f"{n:,} claims, {ox['triples']:,} triples"
        return [
            Row("cold load, Oxigraph, BibTeX included", size, ox["seconds"], 12.0, f"{ratio} faster; {base_text}"),
            Row("first CLI load: build the on-disk cache", size, build["seconds"], None, "once per change of inputs"),
            Row("warm load from the cache", size, warm["seconds"], None, ""),
            Row("peak memory of the cold load (GB)", size, ox["rss_mb"] / 1024, 1.5, "resident set size"),
        ]

    @bench("scale-sources")
    def scale_sources() -> list[Row]:
        """`evg sources TEXT --format json` on N claims with a warm cache."""
        claims, bib, _articles = corpus()
        corpus_args = ["--claims", str(claims), "--sources", str(bib)]
        args = ["sources", "hip strengthening for runners with ITBS", "--format", "json", *corpus_args]
        run_cli(args)  # builds the cache and the search index once
        warm = run_cli(args, repeat=5)
        return [Row("evg sources, warm cache", f"{OPTIONS['claims']:,} claims", warm, 1.0, "median of 5 runs")]

    @bench("scale-queries")
    def scale_queries() -> list[Row]:
        """Every named query on N claims: Oxigraph against rdflib, unbound and bound to one value."""
        claims, bib, _articles = corpus()
        timing = textwrap.dedent(
            f"""
            import time
            from graph.sparql import list_queries, run_query
            params = {PARAMS!r}
            times, bound = {{}}, {{}}
            for q in list_queries():
                if {{unbound}}:
                    start = time.perf_counter()
                    run_query(eg, q.text, where=q.name)
                    times[q.name] = time.perf_counter() - start
                names = [p for p in q.params if p in params]
                if names and not {{unbound}}:
                    start = time.perf_counter()
                    run_query(eg, q.text, {{names[0]: params[names[0]]}}, where=q.name)
                    bound[q.name] = (names[0], time.perf_counter() - start)
            extra = {{'times': times, 'bound': bound}}
            """
        )
        measure(_load_body("auto", True, claims, bib))  # builds the cache if needed
        memory = measure(_load_body("oxigraph", False, claims, bib) + timing.replace("{unbound}", "True"))
        disk = measure(_load_body("auto", True, claims, bib) + timing.replace("{unbound}", "False"))
        limit = OPTIONS["query_timeout"]
        base = measure(
            "load_start = time.perf_counter()\n"
            + _load_body("rdflib", False, claims, bib)
            + "load_seconds = time.perf_counter() - load_start\n"
            + _BASELINE_QUERIES.format(limit=limit, params=PARAMS),
            timeout=OPTIONS["baseline_timeout"] + 32 * limit,
        )
        rows = []
        size = f"{OPTIONS['claims']:,} claims"
        if base is not None:
            rows.append(Row("rdflib baseline: load", size, base["load_seconds"], None, "before its queries"))

        def versus(baseline: float | None, seconds: float) -> str:
            # how rdflib did on the same query: measured, stopped, or not reached
            if base is None:
                return f"rdflib: load + queries > {OPTIONS['baseline_timeout']:.0f} s (stopped)"
            if baseline is None:
                return f"rdflib > {limit:.0f} s (stopped): >= {limit / max(seconds, 1e-6):.0f}x"
            return f"rdflib {baseline:.3f} s: {baseline / max(seconds, 1e-6):.0f}x"

        measured = base or {"times": {}, "bound": {}}
        for name, seconds in memory["times"].items():
            note = versus(measured["times"].get(name), seconds)
            rows.append(Row(f"query {name}, every row", size, seconds, 1.0, note))
            if name in disk["bound"]:
                param, t = disk["bound"][name]
                note = "warm cache (on-disk store); " + versus(measured["bound"].get(name), t)
                rows.append(Row(f"query {name} --param {param}", size, t, 1.0, note))
        return rows

    @bench("scale-check")
    def scale_check() -> list[Row]:
        """`evg check` of a 1,000-sentence draft against N claims, warm cache."""
        import random
        import re

        claims, bib, _articles = corpus()
        labels = re.findall(r'rdfs:label "([^"]+)"', claims.read_text(encoding="utf-8"))
        keys = re.findall(r"^@article\{([^,]+),", bib.read_text(encoding="utf-8"), flags=re.M)
        rng = random.Random(OPTIONS["seed"])
        lines = ["# Draft", ""]
        for i in range(1000):
            label = rng.choice(labels)
            if i % 3 == 0:
                lines.append(f"{label[:-1]} [@{rng.choice(keys)}].")
            elif i % 3 == 1:
                lines.append(f"Our clinic notes show the weather mattered on day {i}.")
            else:
                lines.append(label)
        draft = _workdir() / "draft.md"
        draft.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        args = ["check", str(draft), "--format", "json", "--claims", str(claims), "--sources", str(bib)]
        run_cli(["sources", "warm up", "--claims", str(claims), "--sources", str(bib)])
        warm = run_cli(args, repeat=1)
        return [Row("evg check, 1,000-sentence draft", f"{OPTIONS['claims']:,} claims", warm, 10.0, "warm cache")]


def _corpus_of(claims: int) -> tuple[Path, Path]:
    """The synthetic corpus of ``claims`` claims (seed from --seed), written once."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"evg-bench-{claims}-{OPTIONS['seed']}" / "corpus"
    if not (folder / "claims.ttl").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "synthetic.py"), "--claims", str(claims),
             "--out", str(folder), "--seed", str(OPTIONS["seed"])],
            check=True, capture_output=True,
        )  # fmt: skip
    return folder / "claims.ttl", folder / "sources.bib"


#: The whole-graph commands of the cost curve: (row name, evg arguments).
WHOLE_GRAPH = (
    ("evg stats", ["stats"]),
    ("evg sources TEXT", ["sources", "hip strengthening for runners"]),
    ("evg query evidence-table --format csv", ["query", "evidence-table", "--format", "csv"]),
    ("evg query sources-for-claim --format csv", ["query", "sources-for-claim", "--format", "csv"]),
    ("evg query article-statements --format csv", ["query", "article-statements", "--format", "csv"]),
    *((f"evg export --format {f}", ["export", "--format", f]) for f in ("csl-json", "csv", "graphml", "ttl")),
)


def whole_graph_rows(Row, claims: int, repeat: int = 3) -> list:  # noqa: N803
    """Each whole-graph command on ``claims`` claims in a fresh cache: the first
    run (the store built by the first of them), then the median of ``repeat``
    warm runs beside the start-up of `evg --version` measured in the same run
    (the reference: a warm run cannot beat the interpreter starting)."""
    import shutil
    import tempfile

    claims_ttl, bib = _corpus_of(claims)
    where = ["--claims", str(claims_ttl), "--sources", str(bib)]
    cache_dir = Path(tempfile.mkdtemp(prefix="evg-bench-cache-"))
    env = _env(str(cache_dir))
    size = f"{claims:,} claims"
    rows = []
    try:
        startup = run_cli(["--version"], env, repeat=5)
        for name, args in WHOLE_GRAPH:
            out = ["-o", str(cache_dir / "out")] if args[0] in ("export", "query") else []  # a file, never a device
            argv = [*args, *where, *out]
            first = run_cli(argv, env)
            warm = run_cli(argv, env, repeat=repeat)
            target = 2.0 if args[0] == "stats" else 1.0 if args[0] == "sources" else 3.0 if args[0] == "query" else 15.0
            rows.append(Row(f"{name}, first run", size, first, None, "the first row builds the store too"))
            rows.append(Row(f"{name}, warm", size, warm, target,
                            f"start-up of evg --version {startup:.2f} s: {warm / startup:.1f}x"))  # fmt: skip
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    return rows


def register_curve(bench, Row) -> None:  # noqa: N803
    @bench("cost-curve")
    def cost_curve() -> list:
        """The whole-graph commands at 1,000, 10,000 and --claims claims: first run and warm."""
        rows = []
        for n in dict.fromkeys((1_000, 10_000, OPTIONS["claims"])):
            print(f"  cost curve: {n:,} claims", file=sys.stderr, flush=True)
            rows.extend(whole_graph_rows(Row, n))
        return rows
