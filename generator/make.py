"""Rendering what changed into an output commit: page fingerprints, the pages (in worker processes when
there are many), cite.bib files, search data and exports; what did not change is kept."""

from __future__ import annotations

import itertools
import os
import threading
from pathlib import Path

import jinja2

from . import cache, content, exports, markup, output, pages, patch, reads, refs, render
from .config import SiteConfig
from .errors import InputError, Problem
from .forked import Ends, Forked
from .model import Paper, Site
from .output import unchanged_file
from .pipeline import render_page, search_files

PARALLEL_MIN = 400  # pages: below this, starting worker processes costs more than it saves
SHARE_MIN = 40  # pages: from this many below PARALLEL_MIN, a forked process renders some of them
_JOB: tuple = ()  # what forked render workers inherit: (environment, common context, pages, site)



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


def fork_available() -> bool:
    import multiprocessing
    return "fork" in multiprocessing.get_all_start_methods()


def math_pages(todo: list[pages.Page], site: Site) -> list[int]:
    """The pages of ``todo`` (indexes) that show math in the built-in themes: a paper's own page when its
    abstract has some, and the home page when it shows such a paper (its lists: ``_holds``) or the bio has
    math. The forked process of Maker.render_shared renders them, so that only it imports latex2mathml
    (20 ms; should another page show math, this process imports it too). None when they are more than a
    quarter of the pages: latex2mathml is then imported before the fork, for both."""
    with_math = {id(paper) for paper in site.papers if markup.math_spans(paper.abstract)}
    bio = bool(markup.math_spans(site.bio))
    if not (with_math or bio):
        return []
    showing = [i for i, page in enumerate(todo) if id(page.context.get("paper")) in with_math
               or page.path == "index.html" and (bio or _holds(page.context, with_math))]
    if len(showing) * 4 > len(todo):
        markup.latex_converter()  # (imported before the fork, for both processes)
        return []
    return showing


def _holds(value, ids: set[int], depth: int = 4) -> bool:
    """Whether ``value`` is one of the objects ``ids`` or holds one in its lists, tuples and dict values,
    ``depth`` levels down (the home page's (year, papers) pairs)."""
    if id(value) in ids:
        return True
    if depth and isinstance(value, dict):
        value = value.values()
    elif not (depth and isinstance(value, (list, tuple))):
        return False
    return any(_holds(item, ids, depth - 1) for item in value)


class Maker:
    """The part of build.Builder that renders and records what it made (its state: Builder.__init__)."""

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

    def remember(self, made: dict[str, tuple[str, int]], kept: dict[str, str] | None,
                 fingerprints: dict[str, str]) -> None:
        """Record what each output was made from (``kept`` None: every output not made was kept)."""
        outputs = {p: [fingerprints[p], digest, size] for p, (digest, size) in made.items() if p in fingerprints}
        if kept is None:
            self.outputs = {**self.outputs, **outputs}
            return
        outputs.update({p: self.outputs[p] for p in kept if p in self.outputs})
        self.outputs = outputs

    def render_shared(self, env: jinja2.Environment, common: dict, todo: list[pages.Page], site: Site,
                      need_search: bool, sink, meanwhile, cores: bool) -> dict[str, bytes]:
        """render() for fewer pages than are worth worker processes: a forked process (forked.py: a few
        milliseconds, where a pool of workers takes tens) makes the search data and, from SHARE_MIN pages
        on, renders pages from the back of the list while this one stages the import's files, makes the
        exports and renders pages from the front, until they meet (forked.Ends). The pages that show math
        are at the back, the forked process's from the start (see math_pages). The pages reach ``sink`` in
        that order (where there is no fork, or the forked process gave no answer, its part is done here at the
        end, see Forked). Of pages that fail, the one told is the first in that order: the forked process
        stops at the first of its own, and this one takes every page before it."""
        share = self.parallel and cores and len(todo) >= SHARE_MIN
        reserved = math_pages(todo, site) if share else []
        if reserved:
            taken = set(reserved)
            todo = [page for i, page in enumerate(todo) if i not in taken] + [todo[i] for i in reserved]
        ends = Ends(len(todo), len(todo) - len(reserved))

        def theirs() -> tuple[dict[int, bytes], dict[str, bytes]]:
            back = ends.back() if share else iter(())
            made = {i: render_page(env, common, todo[i]) for i in itertools.islice(back, len(reserved))}
            searched = search_files(site, self.search_cache) if need_search else {}
            made.update((i, render_page(env, common, todo[i])) for i in back)
            return made, searched

        helper = Forked(theirs, fork=bool(share or need_search and self.parallel and cores))
        try:
            meanwhile()
            for i in ends.front():
                sink(todo[i].path, render_page(env, common, todo[i]))
            last, searched = helper.result()
        finally:
            helper.cancel()
        if helper.answered and ends.front_end < len(todo):  # (the forked process rendered pages too)
            self.workers = 2
        for i in range(ends.front_end, len(todo)):
            sink(todo[i].path, last[i])
        return searched

    def render(self, env: jinja2.Environment, common: dict, todo: list[pages.Page], site: Site,
               need_search: bool, sink, meanwhile) -> dict[str, bytes]:
        """Render the pages that changed into ``sink(path, data)`` (in worker processes when there are many,
        while this process runs ``meanwhile`` and writes what they send); returns the search data."""
        global _JOB
        workers = min(2, os.cpu_count() or 1)
        if not (self.parallel and workers > 1 and len(todo) >= PARALLEL_MIN and threading.active_count() == 1
                and fork_available()):
            self.workers = 1
            if not self.quick_imports:
                return self.render_shared(env, common, todo, site, need_search, sink, meanwhile, workers > 1)
            meanwhile()
            with reads.recording():  # watch: note what each page reads (see reads.py)
                for page in todo:
                    data, self.rendered_reads[page.path] = reads.record(lambda: render_page(env, common, page))
                    sink(page.path, data)
            return search_files(site, self.search_cache) if need_search else {}
        import multiprocessing  # (only builds with many pages to render start worker processes)
        from concurrent.futures import ProcessPoolExecutor

        _JOB = (env, common, todo, site)
        self.workers = workers
        if self.quick_imports:  # (what a page reads is noted in this process only: unknown for these)
            self.rendered_reads.update(dict.fromkeys((page.path for page in todo), None))  # type: ignore[arg-type]
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
