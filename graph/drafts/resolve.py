"""Tie every citation of a draft to a ``sources.bib`` key, through the draft's
own reference list where the citation is a number, using a :class:`SourceIndex`
built from the graph."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph.drafts.records import Citation, Draft, Reference

if TYPE_CHECKING:  # pragma: no cover
    from graph.drafts.ownbib import OwnBibliography
    from graph.evidence.graph import EvidenceGraph


#: Fraction of a bib title's words that a reference must contain to match it
#: when first author and year agree.
TITLE_MATCH_MIN = 0.5
#: Same, for the journal title (used when the title words do not reach TITLE_MATCH_MIN).
JOURNAL_MATCH_MIN = 0.6
#: Fraction of a bib title's words enough when only one entry has the
#: reference's first author and year (a shortened title).
SHORT_TITLE_MIN = 0.3
#: Fraction of title words needed to match on title and year alone (first author differs).
TITLE_ONLY_MATCH_MIN = 0.85
#: A draft that needs more look-ups than this (keys, first authors, DOIs, PMIDs)
#: reads the whole bibliography index in one query instead of one query each.
MAX_LOOKUPS = 200
#: "Did you mean" hints are worked out for this many unknown keys of a draft
#: (each compares the key with every bib key); later unknown keys get none.
MAX_KEY_HINTS = 50


# --- resolving against sources.bib ---------------------------------------------------


def fold(name: str) -> str:
    """A name or word folded for comparison: ASCII, lower case, letters only."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_.lower())


_STOP_WORDS = (
    "a an and the of in on for to with by at from as is are was were be its it into their than or not "
    "during after before between within without via"
)
_STOP = frozenset(_STOP_WORDS.split())


def _words(text: str) -> set[str]:
    return {w for w in (fold(t) for t in re.split(r"[^\w]+", text)) if len(w) > 2 and w not in _STOP}


@dataclass(frozen=True)
class SourceRecord:
    """What reference matching needs to know about one bib entry."""

    key: str
    doi: str | None
    year: str | None
    first_author: str | None  #: family name
    title: str
    journal: str | None
    pmid: str | None = None
    pmcid: str | None = None
    volume: str | None = None
    page: str | None = None  #: first page


def _opt(row, name: str) -> str | None:
    value = row.get(name)
    return None if value is None else str(value)


class _Fetcher:
    """Runs the ``graph/queries/draft/*.rq`` queries that find bib entries."""

    def __init__(self, eg: EvidenceGraph):
        self.eg = eg

    @staticmethod
    def query(name: str) -> str:
        from graph.sparql.catalogue import query_text

        return query_text(f"draft/{name}.rq")

    def rows(self, name: str, variable: str | None = None, value: str | None = None) -> list[SourceRecord]:
        from rdflib import Literal
        from rdflib.namespace import XSD

        bindings = None
        if variable is not None:
            term = Literal(value, datatype=XSD.gYear) if variable == "year" else Literal(value)
            bindings = {variable: term}
        records: dict[str, SourceRecord] = {}
        for row in self.eg.select(self.query(name), bindings):
            key = str(row["key"])
            if key in records:
                continue
            if variable is not None and row.get(variable) is None:  # some stores leave bound variables out
                row = {**row, variable: value}
            records[key] = SourceRecord(
                key=key,
                doi=str(row["doi"]).lower() if row.get("doi") is not None else None,
                year=str(row["year"])[:4] if row.get("year") is not None else None,
                first_author=str(row["family"]) if row.get("family") is not None else None,
                title=str(row["title"]) if row.get("title") is not None else "",
                journal=str(row["journal"]) if row.get("journal") is not None else None,
                pmid=_opt(row, "pmid"),
                pmcid=(_opt(row, "pmcid") or "").upper() or None,
                volume=_opt(row, "volume"),
                page=_opt(row, "page"),
            )
        return list(records.values())

    def keys(self) -> list[str]:
        return sorted(str(row["key"]) for row in self.eg.select(self.query("bib-keys")))


class SourceIndex:
    """The bib entries of a graph, indexed for matching references and
    author-year citations.

    Built from a list of records, or from a graph with :meth:`from_graph`.
    Given the draft, that fetches only the entries the draft can need (by key,
    DOI and first author, one small query each) and more on demand (all keys
    for a misspelt key, the entries of a year for a reference whose first
    author matches nothing), so a large bibliography is never read whole.
    """

    def __init__(self, records=(), *, fetch: _Fetcher | None = None):
        self.records: dict[str, SourceRecord] = {}
        self.by_lower: dict[str, str] = {}
        self.by_doi: dict[str, str] = {}
        self.by_id: dict[str, str] = {}  #: "pmid:123" / "pmcid:PMC123" -> key
        self.by_author: dict[str, list[SourceRecord]] = {}
        self._title_words: dict[str, set[str]] = {}
        self._journal_words: dict[str, set[str]] = {}
        self._by_year: dict[str | None, list[str]] = {}  #: year -> keys
        self._fetch = fetch
        self._all_keys: list[str] | None = None if fetch else []
        self._years_loaded: set[str] = set()
        self._hints: dict[tuple[str, int], list[str]] = {}
        self.add(records)

    def add(self, records) -> None:
        for r in records:
            if r.key in self.records:
                continue
            self.records[r.key] = r
            self.by_lower[r.key.lower()] = r.key
            if r.doi:
                self.by_doi[r.doi.lower()] = r.key
            if r.pmid:
                self.by_id[f"pmid:{r.pmid}"] = r.key
            if r.pmcid:
                self.by_id[f"pmcid:{r.pmcid}"] = r.key
            if r.first_author:
                for name in _name_forms(r.first_author):
                    self.by_author.setdefault(name, []).append(r)
            self._title_words[r.key] = _words(r.title)
            self._journal_words[r.key] = _words(r.journal or "")
            self._by_year.setdefault(r.year, []).append(r.key)

    @classmethod
    def from_graph(
        cls, eg: EvidenceGraph, draft: Draft | None = None, own: OwnBibliography | None = None
    ) -> SourceIndex:
        """Every bib entry of ``eg``, or, given ``draft``, those it can need
        (with ``own``, the writer's bibliography, those its cited entries can map to)."""
        fetch = _Fetcher(eg)
        if draft is None:
            index = cls(fetch.rows("bib-index"))
            index._all_keys = sorted(index.records)
            index._fetch = None
            return index
        keys = {t for s in draft.sentences for c in s.citations if c.kind in ("pandoc", "wiki") for t in c.targets}
        mine = [own.get(k) for k in sorted(keys)] if own else []
        entries = (*draft.references, *draft.footnotes, *(e.as_reference() for e in mine if e is not None))
        families = {r.first_author for r in entries if r.first_author}
        for c in draft.citations:
            if c.kind == "author-year":
                families.update(t.rsplit(" ", 1)[0] for t in c.targets)
        dois = {r.doi for r in entries if r.doi}
        ids = sum(bool(r.pmid) + bool(r.pmcid) for r in entries)
        if len(keys) + 2 * len(families) + 2 * len(dois) + ids > MAX_LOOKUPS:
            return cls.from_graph(eg)  # one query, not thousands
        index = cls(fetch=fetch)
        written: dict[str, str] = {}  # a DOI as an entry writes it
        for ref in entries:
            if ref.doi and ref.doi not in written:
                m = re.search(re.escape(ref.doi), ref.text, re.I)
                if m:
                    written[ref.doi] = m.group(0)
        for key in sorted(keys):
            index.add(fetch.rows("bib-by-key", "key", key))
        for family in sorted(families):
            for spelling in dict.fromkeys((family, family[:1].swapcase() + family[1:])):
                index.add(fetch.rows("bib-by-family", "family", spelling))
        for ref in entries:
            if ref.pmid:
                index.add(fetch.rows("bib-by-pmid", "pmid", ref.pmid))
            if ref.pmcid:
                index.add(fetch.rows("bib-by-pmcid", "pmcid", ref.pmcid))
        for doi in sorted(dois):
            if doi in written:  # the DOI as written, and lower-cased
                for spelling in dict.fromkeys((written[doi], doi)):
                    index.add(fetch.rows("bib-by-doi", "doi", spelling))
        return index

    def _load_all_keys(self) -> list[str]:
        if self._all_keys is None:
            self._all_keys = self._fetch.keys() if self._fetch else sorted(self.records)
            for k in self._all_keys:
                self.by_lower.setdefault(k.lower(), k)
        return self._all_keys

    def _load_year(self, year: str) -> None:
        if self._fetch and year not in self._years_loaded:
            self._years_loaded.add(year)
            self.add(self._fetch.rows("bib-by-year", "year", year))

    def key(self, key: str) -> str | None:
        """The bib key as spelt in sources.bib (case-insensitive), or None."""
        found = self.by_lower.get(key.lower())
        if found is None and self._fetch is not None:
            self._load_all_keys()
            found = self.by_lower.get(key.lower())
        return found

    def close_keys(self, key: str, n: int = 3) -> list[str]:
        """Bib keys spelt like ``key`` (for the first :data:`MAX_KEY_HINTS` keys asked about)."""
        import difflib

        if (key, n) not in self._hints:
            if len(self._hints) >= MAX_KEY_HINTS:
                return []
            lowered = {k.lower(): k for k in self._load_all_keys()} or dict(self.by_lower)
            close = difflib.get_close_matches(key.lower(), list(lowered), n=n, cutoff=0.6)
            self._hints[(key, n)] = [lowered[k] for k in close]
        return self._hints[(key, n)]

    def by_author_year(self, family: str, year: str) -> list[str]:
        """Keys whose first author is ``family`` and year ``year`` ("2006" or "2006a")."""
        suffix = year[4:]
        hits = [r.key for r in self.by_author.get(fold(family), []) if r.year == year[:4]]
        if suffix and len(hits) > 1:
            hits = [k for k in hits if k.lower().endswith(year[:4] + suffix)] or hits
        return sorted(hits)

    def match_reference(self, ref: Reference) -> tuple[str | None, str]:
        """(bib key, how) for one reference, trying in turn:

        1. its DOI, PMID or PMCID (``doi``, ``pmid``, ``pmcid``);
        2. first author + year + volume + first page (``author-year-volume-page``);
        3. first author + year + title words (at least :data:`TITLE_MATCH_MIN`
           of the entry's) or journal, the journal full or abbreviated the NLM
           / ISO 4 way, each word of the abbreviation the start of a word of
           the journal title (``J Am Osteopath Assoc``); or, when only one
           entry has that first author and year, a shortened title (a third
           of its words) (``author-year-title``, ``author-year-journal``);
        4. title words and year alone (``title-year``).
        """
        if ref.doi and ref.doi in self.by_doi:
            return self.by_doi[ref.doi], "doi"
        for kind, value in (("pmid", ref.pmid), ("pmcid", ref.pmcid)):
            if value and f"{kind}:{value}" in self.by_id:
                return self.by_id[f"{kind}:{value}"], kind
        words = _words(ref.text)
        tokens = _tokens(ref.text)
        if ref.first_author:
            same: dict[str, SourceRecord] = {}
            for name in _name_forms(ref.first_author):
                for r in self.by_author.get(name, []):
                    if r.year in ref.years:
                        same[r.key] = r
            if ref.volume and ref.first_page:
                hits = [k for k, r in same.items() if r.volume == ref.volume and r.page == ref.first_page]
                if len(hits) == 1:
                    return hits[0], "author-year-volume-page"
            candidates: list[tuple[float, str, str]] = []
            for key, r in same.items():
                title = _overlap(self._title_words[key], words)
                journal = _overlap(self._journal_words[key], words)
                abbreviated = bool(r.journal) and _abbreviates(_tokens(r.journal), tokens)
                if title >= TITLE_MATCH_MIN:
                    candidates.append((title + journal / 10, key, "author-year-title"))
                elif journal >= JOURNAL_MATCH_MIN or abbreviated:
                    candidates.append((0.5 + title, key, "author-year-journal"))
                elif len(same) == 1 and title >= SHORT_TITLE_MIN:
                    candidates.append((title, key, "author-year-title"))
            if candidates:
                _, key, how = max(candidates)
                return key, how
        for year in ref.years:
            self._load_year(year)
        scored: list[tuple[float, str]] = []
        for key in (k for year in dict.fromkeys(ref.years) for k in self._by_year.get(year, ())):
            if _overlap(self._title_words[key], words) >= TITLE_ONLY_MATCH_MIN:
                scored.append((_overlap(self._title_words[key], words), key))
        if scored:
            return max(scored)[1], "title-year"
        return None, "none"


_JOURNAL_SKIP = frozenset(["of", "the", "and", "in", "for", "on", "a", "an"])


def _tokens(text: str) -> list[str]:
    """Folded words of a text in order, with "&" and stop words of journal titles dropped."""
    return [w for w in (fold(t) for t in re.split(r"[^\w]+", text)) if w and w not in _JOURNAL_SKIP]


def _abbreviates(journal: list[str], tokens: list[str]) -> bool:
    """Whether some run of ``tokens`` abbreviates the journal title word by
    word: each token the start of the next title word ("J Anat" for "Journal
    of Anatomy", "Clin Biomech" for "Clinical Biomechanics"). A one-word
    title must be written out; a run must cover every title word."""
    if not journal or (len(journal) == 1 and journal[0] not in tokens):
        return False
    n = len(journal)
    for start in range(len(tokens) - n + 1):
        run = tokens[start : start + n]
        if any(len(t) > 1 for t in run) and all(w.startswith(t) for t, w in zip(run, journal)):
            return True
    return False


def difflib_close(key: str, keys: list[str], n: int = 3) -> list[str]:
    import difflib

    return difflib.get_close_matches(key, keys, n=n, cutoff=0.6)


def _name_forms(family: str) -> list[str]:
    """Folded forms of a family name: whole ("vanderworp") and last word ("worp")."""
    whole = fold(family)
    last = fold(re.split(r"[\s]+", family.strip())[-1]) if family.strip() else ""
    return [f for f in dict.fromkeys((whole, last)) if f]


def _overlap(needed: set[str], have: set[str]) -> float:
    return len(needed & have) / len(needed) if needed else 0.0


@dataclass(frozen=True)
class Unresolved:
    """A citation that names no known source, and why."""

    line: int
    marker: str
    target: str  #: the key, number or "Family YEAR" that failed
    reason: str
    #: the key is in the writer's own bibliography, but its entry maps to no corpus source
    not_in_graph: bool = False

    def __str__(self) -> str:
        return f"line {self.line}: citation {self.marker} ({self.target}): {self.reason}"

    def to_dict(self) -> dict:
        return {
            "line": self.line,
            "marker": self.marker,
            "target": self.target,
            "reason": self.reason,
            "not_in_graph": self.not_in_graph,
        }


@dataclass(frozen=True)
class Resolution:
    """Every citation of a draft tied to bib keys."""

    #: per sentence (same order as ``draft.sentences``): the bib keys it cites, in order
    cited: tuple[tuple[str, ...], ...]
    #: per sentence: the citations that could not be resolved
    unresolved: tuple[tuple[Unresolved, ...], ...]
    #: per reference (same order as ``draft.references``): its bib key or None
    reference_keys: tuple[str | None, ...]
    #: per sentence: the citations that count (a tentative narrative one only if it resolved)
    counted: tuple[tuple[Citation, ...], ...] = ()
    #: cited keys of the writer's own bibliography: key -> (entry, corpus key or None, how)
    own_keys: dict = field(default_factory=dict)

    @property
    def all_unresolved(self) -> list[Unresolved]:
        return [u for group in self.unresolved for u in group]


def resolve(draft: Draft, index: SourceIndex, own: OwnBibliography | None = None) -> Resolution:
    """Tie each citation in ``draft`` to bib keys.

    Numbers go through the draft's reference list (matched to the bib by
    :meth:`SourceIndex.match_reference`); pandoc keys and wiki links are keys
    of the writer's own bibliography ``own`` when it has them (its entry
    mapped to a corpus source the same way), else must be bib keys;
    author-year pairs go through the reference list when one matches, else
    straight to the bib by first author and year.
    """
    mapped: dict = {}
    if own:
        cited = {t for c in draft.citations if c.kind in ("pandoc", "wiki") for t in c.targets}
        for key in sorted(cited):
            entry = own.get(key)
            if entry is not None:
                mapped[key] = (entry, *index.match_reference(entry.as_reference()))
    ref_keys = tuple(index.match_reference(r)[0] for r in draft.references)
    by_label = {r.label: (r, k) for r, k in zip(draft.references, ref_keys)}
    # (folded family name, year) -> the first reference with that first author and year
    by_family_year: dict[tuple[str, str], int] = {}
    for i, ref in enumerate(draft.references):
        if ref.first_author:
            for name in _name_forms(ref.first_author):
                for year in ref.years:
                    by_family_year.setdefault((name, year), i)
    notes = {f.label: (f, index.match_reference(f)[0]) for f in draft.footnotes}
    cited: list[tuple[str, ...]] = []
    unresolved: list[tuple[Unresolved, ...]] = []
    counted: list[tuple[Citation, ...]] = []
    for sentence in draft.sentences:
        keys: list[str] = []
        bad: list[Unresolved] = []
        real: list[Citation] = []
        for c in sentence.citations:
            found = False
            for target in c.targets:
                if target in mapped:
                    entry, key, _ = mapped[target]
                    reason = "" if key else _not_in_graph(entry)
                else:
                    key, reason = _resolve_one(c, target, draft, index, by_label, ref_keys, notes, own, by_family_year)
                if key:
                    found = True
                    if key not in keys:
                        keys.append(key)
                elif not c.tentative:
                    marker = c.marker if len(c.marker) <= 60 else c.marker[:57] + "..."  # once per target
                    bad.append(Unresolved(c.line, marker, target, reason, not_in_graph=target in mapped))
            if found or not c.tentative:
                real.append(c)
        cited.append(tuple(keys))
        unresolved.append(tuple(bad))
        counted.append(tuple(real))
    return Resolution(tuple(cited), tuple(unresolved), ref_keys, tuple(counted), mapped)


def _not_in_graph(entry) -> str:
    what = ", ".join(p for p in (entry.first_author, entry.year) if p)
    title = entry.title if len(entry.title) <= 50 else entry.title[:49].rstrip() + "…"
    return (
        f"{entry.key} ({entry.where}: {what}, {title}) is not in the evidence graph: no corpus source "
        "has its DOI, PMID or first author, year and title"
    )


def _resolve_one(c: Citation, target: str, draft: Draft, index: SourceIndex, by_label, ref_keys, notes, own, by_year):
    if c.kind == "footnote":
        note, key = (notes or {}).get(target, (None, None))
        if note is None:
            return None, f"footnote [^{target}] has no definition"
        if key is None:
            return None, f"footnote [^{target}] ({note.short(50)}) matches no entry in sources.bib"
        return key, ""
    if c.kind in ("pandoc", "wiki"):
        key = index.key(target)
        if key:
            return key, ""
        close = index.close_keys(target)
        if own:
            close = [*difflib_close(target, list(own.entries)), *close][:3]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        where = f"{own.names} or sources.bib" if own else "sources.bib"
        return None, f"no entry {target!r} in {where}{hint}"
    if c.kind in ("numeric", "superscript"):
        if not draft.references:
            return None, "the draft has no reference list to look the number up in"
        if target not in by_label:
            return None, f"the reference list has no entry {target} (it has {len(draft.references)})"
        ref, key = by_label[target]
        if key is None:
            return None, f"reference {target} ({ref.short(50)}) matches no entry in sources.bib"
        return key, ""
    # author-year
    family, year = target.rsplit(" ", 1)
    at = [by_year[(name, year[:4])] for name in _name_forms(family) if (name, year[:4]) in by_year]
    if at:  # the first reference by that author in that year
        ref, key = draft.references[min(at)], ref_keys[min(at)]
        if key is None:
            return None, f"reference {ref.label} ({ref.short(50)}) matches no entry in sources.bib"
        return key, ""
    hits = index.by_author_year(family, year)
    if len(hits) == 1:
        return hits[0], ""
    if hits:
        return None, f"ambiguous: {', '.join(hits)} (add a year letter, e.g. {year[:4]}a)"
    return None, f"no entry by {family} in {year} in sources.bib or the reference list"
