"""A whole build, top to bottom: config -> seed -> import -> load -> plan -> render -> search -> write."""

from __future__ import annotations

import multiprocessing
import os
import stat
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import jinja2

from . import cache, content, delta, exports, output, pages, patch, reads, refs, render, search, seed
from .config import SiteConfig, load_config
from .errors import InputError, Problem
from .load import Parsed, load_paper, load_site
from .model import Paper, Site


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


def find_seed(site_dir: Path, config: SiteConfig) -> Path | None:
    """The seed to import: ``seed`` from site.yaml, else the one ``seeds/*.txt``; None when there is none."""
    if config.seed:
        path = site_dir / config.seed
        if not path.is_file():
            raise InputError(Problem("site.yaml", 0, f"'seed' names {config.seed}, which does not exist"))
        return path
    found = sorted((site_dir / "seeds").glob("*.txt"))
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise InputError(Problem("seeds/", 0, f"found {len(found)} seed files ({names}); a site is one profile: "
                                              "keep one, or choose it with 'seed: seeds/NAME.txt' in site.yaml"))
    return found[0] if found else None


def read_seed(path: Path, site_dir: Path, before: seed.Reading | None = None, data: bytes | None = None
              ) -> seed.Reading:
    """The seed, parsed (``before``: its last good reading, to parse only what an edit touched; ``data``:
    its bytes, when the caller has read them)."""
    rel = path.relative_to(site_dir).as_posix() if path.is_relative_to(site_dir) else str(path)
    return seed.read(path.read_bytes() if data is None else data, rel, before)


def run_import(site_dir: Path, config: SiteConfig | None = None, write: bool = True,
               prune: bool = False) -> content.Report | None:
    """Seed -> content/, or None when the site has no seed (content is then edited by hand)."""
    config = config or load_config(site_dir)
    path = find_seed(site_dir, config)
    if path is None:
        return None
    profile = read_seed(path, site_dir).profile
    return content.import_profile(profile, site_dir / "content", site_dir, write=write, prune=prune)


MAX_HINTS = 256  # a watcher's batch of more changed files than this: the content folders are listed again
PARALLEL_MIN = 400  # pages: below this, starting worker processes costs more than it saves
_JOB: tuple = ()  # what forked render workers inherit: (environment, common context, pages, site)


def render_page(env: jinja2.Environment, common: dict, page: pages.Page) -> bytes:
    """One page through its template; template mistakes become InputError with the template's file:line."""
    try:
        html = env.get_template(page.template).render(**common, **page.context, page=page, root=page.root)
    except jinja2.TemplateError as err:
        raise InputError(render.template_problem(err, page.template, env)) from None
    except (TypeError, ValueError, AttributeError, KeyError, LookupError, ArithmeticError) as err:
        raise InputError(render.template_problem(err, page.template)) from None
    return html.encode("utf-8")


def render_pages(site: Site, config: SiteConfig, site_dir: Path, theme: render.Theme) -> dict[str, bytes]:
    """Every HTML page of the site plan, rendered through the theme."""
    env = render.environment(theme, site_dir)
    common = pages.common_context(site, config)
    planned = pages.plan(site, config)
    check_unique(planned)
    return {page.path: render_page(env, common, page) for page in planned}


def check_unique(planned: list[pages.Page]) -> None:
    seen: set[str] = set()
    for page in planned:
        if page.path in seen:
            raise InputError(Problem(page.template, 0, f"two pages would be written to {page.path}"))
        seen.add(page.path)


def search_files(site: Site, search_cache: search.Cache | None = None) -> dict[str, bytes]:
    """The search data files (pass the same cache again for a cheap rebuild after a few edits)."""
    return search.build_files(site, search_cache)


def _render_chunk(start: int, stop: int) -> list[bytes] | list:
    """In a worker: render pages[start:stop] of the inherited job; problems come back as a list."""
    env, common, todo, _ = _JOB
    try:
        return [render_page(env, common, page) for page in todo[start:stop]]
    except InputError as err:
        return ["error", err.problems]


def _search_job() -> dict[str, bytes]:
    return search_files(_JOB[3])


class Aside:
    """``work()`` in a thread of its own; ``join`` waits for it and raises what it raised."""

    def __init__(self, work):
        self.error: BaseException | None = None

        def run() -> None:
            try:
                work()
            except BaseException as err:  # handed to join()
                self.error = err
        self.thread = threading.Thread(target=run, name="scholarsite-aside")
        self.thread.start()

    def join(self) -> None:
        interrupted: BaseException | None = None
        while self.thread.is_alive():
            try:
                self.thread.join()
            except BaseException as err:  # e.g. a second Ctrl-C: the thread must end before anything is cleaned up
                interrupted = interrupted or err
        if interrupted is not None:
            raise interrupted
        if self.error is not None:
            raise self.error


def static_files(theme: render.Theme) -> dict[str, bytes]:
    """The theme's static/ folders (the most specific theme wins), under static/."""
    files: dict[str, bytes] = {}
    for static_dir in reversed(theme.static_dirs):
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                files["static/" + path.relative_to(static_dir).as_posix()] = path.read_bytes()
    return files



def other_outputs(site: Site, config: SiteConfig, theme: render.Theme,
                  html_paths: list[str]) -> list[tuple[str, dict[str, bytes]]]:
    """Outputs besides pages and search data: static files and exports (``html_paths``: for the sitemap)."""
    return [("static", static_files(theme)), ("exports", exports.files(site, config, html_paths))]


def render_site(site: Site, config: SiteConfig, site_dir: Path) -> tuple[dict[str, bytes], int]:
    """Every output file of the site, in memory: pages, search data, static files (no cache)."""
    theme = render.find_theme(site_dir, config.theme)
    files = render_pages(site, config, site_dir, theme)
    count = len(files)
    for name, produced in [("search", search_files(site)), *other_outputs(site, config, theme, sorted(files))]:
        merge_outputs(files, produced, name)
    return files, count


def merge_outputs(files: dict[str, bytes], produced: dict[str, bytes], name: str) -> None:
    for path, data in produced.items():
        if path in files:
            raise InputError(Problem(name, 0, f"two outputs would be written to {path}"))
        files[path] = data


def template_files(site_dir: Path, theme: render.Theme) -> str:
    """A digest of every template file the environment can see, and where it lies."""
    dirs = ([site_dir / "templates"] if (site_dir / "templates").is_dir() else []) + theme.template_dirs
    parts = []
    for folder in dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [str(path), path.read_bytes()]
    return cache.digest(*parts)


def unchanged_file(path: str, size: int) -> bool:
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == size


def in_place(out: Path, manifest: dict[str, str], made: dict[str, list]) -> bool:
    """Whether every file of ``made`` (path -> [fingerprint, digest, size]) is in ``out`` with its size and
    its digest in the manifest."""
    return all(manifest.get(path) == digest and unchanged_file(f"{out}/{path}", size)
               for path, (_, digest, size) in made.items())


class Stamp(NamedTuple):
    """What a stat says of a file's identity, date and size (an import takes it right after writing)."""

    st_ino: int
    st_mtime_ns: int
    st_size: int


class Builder:
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
        except (TypeError, ValueError, AttributeError):
            self.import_key, self.outputs, self.inputs_key, self.page_count, self.inputs_ns = "", {}, "", 0, 0
            self.digests = {}
        self.saved_ns = self.inputs_ns
        self._papers: cache.PaperCache | None = None  # read from the cache only when a build loads content
        self.seen: dict[str, os.stat_result] = {}  # the content files import_inputs last looked at (path -> stat)
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

    @property
    def papers(self) -> cache.PaperCache:
        if self._papers is None:
            found = cache.entries(self.site_dir, cache.PAPERS_FILE, "papers", 6) if self.persistent else {}
            self._papers = cache.PaperCache(found)
        return self._papers

    @property
    def parsed(self) -> dict[str, tuple]:
        """Content files as an import read them: path -> (mtime_ns, size, data, read at); kept in
        .scholarsite-cache/content.json between processes (only data JSON keeps exactly)."""
        if self._parsed is None:
            found = cache.entries(self.site_dir, cache.CONTENT_FILE, "files", 4) if self.persistent else {}
            self._parsed = {path: tuple(entry) for path, entry in found.items() if isinstance(entry[2], dict)}
        return self._parsed

    def import_inputs(self, seed_path: Path | None, content_dir: Path, written: list[str] | None = None,
                      hints: list[str] | None = None, stamps: dict[str, tuple[int, int, int]] | None = None) -> str:
        """A digest of what an import reads: the seed, the import state and the content files' stats.

        ``written``: the files an import just wrote (site-relative), with the ``stamps`` it took right
        after writing them; only those are looked at again, the rest of the last look is kept (a file
        whose date or size changed meanwhile then differs next time, so its change is not skipped).
        ``hints``: the inputs the watcher saw change since the last build (site-relative); the content
        files among them are looked at again, with the seed, unless a folder changed or there are many
        (then every file is)."""
        if hints is not None and len(hints) <= MAX_HINTS and all(
                not rel.startswith("content") or rel.startswith("content/") and rel.endswith(".yaml")
                for rel in hints):
            written = [rel for rel in hints if rel.startswith("content/")]
            self.seed_key = cache.digest(str(seed_path), self.file_digest(seed_path) if seed_path else "-")
        elif written is None:
            self.seed_key = cache.digest(str(seed_path), self.file_digest(seed_path) if seed_path else "-")
        self.look(content_dir, written, stamps)
        return self.content_digest(content_dir)

    def look(self, content_dir: Path, written: list[str] | None,
             stamps: dict[str, tuple[int, int, int]] | None = None) -> None:
        """Take the content files' stats again: every file's (``written`` None), or those of ``written``
        (site-relative; with ``stamps``, a file's stamp as taken right after it was written)."""
        stamps = stamps or {}
        if written is None:
            self.seen, self.lines, self.order, self.stamps = {}, {}, None, {}
            for folder in (content_dir, content_dir / "papers"):
                try:
                    entries = sorted(os.scandir(folder), key=lambda e: e.name)
                except OSError:
                    continue
                for entry in entries:
                    if entry.name.endswith(".yaml"):
                        self.seen[entry.path] = entry.stat()
            touched = list(self.seen)
        else:
            touched = []
            for rel in written:
                path = str(self.site_dir / rel)
                if path.endswith(".yaml") and os.path.dirname(path) in (str(content_dir), str(content_dir / "papers")):
                    try:
                        self.seen[path] = Stamp(*stamps[rel]) if rel in stamps else os.stat(path)
                    except OSError:
                        if self.seen.pop(path, None) is not None:
                            del self.lines[path], self.stamps[path]
                            self.order = None
                        continue
                    touched.append(path)
        seen, lines, stamps = self.seen, self.lines, self.stamps
        for path in touched:
            st = seen[path]
            if path not in lines:
                self.order = None
            stamps[path] = (st.st_mtime_ns, st.st_size)
            name = f"{os.path.basename(os.path.dirname(path))}/{os.path.basename(path)}"
            lines[path] = f"{name}:{st.st_mtime_ns}:{st.st_size}"
        if self.order is None:
            self.order = sorted(lines)

    def content_digest(self, content_dir: Path) -> str:
        """The digest import_inputs returns, of the seed's (``seed_key``), the state's and the last look."""
        self.newest_ns = max((st.st_mtime_ns for st in self.seen.values()), default=0)
        listing = "\n".join([self.lines[path] for path in self.order or []])
        return cache.digest(self.seed_key, self.file_digest(content_dir / content.STATE_FILE), listing)

    def file_digest(self, path: Path) -> str:
        """A digest of a file's bytes ('-' when it is missing), taken again only when its inode, date or size
        changed, or it had been modified within 2 s of the last read (the seed and the import state are
        megabytes at 10,000 papers)."""
        try:
            st = os.stat(path)
        except OSError:
            self.digests.pop(str(path), None)
            return "-"
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        known = self.digests.get(str(path))
        if known is not None and known[0] == stamp and st.st_mtime_ns + cache.RACY_NS < known[1]:
            return known[2]
        read_at = time.time_ns()
        try:
            found = cache.digest(path.read_bytes())
        except OSError:
            return "-"
        self.digests[str(path)] = (stamp, read_at, found)
        return found

    def listing(self) -> dict[str, tuple[int, int]]:
        """The content files import_inputs saw: path -> (mtime_ns, size)."""
        return dict(self.stamps)

    def plan_import(self, seed_path: Path, content_dir: Path) -> tuple[content.Importer, seed.Reading | None]:
        """The import of the seed, planned: only the entries an edit touched when nothing else changed since
        this builder's last import (see delta.py), else the whole seed. The seed's reading comes back only
        for a memo (``quick_imports``): one-shot builds let it go before worker processes inherit it."""
        memo = self.memo
        st = os.stat(seed_path)
        read_at = time.time_ns()
        data = seed_path.read_bytes()
        self.seed_read = (seed_path, (st.st_ino, st.st_mtime_ns, st.st_size), read_at, data)
        reading = read_seed(seed_path, self.site_dir, memo.reading if memo else None, data)
        importer = content.Importer(content_dir, self.site_dir, self.parsed, keep=self.quick_imports)
        if memo and delta.unchanged(memo, self.stamps) and delta.plan(memo, reading, importer):
            self.started_from = memo
            return importer, reading
        self.started_from = None
        importer = content.Importer(content_dir, self.site_dir, self.parsed, keep=self.quick_imports)
        self.parsed_changed = True
        importer.plan(reading.profile)
        return importer, reading if self.quick_imports else None

    def warm(self) -> None:
        """Index the search data of the last build's site, and make its papers' BibTeX entries and CSL
        items, when this builder has not yet (a start on an unchanged site loads nothing, see
        ``build(force=True)``, and a build whose exports were in place made none), so that the next edit
        redoes only what it touched. Best effort."""
        if self.site is None:
            return
        if not self.search_cache.shards:
            try:
                search_files(self.site, self.search_cache)
            except Exception:  # the next build makes the search data and reports any problem
                self.search_cache = search.Cache()
        self.search_cache.packer.warm()
        try:
            exports.files(self.site, load_config(self.site_dir), [], cite=False)
        except Exception:  # the next build makes the exports and reports any problem
            pass

    def read_pages(self, busy=lambda: False) -> int:
        """Watch, while idle: render again, without writing, the pages other than the papers' own that no
        rebuild has rendered yet in this process, noting what each reads (reads.py) and making their list
        entries (the ``fragment`` cache), so that an edit in place right after the start renders only what
        it must. Stops as soon as ``busy()`` (changes are waiting). Returns how many it rendered; best
        effort."""
        last, env = self.last, self.env
        if last is None or env is None or not self.quick_imports or self.refs is None:
            return 0
        common, done = last.common, 0
        try:
            with reads.recording():
                for page in last.plan:
                    if page.path.startswith("papers/") or page.path in self.reads:
                        continue  # (a paper's page shows few papers: rendered when an edit needs it)
                    if busy():
                        break
                    _, self.reads[page.path] = reads.record(lambda: render_page(env, common, page))
                    done += 1
        except InputError:  # the next build renders it and reports the problem
            pass
        return done

    def prime(self) -> None:
        """Plan the import of the seed as it is, so that the next seed edit merges only the entries it
        touched (see delta.py); kept only when content/ is already what that plan would write. Writes
        nothing. Best effort."""
        self.catch_up()
        if self.memo is not None or not self.do_import or not self.quick_imports:
            return
        try:
            content_dir = self.site_dir / "content"
            seed_path = find_seed(self.site_dir, load_config(self.site_dir))
            if seed_path is None:
                return
            listed = time.time_ns()
            self.import_inputs(seed_path, content_dir)
            importer, reading = self.plan_import(seed_path, content_dir)
        except Exception:  # best effort: the next build imports in full and reports any problem
            return
        if reading is not None and not importer.files and not importer.deletions:
            checked = delta.checked_times(importer, set(), listed, None)
            listing = self.listing()
            self.memo = delta.Memo(reading, importer, listing, checked,
                                   delta.too_recent(listing, checked, content_dir / "papers"))

    def recheck(self, busy=lambda: False) -> float | None:
        """While idle (watch): see delta.recheck; returns in how many seconds to call again, or None."""
        self.catch_up()
        if self.memo is None:
            return None
        now = time.time_ns()
        due = delta.recheck(self.memo, now, busy)
        return None if due is None else max(0.0, (due - now) / 1e9)

    def lazy_hints(self, hints: list[str] | None, seed_path: Path | None) -> bool:
        """Whether the watcher's hints name only the seed and content files (see build)."""
        if hints is None or len(hints) > MAX_HINTS:
            return False
        seed = seed_path.relative_to(self.site_dir).as_posix() if seed_path is not None else None
        return all(rel == seed or rel.startswith("content/") and rel.endswith(".yaml") for rel in hints)

    def catch_up(self) -> None:
        """Do the bookkeeping the last build left for later (watch leaves it until the rebuild is reported)."""
        while self.later:
            self.later.pop(0)()

    def swapped(self, settings: str, hints: list[str] | None, importer: content.Importer | None,
                planned: dict, config: SiteConfig) -> tuple[Site, list[pages.Page], dict] | None:
        """Watch: the last build's site, plan and context with the papers that changed in place swapped in
        (see patch.py), or None when that is not known to give what loading and planning again give: other
        inputs changed (settings, templates, the profile, a file the watcher did not name), a paper came,
        went or changed in structure, or a changed file has problems (the load reports them)."""
        last = self.last
        if last is None or hints is None or settings != last.settings or self.refs is None:
            return None
        papers_dir = self.site_dir / "content" / "papers"
        changed: set[Path] = set()
        for rel in hints:
            path = self.site_dir / rel
            if path.parent == papers_dir and path.suffix == ".yaml":
                changed.add(path)
            elif not (rel.startswith("seeds/") and rel.endswith(".txt")):
                return None
        if importer is not None:
            if importer.deletions or any(p.parent != papers_dir and p.name != content.STATE_FILE
                                         for p in importer.files):
                return None
            changed.update(p for p in importer.files if p.parent == papers_dir)
        if len(changed) > refs.MAX_CHANGED:
            return None
        where = last.where
        if where is None:
            where = last.where = {p.slug: i for i, p in enumerate(last.site.papers)}
        new: dict[int, Paper] = {}
        for path in sorted(changed):
            i = where.get(path.stem)
            if i is None:
                return None
            problems: list[Problem] = []
            rel = path.relative_to(self.site_dir).as_posix()
            if path in planned:
                paper = load_paper(path, rel, problems, planned)
            else:
                hit, paper = self.papers.get(path)
                if not hit:
                    paper = load_paper(path, rel, problems, self.papers.read(path))
                    if not problems:
                        self.papers.put(path, paper)
            old = last.site.papers[i]
            if problems or paper is None or refs.structure(paper) != refs.structure(old):
                return None
            if paper != old or paper.extra != old.extra:
                new[i] = paper
        showing = self.refs.pages_showing(sorted(new)) if new else set()
        # The pages that read none of the leaf fields that changed (reads.py) come out the same: with the
        # output folder as verify() found it, their papers are swapped once the rebuild is reported.
        self.same = set()
        if self.trusted:
            old_papers = last.site.papers
            leaves = {id(old_papers[i]): reads.leaves_changed(old_papers[i], paper) for i, paper in new.items()}
            for j in showing:
                known = self.reads.get(last.plan[j].path)
                if known is not None and not any(known.get(key, 0) & bits for key, bits in leaves.items()):
                    self.same.add(j)
        site, plan, common, self.swap = patch.patched(last.site, last.plan, last.common, config, new,
                                                      showing - self.same)
        return site, plan, common

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
        self.catch_up()
        start = time.perf_counter()
        listed, self.listed = self.listed, False  # a build that fails before listing the content leaves none
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
            if (not force and inputs == self.inputs_key and self.newest_ns + cache.RACY_NS < self.inputs_ns
                    and self.intact(out, static)):
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
            self.papers.stats = self.seen  # the load need not ask again
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
        self.after_make = None
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

    def make(self, job: output.Commit, env: jinja2.Environment, templates: cache.Templates, common: dict,
             plan: list[pages.Page], site: Site, config: SiteConfig, static: dict[str, bytes],
             importer: content.Importer | None) -> tuple:
        """Render what changed, the search data and the exports, into ``job``; what was kept stays. The
        import's files are staged meanwhile (put in place only once everything worked).

        Returns (stats, made, kept, fingerprints, todo, need_search, exports_kept); ``kept`` is None when
        every output but those made was kept (in watch, after papers changed in place)."""
        manifest = job.old
        self.rendered_reads = {}
        fps = self.fps = cache.Fingerprints({**self.known, **self.papers.hits},
                                            self.fps if self.quick_imports else None)
        shared = cache.digest(fps.of({k: v for k, v in common.items() if k != "site"}),
                              fps.site(site, templates.wide))
        fragments = env.globals.get("fragment")
        if isinstance(fragments, render.Fragments):
            fragments.next_build(shared)
        out = job.out
        meta = common["meta"]
        # In watch, after a few papers changed in place only the pages showing them are fingerprinted, and
        # when the output folder is known to be as the last build left it, the others are not looked at.
        paths = [page.path for page in plan]
        last = self.refs if self.quick_imports else None
        changed = last.changed(site.papers, paths, shared, templates, meta.keys, meta.base_url) if last else None
        if last is not None and changed is not None:
            page_list = sorted(last.pages_showing(changed))
            prints, cite_prints = list(last.prints), list(last.cite_prints)
        else:
            page_list, prints, cite_prints = list(range(len(plan))), [""] * len(plan), [""] * len(site.papers)
        in_place = changed is not None and self.trusted and self.groups.keys() >= {"search", "exports"}
        self.changed_at = changed or []
        kept: dict[str, str] | None = None if in_place else {}
        fingerprints: dict[str, str] = {}
        todo: list[pages.Page] = []

        def check(path: str, fp: str) -> bool:
            """Note an output's fingerprint; whether the output of the last build can stay."""
            fingerprints[path] = fp
            if self.is_kept(path, fp, manifest, out):
                if kept is not None:
                    kept[path] = manifest[path]
                return True
            return False

        walk = fps.walk
        redo = set(page_list)
        # In place, a page that read none of the fields that changed comes out the same (see swapped): it
        # takes its papers and its new fingerprint once the rebuild is reported (see fingerprint_later).
        same = sorted(self.same) if in_place else []
        if self.same and not in_place:
            patch.swap_pages(plan, self.same, self.swap)  # (needed now after all)

        def fingerprint(page: pages.Page) -> str:
            return cache.digest(page.path, page.template, templates.digest(page.template), shared,
                                *[f"{k}={walk(v)}" for k, v in page.context.items()])
        skip = set(same)
        for j, page in enumerate(plan):
            if j in redo:
                if j in skip:
                    continue
                prints[j] = fingerprint(page)
            elif in_place:
                continue
            if not check(page.path, prints[j]):
                todo.append(page)
        # Each paper's cite.bib, like a page, is made again only when its paper, key or URL changed.
        cites: list[tuple[str, Paper]] = []
        papers = site.papers
        for i in (changed if changed is not None else range(len(papers))):
            cite_prints[i] = cache.digest("cite", walk(papers[i]), *exports.cite_inputs(meta, papers[i]))
        for i in (changed if in_place else range(len(papers))):  # type: ignore[union-attr]
            path = meta.cite_path(papers[i])
            if not check(path, cite_prints[i]):
                cites.append((path, papers[i]))
        search_fp = cache.digest("search", fps.of(config), fps.site(site, True))
        search_kept = self.reusable("search", search_fp, manifest, out)
        need_search = search_kept is None
        # The other exports (BibTeX, CSL-JSON, feeds, sitemap) read every paper, the profile and the pages.
        pages_key = self.last.pages_key if self.last is not None and changed is not None else ""
        if not pages_key:
            pages_key = cache.digest(*sorted(paths))
        self.pages_key = pages_key
        exports_fp = cache.digest("exports", fps.of(config), fps.site(site, True), fps.of(meta), pages_key)
        exports_kept = self.reusable("exports", exports_fp, manifest, out)
        made: dict[str, tuple[str, int]] = {}  # path -> (digest, size) of every file made this time
        made_exports: dict[str, bytes] = {}
        made_cites: dict[str, bytes] = {}

        def add(group: str, path: str, data: bytes) -> None:
            if path in made or (kept is not None and path in kept):
                raise InputError(Problem(group, 0, f"two outputs would be written to {path}"))
            job.add(path, data)
            made[path] = (job.new[path], len(data))

        def meanwhile() -> None:
            """Runs in a thread while the pages are written, when worker processes render them: it must not
            touch ``job`` (only this thread adds to it); what it makes is added after it ended."""
            if importer:
                importer.stage()
            made_cites.update((path, exports.cite_file(meta, paper)) for path, paper in cites)
            if exports_kept is None:
                made_exports.update(exports.files(site, config, sorted(paths), cite=False, meta=meta))

        searched = self.render(env, common, todo, site, need_search, lambda path, data: add("pages", path, data),
                               meanwhile)
        for path, data in made_cites.items():
            add("exports", path, data)
        for path, data in static.items():
            add("static", path, data)
        groups = {}
        for group, fp, reused, produced in (("search", search_fp, search_kept, searched),
                                            ("exports", exports_fp, exports_kept, made_exports)):
            if reused is None:
                for path, data in produced.items():
                    add(group, path, data)
            elif kept is not None:
                kept.update(reused)
            groups[group] = (fp, sorted(produced if reused is None else reused))
            fingerprints.update(dict.fromkeys(groups[group][1], fp))
        if kept is None:
            job.keep_others()
        else:
            job.keep(kept)
        self.next_groups = groups
        if self.quick_imports:
            self.remember_reads(last, changed if in_place else None, site.papers, paths)
            if last is not None and changed is not None:
                last.substitute(site.papers, changed, prints, cite_prints)
            else:
                shown_on = refs.page_refs(site.papers, [page.context for page in plan])
                self.refs = refs.PageRefs(site.papers, paths, prints, shown_on, shared, templates, cite_prints,
                                          meta.keys, meta.base_url)

        swap = self.swap

        def fingerprint_later() -> None:
            """The papers and the new fingerprints of the pages that came out the same (``same``)."""
            patch.swap_pages(plan, same, swap)  # type: ignore[arg-type]
            for j in same:
                prints[j] = fingerprint(plan[j])  # (prints is what self.refs keeps)
                path = plan[j].path
                self.outputs[path] = [prints[j], *self.outputs[path][1:]]
            fps.done()
        self.after_make = fingerprint_later
        return job.stats, made, kept, fingerprints, todo, need_search, exports_kept

    def remember_reads(self, last: refs.PageRefs | None, changed: list[int] | None, papers: tuple[Paper, ...],
                       paths: list[str]) -> None:
        """Keep what the pages rendered this time read (``rendered_reads``); in place (``changed``), the
        others keep theirs, with the changed papers' new ids; otherwise they are forgotten (their papers
        may be other objects now)."""
        if last is None or changed is None:
            self.reads = self.rendered_reads
        else:
            for i in changed:
                old, new = id(last.papers[i]), id(papers[i])
                for j in last.shown_on.get(old, ()):
                    found = self.reads.get(paths[j])
                    if found is not None and old in found:
                        found[new] = found.pop(old)
            self.reads.update(self.rendered_reads)
        self.rendered_reads = {}

    def settings(self, config: SiteConfig, out: Path, templates_key: str, static: dict[str, bytes]) -> str:
        """A digest of what a build reads besides seed and content: site.yaml, templates, static files. With
        the content's digest it makes the build's inputs: equal inputs and an intact output mean there is
        nothing to do."""
        parts = [repr(config), str(out), str(self.do_import), templates_key]
        for path, data in sorted(static.items()):
            parts += [path, data]
        return cache.digest(*parts)

    def intact(self, out: Path, static: dict[str, bytes]) -> bool:
        """Whether ``out`` still holds every file the last build made, as it made them (sizes and manifest)."""
        if not self.outputs or output.staging_paths(out)[1].exists():
            return False
        manifest = output.read_manifest(out)
        made = {**self.outputs, **{path: ["", output.digest(data), len(data)] for path, data in static.items()}}
        return len(manifest) == len(made) and in_place(out, manifest, made)

    def reusable(self, group: str, fp: str, manifest: dict[str, str], out: Path) -> dict[str, str] | None:
        """The outputs the last build made under fingerprint ``fp`` (path -> digest) when all are still in
        place unchanged; None when there are none or any is gone (then they are made again). ``group``:
        the last build's record of what it made under that name, when it kept one."""
        known = self.groups.get(group)
        if known is not None:  # what the last build made under that name, with what fingerprint
            if known[0] != fp:
                return None
            made = known[1]
        else:
            made = [p for p, v in self.outputs.items() if v[0] == fp]
        kept = {p: manifest[p] for p in made if self.is_kept(p, fp, manifest, out)}
        return kept if made and len(kept) == len(made) else None

    def is_kept(self, path: str, fp: str, manifest: dict[str, str], out: Path) -> bool:
        old = self.outputs.get(path)
        return (old is not None and old[0] == fp and manifest.get(path) == old[1]
                and (self.trusted or unchanged_file(f"{out}/{path}", old[2])))

    def free(self) -> None:
        """Free the files the last builds replaced (watch keeps them until the rebuild is reported)."""
        if self.retired is not None:
            self.retired.empty()

    def verify(self) -> bool:
        """Whether the output folder still holds every file the last build made, as it made them (their
        sizes and the manifest's records). When it does, the next build does not look at each file it
        keeps again: the watcher calls this while idle, and rebuilds at once when it returns False."""
        out = self.out
        self.verified = False
        if out is None or not self.outputs:
            return True
        self.manifest = output.read_manifest(out)
        self.verified = not output.staging_paths(out)[1].exists() and in_place(out, self.manifest, self.outputs)
        return self.verified

    def remember(self, made: dict[str, tuple[str, int]], kept: dict[str, str] | None,
                 fingerprints: dict[str, str]) -> None:
        """Record what each output was made from (``kept`` None: every output not made was kept)."""
        outputs = {p: [fingerprints[p], digest, size] for p, (digest, size) in made.items() if p in fingerprints}
        if kept is None:
            self.outputs = {**self.outputs, **outputs}
            return
        outputs.update({p: self.outputs[p] for p in kept if p in self.outputs})
        self.outputs = outputs

    def render(self, env: jinja2.Environment, common: dict, todo: list[pages.Page], site: Site,
               need_search: bool, sink, meanwhile) -> dict[str, bytes]:
        """Render the pages that changed into ``sink(path, data)`` (in worker processes when there are many,
        while this process runs ``meanwhile`` and writes what they send); returns the search data."""
        global _JOB
        workers = min(2, os.cpu_count() or 1)
        if not (self.parallel and workers > 1 and len(todo) >= PARALLEL_MIN and threading.active_count() == 1
                and "fork" in multiprocessing.get_all_start_methods()):
            self.workers = 1
            meanwhile()
            if not self.quick_imports:
                for page in todo:
                    sink(page.path, render_page(env, common, page))
            else:  # watch: note what each page reads (see reads.py)
                with reads.recording():
                    for page in todo:
                        data, self.rendered_reads[page.path] = reads.record(lambda: render_page(env, common, page))
                        sink(page.path, data)
            return search_files(site, self.search_cache) if need_search else {}
        _JOB = (env, common, todo, site)
        self.workers = workers
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                searching = pool.submit(_search_job) if need_search else None
                step = max(50, len(todo) // (16 * workers))  # small chunks: written soon after rendered
                chunks = [(i, pool.submit(_render_chunk, i, i + step)) for i in range(0, len(todo), step)]
                # The workers are forked by now: a thread may run. It stages the import's files and makes
                # the exports while this thread writes the pages (both mostly wait for the disk).
                aside = Aside(meanwhile)
                try:
                    for i, future in chunks:
                        result = future.result()
                        if result and result[0] == "error":
                            raise InputError(result[1])
                        for page, data in zip(todo[i:i + step], result):
                            sink(page.path, data)
                finally:
                    aside.join()
                return searching.result() if searching else {}
        finally:
            _JOB = ()

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
                                       "digests": self.digests})
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
