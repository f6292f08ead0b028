"""``evg nanopub sign`` and ``verify`` (graph/cli/nanopub.py, graph/export/signing.py)
with nanopub-sign, on the bundled corpus."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .conftest import CORPUS, ROOT, require_or_skip

ORCID = "https://orcid.org/0000-0002-1825-0097"


@pytest.fixture(scope="module")
def nanopub_sign():
    try:
        import nanopub_sign
    except ImportError:
        require_or_skip(False, "nanopub-sign not installed (extra [nanopub])")
    return nanopub_sign


@pytest.fixture
def key(tmp_path, nanopub_sign):
    """A throwaway RSA key, as the PKCS#8 PEM file openssl genpkey writes."""
    body = nanopub_sign.KeyPair().private
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    path = tmp_path / "key.pem"
    path.write_text("-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----\n")
    return path


@pytest.fixture
def folder(tmp_path, evg):
    out = tmp_path / "nanopubs"
    code, _, _ = evg("export", *CORPUS, "--format", "trig-nanopub", "-o", str(out), "--creator", ORCID)
    assert code == 0
    return out


def test_sign_verify_then_a_changed_byte_fails(evg, folder, key):
    code, out, err = evg("nanopub", "sign", str(folder), "--key", str(key), "--orcid", ORCID, "--name", "T")
    assert code == 0 and err == f"signed 71 nanopublications in {folder}\n"
    lines = out.splitlines()
    assert len(lines) == 71
    name, uri = lines[0].split("  ")
    assert name == "bursa-is-pain-source.trig"
    assert uri.startswith("https://w3id.org/evidence-graph/np/bursa-is-pain-source.RA") and len(uri) > 60
    text = (folder / name).read_text(encoding="utf-8")
    assert uri in text and "npx:hasSignature" in text and ORCID.rpartition("/")[2] in text

    code, out, err = evg("nanopub", "verify", str(folder))
    assert (code, out, err) == (0, "", "71 of 71 nanopublications verified\n")

    target = folder / "itb-is-fascia-not-muscle.trig"
    data = bytearray(target.read_bytes())
    at = data.index(b"rdfs:label ") + len(b'rdfs:label "') + 2
    data[at] ^= 0x20  # flip the case of one letter of the claim's label
    target.write_bytes(bytes(data))
    code, out, err = evg("nanopub", "verify", str(folder))
    assert code == 1 and err == "70 of 71 nanopublications verified\n"
    assert out.startswith(f"{target}: ") and "hash" in out and out.count("\n") == 1


def test_signing_keeps_the_created_date_or_adds_the_time_of_signing(evg, folder, key, tmp_path):
    dated = tmp_path / "dated"
    code, _, _ = evg("export", *CORPUS, "--format", "trig-nanopub", "-o", str(dated), "--created", "2024-05-01")
    assert code == 0
    for target in (folder, dated):
        code, _, _ = evg("nanopub", "sign", str(target), "--key", str(key), "--orcid", ORCID)
        assert code == 0
    created = 'dcterms:created "2024-05-01T00:00:00Z"^^xsd:dateTime'
    assert created in (dated / "bursa-is-pain-source.trig").read_text(encoding="utf-8")
    # Exported without a date: nanopub-sign stamps the time of signing.
    undated = (folder / "bursa-is-pain-source.trig").read_text(encoding="utf-8")
    assert re.search(r'dcterms:created "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"\^\^xsd:dateTime', undated)


def test_verify_rejects_unsigned(evg, folder, nanopub_sign):
    code, out, err = evg("nanopub", "verify", str(folder))
    assert code == 1 and err == "0 of 71 nanopublications verified\n"
    assert out.splitlines()[0] == f"{folder / 'bursa-is-pain-source.trig'}: not signed (run evg nanopub sign)"


def test_a_bad_key_is_one_line(evg, folder, tmp_path, nanopub_sign):
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")
    code, out, err = evg("nanopub", "sign", str(folder), "--key", str(bad), "--orcid", ORCID)
    assert (code, out) == (2, "")
    assert (
        err
        == f"evg: error: {bad}:1: a PKCS#1 key; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem\n"
    )
    assert "npx:hasSignature" not in (folder / "bursa-is-pain-source.trig").read_text(encoding="utf-8")


def test_missing_extra_says_how_to_install(tmp_path):
    # A Python where nanopub_sign cannot be imported, as without the extra.
    code = (
        "import sys; sys.modules['nanopub_sign'] = None; from graph.cli import main; "
        f"main(['nanopub', 'verify', {str(tmp_path)!r}])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "evg: error: signing nanopublications needs the nanopub extra: pip install 'evidence-graph[nanopub]'\n"
    )
