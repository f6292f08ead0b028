"""The persistent cache: the loaded graph as an on-disk Oxigraph store.

The first load of a set of inputs parses the BibTeX and the Turtle and
writes the result to ``<cache dir>/stores/<key>/``; later loads of the same
inputs open that store read-only, which takes milliseconds.

- **Key**: a hash of the content of every input file (claims files, BibTeX,
  the packaged vocabulary), their resolved locations (relative IRIs resolve
  against them), the package version and the cache format. Changing any of
  them gives a new key, so the store is rebuilt. To avoid re-reading large
  unchanged inputs, content hashes are remembered per (path, size,
  modification time, inode, change time) in ``hashes.json``: an edit that
  keeps the size and modification time still moves the change time.
- **Crashes**: a killed build leaves ``<key>.tmp-<pid>`` (and the BibTeX
  helper's files in ``tmp/``); the next run removes those whose process is
  gone. The forked helper exits when its parent dies.
- **Concurrency**: a build holds an exclusive file lock (``<key>.lock``), so
  two processes starting at once build once; the second waits and then
  opens the finished store. A store is built in a temporary folder and
  renamed into place with its ``meta.json`` last, so a reader never sees a
  half-built store.
- **Corruption**: a store whose metadata is unreadable, whose key does not
  match, or that fails to open or to answer a probe query is moved aside
  and rebuilt, never trusted.
- **Location**: ``platformdirs.user_cache_dir("evidence-graph")``, or
  ``$EVG_CACHE_DIR``. ``--no-cache`` (``graph.load(cache=False)``) skips it.
- **Size**: only the :data:`KEEP` most recently used stores are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from graph.model.paths import CACHE_ENV, cache_root, remove_stale

__all__ = [
    "CACHE_ENV",
    "FORMAT",
    "KEEP",
    "artifact",
    "cache_key",
    "cache_root",
    "clear",
    "open_cached",
    "remove_stale",
]

#: Bumped whenever the layout or the loader's output changes.
FORMAT = 3
#: How many stores to keep; older ones are deleted after a build.
KEEP = 8

_PROBE = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/evidence-graph/vocab#Claim> }"


def _stores_dir() -> Path:
    return cache_root() / "stores"


# --- keys ----------------------------------------------------------------------------


def _file_digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _HashMemo:
    """Content hashes remembered by (size, mtime) so unchanged big files are not re-read."""

    def __init__(self, root: Path):
        self.path = root / "hashes.json"
        self.changed = False
        try:
            self.data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(self.data, dict):
                self.data = {}
        except (OSError, ValueError):
            self.data = {}

    def digest(self, path: Path) -> str:
        resolved = str(Path(path).resolve())
        st = os.stat(resolved)
        # The change time moves on every write and cannot be set back (unlike
        # the modification time), and the inode tells a replaced file.
        stamp = [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]
        known = self.data.get(resolved)
        if isinstance(known, list) and len(known) == 5 and known[:4] == stamp:
            return known[4]
        digest = _file_digest(Path(resolved))
        self.data[resolved] = [*stamp, digest]
        self.changed = True
        return digest

    def save(self) -> None:
        if not self.changed:
            return
        from graph.model.paths import atomic_write

        with contextlib.suppress(OSError), atomic_write(self.path) as fh:
            json.dump(self.data, fh)


def cache_key(claim_paths: list[Path], source_path: Path) -> str:
    """The key of the store built from these inputs (hex)."""
    from graph.model import __version__
    from graph.model.paths import VOCAB_TTL

    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    memo = _HashMemo(root)
    h = hashlib.blake2b(digest_size=16)
    h.update(f"evidence-graph {__version__} cache {FORMAT}\n".encode())
    for role, path in [("vocab", VOCAB_TTL), ("bib", source_path)] + [("claims", p) for p in claim_paths]:
        h.update(f"{role} {Path(path).resolve().as_uri()} {memo.digest(Path(path))}\n".encode())
    memo.save()
    return h.hexdigest()


# --- locking -------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` held for the block (waits for other holders).
    A lock path that is not a regular file (a folder, say) is replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
    with open(path, "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            import msvcrt

            fh.seek(0)
            while True:
                try:
                    msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    time.sleep(0.1)
            try:
                yield
            finally:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# --- opening and building -----------------------------------------------------------


class _CorruptError(Exception):
    pass


def _open_existing(folder: Path, key: str):
    """The backend of a finished store, or raise _CorruptError; None if there is none."""
    import pyoxigraph as ox

    from graph.store.oxigraph import OxigraphBackend

    meta_path = folder / "meta.json"
    if not folder.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _CorruptError(f"unreadable metadata: {exc}") from None
    if not isinstance(meta, dict) or meta.get("key") != key or meta.get("format") != FORMAT:
        raise _CorruptError("metadata does not match")
    try:
        store = ox.Store.read_only(str(folder / "store"))
        claims = int(next(iter(store.query(_PROBE)))[0].value)
    except Exception as exc:  # RocksDB reports corruption as OSError or worse
        raise _CorruptError(f"store does not open: {exc}") from None
    if claims != meta.get("claims"):
        raise _CorruptError("store content does not match its metadata")
    with contextlib.suppress(OSError):
        os.utime(meta_path)  # most recently used, for pruning
    return OxigraphBackend(store, path=folder / "store", triples=meta.get("triples"))


def _build(folder: Path, key: str, claim_paths: list[Path], source_path: Path, bar) -> None:
    import pyoxigraph as ox

    from graph.ingest.oxigraph import check_unknown_keys, fill_store
    from graph.model import __version__

    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        store = ox.Store(str(tmp / "store"))
        fill_store(store, claim_paths, source_path, step=bar.update)
        check_unknown_keys(store, claim_paths)
        bar.update("writing the cache")
        claims = int(next(iter(store.query(_PROBE)))[0].value)
        triples = len(store)
        store.optimize()
        del store  # closes the database before the folder is renamed
        meta = {
            "key": key,
            "format": FORMAT,
            "version": __version__,
            "claims": claims,
            "triples": triples,
            "inputs": [str(Path(p).resolve()) for p in [source_path, *claim_paths]],
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def open_cached(claim_paths: list[Path], source_path: Path):
    """An :class:`~graph.store.oxigraph.OxigraphBackend` for these inputs, from
    the cache when a good store exists there, else built and cached first."""
    from graph.model.progress import Progress

    key = cache_key(claim_paths, source_path)
    folder = _stores_dir() / key
    remove_stale(_stores_dir())
    with contextlib.suppress(_CorruptError):
        backend = _open_existing(folder, key)
        if backend is not None:
            return backend
    with _locked(_stores_dir() / f"{key}.lock"):
        try:  # another process may have built it while we waited
            backend = _open_existing(folder, key)
            if backend is not None:
                return backend
        except _CorruptError:
            _discard(folder)
        with Progress("loading", show=None) as bar:
            _build(folder, key, claim_paths, source_path, bar)
    _prune(keep=KEEP)
    backend = _open_existing(folder, key)
    if backend is None:  # pragma: no cover - just built
        raise RuntimeError(f"cache store {folder} vanished")
    return backend


def _discard(folder: Path) -> None:
    aside = folder.with_name(f"{folder.name}.corrupt-{os.getpid()}")
    with contextlib.suppress(OSError):
        os.replace(folder, aside)
    shutil.rmtree(aside, ignore_errors=True)


def _prune(keep: int) -> None:
    stores = _stores_dir()
    entries = []
    for child in stores.iterdir() if stores.exists() else ():
        meta = child / "meta.json"
        if child.is_dir() and meta.exists():
            entries.append((meta.stat().st_mtime, child))
    for _mtime, child in sorted(entries, reverse=True)[keep:]:
        with _locked(stores / f"{child.name}.lock"):
            _discard(child)


def clear() -> int:
    """Delete every cached store; return how many there were."""
    stores = _stores_dir()
    n = 0
    for child in list(stores.iterdir()) if stores.exists() else ():
        if child.is_dir():
            n += (child / "meta.json").exists()
            shutil.rmtree(child, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                child.unlink()
    return n


def artifact(backend, name: str, build):
    """``build()``, pickled beside the cached store of ``backend`` (under
    ``<store>/../artifacts/<name>.pickle``) and loaded from there next time.

    Derived structures such as the search index depend only on the graph, so
    they share its key: a changed input gives a new store and new artifacts.
    Without a cached store, or if the file cannot be read back, it builds.
    """
    import pickle

    store_path = backend.path
    if store_path is None:
        return build()
    from graph.model import __version__
    from graph.model.errors import InputError
    from graph.model.paths import atomic_write

    path = Path(store_path).parent / "artifacts" / f"{name}-{__version__}.pickle"
    tag = ("evg-artifact", name, __version__)
    try:
        with open(path, "rb") as fh:
            stored = pickle.load(fh)
        # Only what artifact() wrote counts: a valid pickle of anything else is rebuilt.
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == tag:
            return stored[1]
        raise ValueError("not an artifact of this name")
    except FileNotFoundError:
        pass
    except Exception:  # a damaged, outdated or foreign file (or a folder): rebuild it
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        with contextlib.suppress(OSError):
            path.unlink()
    value = build()
    with (
        contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError, InputError),
        atomic_write(path, "wb") as fh,
    ):
        pickle.dump((tag, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
    return value
