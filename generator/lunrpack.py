"""The index as search.js reads it: sorted terms and, per term, its postings as short strings.

A posting list is ``DELTAS`` or ``DELTAS,TFS``: DELTAS holds the keys ``doc * len(fields) + field`` in
ascending order, each as the difference from the previous one; TFS holds ``tf - 1`` for each key (left
out when every tf is 1). Each number is a base-32 varint over ALPHABET: the most significant digits
first as ALPHABET[32 + d], the last digit as ALPHABET[d]. A Packer keeps its work, so that after a few
papers change only their terms' postings are written again.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from operator import sub

from . import lunrcompat
from .lunrindex import FieldTerms, Index, utf16_key

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
TABLE_SIZE = 1 << 15


def varint(value: int) -> str:
    """One number in the posting alphabet."""
    digits = [ALPHABET[value & 31]]
    value >>= 5
    while value:
        digits.append(ALPHABET[32 + (value & 31)])
        value >>= 5
    return "".join(reversed(digits))


@lru_cache(maxsize=1)
def table() -> list[str]:
    """The small numbers' encodings (varint's, for 0 to TABLE_SIZE - 1: one, two or three digits), made
    when search data is first built (not when a build starts), by joining digits rather than dividing."""
    last, more = ALPHABET[:32], ALPHABET[32:]
    low = [m + d for m in more for d in last]  # the last two digits of a value of three digits
    return [*last, *(m + d for m in more[1:] for d in last), *(m + rest for m in more[1:] for rest in low)]


def encode(numbers: list[int]) -> str:
    """Numbers (>= 0) as one string."""
    known = table()
    try:
        return "".join(map(known.__getitem__, numbers))
    except IndexError:
        return "".join(known[v] if v < TABLE_SIZE else varint(v) for v in numbers)


def posting_string(keys: list[int], tfs: list[int]) -> str:
    """One term's postings (see the module's docstring)."""
    deltas = encode([keys[0], *map(sub, keys[1:], keys)])
    if max(tfs) == 1:
        return deltas
    return deltas + "," + encode([tf - 1 for tf in tfs])


SHIFT = 10  # a Pieces part holds the keys of 1,024 consecutive values (about 200 papers' fields)
ONES = [1] * (1 << SHIFT)  # (a part holds at most this many keys)


class Pieces:
    """One term's posting string in parts, each encoding its keys in one range of key values, so that a
    change to a few documents encodes only their parts again (a word in most of 10,000 abstracts has
    tens of thousands of keys). ``text()`` is posting_string(keys, tfs)."""

    def __init__(self, keys: list[int], tfs: list[int]):
        self.parts: dict[int, tuple[int, int, str, str, int]] = {}  # range -> first, last, deltas, tfs, tf > 1
        start = 0
        while start < len(keys):  # each range's keys in turn, found by bisection
            part = keys[start] >> SHIFT
            start = self._encode(keys, tfs, part, start, bisect_left(keys, (part + 1) << SHIFT, start))

    def update(self, keys: list[int], tfs: list[int], part: int) -> None:
        """Encode range ``part`` of ``keys`` again (after keys in it came or went)."""
        start = bisect_left(keys, part << SHIFT)
        stop = bisect_left(keys, (part + 1) << SHIFT, start)
        if start == stop:
            self.parts.pop(part, None)
        else:
            self._encode(keys, tfs, part, start, stop)

    def _encode(self, keys: list[int], tfs: list[int], part: int, start: int, stop: int) -> int:
        these, counts = keys[start:stop], tfs[start:stop]
        self.parts[part] = (these[0], these[-1], encode(list(map(sub, these[1:], these))),
                            encode(list(map(sub, counts, ONES))), len(counts) - counts.count(1))
        return stop

    def text(self) -> str:
        deltas, counts, many, last = [], [], 0, 0
        for part in sorted(self.parts):
            first, end, rest, tfs, above = self.parts[part]
            deltas += [encode([first - last]), rest]
            counts.append(tfs)
            many += above
            last = end
        return "".join(deltas) + ("," + "".join(counts) if many else "")


class Packer:
    """Packs an Index; packs it again cheaply when only a few documents changed in place."""

    def __init__(self) -> None:
        self.fields: list[str] = []
        self.docs: list[FieldTerms] = []
        self.keys: dict[str, list[int]] = {}
        self.tfs: dict[str, list[int]] = {}
        self.strings: dict[str, str] = {}
        self.terms: list[str] = []
        self.pieces: dict[str, Pieces] = {}  # for the terms patched so far (see _patch)

    def pack(self, index: Index) -> dict:
        """The compact index as search.js's load() reads it."""
        changed = None
        if self.fields == index.fields and len(self.docs) == len(index.docs):
            changed = [d for d, (old, new) in enumerate(zip(self.docs, index.docs)) if old is not new]
        if changed is None or len(changed) > max(8, len(index.docs) // 20):
            self._full(index)
        elif changed:
            self._patch(index, changed)
        self.docs = list(index.docs)
        return {"fields": list(index.fields), "boosts": list(index.boosts), "count": len(index.docs),
                "terms": self.terms, "postings": [self.strings[t] for t in self.terms],
                "pipeline": list(lunrcompat.SEARCH_PIPELINE)}

    def warm(self) -> None:
        """Keep every term whose keys span more than one part in Pieces (watch, while idle), so that the
        first edit that touches a common word does not split its postings first."""
        for term, keys in self.keys.items():
            if term not in self.pieces and keys[0] >> SHIFT != keys[-1] >> SHIFT:
                self.pieces[term] = Pieces(keys, self.tfs[term])

    def _full(self, index: Index) -> None:
        self.fields = list(index.fields)
        keys: dict[str, list[int]] = {}
        tfs: dict[str, list[int]] = {}
        key = -1
        for doc in index.docs:
            for counts in doc:
                key += 1
                for term, tf in counts.items():
                    found = keys.get(term)
                    if found is None:
                        keys[term] = [key]
                        tfs[term] = [tf]
                    else:
                        found.append(key)
                        tfs[term].append(tf)
        self.keys, self.tfs, self.pieces = keys, tfs, {}
        self.terms = sorted(keys, key=utf16_key)
        self.strings = {t: posting_string(keys[t], tfs[t]) for t in self.terms}

    def _patch(self, index: Index, changed: list[int]) -> None:
        nf = len(self.fields)
        touched: dict[str, set[int]] = {}  # term -> the ranges of keys (see Pieces) that changed
        for d in changed:
            for f in range(nf):
                key = d * nf + f
                for term in self.docs[d][f]:
                    keys = self.keys[term]
                    at = bisect_left(keys, key)
                    del keys[at], self.tfs[term][at]
                    touched.setdefault(term, set()).add(key >> SHIFT)
                for term, tf in index.docs[d][f].items():
                    keys = self.keys.setdefault(term, [])
                    tfs = self.tfs.setdefault(term, [])
                    at = bisect_left(keys, key)
                    keys.insert(at, key)
                    tfs.insert(at, tf)
                    touched.setdefault(term, set()).add(key >> SHIFT)
        vocabulary_changed = False
        for term, parts in touched.items():
            keys, tfs = self.keys[term], self.tfs[term]
            if not keys:
                del self.keys[term], self.tfs[term], self.strings[term]
                self.pieces.pop(term, None)
                vocabulary_changed = True
                continue
            vocabulary_changed |= term not in self.strings
            pieces = self.pieces.get(term)
            if pieces is None and keys[0] >> SHIFT == keys[-1] >> SHIFT:
                self.strings[term] = posting_string(keys, tfs)  # one part: encoded whole, as quickly
                continue
            if pieces is None:
                pieces = self.pieces[term] = Pieces(keys, tfs)
            else:
                for part in parts:
                    pieces.update(keys, tfs, part)
            self.strings[term] = pieces.text()
        if vocabulary_changed:
            self.terms = sorted(self.keys, key=utf16_key)
