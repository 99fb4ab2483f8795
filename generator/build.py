"""A whole build, top to bottom: config -> seed -> import -> load -> plan -> render -> search -> write."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from . import cache, delta, output, pages, patch, refs, render, store
from .errors import InputError, Problem
from .imports import Imports
from .inputs import Inputs
from .load import Parsed, load_site
from .make import Maker
from .model import Site
from .oneshot import build  # noqa: F401 (build.build: a one-shot build)
from .pipeline import check_unique
from .quick import Quick
from .result import BuildResult
from .themes import Theme

if TYPE_CHECKING:
    from . import search


class Last:
    """Watch: what the last build planned, for the next to swap papers into (see Builder.swapped)."""

    def __init__(self, settings: str, site: Site, plan: list[pages.Page], common: dict,
                 where: dict[str, int] | None = None, pages_key: str = ""):
        self.settings, self.site, self.plan, self.common = settings, site, plan, common
        self.where = where  # slug -> position in site.papers, made when first needed
        self.pages_key = pages_key  # a digest of the plan's page paths


class Builder(Imports, Quick, Maker):
    """Builds one site again and again, redoing only the work whose inputs changed.

    Kept between builds (in memory, and in .scholarsite-cache/ when ``persistent``): the import's inputs,
    parsed paper files, and each output's fingerprint (a digest of everything its rendering reads).
    """

    def __init__(self, site_dir: Path, do_import: bool = True, persistent: bool = True, parallel: bool = True,
                 start: Inputs | None = None):
        """``start``: the Inputs a one-shot build looked with first (oneshot.py), taken over as they are."""
        if start is None:
            Inputs.__init__(self, site_dir, do_import, persistent)
        else:
            self.__dict__.update(vars(start))
        self.parallel = parallel
        self._papers: cache.PaperCache | None = None  # read from the cache only when a build loads content
        self.env_key = ""
        self.env: jinja2.Environment | None = None
        self.templates: cache.Templates | None = None
        self.known: dict[int, tuple] = {}  # id(paper) -> (paper, fingerprint), for papers still in memory
        self.workers = 1
        self._search_cache = None  # (see search_cache)
        self.fps = cache.Fingerprints({})
        self._parsed: dict[str, tuple] | None = None  # content files imports read (see Importer, parsed)
        self.parsed_changed = False
        self.started_from: delta.Memo | None = None  # the memo the last quick import started from
        self.memo: delta.Memo | None = None  # the last import this builder wrote, for the next to start from
        self.site: Site | None = None  # what the last build that loaded content loaded
        self.refs: refs.PageRefs | None = None  # which pages showed which papers (watch: see refs.py)
        self.last: Last | None = None  # watch: the last build's site, plan and context (see swapped)
        self.groups: dict[str, tuple[str, list[str]]] = {}  # search, exports -> (fingerprint, their outputs)
        self.next_groups: dict[str, tuple[str, list[str]]] = {}
        self.pages_key = ""  # a digest of the last build's page paths
        self.changed_at: list[int] = []  # the positions of the papers the last build found changed in place
        self.manifest: dict[str, str] = {}  # output/'s manifest as verify() last read it
        self.manifest_text = output.ManifestText()
        self.retired: output.Retired | None = None  # watch: the files the last build replaced (see free)
        self.reads: dict[str, dict[int, int]] = {}  # watch: page path -> what it read when last rendered
        self.later: list = []  # bookkeeping a build left for catch_up
        self.seed_read: tuple = ()  # (path, stamp, read at, bytes) of the seed as the last import read it
        self.after_make = None  # what make left for catch_up
        self.same: set[int] = set()  # the positions of the pages swapped (see swapped) will not change
        self.swap: patch.Swap | None = None  # and what swaps their papers
        self.rendered_reads: dict[str, dict[int, int]] = {}

    @property
    def search_cache(self) -> search.Cache:
        """What making the search data keeps for the next time (made when first needed: the search modules
        are imported only where the search data is made, in a small site's forked process)."""
        if self._search_cache is None:
            from . import search

            self._search_cache = search.Cache()
        return self._search_cache

    @search_cache.setter
    def search_cache(self, cache: search.Cache | None) -> None:
        self._search_cache = cache

    def environment(self, theme: Theme, key: str) -> tuple[jinja2.Environment, cache.Templates]:
        """The Jinja environment, reused (templates stay compiled) while no template file changes (``key``:
        template_files)."""
        if self.env is None or self.templates is None or key != self.env_key:
            self.env = render.environment(theme, self.site_dir)
            self.templates = cache.Templates(self.env, render.template_cache_dir())
            self.env_key = key
        return self.env, self.templates

    def build(self, force: bool = False, hints: list[str] | None = None) -> BuildResult:
        """Import (when the seed or content changed), load, render what changed, write what differs.
        ``force``: load and check everything even when no input changed (see prime). ``hints``: the
        inputs (site-relative) a watcher saw change since the last build, when it saw every change."""
        try:
            return self._build(force, hints)
        except BaseException:
            # A build that fails took in its hints (a watcher does not give them again) and may leave
            # watch's plan, page refs and reads speaking of papers it did not publish: the next build
            # lists the content in full and plans afresh.
            self.listed = False
            self.last, self.refs, self.reads, self.same = None, None, {}, set()
            raise

    def _build(self, force: bool, hints: list[str] | None) -> BuildResult:
        self.catch_up()
        if self.looked is not None and hints is None:  # a one-shot build looked first, and found work to do
            look, found = self.looked, None
        else:
            look = self.look_at(hints)
            found = None if force else self.unchanged(look)
        self.looked = None
        if found is not None:
            return found
        start, listed, config, out, theme = look.start, look.listed, look.config, look.out, look.theme
        started_ns, seed_path, lazy, static = look.started_ns, look.seed_path, look.lazy, look.static
        content_key, import_key, templates_key = look.content_key, look.import_key, look.templates_key
        settings, inputs = look.settings, look.inputs
        site_dir, content_dir = self.site_dir, self.site_dir / "content"
        importer = reading = None
        if seed_path is not None and (lazy or import_key != self.import_key):
            importer, reading = self.plan_import(seed_path, content_dir)
        planned = Parsed(importer.files, {p: d for p, d in importer.data.items() if p.parent.name == "papers"}
                         ) if importer else {}
        if not (content_dir / "profile.yaml").exists() and content_dir / "profile.yaml" not in planned:
            raise InputError(Problem("content/profile.yaml", 0, "no content yet: put a seed in seeds/ "
                                                                 "(or write content/profile.yaml by hand)"))
        self.papers.hits = {}
        env, templates = self.environment(theme, templates_key)
        swapped = self.swapped(settings, hints if listed else None, importer, planned, config)
        if swapped is not None:
            site, plan, common = swapped
        else:
            self.last, self.same = None, set()
            self.papers.stats, self.papers.stats_ns = self.seen, self.seen_ns  # the load need not ask again
            site = load_site(content_dir, site_dir, planned, self.papers)
            self.papers.stats = {}
            plan = pages.plan(site, config)
            check_unique(plan)
            common = pages.common_context(site, config)
        # Changed files go to a staging folder as they are made (the manifest verify() just read is used).
        retired = None
        if self.quick_imports:
            if self.retired is None or self.retired.folder != output.retired_folder(out):
                self.retired = output.Retired(output.retired_folder(out))
            retired = self.retired
        job = output.Commit(out, self.manifest if self.trusted else None, self.manifest_text, retired)
        if importer is not None:
            importer.retired = retired
        try:
            stats, made, kept, fingerprints, todo, need_search, exports_kept = self.make(
                job, env, templates, common, plan, site, config, static, importer)
            # Everything is known to work: only now is anything written where the user sees it. The
            # output's journal comes first (a full disk fails there, before content/ changes).
            report = None
            job.prepare()
            wrote = time.time_ns()  # a file saved after the import's write has a date from here on
            if importer:
                importer.write()
                report = importer.report
            stats = job.apply()
        except BaseException:
            job.abort()
            self.fps.done()
            if importer:
                importer.discard()
                self.memo = None
            raise
        if importer is not None:
            importer.files, importer.data = {}, {}  # written: a memo needs what the plan decided only
        before = set(self.outputs) if kept is not None else None
        self.remember(made, kept, fingerprints)
        self.later.append(self.after_make)
        self.groups = self.next_groups
        self.dirty |= (bool(todo) or need_search or exports_kept is None
                       or (before is not None and before != set(self.outputs)))

        def keys() -> None:
            """The digests of what this build read, for the next to know what changed (in watch, taken
            once the rebuild is reported)."""
            content, key = content_key, import_key
            if lazy and importer is None:
                self.seed_key = cache.digest(str(seed_path), "-")  # (no seed to import)
                content = self.content_digest(content_dir)
            if importer is not None:
                if lazy:  # the bytes the import read, not what the seed may hold by now
                    path, stamp, read_at, data = self.seed_read
                    found = cache.digest(data)
                    self.digests[str(path)] = (stamp, read_at, found)
                    self.seed_key = cache.digest(str(path), found)
                self.newest_ns = 0
                report = importer.report
                content = self.import_inputs(seed_path, content_dir, report.written + report.deleted, stamps=report.stamps)
                if self.quick_imports:
                    written = {str(self.site_dir / rel) for rel in report.written}
                    before = self.started_from
                    checked = delta.checked_times(importer, written, wrote, before)
                    self.started_from = None  # (let the memo before go)
                    recent = before.still | written if before is not None and before.still is not None else None
                    digests = {p: d for p, d in before.digests.items() if p in recent} if before and recent else {}
                    self.memo = delta.Memo(reading, importer, self.listing(), checked, recent,  # type: ignore[arg-type]
                                           digests={**digests, **importer.digests})
            if importer is not None or lazy:
                key = content if self.do_import else import_key
            self.dirty |= key != self.import_key
            self.import_key = key
            # A file saved during this build (even one the key above already saw) has a newer time than
            # started_ns, so the next build cannot take the fast path until it has looked again.
            self.inputs_key = cache.digest(settings, content) if importer is not None or lazy else inputs
            self.inputs_ns = started_ns
            # What the imports before wrote may not be what this build used (a hand edit since, that the
            # dates could not tell): only what this one's import wrote is kept (see settled).
            self.written = self.note_written(importer, wrote, site) if importer is not None else {}
        self.later.append(keys)
        if not self.quick_imports:
            self.catch_up()
        self.page_count = len(plan)
        memo = self.fps.memo
        if kept is None and self.site is not None:  # in place: only the changed papers are new
            for i in self.changed_at:
                self.known.pop(id(self.site.papers[i]), None)
                if id(site.papers[i]) in memo:
                    self.known[id(site.papers[i])] = (site.papers[i], memo[id(site.papers[i])])
        else:
            self.known = {id(p): (p, memo[id(p)]) for p in site.papers if id(p) in memo}
        self.site = site
        if self.quick_imports:
            self.last = Last(settings, site, plan, common, self.last.where if self.last else None, self.pages_key)
        return BuildResult(site=site, pages=len(plan), stats=stats, seconds=time.perf_counter() - start, out=out,
                           report=report, rendered=len(todo), imported=importer is not None, workers=self.workers,
                           warnings=config.warnings())

    def save(self) -> None:
        """Keep what this builder knows for the next process (best effort)."""
        self.catch_up()
        if not self.persistent:
            return
        papers = self._papers if self._papers is not None and self._papers.changed else None
        parsed = self._parsed if self._parsed is not None and self.parsed_changed else None
        if papers is not None or parsed is not None:
            present = {str(p) for p in (self.site_dir / "content" / "papers").glob("*.yaml")}
        if papers is not None:
            papers.forget_missing(present)
            store.save(self.site_dir, {"papers": papers.to_json()}, store.PAPERS_FILE)
            papers.changed = False
        if parsed is not None:
            files = {path: list(entry) for path, entry in sorted(parsed.items())
                     if path in present and cache.plain_json(entry[2])}
            store.save(self.site_dir, {"files": files}, store.CONTENT_FILE)
            self.parsed_changed = False
        self.save_state()
