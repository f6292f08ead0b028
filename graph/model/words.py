"""Words for text output: a count and its noun in the right number.

>>> plural(1, "claim"), plural(2, "claim"), plural(0, "entry"), plural(3, "match")
('1 claim', '2 claims', '0 entries', '3 matches')
"""

from __future__ import annotations

import re

__all__ = ["plural", "plural_of"]

#: Nouns whose plural no rule gives.
_IRREGULAR = {"analysis": "analyses", "criterion": "criteria", "datum": "data", "person": "people"}


def plural_of(word: str) -> str:
    """The plural of an English noun (the last word of ``word``, so that
    ``"unresolved citation"`` gives ``"unresolved citations"``)."""
    head, _, last = word.rpartition(" ")
    prefix = head + " " if head else ""
    if last in _IRREGULAR:
        return prefix + _IRREGULAR[last]
    if re.search(r"[^aeiou]y$", last):
        return prefix + last[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", last):
        return prefix + last + "es"
    return prefix + last + "s"


def plural(n: int, word: str, plural: str | None = None) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is 1: ``1 claim``,
    ``0 claims``, ``2 claims``; ``plural`` when the rule gets it wrong."""
    return f"{n} {word if n == 1 else plural or plural_of(word)}"
