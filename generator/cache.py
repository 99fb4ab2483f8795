"""What did not change between builds: fingerprints of page inputs, parsed papers (the cache folder's
files themselves: store.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import time
from itertools import compress, count
from operator import is_not
from pathlib import Path

import jinja2
from jinja2 import meta, nodes

from .model import Paper, Site
from .output import digest as output_digest
from .store import RACY_NS, digest, holds

PAPER_FIELDS = [f.name for f in dataclasses.fields(Paper)]
SITE_FIELDS = {f.name for f in dataclasses.fields(Site)} - {"papers"}  # what templates may read cheaply


def paper_fingerprint(paper: Paper) -> str:
    return digest(repr(paper))


class Fingerprints:
    """Digests of template inputs, memoised per object for one build, and taken from ``before`` (the build
    before's Fingerprints, in watch) for the very objects it walked: plans and their values are never
    changed once made, so an object that lives on has the same digest."""

    def __init__(self, known: dict[int, tuple] | None = None, before: Fingerprints | None = None):
        self.memo: dict[int, str] = {}
        self.keep: dict[int, object] = {}  # memo keys are ids: keep the objects alive
        self.known = known or {}  # id -> (paper, fingerprint) from the last build
        self.before = before
        self.last: tuple[tuple[Paper, ...], list[str]] | None = None  # the site's papers and their digests

    def done(self) -> None:
        """Let the build before's digests go (what this build reused from them it holds itself)."""
        self.before = None

    def of(self, value) -> str:
        return digest(self.walk(value))

    def walk(self, value) -> str:
        """A short string that changes whenever ``value`` does (digests stand for papers and containers)."""
        key = id(value)
        found = self.memo.get(key)
        if found is not None:
            return found
        if value is None or isinstance(value, (str, int, float, bool, dt.date)):
            return repr(value)
        before = self.before
        if before is not None and before.keep.get(key) is value:
            out = self.memo[key] = before.memo[key]
            self.keep[key] = value
            return out
        if isinstance(value, Paper):
            known = self.known.get(key)
            out = known[1] if known and known[0] is value else paper_fingerprint(value)
        elif isinstance(value, (list, tuple)):
            memo = self.memo
            out = digest(type(value).__name__, *[memo.get(id(v)) or self.walk(v) for v in value])
        elif isinstance(value, dict):
            out = digest("dict", *(f"{k!r}={self.walk(v)}" for k, v in value.items()))  # same order, same data
        elif callable(getattr(value, "fingerprint", None)):  # e.g. exports.Meta, views.Lookup
            out = digest(type(value).__qualname__, value.fingerprint())
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            out = digest(type(value).__name__, *(f"{f.name}={self.walk(getattr(value, f.name))}"
                                                 for f in dataclasses.fields(value)))
        else:
            out = digest(type(value).__qualname__, repr(value))
        self.memo[key] = out
        self.keep[key] = value
        return out

    def site(self, site: Site, with_papers: bool) -> str:
        """The site as templates see it: its profile fields, and its papers when a template reads them."""
        own = [f"{name}={self.walk(getattr(site, name))}" for name in sorted(SITE_FIELDS)]
        return digest("site", *own, self.papers(site.papers) if with_papers else "")

    def papers(self, papers: tuple[Paper, ...]) -> str:
        """``walk(papers)``, where the papers the build before walked here in the same place keep their
        digests without a look (after a few papers changed in place, only theirs are walked)."""
        key = id(papers)
        found = self.memo.get(key)
        if found is not None:
            return found
        last = self.before.last if self.before is not None else None
        if last is not None and len(last[0]) == len(papers):
            parts = list(last[1])
            for i in compress(count(), map(is_not, last[0], papers)):
                parts[i] = self.walk(papers[i])
        else:
            parts = [self.walk(p) for p in papers]
        self.last = (papers, parts)
        out = self.memo[key] = digest("tuple", *parts)
        self.keep[key] = papers
        return out


class Templates:
    """Which template files each template depends on, and whether any template reads ``site`` widely."""

    def __init__(self, env: jinja2.Environment, store: Path | None = None):
        self.env = env
        self.sources: dict[str, str] = {}
        self.refs: dict[str, set[str | None]] = {}
        self.wide = False  # some template reads site.papers (or site in a way we cannot follow)
        self.digests: dict[str, str] = {}
        # What parsing found in each template source before: digest -> [referenced names, reads site widely].
        self.store = store / "dependencies.json" if store else None
        self.known: dict[str, list] = {}
        if self.store:
            try:
                self.known = dict(json.loads(self.store.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                self.known = {}
        self.learned = False
        self.all = digest(*(f"{n}\x01{s}" for n, s in sorted(self._all_sources().items())))
        if self.learned and self.store:
            try:
                tmp = self.store.with_name(f".{self.store.name}.{os.getpid()}.tmp")
                tmp.write_text(json.dumps(self.known, sort_keys=True), encoding="utf-8")
                tmp.replace(self.store)
            except OSError:
                pass

    def _all_sources(self) -> dict[str, str]:
        for name in self.env.list_templates():
            self._load(name)
        return self.sources

    def _load(self, name: str) -> None:
        if name in self.sources:
            return
        try:
            source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            self.sources[name], self.refs[name] = "", {None}
            return
        self.sources[name] = source
        key = digest(name, source)
        found = self.known.get(key)
        if not (isinstance(found, list) and len(found) == 2 and isinstance(found[0], list)):
            try:
                tree = self.env.parse(source, name)
            except jinja2.TemplateSyntaxError:
                self.refs[name], self.wide = {None}, True  # the render reports the error
                return
            found = self.known[key] = [sorted(meta.find_referenced_templates(tree), key=str), reads_papers(tree)]
            self.learned = True
        self.refs[name] = set(found[0])
        self.wide = self.wide or bool(found[1])

    def digest(self, name: str) -> str:
        """The sources of a template and everything it extends, imports or includes."""
        if name not in self.digests:
            self.digests[name] = self._digest(name)
        return self.digests[name]

    def _digest(self, name: str) -> str:
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            self._load(current)
            refs = self.refs[current]
            if None in refs:  # a template chosen at render time: depend on every template
                return self.all
            todo += [r for r in refs if r is not None]
        return digest(*(f"{n}\x01{self.sources[n]}" for n in sorted(seen)))


def reads_papers(tree: nodes.Template) -> bool:
    """Whether a template may read ``site`` beyond its profile fields (``site.papers``, ``site.years()``...)."""
    allowed = {id(n.node) for n in tree.find_all(nodes.Getattr)
               if isinstance(n.node, nodes.Name) and n.node.name == "site" and n.attr in SITE_FIELDS}
    return any(n.name == "site" and id(n) not in allowed for n in tree.find_all(nodes.Name))


def paper_to_json(paper: Paper | None) -> dict | None:
    """A paper as JSON, or KeyError when its extra fields would not come back the same."""
    if paper is None:
        return None
    data = {f: getattr(paper, f) for f in PAPER_FIELDS}
    data["date"] = paper.date.isoformat()
    data["authors"] = list(paper.authors)
    if paper.extra:
        try:
            extra = json.dumps(paper.extra, sort_keys=True, allow_nan=False)
        except (TypeError, ValueError):
            raise KeyError(paper.slug) from None
        if json.loads(extra) != paper.extra:
            raise KeyError(paper.slug)
    return data


def paper_from_json(data: dict | None) -> Paper | None:
    if data is None:
        return None
    return Paper(**{**data, "date": dt.date.fromisoformat(data["date"]), "authors": tuple(data["authors"])})


class PaperCache:
    """Parsed paper files keyed by (mtime, size); a file touched close to a build is checked by content."""

    def __init__(self, entries: dict[str, list] | None = None):
        self.entries: dict[str, list] = entries or {}  # path -> [mtime_ns, size, digest, seen_ns, paper, fp]
        self.hits: dict[int, tuple[Paper, str]] = {}  # id(paper) -> (paper, fingerprint) for this build's hits
        self.stats: dict[str, os.stat_result] = {}  # stats this build already took (path -> stat)
        self.stats_ns = 0  # when the oldest of them was taken
        self.pending: dict[str, list] = {}
        self.changed = False

    def get(self, path: str | Path) -> tuple[bool, Paper | None]:
        path = str(path)
        entry = self.entries.get(path)
        if entry is None:
            return False, None
        try:
            st = self.stats.get(path) or os.stat(path)
        except OSError:
            return False, None
        if (st.st_mtime_ns, st.st_size) != (entry[0], entry[1]):
            return False, None
        if st.st_mtime_ns >= entry[3] - RACY_NS:
            looked = self.stats_ns if path in self.stats else time.time_ns()
            if not holds(path, st.st_size, entry[2]):
                return False, None
            if looked > entry[3]:  # what it holds is known as of that stat
                entry[3] = looked
                self.changed = True
        paper = entry[4]
        if isinstance(paper, dict):
            paper = entry[4] = paper_from_json(paper)
        if paper is not None:
            self.hits[id(paper)] = (paper, entry[5])
        return True, paper

    def read(self, path: Path) -> dict[Path, str] | None:
        """A file's text (as a load overlay), remembering the stat and digest of exactly what was read."""
        try:
            st = path.stat()
            data = path.read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            self.pending.pop(str(path), None)
            return None  # the loader reads it again and reports the problem
        self.pending[str(path)] = [st.st_mtime_ns, st.st_size, output_digest(data), time.time_ns()]
        return {path: text}

    def put(self, path: Path, paper: Paper | None) -> None:
        seen = self.pending.pop(str(path), None)
        if seen is not None:
            self.entries[str(path)] = [*seen, paper, paper_fingerprint(paper) if paper else ""]
            self.changed = True

    def wrote(self, path: str, stamp: tuple[int, int, int], found: str, wrote_ns: int, paper: Paper, fp: str) -> None:
        """An entry for a paper file an import wrote, started at ``wrote_ns`` (``found``: its digest)."""
        self.entries[path] = [stamp[1], stamp[2], found, wrote_ns, paper, fp]
        self.changed = True

    def forget_missing(self, present: set[str]) -> None:
        for key in set(self.entries) - present:
            del self.entries[key]
            self.changed = True

    def to_json(self) -> dict:
        out = {}
        for key, (mtime, size, dig, seen, paper, fp) in self.entries.items():
            try:
                out[key] = [mtime, size, dig, seen, paper if isinstance(paper, dict) else paper_to_json(paper), fp]
            except KeyError:
                continue
        return out


def plain_json(value) -> bool:
    """Whether JSON gives ``value`` back exactly (no dates, tuples, non-text keys or non-finite numbers)."""
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(plain_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain_json(v) for k, v in value.items())
    return False
