"""Where things live: package data, the bundled corpus, and the defaults.

The corpus files stay at the top of the repository (``claims.ttl``,
``sources.bib``); the wheel carries copies under ``graph/data/corpus/`` so
that ``evg`` works from anywhere after ``pip install``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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
        if p.is_dir():
            found = sorted(x for x in p.rglob("*.ttl") if x.is_file())
            if not found:
                raise InputError(p, "folder holds no .ttl files")
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(p, "no such file or folder")
    return out


def read_text(path: str | os.PathLike, *, allow_empty: bool = False) -> str:
    """Read a UTF-8 text file, turning every way it can fail into an InputError."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except IsADirectoryError:
        raise InputError(p, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(p, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise InputError(p, "looks like a binary file (NUL byte)", text.count("\n", 0, text.index("\x00")) + 1)
    if not allow_empty and not text.strip():
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
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
