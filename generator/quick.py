"""Watch: getting ready while idle, the bookkeeping left until a rebuild is reported, and the rebuild of
papers changed in place (swapped into the last build's plan: patch.py; pages that read nothing that
changed are kept: reads.py)."""

from __future__ import annotations

from pathlib import Path

from . import content, exports, output, patch, reads, refs
from .config import SiteConfig, load_config
from .errors import InputError, Problem
from .load import load_paper
from .model import Paper, Site
from .output import in_place
from .pipeline import render_page, search_files


class Quick:
    """The part of build.Builder that watch uses (its state is made in Builder.__init__)."""

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
                self.search_cache = None
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
                    if page.path.startswith("papers/") or self.reads.get(page.path) is not None:
                        continue  # (a paper's page shows few papers: rendered when an edit needs it)
                    if busy():
                        break
                    _, self.reads[page.path] = reads.record(lambda: render_page(env, common, page))
                    done += 1
        except InputError:  # the next build renders it and reports the problem
            pass
        return done

    def catch_up(self) -> None:
        """Do the bookkeeping the last build left for later (watch leaves it until the rebuild is reported)."""
        while self.later:
            self.later.pop(0)()

    def swapped(self, settings: str, hints: list[str] | None, importer: content.Importer | None,
                planned: dict, config: SiteConfig) -> tuple[Site, list, dict] | None:
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
