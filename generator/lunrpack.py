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
    """The small numbers' encodings, made when search data is first built (not when a build starts)."""
    return [varint(v) for v in range(TABLE_SIZE)]


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


class Packer:
    """Packs an Index; packs it again cheaply when only a few documents changed in place."""

    def __init__(self) -> None:
        self.fields: list[str] = []
        self.docs: list[FieldTerms] = []
        self.keys: dict[str, list[int]] = {}
        self.tfs: dict[str, list[int]] = {}
        self.strings: dict[str, str] = {}
        self.terms: list[str] = []

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
        self.keys, self.tfs = keys, tfs
        self.terms = sorted(keys, key=utf16_key)
        self.strings = {t: posting_string(keys[t], tfs[t]) for t in self.terms}

    def _patch(self, index: Index, changed: list[int]) -> None:
        nf = len(self.fields)
        touched: set[str] = set()
        for d in changed:
            for f in range(nf):
                key = d * nf + f
                for term in self.docs[d][f]:
                    keys = self.keys[term]
                    at = bisect_left(keys, key)
                    del keys[at], self.tfs[term][at]
                    touched.add(term)
                for term, tf in index.docs[d][f].items():
                    keys = self.keys.setdefault(term, [])
                    tfs = self.tfs.setdefault(term, [])
                    at = bisect_left(keys, key)
                    keys.insert(at, key)
                    tfs.insert(at, tf)
                    touched.add(term)
        vocabulary_changed = False
        for term in touched:
            if self.keys[term]:
                vocabulary_changed |= term not in self.strings
                self.strings[term] = posting_string(self.keys[term], self.tfs[term])
            else:
                del self.keys[term], self.tfs[term], self.strings[term]
                vocabulary_changed = True
        if vocabulary_changed:
            self.terms = sorted(self.keys, key=utf16_key)
