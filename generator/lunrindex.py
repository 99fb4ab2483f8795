"""A lunr.js 2.3.9 index built in Python: the same terms, scores and JSON as lunr.Builder makes."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field

from . import lunrcompat

LUNR_VERSION = "2.3.9"
K1 = 1.2
B = 0.75

FieldTerms = tuple[dict[str, int], ...]


def utf16_key(term: str) -> bytes:
    """Sort key matching JavaScript's string order (UTF-16 code units), which lunr.TokenSet needs."""
    return term.encode("utf-16-be", "surrogatepass")


class TermCache:
    """Token -> term (None: stop word), and a document's texts -> its term frequencies, kept across builds."""

    def __init__(self) -> None:
        self.terms: dict[str, str | None] = {}
        self.docs: dict[bytes, FieldTerms] = {}
        self.used: set[bytes] = set()

    def analyse(self, texts: list[str]) -> FieldTerms:
        """Term frequencies per field, in lunr.js's first-seen order."""
        key = hashlib.blake2b("\x00".join(texts).encode("utf-8", "surrogatepass"), digest_size=16).digest()
        self.used.add(key)
        found = self.docs.get(key)
        if found is None:
            terms = self.terms
            out = []
            for text in texts:
                tokens = lunrcompat.tokenize(text)
                for token in set(tokens).difference(terms):
                    terms[token] = lunrcompat.index_term(token)
                counts = Counter(map(terms.__getitem__, tokens))
                counts.pop(None, None)
                out.append(counts)
            found = self.docs[key] = tuple(out)
        return found

    def prune(self) -> None:
        """Forget documents the last build did not use (a long watch session does not grow without end)."""
        self.docs = {k: v for k, v in self.docs.items() if k in self.used}
        self.used = set()


@dataclass
class Index:
    """Documents' term frequencies per field; scores follow lunr.js's BM25 (k1 = 1.2, b = 0.75)."""

    fields: list[str]
    boosts: list[float]
    refs: list[str] = field(default_factory=list)
    docs: list[FieldTerms] = field(default_factory=list)

    def terms(self) -> list[str]:
        """Every term, in JavaScript's sort order."""
        seen: set[str] = set()
        for doc in self.docs:
            for counts in doc:
                seen.update(counts)
        return sorted(seen, key=utf16_key)

    def field_lengths(self) -> list[float]:
        """lunr.js's average length of each field over all documents."""
        n = len(self.docs) or 1
        return [sum(sum(doc[f].values()) for doc in self.docs) / n for f in range(len(self.fields))]

    def serialize(self) -> dict:
        """The JSON lunr.Index.prototype.toJSON would give for the same documents (lunr.Index.load reads it)."""
        order: dict[str, int] = {}
        postings: dict[str, list[dict]] = {}
        for ref, doc in zip(self.refs, self.docs):
            for f, counts in enumerate(doc):
                for term in counts:
                    if term not in order:
                        order[term] = len(order)
                        postings[term] = [{} for _ in self.fields]
                    postings[term][f][ref] = {}
        count = len(self.docs)
        idf = {}
        for term, per_field in postings.items():
            with_term = sum(len(p) for p in per_field)
            x = (count - with_term + 0.5) / (with_term + 0.5)
            idf[term] = math.log(1 + abs(x))
        averages = self.field_lengths()
        vectors = []
        for ref, doc in zip(self.refs, self.docs):
            for f, counts in enumerate(doc):
                length = sum(counts.values())
                elements = []
                for term, tf in sorted(counts.items(), key=lambda kv: order[kv[0]]):
                    score = idf[term] * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / averages[f])) + tf)
                    score *= self.boosts[f] or 1
                    elements += [order[term], js_round3(score)]
                vectors.append([f"{self.fields[f]}/{ref}", elements])
        inverted = [[term, {"_index": order[term], **dict(zip(self.fields, postings[term]))}]
                    for term in sorted(postings, key=utf16_key)]
        return {"version": LUNR_VERSION, "fields": list(self.fields), "fieldVectors": vectors,
                "invertedIndex": inverted, "pipeline": list(lunrcompat.SEARCH_PIPELINE)}


def js_round3(score: float) -> float:
    """``Math.round(score * 1000) / 1000`` as JavaScript computes it."""
    scaled = score * 1000
    whole = math.floor(scaled)
    if scaled - whole >= 0.5:
        whole += 1
    return whole / 1000


def build(fields: list[tuple[str, float]], documents: list[tuple[str, list[str]]],
          cache: TermCache | None = None) -> Index:
    """Index ``documents`` (ref, one text per field); a TermCache makes a rebuild after small edits cheap."""
    cache = cache or TermCache()
    index = Index(fields=[name for name, _ in fields], boosts=[boost for _, boost in fields])
    for ref, texts in documents:
        index.refs.append(ref)
        index.docs.append(cache.analyse(texts))
    cache.prune()
    return index
