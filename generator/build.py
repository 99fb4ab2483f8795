"""A whole build, top to bottom: config -> seed -> import -> load -> plan -> render -> search -> write."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import cache, content, delta, exports, output, pages, patch, refs, render, search
from .config import load_config
from .errors import InputError, Problem
from .inputs import Inputs
from .load import Parsed, load_site
from .make import Maker
from .model import Site
from .pipeline import check_unique, find_seed, static_files, template_files
from .quick import Quick


@dataclass
class Last:
    """Watch: what the last build planned, for the next to swap papers into (see Builder.swapped)."""

    settings: str
    site: Site
    plan: list[pages.Page]
    common: dict
    where: dict[str, int] | None = None  # slug -> position in site.papers, made when first needed
    pages_key: str = ""  # a digest of the plan's page paths


@dataclass
class BuildResult:
    site: Site | None  # None when nothing had changed and the content was not even loaded
    pages: int
    stats: output.WriteStats
    seconds: float
    out: Path
    report: content.Report | None = None
    warnings: list[str] = field(default_factory=list)
    rendered: int = 0        # pages rendered this time (the others were unchanged and kept)
    imported: bool = False   # whether the seed was merged (skipped when seed and content did not change)
    workers: int = 1         # processes that rendered pages


class Builder(Inputs, Quick, Maker):
    """Builds one site again and again, redoing only the work whose inputs changed.

    Kept between builds (in memory, and in .scholarsite-cache/ when ``persistent``): the import's inputs,
    parsed paper files, and each output's fingerprint (a digest of everything its rendering reads).
    """

    def __init__(self, site_dir: Path, do_import: bool = True, persistent: bool = True, parallel: bool = True):
        self.site_dir = site_dir.resolve()
        self.do_import = do_import
        self.persistent = persistent
        self.parallel = parallel
        data = cache.load(self.site_dir) if persistent else {}
        try:
            self.import_key: str = str(data.get("import", ""))
            self.outputs: dict[str, list] = dict(data.get("outputs", {}))  # path -> [fingerprint, digest, size]
            self.inputs_key: str = str(data.get("inputs", ""))  # every input of the last build (see settings())
            self.page_count = int(data.get("pages", 0))
            self.inputs_ns = int(data.get("inputs_ns", 0))  # when the last build took its inputs' stats
            # path -> ((inode, mtime_ns, size), read at, digest): see file_digest
            self.digests: dict[str, tuple] = {str(path): ((int(a), int(b), int(c)), int(at), str(d))
                                              for path, ((a, b, c), at, d) in data.get("digests", {}).items()}
            # content file -> ((inode, mtime_ns, size), digest) as an import wrote it, while its date is too
            # recent to trust (see settled)
            self.written: dict[str, tuple] = {str(path): ((int(a), int(b), int(c)), str(d))
                                              for path, ((a, b, c), d) in data.get("written", {}).items()}
        except (TypeError, ValueError, AttributeError):
            self.import_key, self.outputs, self.inputs_key, self.page_count, self.inputs_ns = "", {}, "", 0, 0
            self.digests, self.written = {}, {}
        self.saved_ns = self.inputs_ns
        self._papers: cache.PaperCache | None = None  # read from the cache only when a build loads content
        self.seen: dict[str, os.stat_result] = {}  # the content files import_inputs last looked at (path -> stat)
        self.seen_ns = 0  # when the oldest of those stats was taken
        self.lines: dict[str, str] = {}  # path -> its line in the content listing (see import_inputs)
        self.stamps: dict[str, tuple[int, int]] = {}  # path -> (mtime_ns, size) of ``seen`` (see listing)
        self.order: list[str] | None = None  # the paths of ``lines``, sorted (None: to sort again)
        self.listed = False  # whether ``seen`` is the content as the last build found it (see hints)
        self.seed_key = ""
        self.newest_ns = 0  # the newest modification time among the inputs import_inputs looked at
        self.env_key = ""
        self.env: jinja2.Environment | None = None
        self.templates: cache.Templates | None = None
        self.known: dict[int, tuple] = {}  # id(paper) -> (paper, fingerprint), for papers still in memory
        self.dirty = False
        self.workers = 1
        self.search_cache = search.Cache()
        self.fps = cache.Fingerprints({})
        self._parsed: dict[str, tuple] | None = None  # content files imports read (see Importer, parsed)
        self.parsed_changed = False
        self.quick_imports = False  # keep a memo of each import, for the next to merge only what changed (watch)
        self.started_from: delta.Memo | None = None  # the memo the last quick import started from
        self.memo: delta.Memo | None = None  # the last import this builder wrote, for the next to start from
        self.site: Site | None = None  # what the last build that loaded content loaded
        self.refs: refs.PageRefs | None = None  # which pages showed which papers (watch: see refs.py)
        self.out: Path | None = None  # the output folder of the last build
        self.verified = False  # verify() found the output folder as the last build left it, since then
        self.trusted = False  # this build need not look at the output files it keeps (see verify)
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

    def environment(self, theme: render.Theme, key: str) -> tuple[jinja2.Environment, cache.Templates]:
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
        start = time.perf_counter()
        listed = self.listed
        self.trusted, self.verified = self.verified, False  # output/ as verify() found it, just before
        site_dir = self.site_dir
        config = load_config(site_dir)
        out = site_dir / config.output
        output.check_output_dir(out, site_dir)
        if out != self.out:
            self.trusted, self.out = False, out
        theme = render.find_theme(site_dir, config.theme)  # a missing theme fails before anything is read
        content_dir = site_dir / "content"
        self.newest_ns = 0
        started_ns = time.time_ns()  # inputs changed after this may be missed by the stats: see the fast path
        seed_path = find_seed(site_dir, config) if self.do_import else None
        # In watch, when the watcher names only the seed and content files as changed, the import runs
        # without digesting megabytes first: the digests are taken after the rebuild is reported (catch_up).
        lazy = self.quick_imports and listed and self.lazy_hints(hints, seed_path)
        if lazy:
            self.look(content_dir, [rel for rel in hints or [] if rel.startswith("content/")])
            content_key = inputs = ""
            import_key = self.import_key
        else:
            content_key = self.import_inputs(seed_path, content_dir, hints=hints if listed else None)
            import_key = content_key if self.do_import else self.import_key
        self.listed = True
        static = static_files(theme)
        templates_key = template_files(site_dir, theme)
        settings = self.settings(config, out, templates_key, static)
        if not lazy:
            inputs = cache.digest(settings, content_key)
            if not force and inputs == self.inputs_key and self.intact(out, static) and self.settled(started_ns):
                # Nothing a build reads has changed since the last one, and its output is all in place.
                kept = output.WriteStats(unchanged=len(self.outputs) + len(static))
                return BuildResult(site=None, pages=self.page_count, stats=kept,
                                   seconds=time.perf_counter() - start, out=out, warnings=exports.warnings(config))
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
            if importer is not None:
                self.note_written(importer, wrote, site)
            self.forget_settled()
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
                           warnings=exports.warnings(config))

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
            cache.save(self.site_dir, {"papers": papers.to_json()}, cache.PAPERS_FILE)
            papers.changed = False
        if parsed is not None:
            files = {path: list(entry) for path, entry in sorted(parsed.items())
                     if path in present and cache.plain_json(entry[2])}
            cache.save(self.site_dir, {"files": files}, cache.CONTENT_FILE)
            self.parsed_changed = False
        if self.dirty or self.inputs_ns != self.saved_ns:
            cache.save(self.site_dir, {"import": self.import_key, "outputs": self.outputs, "inputs": self.inputs_key,
                                       "inputs_ns": self.inputs_ns, "pages": self.page_count,
                                       "digests": self.digests, "written": self.written})
            self.dirty, self.saved_ns = False, self.inputs_ns


def build(site_dir: Path, do_import: bool = True) -> BuildResult:
    """Import the seed (when there is one), then render the site into the output folder.

    Work whose inputs did not change since the last build (the import, parsing paper files, rendering a
    page) is skipped using .scholarsite-cache/; the output is always the same as a build from scratch.
    """
    builder = Builder(site_dir, do_import=do_import)
    result = builder.build()
    builder.save()
    return result
