"""A linear scan of BibTeX structure that names the line at fault.

pybtex notices a stray brace or a missing comma where it gives up, often
many lines later (an extra ``{`` in one field is reported at the next
entry). :func:`scan` walks the file once, as BibTeX reads it, and reports
the line of the brace that is never closed, of the field after which a
comma is missing, and each repeated field with the line of both. It says
nothing about what it does not understand; pybtex then has the last word.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["BibFault", "scan"]

_NAME = re.compile(r"[A-Za-z0-9_\-:.+/']+")
_KEY = re.compile(r"[^,\s{}()=\"#%'~]*")
# A line inside a value that looks like the start of the next field or entry:
# a brace opened on an earlier line is then almost certainly never closed.
_NEXT_ENTRY = re.compile(r"[ \t]*@[A-Za-z]+[ \t]*[{(]")
_NEXT_FIELD = re.compile(r"[ \t]*[A-Za-z][\w\-]*[ \t]*=[ \t]*[{\"0-9]")


@dataclass(frozen=True)
class BibFault:
    line: int
    message: str
    #: True for a syntax error (the file is unusable), False for a repeated field
    fatal: bool = True


class _StopError(Exception):
    pass


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.n = len(text)
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]
        self.faults: list[BibFault] = []
        #: the line of a "field =" line seen inside the current braced value
        self.suspect: int | None = None

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def fail(self, pos: int, message: str):
        self.faults.append(BibFault(self.line(pos), message))
        raise _StopError

    def ws(self, i: int) -> int:
        text, n = self.text, self.n
        while i < n and text[i].isspace():
            i += 1
        return i

    def run(self) -> list[BibFault]:
        text = self.text
        i = 0
        try:
            while True:
                i = text.find("@", i)
                if i < 0:
                    break
                line_start = text.rfind("\n", 0, i) + 1
                if text[line_start:i].strip():  # an "@" in free text between entries
                    i += 1
                    continue
                i = self.entry(i)
        except _StopError:
            pass
        return self.faults

    def entry(self, at: int) -> int:
        text = self.text
        m = re.compile(r"@[ \t]*([A-Za-z]+)[ \t\r\n]*").match(text, at)
        if m is None:
            return at + 1
        kind = m.group(1).lower()
        i = m.end()
        if i >= self.n or text[i] not in "{(":
            return i  # pybtex decides
        closer = "}" if text[i] == "{" else ")"
        if kind == "comment":
            return self.braced(i) if closer == "}" else i + 1
        if kind == "preamble":
            i = self.value(self.ws(i + 1), "@preamble")
            return self.ws(i) + 1
        if kind != "string":
            km = _KEY.match(text, self.ws(i + 1))
            key = km.group()
            i = self.ws(km.end())
            if i < self.n and text[i] == closer:
                return i + 1
            if i >= self.n or text[i] != ",":
                return i  # an odd key: pybtex decides
            i += 1
        else:
            key = "@string"
            i += 1
        seen: dict[str, int] = {}
        while True:
            i = self.ws(i)
            if i >= self.n:
                self.fail(at, f"entry {key} is not closed (no '{closer}' before the end of the file)")
            if text[i] == closer:
                return i + 1
            nm = _NAME.match(text, i)
            if nm is None:
                self.fail(i, f"field name expected in {key}, found {text[i]!r}")
            name, start = nm.group().lower(), i
            i = self.ws(nm.end())
            if i >= self.n or text[i] != "=":
                found = "the end of the file" if i >= self.n else repr(text[i])
                self.fail(
                    i if i < self.n else start, f"'=' expected after field {nm.group()!r} in {key}, found {found}"
                )
            if name in seen and kind != "string":
                self.faults.append(
                    BibFault(
                        self.line(start),
                        f"duplicate field {name!r} in {key} (first at line {seen[name]})",
                        fatal=False,
                    )
                )
            else:
                seen[name] = self.line(start)
            self.suspect = None
            value_at = self.ws(i + 1)
            end = self.value(value_at, f"field {nm.group()!r} of {key}")
            i = self.ws(end)
            if self.suspect is not None and (i >= self.n or text[i] not in "," + closer):
                self.fail(
                    value_at,
                    f"the '{{' of field {nm.group()!r} in {key} is never closed "
                    f"(the next field, at line {self.suspect}, starts inside it)",
                )
            if i < self.n and text[i] == ",":
                i += 1
                continue
            if i < self.n and text[i] == closer:
                return i + 1
            if i < self.n and _NAME.match(text, i) and re.match(r"[ \t\r\n]*=", text[_NAME.match(text, i).end() :]):
                self.fail(end - 1, f"missing ',' after field {nm.group()!r} of {key}")
            if i < self.n and text[i] == "}":
                self.fail(i, f"'}}' without a matching '{{' after field {nm.group()!r} of {key}")
            found = "the end of the file" if i >= self.n else repr(text[i])
            self.fail(
                min(i, self.n - 1), f"',' or '{closer}' expected after field {nm.group()!r} of {key}, found {found}"
            )

    def value(self, i: int, what: str) -> int:
        """The end of a value (parts joined by #)."""
        text = self.text
        while True:
            if i >= self.n:
                self.fail(self.n - 1, f"value expected for {what}, found the end of the file")
            c = text[i]
            if c == "{":
                i = self.braced(i)
            elif c == '"':
                i = self.quoted(i, what)
            else:
                m = _NAME.match(text, i)
                if m is None:
                    self.fail(i, f"value expected for {what}, found {c!r}")
                i = m.end()
            j = self.ws(i)
            if j < self.n and text[j] == "#":
                i = self.ws(j + 1)
                continue
            return i

    def braced(self, i: int) -> int:
        """The position after the brace that closes the one at ``i``."""
        text, n = self.text, self.n
        opened = [i]
        i += 1
        while i < n:
            c = text[i]
            if c == "\\":
                i += 2
                continue
            if c == "{":
                opened.append(i)
            elif c == "}":
                opened.pop()
                if not opened:
                    return i + 1
            elif c == "\n":
                rest = text[i + 1 : i + 200]
                if _NEXT_ENTRY.match(rest) or (len(opened) > 1 and _NEXT_FIELD.match(rest)):
                    self.fail(opened[-1], "'{' is never closed (the next field or entry starts inside it)")
                if self.suspect is None and _NEXT_FIELD.match(rest):
                    self.suspect = self.line(i + 1)
            i += 1
        self.fail(opened[-1], "'{' is never closed")

    def quoted(self, i: int, what: str) -> int:
        text, n = self.text, self.n
        start, depth = i, 0
        i += 1
        while i < n:
            c = text[i]
            if c == "\\":
                i += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                if depth == 0:
                    self.fail(i, f"'}}' without a matching '{{' in the quoted value of {what}")
                depth -= 1
            elif c == '"' and depth == 0:
                return i + 1
            elif c == "\n" and (_NEXT_ENTRY.match(text[i + 1 : i + 200]) or _NEXT_FIELD.match(text[i + 1 : i + 200])):
                break  # the next field or entry starts inside the quotes
            i += 1
        self.fail(start, f"'\"' is never closed in {what}")


def scan(text: str) -> list[BibFault]:
    """Repeated fields (not fatal) and at most one syntax error (fatal, last)."""
    return _Scanner(text).run()
