"""Which pages show which papers: after a few papers changed in place (an abstract, a venue, a PDF link),
a rebuild fingerprints only the pages that show them and keeps the others' fingerprints.

This holds because the page plan, and every value in a page's context besides the papers themselves
(years, categories, coauthors, related papers, neighbours, BibTeX keys), is made from the papers'
STRUCTURE fields, the profile and the settings alone. When those are all the same, the plan is the same
and a page's context differs from the last build's only in the papers substituted in it; a page that
showed none of the changed papers has the very same inputs, hence the same fingerprint.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from itertools import compress, count
from operator import is_not

from .cache import PAPER_FIELDS
from .model import Paper
from .reads import LEAF_FIELDS

STRUCTURE = tuple(f for f in PAPER_FIELDS if f not in LEAF_FIELDS)  # new fields count as structure
MAX_CHANGED = 64  # more changed papers than this: fingerprint every page (it costs about the same)
EMPTY: frozenset[int] = frozenset()
ATOMS = (str, int, float, bool, dt.date)


def structure(paper: Paper) -> tuple:
    return tuple(getattr(paper, name) for name in STRUCTURE)


class Shown:
    """The ids of the papers a value shows (in lists, tuples, dicts and dataclasses), memoised per
    container for one build (the objects are kept alive meanwhile)."""

    def __init__(self) -> None:
        self.memo: dict[int, frozenset[int]] = {}
        self.keep: list[object] = []

    def of(self, value) -> frozenset[int]:
        if isinstance(value, Paper):
            return frozenset((id(value),))
        if value is None or isinstance(value, ATOMS):
            return EMPTY
        found = self.memo.get(id(value))
        if found is not None:
            return found
        if isinstance(value, (list, tuple)):
            if all(type(v) is Paper for v in value):
                found = frozenset(map(id, value))
            else:
                found = EMPTY.union(*map(self.of, value))
        elif isinstance(value, dict):
            found = EMPTY.union(*map(self.of, value.values()))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            found = EMPTY.union(*(self.of(getattr(value, f.name)) for f in dataclasses.fields(value)))
        else:
            found = EMPTY  # e.g. views.Lookup: fingerprinted by its own table, shows no paper
        self.memo[id(value)] = found
        self.keep.append(value)
        return found


class PageRefs:
    """One build's page fingerprints, and which pages showed each paper (by the paper's id; the papers
    are kept alive here, so the ids stay theirs)."""

    def __init__(self, papers: tuple[Paper, ...], paths: list[str], prints: list[str],
                 shown_on: dict[int, list[int]], shared: str, templates: object, cite_prints: list[str],
                 keys: dict[str, str], base_url: str):
        self.papers = papers
        self.paths = paths
        self.prints = prints            # per page, in plan order
        self.shown_on = shown_on        # id(paper) -> positions of the pages that show it
        self.shared = shared            # what every page reads (settings, profile)
        self.templates = templates      # the cache.Templates the fingerprints were made with
        self.cite_prints = cite_prints  # per paper, its cite.bib's fingerprint
        self.keys = keys                # the BibTeX keys (slug -> key)
        self.base_url = base_url

    def changed(self, papers: tuple[Paper, ...], paths: list[str], shared: str, templates: object,
                keys: dict[str, str], base_url: str) -> list[int] | None:
        """Positions of the papers that changed in place since these fingerprints, or None when more
        changed (the plan, the settings, the templates, any paper's structure, too many papers)."""
        old = self.papers
        if (shared != self.shared or templates is not self.templates or base_url != self.base_url
                or len(papers) != len(old) or paths != self.paths):
            return None
        changed = list(compress(count(), map(is_not, old, papers)))
        if len(changed) > MAX_CHANGED or any(structure(old[i]) != structure(papers[i]) for i in changed):
            return None
        return changed if keys == self.keys else None

    def pages_showing(self, changed: list[int]) -> set[int]:
        old, shown_on = self.papers, self.shown_on
        return {j for i in changed for j in shown_on.get(id(old[i]), ())}

    def substitute(self, papers: tuple[Paper, ...], changed: list[int], prints: list[str],
                   cite_prints: list[str]) -> None:
        """Take the new papers in (their pages are the ones the old papers were shown on)."""
        for i in changed:
            positions = self.shown_on.pop(id(self.papers[i]), None)
            if positions is not None:
                self.shown_on[id(papers[i])] = positions
        self.papers, self.prints, self.cite_prints = papers, prints, cite_prints


def page_refs(papers: tuple[Paper, ...], contexts: list[dict]) -> dict[int, list[int]]:
    """id(paper) -> positions of the pages (given by their contexts) that show it."""
    shown = Shown()
    out: dict[int, list[int]] = {id(p): [] for p in papers}
    for j, context in enumerate(contexts):
        for pid in EMPTY.union(*map(shown.of, context.values())):
            found = out.get(pid)
            if found is not None:
                found.append(j)
    return out
