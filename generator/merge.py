"""Three-way merge of seed fields and paper identity matching. Pure functions."""

from __future__ import annotations

import difflib
import json
import re
from typing import NamedTuple

MISSING = object()


class Conflict(NamedTuple):
    """The user and the seed both changed a field: the user's value was kept."""

    file: str
    field: str
    ours: object
    theirs: object

    def __str__(self) -> str:
        return f"{self.file}: '{self.field}' was edited by hand and changed in the seed; kept the hand edit " \
               f"{self.ours!r}, the seed now says {self.theirs!r}"


def three_way(base: dict | None, ours: dict, theirs: dict, fields, file: str) -> tuple[dict, list[Conflict]]:
    """Merge the seed's ``fields`` into ``ours``; keys outside ``fields`` are the user's and untouched.

    With no ``base`` (a file the last import did not write), a value already in ``ours`` wins.
    """
    merged = dict(ours)
    conflicts: list[Conflict] = []
    for key in fields:
        new = theirs.get(key, MISSING)
        mine = ours.get(key, MISSING)
        old = base.get(key, MISSING) if base is not None else MISSING
        if mine == new or mine == old:
            value = new
        elif new == old:
            value = mine
        else:
            conflicts.append(Conflict(file, key, None if mine is MISSING else mine, None if new is MISSING else new))
            value = mine
        if value is MISSING:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged, conflicts


def words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", str(text).casefold()))


def jaccard(x: str, y: str) -> float:
    """Shared words over all words, 0..1."""
    wx, wy = words(x), words(y)
    return len(wx & wy) / len(wx | wy) if wx | wy else 0.0


def title_similarity(x: str, y: str) -> float:
    """The better of word overlap and character similarity, so a typo fix in a short title still matches."""
    a, b = " ".join(str(x).casefold().split()), " ".join(str(y).casefold().split())
    return max(jaccard(a, b), difflib.SequenceMatcher(None, a, b, autojunk=False).ratio())


def first_author(fields: dict) -> str:
    authors = fields.get("authors")
    return str(authors[0]) if isinstance(authors, list) and authors else ""


def similarity(a: dict, b: dict) -> float:
    """How alike two papers' seed fields are, 0..1: title and abstract, date, first author."""
    score = 0.35 * title_similarity(a.get("title", ""), b.get("title", ""))
    score += 0.35 * jaccard(a.get("abstract", ""), b.get("abstract", ""))
    score += 0.15 * (str(a.get("date")) == str(b.get("date")))
    score += 0.15 * (first_author(a) == first_author(b) != "")
    return score


def identity(fields: dict) -> tuple[str, str]:
    return " ".join(sorted(words(fields.get("title", "")))), str(fields.get("date", ""))


def fingerprint(fields: dict) -> str:
    """Every seed field, canonically: equal fingerprints are the same seed entry."""
    return json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)


def match(known: dict[str, dict], incoming: list[dict], threshold: float = 0.6,
          keys: list[str] | None = None) -> dict[int, str]:
    """Pair incoming seed papers (by index) with known slugs; the result never depends on the seed's order.

    1. identical seed fields; 2. the same title words and date (the most similar first, so two
    entries sharing a title and date keep their own files); 3. among what is left, the most similar
    pairs at ``threshold`` or more that share a date or a first author (a corrected title, an edited
    abstract, or both). Ties are broken by the fields themselves, never by position. ``keys`` are the
    incoming papers' fingerprints when the caller has them already.
    """
    pairs: dict[int, str] = {}
    keys = keys if keys is not None else [fingerprint(f) for f in incoming]
    left = dict(sorted(known.items()))

    def pair_best(candidates: list[tuple[float, str, str, int]]) -> None:
        for _, _, slug, i in sorted(candidates):
            if i not in pairs and slug in left:
                pairs[i] = slug
                del left[slug]

    by_print: dict[str, list[str]] = {}
    for slug, fields in left.items():
        by_print.setdefault(fingerprint(fields), []).append(slug)
    for i in sorted(range(len(incoming)), key=keys.__getitem__):
        found = by_print.get(keys[i])
        if found:
            pairs[i] = found.pop(0)
            del left[pairs[i]]

    by_identity: dict[tuple[str, str], list[str]] = {}
    for slug, fields in left.items():
        by_identity.setdefault(identity(fields), []).append(slug)
    pair_best([(-similarity(incoming[i], left[slug]), keys[i], slug, i)
               for i in range(len(incoming)) if i not in pairs
               for slug in by_identity.get(identity(incoming[i]), ())])

    buckets: dict[str, list[str]] = {}
    for slug, fields in left.items():
        buckets.setdefault("d" + str(fields.get("date")), []).append(slug)
        buckets.setdefault("a" + first_author(fields), []).append(slug)
    scored = []
    for i, fields in enumerate(incoming):
        if i in pairs:
            continue
        candidates = set(buckets.get("d" + str(fields.get("date")), ()))
        if first_author(fields):
            candidates |= set(buckets.get("a" + first_author(fields), ()))
        for slug in candidates:
            score = similarity(fields, left[slug])
            if score >= threshold:
                scored.append((-score, keys[i], slug, i))
    pair_best(scored)
    return pairs
