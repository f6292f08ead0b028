"""Syntax errors carry the exact line (and, for Turtle, column) of the
parser that reads the file, the same on both stores: Oxigraph's Turtle
parser, and a BibTeX scan that names the brace, comma or field at fault."""

from __future__ import annotations

import pytest

from .conftest import CLAIMS_TTL, DATA, SOURCES_BIB, STORES

LINES = CLAIMS_TTL.read_text(encoding="utf-8").split("\n")
BIB = str(DATA / "mini" / "sources.bib")
MINI_CLAIMS = str(DATA / "mini" / "claims.ttl")


def _statement_ends() -> list[int]:
    """Lines (from 1) that end a statement, each followed by a blank line."""
    return [
        i + 1
        for i, text in enumerate(LINES[:-1])
        if text.rstrip().endswith(" .") and not text.startswith("@") and not LINES[i + 1].strip()
    ]


def _next_statement(line: int) -> int:
    """The first line after ``line`` that holds something other than blanks or a comment."""
    for i in range(line, len(LINES)):
        if LINES[i].strip() and not LINES[i].lstrip().startswith("#"):
            return i + 1
    raise AssertionError(f"no statement after line {line}")


def _without_dot(line: int) -> str:
    lines = list(LINES)
    assert lines[line - 1].rstrip().endswith(".")
    lines[line - 1] = lines[line - 1].rstrip()[:-1]
    return "\n".join(lines)


def _inserted(line: int, text: str) -> str:
    lines = list(LINES)
    lines.insert(line - 1, text)
    return "\n".join(lines)


ENDS = _statement_ends()
# Four statements spread over the file (the report's cases were near lines 20, 255, 345 and 904).
DOTS = [ENDS[0], ENDS[len(ENDS) // 5], ENDS[len(ENDS) // 4], ENDS[(2 * len(ENDS)) // 3]]
# Where a statement starts, near the middle and near the top of the file.
MIDDLE = _next_statement(ENDS[len(ENDS) // 2])
TOP = _next_statement(ENDS[2])

DOT = "Turtle syntax error: A dot is expected at the end of statements"
# name -> (file bytes, expected "line:column: message")
TURTLE = {
    # the final dot removed: Oxigraph stops at the next statement's subject
    **{f"dot-{n}": (_without_dot(line).encode(), f"{_next_statement(line)}:1: {DOT}") for n, line in enumerate(DOTS)},
    "not-turtle-middle": (
        _inserted(MIDDLE, "this is ( not turtle ."),
        f"{MIDDLE}:1: Turtle syntax error: this is not a valid subject or graph name",
    ),
    # a CRLF file: a four-line long string, then a statement without its dot
    "crlf-long-string": (
        b'@prefix ex: <http://example.org/> .\r\nex:a ex:b """one\r\ntwo\r\nthree\r\nfour""" .\r\n'
        b"ex:a ex:b ex:c\r\nex:d ex:e ex:f .\r\n",
        f"7:1: {DOT}",
    ),
    "bom-bad-iri": (
        b"\xef\xbb\xbf@prefix ex: <http://example.org/> .\n\nex:a ex:b <bad iri> .\n",
        "3:11: Turtle syntax error: Invalid IRI code point ' '",
    ),
    "ends-mid-statement": (
        b'@prefix ex: <http://example.org/> .\nex:a ex:b "unfinished',
        "2:11: Turtle syntax error: Unexpected end of file",
    ),
    "iri-with-space-top": (
        _inserted(TOP, "<http://exa mple.org/x> a ev:Claim .").encode(),
        f"{TOP}:1: Turtle syntax error: Invalid IRI code point ' '",
    ),
    "file-separators": (
        b"\x1c" * 4000,
        "1:1: Turtle syntax error: '\\x1c' is not allowed at the beginning of a prefix name",
    ),
}


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("name", sorted(TURTLE))
def test_turtle_syntax_error_location(tmp_path, evg, name, store):
    data, expected = TURTLE[name]
    path = tmp_path / f"{name}.ttl"
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    code, out, err = evg("stats", "--store", store, "--no-cache", "--claims", str(path), "--sources", str(SOURCES_BIB))
    assert (code, out, err) == (2, "", f"evg: error: {path}:{expected}\n")


BIBTEX = {
    "extra-brace": (
        "@article{smith2010,\n  author = {Smith, John},\n  title = {Hips and knees},\n  journal = {J Run},\n"
        "  note = {An {extra brace},\n  year = {2010}\n}\n\n"
        "@article{jones2011,\n  title = {Other},\n  year = {2011}\n}\n",
        (
            2,
            "5: BibTeX syntax error: the '{' of field 'note' in smith2010 is never closed "
            "(the next field, at line 6, starts inside it)",
        ),
    ),
    "missing-comma": (
        "@article{smith2010,\n  author = {Smith, John},\n  title = {Hips and knees}\n  year = {2010}\n}\n",
        (2, "3: BibTeX syntax error: missing ',' after field 'title' of smith2010"),
    ),
    "stray-close": (
        "@article{smith2010,\n  author = {Smith, John},\n  title = {Hips} and knees},\n  year = {2010}\n}\n",
        (2, "3: BibTeX syntax error: ',' or '}' expected after field 'title' of smith2010, found 'a'"),
    ),
    "unclosed-entry": (
        "@article{smith2010,\n  author = {Smith, John},\n  title = {Hips and knees",
        (2, "3: BibTeX syntax error: '{' is never closed"),
    ),
    "duplicate-field": (
        "@article{smith2010,\n  author = {Smith, John},\n  title = {Hips},\n  journal = {J},\n"
        "  title = {Again},\n  year = {2010}\n}\n",
        (1, "5: duplicate field 'title' in smith2010 (first at line 3)"),
    ),
}


@pytest.mark.parametrize("name", sorted(BIBTEX))
def test_bibtex_error_location(tmp_path, evg, name):
    text, (exit_code, expected) = BIBTEX[name]
    path = tmp_path / f"{name}.bib"
    path.write_text(text, encoding="utf-8")
    code, out, err = evg("validate", "--claims", MINI_CLAIMS, "--sources", str(path))
    assert code == exit_code
    if exit_code == 2:
        assert (out, err) == ("", f"evg: error: {path}:{expected}\n")
    else:
        # validate orders its findings by file path, so where this file's lines fall
        # among the claims file's depends on where the checkout lives
        ours = [line for line in out.splitlines() if line.startswith(f"{path}:")]
        assert ours == [f"{path}:{expected}"]
