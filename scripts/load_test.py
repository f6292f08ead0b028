"""Bounded load on `evg serve` over loopback: CLIENTS threads for SECONDS,
each sending a mix of bound named queries, listings and hostile requests
(updates, SERVICE, a cross-product COUNT, 5,000 nested braces). Prints p50
and p99 latency per kind, the statuses seen, and the peak memory of the
server's process tree. Not a test: a measurement, figures for docs/server.md.

    python scripts/synthetic.py --claims 2000 --out /tmp/corpus2k
    python scripts/load_test.py --claims /tmp/corpus2k/claims.ttl --sources /tmp/corpus2k/sources.bib
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOSTILE = {
    "update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "service": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "cross-count": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "nested-braces": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
}


def _rss_mb(pids: set[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _post(url: str, query: str, timeout: float = 60) -> int:
    data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code
    except OSError:
        return 0  # no answer at all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", required=True)
    parser.add_argument("--sources", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=2, help="the server's --timeout")
    parser.add_argument("--workers", type=int, default=2, help="the server's --workers (general lane)")
    parser.add_argument("--lookup-workers", type=int, default=2, help="the server's --lookup-workers")
    parser.add_argument("--hostile-every", type=int, default=20, help="one hostile request in N")
    args = parser.parse_args()

    import graph
    from graph.server import descendants
    from graph.sparql import named_query

    eg = graph.load(claims=args.claims, sources=args.sources)
    claims = [str(c) for c in eg.claim_iris][:500]
    sources = sorted(
        {
            str(r["s"])
            for r in eg.select("SELECT DISTINCT ?s WHERE { ?c <http://purl.org/spar/cito/obtainsSupportFrom> ?s }")
        }
    )
    from rdflib import URIRef

    from graph.sparql.text import bind_values

    bound = {
        "sources-for-claim": (named_query("sources-for-claim").text, "claim", claims),
        "claims-of-source": (named_query("claims-of-source").text, "source", sources),
    }
    listings = [named_query(n).text for n in ("contested-claims", "reviews", "questioned-citations")]

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "graph", "serve", "--port", str(port), "--timeout", str(args.timeout)]
    cmd += ["--workers", str(args.workers), "--lookup-workers", str(args.lookup_workers)]
    cmd += ["--claims", args.claims, "--sources", args.sources]
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = f"http://127.0.0.1:{port}/query"
    try:
        server.stdout.readline()
        latencies: dict[str, list[float]] = collections.defaultdict(list)
        statuses: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds
        peak = [0.0]
        gaps = [0.0]  # longest time without any answer

        def client(seed: int) -> None:
            rng = random.Random(seed)
            n = 0
            while time.monotonic() < stop_at:
                n += 1
                if n % args.hostile_every == 0:
                    kind = rng.choice(list(HOSTILE))
                    text = HOSTILE[kind]
                elif rng.random() < 0.2:
                    kind, text = "listing", rng.choice(listings)
                else:
                    name = rng.choice(list(bound))
                    query, var, values = bound[name]
                    kind = "bound"
                    text = bind_values(query, {var: URIRef(rng.choice(values))})
                started = time.monotonic()
                status = _post(url, text)
                took = time.monotonic() - started
                with lock:
                    latencies[kind].append(took)
                    statuses[kind][status] += 1

        def watch() -> None:
            last = time.monotonic()
            while time.monotonic() < stop_at:
                peak[0] = max(peak[0], _rss_mb({server.pid} | descendants(server.pid)))
                ok = _post(url, "ASK { ?s ?p ?o }", timeout=30) == 200
                now = time.monotonic()
                if ok:
                    gaps[0] = max(gaps[0], now - last)
                    last = now
                time.sleep(0.25)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        threads.append(threading.Thread(target=watch))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(
            f"{args.clients} clients x {args.seconds:g} s, --timeout {args.timeout:g}, "
            f"--workers {args.workers}, --lookup-workers {args.lookup_workers}"
        )
        for kind in ["bound", "listing", *HOSTILE]:
            values = sorted(latencies.get(kind, []))
            if not values:
                continue
            p50 = statistics.median(values) * 1000
            p99 = values[min(len(values) - 1, int(len(values) * 0.99))] * 1000
            seen = ", ".join(f"{code or 'none'}: {count}" for code, count in sorted(statuses[kind].items()))
            print(f"{kind:14} n={len(values):6}  p50 {p50:8.1f} ms  p99 {p99:8.1f} ms  statuses {seen}")
        print(f"peak memory of the server's processes: {peak[0]:.0f} MB")
        print(f"longest stretch without an answer to the watcher's ASK: {gaps[0]:.2f} s")
        print(f"server still answering: {_post(url, 'ASK {}') == 200}")
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server.stdout.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
