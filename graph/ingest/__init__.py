"""Reading the corpus files into a store: Turtle and BibTeX into rdflib or
Oxigraph, the derived links, the on-disk cache, validation and the canonical
Turtle writer. :func:`open_backend` is the entry the evidence layer uses."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["open_backend"]

PathLike = str | os.PathLike


def open_backend(
    claims: PathLike | Iterable[PathLike] | None = None,
    sources: PathLike | None = None,
    *,
    store: str = "auto",
    cache: bool = False,
) -> tuple[object, list[Path], Path]:
    """(backend, claims files, bib file) for these inputs.

    ``store`` is "rdflib", "oxigraph" or "auto" (see :mod:`graph.store`);
    ``cache=True`` reuses an on-disk Oxigraph store (see :mod:`graph.ingest.cache`).
    Raises :class:`~graph.model.errors.InputError` for a missing, unreadable,
    empty or malformed file, for duplicate citation keys, and for claims that
    cite a key the BibTeX lacks.
    """
    from graph.ingest.turtle import resolve_inputs
    from graph.store import choose_store

    claim_paths, source_path = resolve_inputs(claims, sources)
    if choose_store(store, [*claim_paths, source_path], cache=cache) == "oxigraph":
        if cache:
            from graph.ingest.cache import open_cached

            return open_cached(claim_paths, source_path), claim_paths, source_path
        from graph.ingest.oxigraph import load_backend

        return load_backend(claim_paths, source_path), claim_paths, source_path
    from graph.ingest.turtle import load_rdflib

    return load_rdflib(claim_paths, source_path), claim_paths, source_path
