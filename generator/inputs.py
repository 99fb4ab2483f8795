"""What a build's import reads: the seed, the import state and the content files, looked at again only where
they may have changed, and the import planned (in watch, only the entries an edit touched: delta.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import NamedTuple

from . import cache, content, delta, seed
from .config import load_config
from .model import Site
from .output import digest
from .pipeline import MAX_HINTS, find_seed, read_seed


class Stamp(NamedTuple):
    """What a stat says of a file's identity, date and size (an import takes it right after writing)."""

    st_ino: int
    st_mtime_ns: int
    st_size: int


class Inputs:
    """The part of build.Builder that looks at the import's inputs (its state is made in Builder.__init__)."""

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
            self.seen_ns = time.time_ns()
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

    def settled(self, now_ns: int) -> bool:
        """Whether the content files' stats, as this build took them, show every change since the last
        build's look. A file changed within a clock tick (RACY_NS) of being looked at could keep its date
        and size: one dated that close must still hold what an import wrote (read again and compared),
        and then the look counts as this build's (``now_ns``)."""
        if self.newest_ns + cache.RACY_NS < self.inputs_ns:
            return True
        limit = self.inputs_ns - cache.RACY_NS
        for path, st in self.seen.items():
            if st.st_mtime_ns < limit:
                continue
            known = self.written.get(path)
            if known is None or known[0] != (st.st_ino, st.st_mtime_ns, st.st_size):
                return False
            try:
                with open(path, "rb") as file:
                    if digest(file.read()) != known[1]:
                        return False
            except OSError:
                return False
        self.inputs_ns = now_ns
        self.forget_settled()
        return True

    def note_written(self, importer: content.Importer, wrote_ns: int, site: Site | None) -> None:
        """Keep the stamps and digests of the files the import wrote, for settled, and the papers it wrote
        in the paper cache (read back and compared, not parsed, until their dates can be trusted)."""
        report, written = importer.report, self.written
        for rel in report.deleted:
            written.pop(str(self.site_dir / rel), None)
        papers_dir = str(self.site_dir / "content" / "papers")
        by_slug = {p.slug: p for p in site.papers} if site is not None else {}
        memo = self.fps.memo
        for rel in report.written:
            path = str(self.site_dir / rel)
            found, stamp = importer.digests.get(path), report.stamps.get(rel)
            if found is None or stamp is None:
                written.pop(path, None)
                continue
            written[path] = (tuple(stamp), found)
            paper = by_slug.get(os.path.basename(path)[:-5]) if os.path.dirname(path) == papers_dir else None
            if paper is not None:
                fp = memo.get(id(paper)) or cache.paper_fingerprint(paper)
                self.papers.wrote(path, stamp, found, wrote_ns, paper, fp)
        self.dirty = True

    def forget_settled(self) -> None:
        """Let go of the written files whose dates are old enough to trust (see settled)."""
        limit = self.inputs_ns - cache.RACY_NS
        if any(stamp[1] < limit for stamp, _ in self.written.values()):
            self.written = {path: v for path, v in self.written.items() if v[0][1] >= limit}

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

    def lazy_hints(self, hints: list[str] | None, seed_path: Path | None) -> bool:
        """Whether the watcher's hints name only the seed and content files (see build)."""
        if hints is None or len(hints) > MAX_HINTS:
            return False
        seed = seed_path.relative_to(self.site_dir).as_posix() if seed_path is not None else None
        return all(rel == seed or rel.startswith("content/") and rel.endswith(".yaml") for rel in hints)
