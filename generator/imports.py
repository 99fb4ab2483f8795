"""What a build's import reads and plans: the parsed content files kept between builds, the import planned
(in watch, only the entries an edit touched: delta.py), and what an import wrote, noted for the next build."""

from __future__ import annotations

import os
import time
from pathlib import Path

from . import cache, content, delta, seed, store
from .config import find_seed, load_config
from .inputs import Inputs
from .model import Site
from .pipeline import read_seed


class Imports(Inputs):
    """The part of build.Builder that plans imports (its state is made in Builder.__init__)."""

    @property
    def papers(self) -> cache.PaperCache:
        if self._papers is None:
            found = store.entries(self.site_dir, store.PAPERS_FILE, "papers", 6) if self.persistent else {}
            self._papers = cache.PaperCache(found)
        return self._papers

    @property
    def parsed(self) -> dict[str, tuple]:
        """Content files as an import read or wrote them: path -> (mtime_ns, size, data, read at, digest of
        what it wrote or ""); kept in .scholarsite-cache/content.json between processes (only data JSON
        keeps exactly)."""
        if self._parsed is None:
            found = store.entries(self.site_dir, store.CONTENT_FILE, "files", 5) if self.persistent else {}
            self._parsed = {path: tuple(entry) for path, entry in found.items() if isinstance(entry[2], dict)}
        return self._parsed

    def note_written(self, importer: content.Importer, wrote_ns: int, site: Site | None) -> dict[str, tuple]:
        """The stamps and digests of the files the import wrote (for settled: path -> (stamp, digest)); the
        papers it wrote go into the paper cache (read back and compared, not parsed, until their dates can
        be trusted)."""
        report, written, prefix = importer.report, {}, f"{self.site_dir}{os.sep}"  # (no Path per file)
        papers_dir = str(self.site_dir / "content" / "papers")
        by_slug = {p.slug: p for p in site.papers} if site is not None else {}
        memo = self.fps.memo
        for rel in report.written:
            path = prefix + rel.replace("/", os.sep)
            found, stamp = importer.digests.get(path), report.stamps.get(rel)
            if found is None or stamp is None:
                continue
            written[path] = (tuple(stamp), found)
            paper = by_slug.get(os.path.basename(path)[:-5]) if os.path.dirname(path) == papers_dir else None
            if paper is not None:
                fp = memo.get(id(paper)) or cache.paper_fingerprint(paper)
                self.papers.wrote(path, stamp, found, wrote_ns, paper, fp)
        self.dirty = True
        return written

    def plan_import(self, seed_path: Path, content_dir: Path) -> tuple[content.Importer, seed.Reading | None]:
        """The import of the seed, planned: only the entries an edit touched when nothing else changed since
        this builder's last import (see delta.py), else the whole seed. The seed's reading comes back only
        for a memo (``quick_imports``): one-shot builds let it go before worker processes inherit it."""
        memo = self.memo
        st = os.stat(seed_path)
        read_at = time.time_ns()
        data = seed_path.read_bytes()
        if self.quick_imports:  # (for keys() after a lazy build: what the import read)
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
