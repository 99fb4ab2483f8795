"""lunr.js 2.3.9's text pipeline in Python: tokenizer, folding, trimmer, stop words, stemmer."""

from __future__ import annotations

import re
import unicodedata

from .stemmer import stem

# JavaScript's \s (ECMAScript WhiteSpace and LineTerminator) and the hyphen: lunr.tokenizer.separator.
JS_SPACE = ("\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
            "\u2028\u2029\u202f\u205f\u3000\ufeff")
SEPARATOR = re.compile("[" + re.escape(JS_SPACE) + r"\-]+")
# lunr.trimmer: JavaScript's \W without the u flag is [^A-Za-z0-9_].
TRIM = re.compile(r"^[^A-Za-z0-9_]+|[^A-Za-z0-9_]+$")

STOP_WORDS = frozenset("""
a able about across after all almost also am among an and any are as at be because been but by can
cannot could dear did do does either else ever every for from get got had has have he her hers him his
how however i if in into is it its just least let like likely may me might most must my neither no nor
not of off often on only or other our own rather said say says she should since so some than that the
their them then there these they this tis to too twas us wants was we were what when where which while
who whom why will with would yet you your""".split())

# Letters that Unicode does not decompose but readers type without the mark ("Łukasz" as "Lukasz").
# search.js holds the same table.
EXTRA_FOLDS = {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss",
               "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l"}
_EXTRA = str.maketrans(EXTRA_FOLDS)
FOLD_LABEL = "scholarsiteFold"
SEARCH_PIPELINE = [FOLD_LABEL, "trimmer", "stemmer"]


# Where Python's str.split() and JavaScript's \s disagree on what is a space.
SPACE_DIFFERENCES = re.compile("[\x1c-\x1f\x85\ufeff]")


def tokenize(text: str) -> list[str]:
    """lunr.tokenizer: lowercase, split on runs of whitespace and hyphens."""
    text = text.lower()
    if SPACE_DIFFERENCES.search(text):
        return [t for t in SEPARATOR.split(text) if t]
    return text.replace("-", " ").split()


def fold(token: str) -> str:
    """Accents off: NFKD, combining marks dropped, a few undecomposable letters mapped."""
    if token.isascii():
        return token
    decomposed = unicodedata.normalize("NFKD", token.translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def trim(token: str) -> str:
    """lunr.trimmer: non-word characters off both ends (may leave an empty term, as lunr.js does)."""
    return TRIM.sub("", token)


_STEMS: dict[str, str] = {}


def cached_stem(word: str) -> str:
    """stem(), remembered (the same word comes back with other punctuation or case)."""
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) > 500_000:
            _STEMS.clear()
        found = _STEMS[word] = stem(word)
    return found


def index_term(token: str) -> str | None:
    """The index pipeline for one lowercase token: the term lunr.js would store, None for a stop word."""
    token = trim(fold(token))
    if token in STOP_WORDS:
        return None
    return cached_stem(token)


def search_term(token: str) -> str:
    """The search pipeline for one lowercase query term."""
    return stem(trim(fold(token)))
