"""BibTeX: stable citation keys, LaTeX-escaped fields, one entry per paper. Pure."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from .model import Paper
from .slugs import SPECIAL

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le", "la", "dos", "das", "ten", "ter"}
SKIP_WORDS = {"a", "an", "the", "on", "of"}
LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%", "#": r"\#",
         "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
LATEX_RE = re.compile(r"[\\{}$&%#_^~]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
WORD_RE = re.compile(r"[^\W_]+")
AND_RE = re.compile(r"\band\b", re.I)


def clean(text: str) -> str:
    """NFC text on one line: no control characters, spaces collapsed (str.split splits where \\s matches)."""
    text = text or ""
    if not (text.isascii() and text.isprintable()):  # (printable ASCII: nothing to drop or normalize)
        text = unicodedata.normalize("NFC", CONTROL_RE.sub(" ", text))
    return " ".join(text.split())


def latex(text: str) -> str:
    """LaTeX specials escaped (of text already clean)."""
    return LATEX_RE.sub(_latex_char, text) if LATEX_RE.search(text) else text


def _latex_char(match: re.Match) -> str:
    return LATEX[match.group()]


def escape(text: str) -> str:
    """Text as a BibTeX field value: LaTeX specials escaped, other unicode kept as it is."""
    return latex(clean(text))


def protect_case(text: str) -> str:
    """Escaped title text with words like 'R-CNN', 'ImageNet' or 'SAM' braced, so styles keep their capitals."""
    out = []
    for word in clean(text).split(" "):
        mixed = any(any(c.isupper() for c in part[1:]) for part in WORD_RE.findall(word))
        out.append("{" + escape(word) + "}" if mixed else escape(word))
    return " ".join(out)


NOT_ALNUM_RE = re.compile(r"[^a-z0-9]")
TITLE_SPLIT_RE = re.compile(r"[\s\-:/]+")


def ascii_word(text: str) -> str:
    """Lowercase ASCII letters and digits of ``text`` (accents dropped, ß -> ss)."""
    text = unicodedata.normalize("NFKD", text.translate(SPECIAL)).encode("ascii", "ignore").decode("ascii")
    return NOT_ALNUM_RE.sub("", text.lower())


def split_name(name: str) -> tuple[str, str, str]:
    """(given names, family name, suffix) of 'First [von] Last [Jr.]' or 'Last, First'."""
    name = clean(name)
    if "," in name:
        family, _, given = name.partition(",")
        return given.strip(), family.strip(), ""
    parts = name.split(" ")
    end = len(parts)
    while end > 1 and parts[end - 1].lower() in SUFFIXES:
        end -= 1
    start = end - 1
    while start > 1 and parts[start - 1].lower() in PARTICLES:
        start -= 1
    return " ".join(parts[:start]), " ".join(parts[start:end]), " ".join(parts[end:])


def base_key(paper: Paper) -> str:
    """First author's surname + year + first title word, e.g. ``kirillov2023segment``."""
    surname = ascii_word(split_name(paper.authors[0])[1].split(" ")[-1]) if paper.authors else ""
    first = title = ""
    for word in map(ascii_word, TITLE_SPLIT_RE.split(paper.title)):  # (up to the first word that is not skipped)
        if word and word not in SKIP_WORDS:
            title = word
            break
        first = first or word
    return f"{surname or 'anon'}{paper.year}{title or first}"


def keys(papers, base=base_key) -> dict[str, str]:
    """slug -> unique key; papers sharing a key get b, c, ... in (date, slug) order."""
    groups: dict[str, list[Paper]] = {}
    for paper in sorted(papers, key=lambda p: (p.date, p.slug)):
        groups.setdefault(base(paper), []).append(paper)
    taken = set(groups)
    out: dict[str, str] = {}
    for key in sorted(groups):
        out[groups[key][0].slug] = key
        letter = ord("b")
        for paper in groups[key][1:]:
            while f"{key}{chr(letter)}" in taken:
                letter += 1
            taken.add(f"{key}{chr(letter)}")
            out[paper.slug] = f"{key}{chr(letter)}"
            letter += 1
    return out


def url_value(url: str) -> str:
    """A URL as BibTeX reads it verbatim: braces, backslashes, spaces and non-ASCII percent-encoded."""
    return quote(clean(url), safe="!#$%&'()*+,-./:;=?@[]^_`|~")


def sentence(text: str) -> str:
    """``text`` ending with one full stop (or its own ? or !)."""
    text = clean(text)
    return text if text.endswith((".", "?", "!")) else text + "."


def author_field(paper: Paper) -> str:
    """Authors joined by 'and'; 'and others' when the list is truncated (no author is invented)."""
    names = []
    for name in paper.authors:
        text = escape(name)
        given, family, suffix = split_name(name)
        if AND_RE.search(text) or "," in text:
            text = "{" + text + "}"  # a name BibTeX would otherwise split
        elif suffix and given:
            text = f"{escape(family)}, {escape(suffix)}, {escape(given)}"  # BibTeX's form for 'Jr.'

        names.append(text)
    if paper.authors_truncated:
        names.append("others")
    return " and ".join(names)


def entry(paper: Paper, key: str, url: str = "") -> str:
    """One ``@misc`` entry; ``url`` is the paper's PDF or page when known."""
    fields = [("title", "{" + protect_case(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", "{" + author_field(paper) + "}"))
    fields += [("year", "{%d}" % paper.year), ("month", MONTHS[paper.date.month - 1])]
    if paper.venue:
        fields.append(("howpublished", "{" + escape(paper.venue) + "}"))
    if url:
        fields.append(("url", "{" + url_value(url) + "}"))
    if paper.code_url:
        fields.append(("note", "{Code: \\url{" + url_value(paper.code_url) + "}}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def reference(paper: Paper) -> str:
    """A plain-text reference: 'A, B, C, et al. 2023. Title. Venue.'"""
    authors = ", ".join(clean(a) for a in paper.authors)
    if paper.authors_truncated:
        authors += ", et al." if authors else "et al."
    parts = [sentence(authors) if authors else "", f"{paper.year}.", sentence(paper.title)]
    if paper.venue:
        parts.append(sentence(paper.venue))
    return " ".join(p for p in parts if p)
