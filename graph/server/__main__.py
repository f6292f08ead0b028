"""``python -m graph.server --location STORE ...``: serve an Oxigraph store
folder as ``evg serve`` does (what :class:`graph.server.Server` starts)."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.server")
    parser.add_argument("--location", required=True, help="an Oxigraph store folder")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7878)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lookup-workers", type=int, default=2)
    parser.add_argument("--allow-service", action="store_true")
    args = parser.parse_args(argv)
    from graph.server.app import serve

    try:
        serve(
            args.location,
            host=args.host,
            port=args.port,
            timeout=args.timeout,
            workers=args.workers,
            lookup_workers=args.lookup_workers,
            allow_service=args.allow_service,
            announce=lambda line: print(line, file=sys.stderr, flush=True),
        )
    except (OSError, RuntimeError) as exc:
        print(f"evg: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
