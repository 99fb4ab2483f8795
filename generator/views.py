"""Derived views of the papers: categories, coauthors and related papers. Pure and deterministic."""

from __future__ import annotations

import functools
import heapq
import re
from collections import Counter
from itertools import compress, count
from operator import is_not

from . import slugs
from .model import Category, Coauthor, Paper, name_key
from .reads import ALL_LEAVES, READS, record

def remember_last(func=None, *, key=None):
    """Reuse the result of the last call made with the very same first argument (and equal others), or,
    with ``key``, with an equal ``key(*arguments)``.

    The page plan, the template context and the exports of one build all ask for the same views of
    the same papers: this makes each view once per build (and, with a key, once while what it reads
    stays the same).
    """
    if func is None:
        return lambda f: remember_last(f, key=key)
    last: list = []

    @functools.wraps(func)
    def wrapper(first, *args):
        if key is not None:
            same = (key(first, *args),)
            hit = bool(last) and last[0] == same
        else:
            same = (first, args)
            hit = bool(last) and last[0][0] is first and last[0][1] == args
        if hit:
            return last[1]
        value = func(first, *args)
        last[:] = [same, value]
        return value
    return wrapper


class PaperMemo:
    """Per-paper results reused from the build before: in one process (watch, serve) a paper whose file
    did not change is the very same object, so its BibTeX entry, CSL item or key is not made again."""

    def __init__(self):
        self.now: dict[tuple[str, int], tuple] = {}
        self.before: dict[tuple[str, int], tuple] = {}
        self.lists: dict[str, tuple] = {}  # kind -> (token, papers, values) of the last call to each()

    def next_build(self) -> None:
        """Keep only what the last build used (older papers can be freed)."""
        self.before, self.now = self.now, {}

    def get(self, kind: str, make, paper: Paper, *args):
        """``make(paper, *args)``, or its value from this build or the one before for this very paper and
        equal ``args`` (which must be hashable; the value must depend on them and that paper only)."""
        k = (kind, id(paper), *args)
        hit = self.now.get(k) or self.before.get(k)
        if hit is not None and hit[0] is paper:
            self.now[k] = hit
            if READS.now is not None:  # a page records what it reads: the value's reads count (reads.py)
                READS.add(hit[2] if hit[2] is not None else {id(paper): ALL_LEAVES})
            return hit[1]
        if READS.now is not None:
            value, made = record(lambda: make(paper, *args))
            self.now[k] = (paper, value, made)
            return value
        value = make(paper, *args)
        self.now[k] = (paper, value, None)
        return value

    def each(self, kind: str, make, papers: tuple[Paper, ...], token=None, args=lambda paper: ()) -> list:
        """``[get(kind, make, p, *args(p)) for p in papers]``, where the last call for ``kind`` (with an equal
        ``token``: what the values read besides each paper) gives the value at each position that holds
        the very same paper: after a few papers changed in place, only theirs are looked up or made."""
        last = self.lists.get(kind)
        if last is not None and len(last[1]) == len(papers) and last[0] == token:
            values = list(last[2])
            for i in compress(count(), map(is_not, last[1], papers)):
                values[i] = self.get(kind, make, papers[i], *args(papers[i]))
        else:
            known = {id(p): (p, v) for p, v in zip(last[1], last[2])} if last is not None and last[0] == token else {}
            values = []
            for paper in papers:
                hit = known.get(id(paper))
                values.append(hit[1] if hit is not None and hit[0] is paper
                              else self.get(kind, make, paper, *args(paper)))
        self.lists[kind] = (token, papers, values)
        return values


PAPERS = PaperMemo()


class Lookup:
    """A name -> URL table that templates call (``coauthor_url(name)``); '' for unknown names.

    Its ``fingerprint`` lets incremental builds see when the table itself changed.
    """

    def __init__(self, table: dict[str, str], key=lambda k: k):
        self.table, self.key = table, key

    def __call__(self, name: str) -> str:
        return self.table.get(self.key(name), "")

    def fingerprint(self) -> str:
        return repr(sorted(self.table.items()))


RELATED_LIMIT = 5
MAX_POSTING = 150  # an author or word shared by more papers than this says little: it is not used
TERMS_PER_PAPER = 3
AUTHORS_PER_PAPER = 10  # a paper looks up its first ten coauthors
COAUTHOR_WEIGHT = 2
WORD_RE = re.compile(r"\w+")
STOPWORDS = frozenset("""a an and are as at be by for from in into is it its of on or the to via with without
    towards toward using we our new how what when do does can""".split())


@remember_last
def categories(papers: tuple[Paper, ...]) -> list[Category]:
    """One Category per code, ordered by code; slugs unique."""
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(paper.category, []).append(paper)
    taken: set[str] = set()
    out = []
    for code in sorted(groups):
        slug = slugs.unique(slugs.slugify(code), taken)
        taken.add(slug)
        out.append(Category(code, slug, tuple(groups[code])))
    return out


@remember_last
def coauthors(papers: tuple[Paper, ...], owner: str) -> list[Coauthor]:
    """Everyone but the owner, most shared papers first, then by name; slugs unique."""
    return [Coauthor(name, slug, tuple(papers[i] for i in positions))
            for name, slug, positions in coauthor_groups(papers, owner)]


@remember_last(key=lambda papers, owner: (owner, tuple(p.authors for p in papers)))
def coauthor_groups(papers: tuple[Paper, ...], owner: str) -> list[tuple[str, str, list[int]]]:
    """(name, slug, positions of their papers) per coauthor, in the order of ``coauthors``; reused while
    every paper's authors stay the same (an abstract edit does not change it)."""
    owner_key = name_key(owner)
    groups: dict[str, list[int]] = {}
    spellings: dict[str, Counter] = {}
    for i, paper in enumerate(papers):
        seen = set()
        for name in paper.authors:
            key = name_key(name)
            if not key or key == owner_key or key in seen:
                continue
            seen.add(key)
            groups.setdefault(key, []).append(i)
            spellings.setdefault(key, Counter())[" ".join(name.split())] += 1
    taken: set[str] = set()
    slug_of = {}
    for key in sorted(groups):
        slug = slugs.unique(slugs.slugify(key), taken)
        taken.add(slug)
        slug_of[key] = slug
    people = [(min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0], slug_of[key], groups[key])
              for key in groups]
    return sorted(people, key=lambda c: (-len(c[2]), c[0].casefold(), c[1]))


def title_terms(title: str) -> set[str]:
    """The distinct words of a title worth matching on (three letters or more, no stopwords)."""
    return {w for w in WORD_RE.findall(title.casefold()) if len(w) >= 3 and w not in STOPWORDS}


def related(papers: tuple[Paper, ...], owner: str, limit: int = RELATED_LIMIT) -> dict[str, tuple[Paper, ...]]:
    """Per paper slug, its related papers (see related_indexes)."""
    found = related_indexes(papers, owner, limit)
    return {paper.slug: tuple(papers[j] for j in found[i]) for i, paper in enumerate(papers)}


@remember_last(key=lambda papers, owner, limit: (owner, limit, tuple((p.slug, p.title, p.authors, p.date)
                                                                    for p in papers)))
def related_indexes(papers: tuple[Paper, ...], owner: str, limit: int = RELATED_LIMIT) -> list[tuple[int, ...]]:
    """For each paper (by position), the positions of up to ``limit`` papers sharing coauthors (weight 2
    each) or rare title words (1 each).

    Inverted indexes keep the cost bounded: postings longer than MAX_POSTING are ignored and each paper
    looks up only its first AUTHORS_PER_PAPER coauthors and its TERMS_PER_PAPER rarest words, so a paper
    examines at most (10 + 3) * 150 others, whatever the size of the site.
    Ties go to the paper closest in date, then to the site's order. The last answer is reused while the
    slugs, titles, authors and dates are the same (an abstract edit does not change it).
    """
    owner_key = name_key(owner)
    by_author: dict[str, list[int]] = {}
    by_term: dict[str, list[int]] = {}
    authors_of: list[list[str]] = []
    terms_of: list[set[str]] = []
    for i, paper in enumerate(papers):
        keys = list(dict.fromkeys(k for k in map(name_key, paper.authors) if k and k != owner_key))
        terms = title_terms(paper.title)
        authors_of.append(keys)
        terms_of.append(terms)
        for key in keys:
            by_author.setdefault(key, []).append(i)
        for term in terms:
            by_term.setdefault(term, []).append(i)
    days = [p.date.toordinal() for p in papers]
    rarity = {t: len(posting) for t, posting in by_term.items()}
    out: list[tuple[int, ...]] = []
    for i, paper in enumerate(papers):
        scores: Counter = Counter()  # (update counts a whole posting in C)
        for key in authors_of[i][:AUTHORS_PER_PAPER]:
            posting = by_author[key]
            if len(posting) <= MAX_POSTING:
                for _ in range(COAUTHOR_WEIGHT):
                    scores.update(posting)
        usable = sorted((rarity[t], t) for t in terms_of[i] if 1 < rarity[t] <= MAX_POSTING)
        for _, term in usable[:TERMS_PER_PAPER]:
            scores.update(by_term[term])
        scores.pop(i, None)
        day = days[i]
        best = heapq.nsmallest(limit, ((-score, abs(days[j] - day), j) for j, score in scores.items()))
        out.append(tuple(j for _, _, j in best))
    return out
