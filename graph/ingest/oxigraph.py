"""Fill a pyoxigraph ``Store`` from the corpus files: the vocabulary and each
claims file straight into Oxigraph's Turtle parser, the BibTeX through
:mod:`graph.bibliography.fastbib` (pybtex for anything unusual) as Turtle, and
the derived links of :mod:`graph.model.rules`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from graph.model.errors import InputError
from graph.store.oxigraph import OxigraphBackend, to_rdflib

__all__ = ["check_unknown_keys", "fill_store", "load_backend"]

#: Claims files at least this big go to Oxigraph by path, without a copy in
#: Python (a 100 MB file would cost 300 MB as str and bytes).
BY_PATH_BYTES = 1_000_000


def _clean_utf8(path: Path) -> bool:
    """Whether the file is UTF-8 without NUL bytes, read in chunks (no full copy)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except (UnicodeDecodeError, OSError):
        return False
    return True


def _load_turtle(store: ox.Store, path: Path, bulk: bool) -> None:
    from graph.model.paths import read_text

    base = Path(path).resolve().as_uri()
    try:
        big = Path(path).is_file() and Path(path).stat().st_size >= BY_PATH_BYTES
    except OSError:
        big = False
    # read_text turns missing, unreadable, non-UTF-8 and empty files into InputError;
    # a big file is checked by Oxigraph's parser, and by read_text if that fails.
    if big and not _clean_utf8(path):
        read_text(path)  # raises the loader's message for this file
    if big:
        with open(path, "rb") as fh:
            big = fh.read(3) != b"\xef\xbb\xbf"  # Oxigraph refuses a byte-order mark: read_text drops it
    source = {"path": str(path)} if big else {"input": read_text(path).encode("utf-8")}
    try:
        if bulk:
            store.bulk_load(format=ox.RdfFormat.TURTLE, base_iri=base, **source)
        else:
            store.load(format=ox.RdfFormat.TURTLE, base_iri=base, **source)
    except SyntaxError as exc:
        from graph.ingest.turtle import turtle_syntax_error

        raise turtle_syntax_error(path, exc) from None


#: BibTeX files larger than this are converted in a separate process while
#: the claims load (the conversion is Python; the loading is Rust holding the GIL).
PARALLEL_BIB_BYTES = 2_000_000


def _bib_child(path: str, out: str) -> tuple | None:
    from graph.bibliography.fastbib import bib_to_turtle

    try:
        Path(out).write_text(bib_to_turtle(path), encoding="utf-8")
    except InputError as exc:
        return (exc.path, exc.problem.message, exc.line)
    return None


def _ox_iri(term) -> str | None:
    return term.value if type(term) is ox.NamedNode else None


def derived_ntriples(claim_paths: list[str]) -> str | None:
    """The derived links (:func:`graph.model.rules.derive_links`) as N-Triples,
    from a streaming parse of the claims files alone, so that it can run in the
    background while the store loads. None when it cannot stand in for deriving
    in the store: a file fails to parse (the store's load reports that), or a
    derived triple involves a blank node (whose labels would differ from the store's)."""
    from graph.model.rules import DERIVE_INPUTS, derive_links

    wanted = {str(p) for p in DERIVE_INPUTS}
    triples = []
    try:
        for path in claim_paths:
            base = Path(path).resolve().as_uri()
            for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base):
                if t.predicate.value in wanted:
                    triples.append((t.subject, t.predicate, t.object))
    except (OSError, SyntaxError, ValueError):
        return None
    lines = []
    for subject, predicate, obj in derive_links(triples, _ox_iri):
        if type(subject) is ox.BlankNode or type(obj) is ox.BlankNode:
            return None
        if type(subject) is ox.NamedNode:  # a literal starts no triple
            lines.append(f"{subject} <{predicate}> {obj} .")
    lines.sort()
    return "\n".join(lines) + "\n"


def derive_in_store(store: ox.Store) -> list:
    """The derived links of what ``store`` holds, as quads to add to it."""
    from graph.model.rules import DERIVE_INPUTS, derive_links

    default = ox.DefaultGraph()
    triples = [
        (q.subject, q.predicate, q.object)
        for p in DERIVE_INPUTS
        for q in store.quads_for_pattern(None, ox.NamedNode(str(p)), None, default)
    ]
    return [
        ox.Quad(s, ox.NamedNode(p), o, default)
        for s, p, o in derive_links(triples, _ox_iri)
        if type(s) is not ox.Literal
    ]


def _derive_child(claim_paths: list[str], out: str) -> bool:
    text = derived_ntriples(claim_paths)
    if text is None:
        return False
    Path(out).write_text(text, encoding="utf-8")
    return True


def _die_with_parent(parent: int) -> None:
    """In the forked helper: exit when the parent dies, whatever killed it
    (Linux: PR_SET_PDEATHSIG; elsewhere a thread that watches the parent)."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL) == 0:  # 1 = PR_SET_PDEATHSIG
            if os.getppid() != parent:  # it died before the call
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass
    import threading
    import time

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def helper_tmp_dir() -> Path:
    """Where the helper writes its files: ``<cache>/tmp/``, whose files of
    processes that are gone are removed by the next run (a killed run cannot
    remove its own)."""
    from graph.model.paths import cache_root, remove_stale

    folder = cache_root() / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale(folder)
    return folder


class _BibInBackground:
    """``bib_to_turtle(path)``, in a forked process when that pays off; the
    same process then derives the CiTO links from the claims files (see
    :func:`derived_ntriples`) while the parent loads the store."""

    def __init__(self, path: Path, claim_paths: list[Path] = ()):
        self.path = Path(path)
        self.pool = self.future = self.tmp = self.derive_future = self.derive_tmp = None
        try:
            big = self.path.stat().st_size > PARALLEL_BIB_BYTES
        except OSError:
            big = False
        if big:
            import multiprocessing
            import tempfile
            from concurrent.futures import ProcessPoolExecutor

            try:
                context = multiprocessing.get_context("fork")
            except ValueError:  # no fork on this platform: do it inline
                return
            folder = helper_tmp_dir()
            fd, self.tmp = tempfile.mkstemp(prefix=f"evg-bib-{os.getpid()}-", suffix=".ttl", dir=folder)
            os.close(fd)
            self.pool = ProcessPoolExecutor(
                max_workers=1, mp_context=context, initializer=_die_with_parent, initargs=(os.getpid(),)
            )
            self.future = self.pool.submit(_bib_child, str(self.path), self.tmp)
            if claim_paths:
                fd, self.derive_tmp = tempfile.mkstemp(prefix=f"evg-derived-{os.getpid()}-", suffix=".nt", dir=folder)
                os.close(fd)
                self.derive_future = self.pool.submit(_derive_child, [str(p) for p in claim_paths], self.derive_tmp)

    def result(self) -> dict:
        """``input=`` the Turtle text, or ``path=`` the file the child wrote it to."""
        from graph.bibliography.fastbib import bib_to_turtle

        if self.future is None:
            return {"input": bib_to_turtle(self.path)}
        error = self.future.result()
        if error is not None:
            raise InputError(*error)
        return {"path": self.tmp}

    def derived(self) -> str | None:
        """The path of the derived links as N-Triples, or None: derive in the store."""
        if self.derive_future is None:
            return None
        try:
            return self.derive_tmp if self.derive_future.result() else None
        except Exception:  # a failed helper costs only its head start
            return None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        for tmp in (self.tmp, self.derive_tmp):
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def fill_store(
    store: ox.Store,
    claim_paths: list[Path],
    source_path: Path,
    *,
    bulk: bool = True,
    step: Callable[[str], None] | None = None,
) -> None:
    """Load vocabulary, bibliography, claims files and derived links into ``store``.

    ``step(description)`` is called before each stage (for progress bars).
    ``bulk`` (for an on-disk store) writes without transactions, which is
    faster there; in memory, plain transactional loads are the faster ones.
    Raises :class:`InputError` exactly where the rdflib loader would.
    """
    from graph.model.paths import VOCAB_TTL

    step = step or (lambda _d: None)
    step("BibTeX")
    bib = _BibInBackground(source_path, claim_paths)
    try:
        store.load(path=str(VOCAB_TTL), format=ox.RdfFormat.TURTLE)
        for path in claim_paths:
            step(f"claims {Path(path).name}")
            try:
                _load_turtle(store, path, bulk)
            except InputError:
                bib.result()  # a BibTeX error is reported first, as the rdflib loader does
                raise
        step("BibTeX")
        source = bib.result()
        # This Turtle is our own, written from parsed BibTeX: skipping the IRI
        # checks (lenient) saves about a tenth of its load time. Keys with
        # characters IRIs forbid then load as rdflib's loader takes them.
        if bulk:
            store.bulk_load(format=ox.RdfFormat.TURTLE, lenient=True, **source)
        else:
            store.load(format=ox.RdfFormat.TURTLE, lenient=True, **source)
        del source
        step("derived links")
        derived = bib.derived()
        if derived is not None:  # computed in the background while the store loaded
            if bulk:
                store.bulk_load(path=derived, format=ox.RdfFormat.N_TRIPLES, lenient=True)
            else:
                store.load(path=derived, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    finally:
        bib.close()
    if derived is None:
        quads = derive_in_store(store)
        if bulk:
            store.bulk_extend(quads)
        else:
            store.extend(quads)
    if bulk:
        store.flush()


# Where claims files refer to sources (as graph.ingest.turtle.unknown_keys looks).
def _mentioned() -> str:
    from graph.model.rules import CITING_PREDICATES

    union = " UNION ".join(f"{{ ?s <{p}> ?node }}" for p in CITING_PREDICATES)
    return f"""PREFIX ev: <https://w3id.org/evidence-graph/vocab#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?node WHERE {{
  {union}
  UNION {{ ?node ev:studyDesign ?d }}
  UNION {{ ?s schema:itemReviewed ?node FILTER(STRSTARTS(STR(?node), "https://w3id.org/evidence-graph/source/")) }}
}}"""


_KNOWN = "SELECT ?s WHERE { ?s <https://w3id.org/evidence-graph/vocab#entryType> ?t }"


# The triples that mention them, for the loader's messages.
def _mentions(nodes: str) -> str:
    from graph.model.rules import CITING_PREDICATES

    predicates = " ".join(f"<{p}>" for p in CITING_PREDICATES)
    return f"""PREFIX ev: <https://w3id.org/evidence-graph/vocab#>
PREFIX schema: <https://schema.org/>
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ VALUES ?p {{ {predicates} schema:itemReviewed }} ?s ?p ?o FILTER(?o IN ({nodes})) }}
  UNION {{ ?s ev:studyDesign ?o FILTER(?s IN ({nodes})) BIND(ev:studyDesign AS ?p) }}
}}"""


def check_unknown_keys(store: ox.Store, claim_paths: list[Path]) -> None:
    """Raise the loader's InputError if the claims cite a key the BibTeX lacks."""
    known = {row[0] for row in store.query(_KNOWN)}
    nodes = [row[0] for row in store.query(_mentioned()) if row[0] not in known]
    if not nodes:
        return
    terms = ", ".join(str(n) for n in nodes[:1000])  # pyoxigraph terms print as SPARQL
    triples = list(store.query(_mentions(terms)))
    from rdflib import Graph

    from graph.ingest.turtle import _LazyLocator, raise_unknown_keys, unknown_keys
    from graph.model.namespaces import bind_prefixes

    g = Graph()
    bind_prefixes(g)
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    raise_unknown_keys(unknown_keys(g, _LazyLocator(g, claim_paths)))


def load_backend(claim_paths: list[Path], source_path: Path) -> OxigraphBackend:
    """The Oxigraph backend for these inputs, built in memory."""
    from graph.model.progress import Progress

    store = ox.Store()
    with Progress("loading") as bar:
        fill_store(store, claim_paths, source_path, bulk=False, step=bar.update)
    check_unknown_keys(store, claim_paths)
    return OxigraphBackend(store)
