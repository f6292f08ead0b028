"""References through the Citation Style Language (CSL), with citeproc-py.

:func:`entry_to_csl` turns a parsed BibTeX entry (pybtex ``Entry``) into a
CSL-JSON item; :func:`format_csl` renders items in any CSL style with
citeproc-py. A style is a name (one of the official styles shipped in
``graph/data/csl``, or any ``<name>.csl`` in a CSL style collection such as
Debian's ``citation-style-language-styles``) or the path of a ``.csl`` file.
A dependent style (a journal's entry that names the style it uses) formats
with its parent in the dependent style's locale.

Titles keep their capitalisation data: a braced group in BibTeX
(``{MRI}``) becomes ``<span class="nocase">MRI</span>``, the CSL-JSON way
of saying "leave the case of this alone", and the first letter of a subtitle
(after ``": "``) is capitalised, as pandoc's BibTeX reader does, so that
sentence-case styles such as APA print ``Knee: Implications`` and title-case
styles do not lower ``MRI``.

citeproc-py 0.11 differs from the CSL specification (and from pandoc's
citeproc) in a few places; :class:`_Style` and :func:`_tidy` correct them:

* ``text-case`` on a ``<label>`` is ignored (it is passed no language), so
  APA printed ``(eds.)`` for ``(Eds.)``;
* title case leaves the word after a hyphen alone (``Multi-modal``; the
  Chicago Manual and pandoc give ``Multi-Modal``);
* a title ending in ``?`` or ``!`` gets the style's full stop as well
  (``syndrome?.``; likewise ``2019;.`` in Vancouver when an article has no
  volume: pandoc prints ``2019;``), and with ``punctuation-in-quote`` (US English) a full
  stop or comma after a closing quotation mark stays outside it, or, after
  ``?`` or ``!``, is kept as well (IEEE: ``syndrome?,”``; pandoc:
  ``syndrome?”``);
* ``initialize="false"`` is ignored, so MLA and ASA print ``Beers, A.`` for
  ``Beers, Amanda``;
* ``is-numeric`` is false for a page range (``180-188``), so Science took
  an article's pages for an article in press and left its title out;
* a ``<label>`` was printed without its variable (ACS: ``2001; p .`` for a
  book), and ACS's ``(1)`` before a reference was kept.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from graph.bibliography.latex import RAW_FIELDS, latex_to_text

__all__ = [
    "CSL_DIR",
    "CSL_TYPES",
    "DEFAULT_STYLE",
    "FORMAT_VERSION",
    "STYLE_ALIASES",
    "entry_to_csl",
    "format_csl",
    "independent_style",
    "resolve_style",
    "shipped_styles",
    "title_to_csl",
]

#: Part of the name under which formatted references are kept on disk
#: (citations.style_key); change it when the corrections below change output.
FORMAT_VERSION = 2

#: The official styles shipped with the package (CC BY-SA 3.0, see the README there).
CSL_DIR = Path(__file__).resolve().parents[1] / "data" / "csl"
DEFAULT_STYLE = "vancouver"
#: Short names for shipped styles.
STYLE_ALIASES = {
    "ama": "american-medical-association",
    "chicago": "chicago-author-date",
    "harvard": "harvard-cite-them-right",
}

#: BibTeX entry type -> CSL item type.
CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "unpublished": "manuscript",
}
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}


# --- styles ------------------------------------------------------------------------


def shipped_styles() -> list[str]:
    """Names of the styles shipped with the package."""
    return sorted(p.stem for p in CSL_DIR.glob("*.csl"))


def _collections() -> list[Path]:
    # Style collections installed system-wide, found the XDG way: Debian's
    # citation-style-language-styles puts them in <data dir>/citation-style-language/styles.
    dirs = [os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")]
    dirs += (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    return [Path(d) / "citation-style-language" / "styles" for d in dirs if d]


def resolve_style(style: str) -> Path:
    """The ``.csl`` file of ``style``: a path to a ``.csl`` file, a shipped
    style's name (or alias: ``ama``, ``chicago``, ``harvard``), or the name
    of a style in an installed collection, independent or dependent (Debian
    keeps those in ``dependent/``). Raises ``ValueError``, also for a file
    that is no usable CSL style or a dependent style whose parent is not
    installed."""
    if style.endswith(".csl") or os.sep in style or "/" in style:
        path = Path(style)
        if not path.is_file():
            raise ValueError(f"CSL style file {style!r} not found")
    else:
        path = _named(STYLE_ALIASES.get(style, style))
        if path is None:
            raise ValueError(
                f"unknown citation style {style!r}; give a .csl file or a CSL style name "
                f"(shipped: {', '.join(shipped_styles())}; aliases: {', '.join(sorted(STYLE_ALIASES))})"
            )
    if path.parent != CSL_DIR:  # the shipped styles are known to be good
        independent_style(str(path))
    return path


def _named(name: str, near: tuple[Path, ...] = ()) -> Path | None:
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        for folder in (*near, CSL_DIR, *_collections()):
            for path in (folder / f"{name}.csl", folder / "dependent" / f"{name}.csl"):
                if path.is_file():
                    return path
    return None


_CSL = "{http://purl.org/net/xbiblio/csl}"


@cache
def independent_style(path: str) -> tuple[str, str | None]:
    """(the independent style that formats for the style file ``path``, the
    locale to format in). An independent style is itself, with its own
    default locale. A dependent style (a journal's name and a link to the
    style it uses) gives its ``independent-parent``, found by name beside it
    or in the collections, and its own ``default-locale``, which the CSL
    specification says overrides the parent's. Raises ``ValueError``."""
    from lxml import etree

    def unusable(why: str) -> ValueError:
        return ValueError(f"{path}: not a usable CSL style ({why})")

    try:
        root = etree.parse(path, etree.XMLParser(no_network=True, remove_comments=True)).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise unusable(str(exc)) from None
    if root.tag != _CSL + "style":
        raise unusable("the root element is not a CSL <style>")
    if root.find(_CSL + "bibliography") is not None:
        return path, None
    link = root.find(f"{_CSL}info/{_CSL}link[@rel='independent-parent']")
    if link is None:
        raise unusable("it has no <bibliography> and names no independent parent")
    name = (link.get("href") or "").rstrip("/").rpartition("/")[2]
    here = Path(path).resolve().parent
    parent = _named(name, near=(here, here.parent))
    if parent is None:
        raise unusable(f"its parent style {name!r} is not installed; give {name}.csl")
    parent_path, _ = independent_style(str(parent))
    if parent_path != str(parent):
        raise unusable(f"its parent style {name!r} is itself dependent")
    return parent_path, root.get("default-locale")


@cache
def _parsed_style(path: str, locale: str | None = None):
    """A citeproc-py style with the corrections described in the module
    docstring, in ``locale`` (None: the style's default locale)."""
    from lxml import etree

    try:
        style = _style_class()(path, locale=locale, validate=False)
    except (etree.XMLSyntaxError, ValueError, KeyError, AttributeError) as exc:
        raise ValueError(f"{path}: not a usable CSL style ({exc})") from None
    if locale:
        style.root.set("default-locale", locale)
    return style


@cache
def _style_class():
    from citeproc import CitationStylesStyle
    from citeproc import model as m
    from citeproc.frontend import CitationStylesXML
    from lxml import etree

    class _Cased:
        def case(self, text, language=None):
            if language is None:  # <label> passes none: use the style's
                language = (self.get_root().get("default-locale") or "en")[:2]
            if self.get("text-case") == "title" and language == "en":
                return _title_case(text)
            return super().case(text, language)

    class _Numeric:
        def _is_numeric(self, item):
            # CSL: numbers with affixes, also several joined by "-", "," or "&"
            # ("180-188", "2, 4"); citeproc-py took only one ("e12").
            names = [v.replace("-", "_") for v in self.get("is-numeric").split()]
            return [n in item.reference and bool(_NUMERIC.match(str(item.reference[n]))) for n in names]

    class _Initials:
        def initialize(self, given, mark, context):
            if _name_option(self, "initialize", context) != "false":
                return super().initialize(given, mark, context)
            return _initials_only(given, mark)

    class _LabelOfSomething:
        def process(self, item, variable=None, plural=None, context=None, **kwargs):
            # CSL: a label is printed only when its variable is (ACS printed "p ." for a book).
            name = variable or self.get("variable")
            if name == "locator" and not item.has_locator:
                return None
            if name and name != "locator" and name.replace("-", "_") not in item.reference:
                return None
            return super().process(item, variable, plural, context, **kwargs)

    mixins = ((m.TextCased, _Cased), (m.If, _Numeric), (m.Name, _Initials), (m.Label, _LabelOfSomething))
    classes = {}
    for cls in m.CitationStylesElement.__subclasses__():
        extra = tuple(mixin for base, mixin in mixins if issubclass(cls, base))
        if extra:
            cls = type(cls.__name__, (*extra, cls), {})
        classes[cls.__name__.replace("_", "-").lower()] = cls

    class _XML(CitationStylesXML):
        def __init__(self, f, validate=True):
            lookup = etree.ElementNamespaceClassLookup()
            namespace = lookup.get_namespace("http://purl.org/net/xbiblio/csl")
            namespace[None] = m.CitationStylesElement
            namespace.update(classes)
            self.parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
            self.parser.set_element_class_lookup(lookup)
            self.xml = etree.parse(f, self.parser)
            self.root = self.xml.getroot()
            if self.root.tag != "{http://purl.org/net/xbiblio/csl}style":
                raise ValueError("the root element is not a CSL <style>")
            if self.root.find("{http://purl.org/net/xbiblio/csl}bibliography") is None:
                raise ValueError("it has no <bibliography>")

    class _Style(CitationStylesStyle, _XML):
        pass

    return _Style


_NUMERIC = re.compile(r"^[A-Z]*\d+[A-Z]*(?:\s*[-–,&]\s*[A-Z]*\d+[A-Z]*)*$", re.I)


def _name_option(element, name: str, context) -> str | None:
    """An inheritable name option the way CSL inherits it: on ``<name>``, else
    on the enclosing ``<citation>`` or ``<bibliography>``, else on ``<style>``."""
    if element.get(name) is not None:
        return element.get(name)
    where = (context if context is not None else element).xpath_search(
        "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"
    )
    if where and where[0].get(name) is not None:
        return where[0].get(name)
    return element.get_root().get(name)


def _initials_only(given: str, mark: str) -> str:
    """``initialize="false"``: given names stay whole and only the initials
    already there get ``initialize-with`` (``Jack E`` -> ``Jack E.``)."""
    out = ""
    for word in given.split():
        if re.fullmatch(r"[^\W\d_]\.?", word):
            out += word[0] + mark
        else:
            out += ("" if not out or out.endswith(" ") else " ") + word + " "
    return " ".join(out.split())


_STOP_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of", "on", "onto"}
    | {"or", "over", "so", "the", "till", "to", "up", "via", "with", "yet"}
)


def _title_case(text):
    """citeproc-py's title case (English), but the parts of a hyphenated
    word after the first are words of their own (``Multi-Modal``), as in
    the Chicago Manual and pandoc."""
    from citeproc.string import NoCase

    words = []
    previous = ":"  # the first word is capitalised
    for word in text.words():
        if word.islower() and (str(word) not in _STOP_WORDS or previous in (":", ".")):
            word = word.capitalize_first()
        if "-" in word and not isinstance(word, NoCase):
            head, *rest = str(word).split("-")
            rest = [p[:1].upper() + p[1:] if p.islower() and p not in _STOP_WORDS else p for p in rest]
            word = type(word)("-".join([head, *rest]))
        previous = str(word)[-1:]
        words.append(word)
    return " ".join(words)


#: Repairs on citeproc-py's output (see the module docstring).
_QUOTE_PUNCT = re.compile(r"([”’])([.,])")
_DOUBLE_STOP = re.compile(r"([?!;])([”’]?)\.")
_MARK_IN_QUOTE = re.compile(r"([?!])[.,]([”’])")


def _tidy(text: str, punctuation_in_quote: bool) -> str:
    if punctuation_in_quote:
        text = _MARK_IN_QUOTE.sub(r"\1\2", _QUOTE_PUNCT.sub(r"\2\1", text))
    return _DOUBLE_STOP.sub(r"\1\2", text)


def _punctuation_in_quote(style) -> bool:
    try:
        return style.root.get_locale_option("punctuation-in-quote").lower() == "true"
    except (AttributeError, KeyError, IndexError):
        return False


def format_csl(items: list[dict], style: str = DEFAULT_STYLE, fmt: str = "text") -> dict[str, str]:
    """``{id: reference}`` for CSL-JSON ``items`` in ``style``, each rendered
    alone (so numeric styles number every reference 1, and the number is
    left out). ``fmt``: ``text`` or ``html``."""
    import copy

    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    path, locale = independent_style(str(resolve_style(style)))
    parsed = _parsed_style(path, locale)
    numeric = _numeric(path)
    out_format = {"text": formatter.plain, "html": formatter.html}[fmt]
    piq = _punctuation_in_quote(parsed)
    out = {}
    for item in items:
        bib = CitationStylesBibliography(parsed, CiteProcJSON([copy.deepcopy(item)]), out_format)
        bib.register(Citation([CitationItem(item["id"])]))
        rendered = bib.bibliography()
        text = str(rendered[0]) if rendered else ""
        out[item["id"]] = _tidy(_strip_number(text, numeric), piq).strip()
    return out


@cache
def _numeric(path: str) -> bool:
    return 'citation-format="numeric"' in Path(path).read_text(encoding="utf-8")


def _strip_number(text: str, numeric: bool) -> str:
    # Numeric styles print "1.", "[1]" or "(1)" before each reference; a reference
    # printed alone has no number worth showing.
    return re.sub(r"^\s*(?:\[1\]|\(1\)|1\.?)\s*", "", text) if numeric else text


# --- BibTeX entry -> CSL-JSON --------------------------------------------------------------


def title_to_csl(raw: str) -> str:
    """A BibTeX title (LaTeX) as CSL-JSON rich text: braced groups become
    ``<span class="nocase">…</span>``, accents and dashes Unicode, and the
    first letter of the title and of each subtitle (after ``": "``) upper case."""
    segments = _segments(raw)
    out = []
    capitalise = True
    for text, protected in segments:
        if not text:
            continue
        if protected:
            out.append(f'<span class="nocase">{text}</span>')
            capitalise = False
            continue
        pieces = re.split(r"(:\s+)", text)
        for i, piece in enumerate(pieces):
            if i % 2:
                capitalise = True
            elif piece:
                if capitalise and piece[0].islower():
                    piece = piece[0].upper() + piece[1:]
                capitalise = False
            out.append(piece)
    return "".join(out)


def _segments(raw: str) -> list[tuple[str, bool]]:
    """(decoded text, protected?) pieces of a LaTeX title. A top-level brace
    group protects its case unless it starts with a command (``{\\"a}`` is
    an accented letter, not a protected word)."""
    pieces: list[tuple[str, bool]] = []
    plain: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == "\\":
            m = re.match(r"\\(?:[A-Za-z]+|.)\s*", raw[i:])
            end = i + m.end()
            while end < n and raw[end] == "{":  # the command's arguments
                end = _group_end(raw, end)
            plain.append(raw[i:end])
            i = end
        elif c == "{":
            end = _group_end(raw, i)
            inner = raw[i + 1 : end - 1]
            if inner.startswith("\\"):
                plain.append(raw[i:end])
            else:
                if plain:
                    pieces.append((_decode("".join(plain)), False))
                    plain = []
                pieces.append((latex_to_text(inner), True))
            i = end
        else:
            plain.append(c)
            i += 1
    if plain:
        pieces.append((_decode("".join(plain)), False))
    return pieces


def _decode(text: str) -> str:
    # The LaTeX codec drops the spaces at either end; a piece between two
    # groups needs them.
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return lead + latex_to_text(text.strip()) + trail


def _group_end(raw: str, start: int) -> int:
    depth = 0
    for j in range(start, len(raw)):
        if raw[j] == "{" and (j == 0 or raw[j - 1] != "\\"):
            depth += 1
        elif raw[j] == "}" and raw[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(raw)


def _person(p) -> dict:
    # BibTeX's "von" part is CSL's non-dropping particle: styles that invert
    # names decide whether it leads ("van der Worp MP") or trails
    # ("Worp, Maarten P. van der", Chicago).
    join = " ".join
    particle = latex_to_text(join(p.prelast_names)).strip()
    family = latex_to_text(join(p.last_names)).strip()
    given = latex_to_text(join(p.first_names + p.middle_names)).strip()
    suffix = latex_to_text(join(p.lineage_names)).strip()
    if not family and not particle:
        return {"literal": given} if given else {}
    out = {"family": family or particle}
    if given:
        out["given"] = given
    if particle and family:
        out["non-dropping-particle"] = particle
    if suffix:
        out["suffix"] = suffix
    return out


#: BibTeX field -> CSL variable, for fields copied as they are (after LaTeX decoding).
_COPIED = {
    "volume": "volume",
    "number": "issue",
    "edition": "edition",
    "publisher": "publisher",
    "address": "publisher-place",
    "doi": "DOI",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "isbn": "ISBN",
    "issn": "ISSN",
    "url": "URL",
    "note": "note",
    "abstract": "abstract",
    "language": "language",
    "chapter": "chapter-number",
}


def entry_to_csl(key: str, entry) -> dict:
    """One pybtex ``Entry`` (fields in LaTeX, as parsed) as a CSL-JSON item."""
    fields = {k.lower(): v for k, v in entry.fields.items()}
    kind = entry.type.lower()

    def text(name: str) -> str:
        value = fields[name]
        return value.strip() if name in RAW_FIELDS else latex_to_text(value).strip()

    item: dict = {"id": key, "type": CSL_TYPES.get(kind, "document")}
    for role in ("author", "editor", "translator"):
        people = [_person(p) for p in entry.persons.get(role, [])]
        if people:
            item[role] = [p for p in people if p]
    if fields.get("title"):
        item["title"] = title_to_csl(fields["title"])
    if fields.get("journal"):
        item["container-title"] = title_to_csl(fields["journal"])
    elif fields.get("booktitle"):
        item["container-title"] = title_to_csl(fields["booktitle"])
    if fields.get("institution") or fields.get("school"):
        item["publisher"] = text("institution" if fields.get("institution") else "school")
    year = fields.get("year", "").strip()
    if year:
        m = re.match(r"^(\d{4})$", year)
        if m:
            parts = [int(m.group(1))]
            month = _month(fields.get("month"))
            if month:
                parts.append(month)
            item["issued"] = {"date-parts": [parts]}
        else:
            item["issued"] = {"literal": latex_to_text(year)}
    if fields.get("pages"):
        item["page"] = re.sub(r"\s*(?:-{1,3}|–|—)\s*", "-", latex_to_text(fields["pages"].replace("--", "-")))
    for name, variable in _COPIED.items():
        if fields.get(name):
            item[variable] = text(name)
    return item


def _month(value: str | None) -> int | None:
    if not value:
        return None
    value = value.strip().lower()
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else None
    return _MONTHS.get(value[:3])
