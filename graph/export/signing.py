"""Signing and checking nanopublications with nanopub-sign (optional extra).

:func:`sign_folder` signs every ``*.trig`` file of a folder that
``evg export --format trig-nanopub -o DIR`` wrote, with an RSA key, and
rewrites each nanopublication's IRIs to a trusty URI (a hash of its content:
``.../np/<slug>.RA...``). :func:`verify_folder` checks each file's
signature and trusty hash. Both use the ``nanopub-sign`` package (the Python
binding of the nanopub Rust toolkit): ``pip install 'evidence-graph[nanopub]'``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from graph.model.errors import EvidenceGraphError, InputError
from graph.model.paths import atomic_write, read_text

__all__ = ["MissingExtraError", "Verdict", "sign_folder", "verify_folder"]

INSTALL_HINT = "pip install 'evidence-graph[nanopub]'"


class MissingExtraError(EvidenceGraphError):
    """An optional dependency is not installed; the message says how to install it."""

    exit_code = 2


def _nanopub_sign():
    try:
        import nanopub_sign
    except ImportError:
        raise MissingExtraError(f"signing nanopublications needs the nanopub extra: {INSTALL_HINT}") from None
    return nanopub_sign


@contextlib.contextmanager
def _quiet():
    """nanopub-sign prints a line on standard output for every check; keep it off ours."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _files(folder: Path) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "not a folder (give the folder evg export --format trig-nanopub -o DIR wrote)")
    files = sorted(folder.glob("*.trig"))
    if not files:
        raise InputError(folder, "no .trig files in this folder")
    return files


def read_private_key(path: Path) -> str:
    """The base64 body of an RSA private key in PKCS#8 PEM (``BEGIN PRIVATE KEY``) or bare base64."""
    text = read_text(path)
    if "BEGIN RSA PRIVATE KEY" in text:
        raise InputError(path, "a PKCS#1 key; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem", 1)
    if "ENCRYPTED" in text:
        raise InputError(path, "the key is encrypted; give an unencrypted PKCS#8 key", 1)
    return "".join(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("-----"))


def sign_folder(folder: Path, key_path: Path, orcid: str, name: str | None = None) -> list[tuple[Path, str]]:
    """Sign every ``*.trig`` in ``folder`` in place; return (file, trusty URI) pairs.
    Nothing is written unless every file signs."""
    ns = _nanopub_sign()
    files = _files(folder)
    key = read_private_key(Path(key_path))
    try:
        profile = ns.NpProfile(private_key=key, orcid_id=orcid, name=name)
    except Exception as exc:  # nanopub-sign raises plain exceptions
        raise InputError(key_path, f"not a usable RSA private key ({exc})") from None
    signed = []
    for path in files:
        try:
            with _quiet():
                np = ns.Nanopub(read_text(path)).sign(profile)
        except Exception as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if "key" in message.lower() and not signed:
                raise InputError(key_path, f"not a usable RSA private key ({message})") from None
            raise InputError(path, f"cannot sign: {message}") from None
        signed.append((path, np.rdf(), np.info()["uri"]["value"]))
    for path, text, _uri in signed:
        with atomic_write(path) as fh:
            fh.write(text)
    return [(path, uri) for path, _text, uri in signed]


@dataclass(frozen=True)
class Verdict:
    path: Path
    ok: bool
    message: str


def verify_folder(folder: Path) -> list[Verdict]:
    """Check the signature and trusty URI of every ``*.trig`` in ``folder``."""
    ns = _nanopub_sign()
    out = []
    for path in _files(folder):
        try:
            with _quiet():
                info = ns.Nanopub(read_text(path)).check().info()
        except Exception as exc:
            message = " ".join(str(exc).split()) or type(exc).__name__
            out.append(Verdict(path, False, message))
            continue
        if not info.get("signature"):
            out.append(Verdict(path, False, "not signed (run evg nanopub sign)"))
        elif not info.get("trusty_hash"):
            out.append(Verdict(path, False, "no trusty URI"))
        else:
            out.append(Verdict(path, True, info["uri"]["value"]))
    return out
