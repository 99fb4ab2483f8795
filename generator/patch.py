"""Watch: the last build's site, page plan and template context with a few papers swapped for their new
versions, when those changed in place (an abstract, a venue, a PDF link: see refs.STRUCTURE).

When no paper's structure changed, ``pages.plan`` and ``pages.common_context`` of the new site give the
same pages with the same values but for the papers themselves (refs.py says why), so swapping the papers
inside the last plan gives what planning again gives, without looking at the other 10,000 papers.
"""

from __future__ import annotations

import dataclasses

from . import exports, pages
from .config import SiteConfig
from .model import Paper, Site

ATOMS = (str, int, float, bool, type(None))
FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass's fields set by its constructor


class Swap:
    """Copies of values with some papers replaced (``table``: id of the old paper -> the new one); each
    container is copied once, so what the old values shared the new ones share too."""

    def __init__(self, table: dict[int, Paper]):
        self.table = table
        self.ids = table.keys()
        self.memo: dict[int, object] = {}
        self.keep: list[object] = []  # the ids in memo stay theirs while this lives

    def __call__(self, value):
        if isinstance(value, ATOMS):
            return value
        if type(value) is Paper:
            return self.table.get(id(value), value)
        key = id(value)
        if key in self.memo:
            return self.memo[key]
        if isinstance(value, (list, tuple)):
            if set(map(type, value)) == {Paper}:  # the usual list of papers: looked through at C speed
                if self.ids.isdisjoint(map(id, value)):
                    out = value
                else:
                    get = self.table.get
                    items = [get(id(v), v) for v in value]
                    out = items if isinstance(value, list) else tuple(items)
            else:
                items = [v if isinstance(v, ATOMS) else self(v) for v in value]
                changed = any(a is not b for a, b in zip(items, value))
                out = (items if isinstance(value, list) else tuple(items)) if changed else value
        elif isinstance(value, dict):
            items = {k: self(v) for k, v in value.items()}
            out = items if any(items[k] is not v for k, v in value.items()) else value
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = FIELDS.get(type(value))
            if names is None:
                names = FIELDS[type(value)] = tuple(f.name for f in dataclasses.fields(value) if f.init)
            old = [getattr(value, name) for name in names]
            items = [v if isinstance(v, ATOMS) else self(v) for v in old]
            changed = any(a is not b for a, b in zip(items, old))
            out = dataclasses.replace(value, **dict(zip(names, items))) if changed else value
        else:
            out = value  # e.g. views.Lookup: made from the structure only
        self.memo[key] = out
        self.keep.append(value)
        return out


def patched(site: Site, plan: list[pages.Page], common: dict, config: SiteConfig, new: dict[int, Paper],
            showing: set[int]) -> tuple[Site, list[pages.Page], dict, Swap]:
    """The site, plan and common context with the papers at positions ``new`` replaced; ``showing``: the
    positions of the pages (in ``plan``) that show any of those papers and are to be swapped now (swap
    others later with ``swap_pages`` and the Swap returned)."""
    papers = list(site.papers)
    table: dict[int, Paper] = {}
    for i, paper in new.items():
        table[id(papers[i])] = paper
        papers[i] = paper
    swap = Swap(table)
    site = dataclasses.replace(site, papers=tuple(papers))
    plan = list(plan)
    swap_pages(plan, showing, swap)
    # (the same settings, profile, categories and keys: the same fingerprint)
    meta = exports.Meta(site, config, common["meta"].keys, common["meta"].fingerprint())
    common = {**common, "site": site, "meta": meta}
    return site, plan, common, swap


def swap_pages(plan: list[pages.Page], positions, swap: Swap) -> None:
    """Swap the papers in the pages at ``positions`` of ``plan`` (in place)."""
    for j in positions:
        page = plan[j]
        plan[j] = pages.Page(page.path, page.template, {k: swap(v) for k, v in page.context.items()})
