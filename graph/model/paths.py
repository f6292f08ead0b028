"""Where things live: package data, the bundled corpus, and the defaults.

The corpus files stay at the top of the repository (``claims.ttl``,
``sources.bib``); the wheel carries copies under ``graph/data/corpus/`` so
that ``evg`` works from anywhere after ``pip install``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from graph.model.errors import InputError

#: The installed package folder.
PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Data shipped inside the package: vocabulary, shapes, queries, assets.
DATA_DIR = PACKAGE_DIR / "data"
#: The vocabulary added to every graph.
VOCAB_TTL = DATA_DIR / "vocab.ttl"
#: Labels, inverses and one-line summaries of the standard vocabularies' terms.
TERMS_TTL = DATA_DIR / "terms.ttl"
#: SHACL shapes used by ``evg validate``.
SHAPES_TTL = DATA_DIR / "shapes.ttl"
#: Named SPARQL queries.
QUERIES_DIR = PACKAGE_DIR / "queries"
#: Where the wheel puts the bundled corpus.
_WHEEL_CORPUS = DATA_DIR / "corpus"
#: A source checkout (or editable install) keeps it at the repository top.
_CHECKOUT_CORPUS = PACKAGE_DIR.parent

#: File names of the corpus, in the current directory and in the bundle.
CLAIMS_NAME = "claims.ttl"
SOURCES_NAME = "sources.bib"


def bundled(name: str) -> Path:
    """The bundled copy of ``claims.ttl`` or ``sources.bib``."""
    wheel = _WHEEL_CORPUS / name
    return wheel if wheel.exists() else _CHECKOUT_CORPUS / name


def default_claims() -> list[Path]:
    """``./claims.ttl`` when it exists, else the bundled one."""
    here = Path(CLAIMS_NAME)
    return [here if here.is_file() else bundled(CLAIMS_NAME)]


def default_sources() -> Path:
    """``./sources.bib`` when it exists, else the bundled one."""
    here = Path(SOURCES_NAME)
    return here if here.is_file() else bundled(SOURCES_NAME)


def expand_claims(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files as given, folders as their ``*.ttl`` files (recursively, sorted)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        try:
            is_dir = p.is_dir()
        except (OSError, ValueError):
            is_dir = False
        if is_dir:
            try:
                found = sorted(x for x in p.rglob("*.ttl") if x.is_file())
            except OSError as exc:
                raise InputError(p, f"cannot list the folder: {_os_reason(exc)}") from None
            if not found:
                raise InputError(p, "folder holds no .ttl files")
            out.extend(found)
        else:
            try:
                os.stat(p)
            except FileNotFoundError:
                raise InputError(p, "no such file or folder") from None
            except (OSError, ValueError):
                pass  # check_file says what is wrong
            out.append(check_file(p))
    return out


def _os_reason(exc: OSError) -> str:
    import errno

    reasons = {
        errno.ENOENT: "no such file",
        errno.EISDIR: "is a folder, not a file",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENAMETOOLONG: "the file name is too long",
        errno.ELOOP: "too many symbolic links",
        errno.EROFS: "the file system is read-only",
        errno.ENOSPC: "no space left on the device",
        errno.EEXIST: "a file of that name is in the way",
    }
    return reasons.get(exc.errno, exc.strerror or str(exc))


def check_file(path: str | os.PathLike) -> Path:
    """``path``, after checking that it names a readable regular file;
    otherwise an InputError that says what it is (a folder, a FIFO, a device,
    missing, not readable, a name too long). Special files are refused before
    anything opens them, so a FIFO without a writer never blocks."""
    import stat

    p = Path(path)
    try:
        st = os.stat(p)
    except OSError as exc:
        raise InputError(p, _os_reason(exc)) from None
    except ValueError:  # an embedded NUL byte
        raise InputError(p, "the file name holds a NUL byte") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(p, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(st.st_mode)
            else "a socket"
            if stat.S_ISSOCK(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a special file"
        )
        raise InputError(p, f"is {kind}, not a regular file")
    if not os.access(p, os.R_OK):
        raise InputError(p, "permission denied")
    return p


def read_text(path: str | os.PathLike, *, allow_empty: bool = False) -> str:
    """Read a UTF-8 text file, turning every way it can fail into an InputError."""
    p = check_file(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except IsADirectoryError:
        raise InputError(p, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(p, f"cannot read: {_os_reason(exc)}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(p, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise InputError(p, "looks like a binary file (NUL byte)", text.count("\n", 0, text.index("\x00")) + 1)
    if not allow_empty and not text.strip(" \t\r\n\f\v"):  # str.strip() also drops \x1c-\x1f and more
        raise InputError(p, "file is empty")
    return text


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator:
    """Write to a temporary file beside ``path`` and rename it into place on
    success, so that a failure never leaves a half-written file."""
    target = Path(path)
    try:
        special = target.exists() and not target.is_dir() and not target.is_file()
    except OSError:  # a name too long, say: the write below reports it
        special = False
    if special:
        # /dev/null, /dev/stdout, a FIFO: written in place; renaming over it would replace the device
        yield from _write_in_place(target, mode, encoding)
        return
    try:
        if target.is_dir():
            raise InputError(target, "cannot write: is a folder, not a file")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:200]}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise InputError(target, f"cannot write: {_os_reason(exc)}") from None
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as fh:
            try:
                yield fh
            except OSError as exc:
                if exc.filename is None:  # the write itself failed (a full disk), not something else inside
                    raise InputError(target, f"cannot write: {_os_reason(exc)}") from None
                raise
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        with suppress(OSError):
            os.unlink(tmp)
        raise InputError(target, f"cannot write: {_os_reason(exc)}") from None
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _write_in_place(target: Path, mode: str, encoding: str | None) -> Iterator:
    try:
        fh = open(target, mode, encoding=None if "b" in mode else encoding)  # noqa: SIM115
    except OSError as exc:
        raise InputError(target, f"cannot write: {_os_reason(exc)}") from None
    with fh:
        yield fh


# --- the cache folder ----------------------------------------------------------------

#: Environment variable that overrides the cache location.
CACHE_ENV = "EVG_CACHE_DIR"


def cache_root() -> Path:
    """The folder that holds the cache (see :mod:`graph.ingest.cache`; created on demand)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("evidence-graph", appauthor=False))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_PID_IN_NAME = re.compile(r"(?:\.tmp-|\.corrupt-|^evg-(?:bib|derived)-)(\d+)")


def remove_stale(folder: Path) -> None:
    """Remove what a killed run left in ``folder``: ``<key>.tmp-<pid>`` and
    ``<key>.corrupt-<pid>`` folders and ``evg-bib-<pid>-*`` files whose process is gone."""
    import shutil

    for child in list(folder.iterdir()) if folder.is_dir() else ():
        m = _PID_IN_NAME.search(child.name)
        if m is None or int(m.group(1)) == os.getpid() or _pid_alive(int(m.group(1))):
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            with suppress(OSError):
                child.unlink()
