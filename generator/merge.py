"""Three-way merge of seed fields and paper identity matching. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

MISSING = object()


@dataclass(frozen=True)
class Conflict:
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


def similarity(a: dict, b: dict) -> float:
    """How alike two papers' seed fields are, 0..1: title and abstract words, date, first author."""
    def jaccard(x: str, y: str) -> float:
        wx, wy = words(x), words(y)
        return len(wx & wy) / len(wx | wy) if wx | wy else 0.0

    score = 0.35 * jaccard(a.get("title", ""), b.get("title", ""))
    score += 0.35 * jaccard(a.get("abstract", ""), b.get("abstract", ""))
    score += 0.15 * (a.get("date") == b.get("date"))
    first = lambda d: (d.get("authors") or [""])[0] if isinstance(d.get("authors"), list) else ""  # noqa: E731
    score += 0.15 * (first(a) == first(b) != "")
    return score


def identity(fields: dict) -> tuple[str, str]:
    return " ".join(sorted(words(fields.get("title", "")))), str(fields.get("date", ""))


def match(known: dict[str, dict], incoming: list[dict], threshold: float = 0.6) -> dict[int, str]:
    """Pair incoming seed papers (by index) with known slugs.

    First an exact title-and-date match; then, among what is left, the most similar pairs above
    ``threshold`` that share a date or a first author (a corrected title, an edited abstract).
    """
    pairs: dict[int, str] = {}
    by_identity: dict[tuple[str, str], list[str]] = {}
    for slug in sorted(known):
        by_identity.setdefault(identity(known[slug]), []).append(slug)
    for i, fields in enumerate(incoming):
        slugs = by_identity.get(identity(fields))
        if slugs:
            pairs[i] = slugs.pop(0)
    left = {slug: known[slug] for slug in sorted(known) if slug not in set(pairs.values())}
    if not left:
        return pairs
    buckets: dict[str, set[str]] = {}
    first = lambda d: str((d.get("authors") or [""])[0]) if isinstance(d.get("authors"), list) else ""  # noqa: E731
    for slug, fields in left.items():
        buckets.setdefault("d" + str(fields.get("date")), set()).add(slug)
        buckets.setdefault("a" + first(fields), set()).add(slug)
    scored = []
    for i, fields in enumerate(incoming):
        if i in pairs:
            continue
        candidates = buckets.get("d" + str(fields.get("date")), set()) | buckets.get("a" + first(fields), set())
        for slug in candidates:
            score = similarity(fields, left[slug])
            if score >= threshold:
                scored.append((-score, i, slug))
    used: set[str] = set()
    for _, i, slug in sorted(scored):
        if i not in pairs and slug not in used:
            pairs[i] = slug
            used.add(slug)
    return pairs
