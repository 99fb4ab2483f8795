"""What a build reads, and whether any of it changed since the last build: site.yaml, the theme, the seed,
the import state and the content files (looked at again only where they may have changed), and the output
the last build left. Light to import: a build with nothing to do imports no more than this (and store.py,
config.py, themes.py, output.py), the rest of the builder only when there is work (see oneshot.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import NamedTuple

from . import output, store
from .config import SiteConfig, find_seed, load_config
from .forked import Forked
from .result import BuildResult
from .themes import Theme, find_theme, static_files, template_files

MAX_HINTS = 256  # a watcher's batch of more changed files than this: the content folders are listed again
FORK_MIN = 1000  # a one-shot build checks the output in another process from this many files on (OutputCheck)
HERE = 0.25  # of those files' stats, the share this process takes, once it has looked at the content


class Stamp(NamedTuple):
    """What a stat says of a file's identity, date and size (an import takes it right after writing)."""

    st_ino: int
    st_mtime_ns: int
    st_size: int


class Look(NamedTuple):
    """What a build found when it looked at its inputs (see Inputs.look_at)."""

    start: float  # perf_counter() when the build started
    listed: bool  # whether the builder's look before was the content as the last build found it
    config: SiteConfig
    out: Path
    theme: Theme
    started_ns: int  # time_ns() before any input was looked at
    seed_path: Path | None
    lazy: bool  # watch: the import runs on the watcher's word, its digests taken later
    content_key: str  # a digest of what an import reads ("" when lazy)
    import_key: str
    static: dict[str, bytes]
    templates_key: str
    settings: str  # a digest of what the build reads besides seed and content
    inputs: str  # a digest of everything it reads ("" when lazy)
    forked: OutputCheck | None  # intact(), checked in another process meanwhile


class OutputCheck:
    """Inputs.intact, checked in a forked process (forked.py) while this one looks at the content: the
    other core takes the stats of the 22,625 output files of a 10,000-paper site, but for the last HERE of
    them, whose stats this process takes when it asks for the answer (it has looked at the content by
    then, and would wait otherwise)."""

    def __init__(self, inputs: Inputs, out: Path, static: dict[str, bytes]):
        self.out = out
        made = inputs.made_files(static)
        files = list(made.items())
        cut = len(files) - int(len(files) * HERE)
        self.here = files[cut:]
        self.forked = Forked(lambda: inputs.intact(out, static, files[:cut], made))

    def result(self) -> bool:
        if not output.sizes_in_place(self.out, self.here):
            self.forked.cancel()
            return False
        return bool(self.forked.result())

    def cancel(self) -> None:
        self.forked.cancel()


class Inputs:
    """What a builder knows of the last build's inputs and outputs (kept in .scholarsite-cache/build.json),
    and its look at them now. build.Builder is one; a one-shot build makes one alone first (oneshot.py)."""

    def __init__(self, site_dir: Path, do_import: bool = True, persistent: bool = True):
        self.site_dir = site_dir.resolve()
        self.do_import = do_import
        self.persistent = persistent
        data = store.load(self.site_dir) if persistent else {}
        try:
            self.import_key: str = str(data.get("import", ""))
            self.outputs: dict[str, list] = dict(data.get("outputs", {}))  # path -> [fingerprint, digest, size]
            self.inputs_key: str = str(data.get("inputs", ""))  # every input of the last build (see settings())
            self.page_count = int(data.get("pages", 0))
            self.inputs_ns = int(data.get("inputs_ns", 0))  # when the last build took its inputs' stats
            # path -> ((inode, mtime_ns, size), read at, digest): see file_digest
            self.digests: dict[str, tuple] = {str(path): ((int(a), int(b), int(c)), int(at), str(d))
                                              for path, ((a, b, c), at, d) in data.get("digests", {}).items()}
            # content file -> ((inode, mtime_ns, size), digest) as the last build's import wrote it (see
            # settled)
            self.written: dict[str, tuple] = {str(path): ((int(a), int(b), int(c)), str(d))
                                              for path, ((a, b, c), d) in data.get("written", {}).items()}
        except (TypeError, ValueError, AttributeError):
            self.import_key, self.outputs, self.inputs_key, self.page_count, self.inputs_ns = "", {}, "", 0, 0
            self.digests, self.written = {}, {}
        self.saved_ns = self.inputs_ns
        self.dirty = False  # whether build.json needs saving
        self.seen: dict[str, os.stat_result] = {}  # the content files import_inputs last looked at (path -> stat)
        self.seen_ns = 0  # when the oldest of those stats was taken
        self.lines: dict[str, str] = {}  # path -> its line in the content listing (see import_inputs)
        self.stamps: dict[str, tuple[int, int]] = {}  # path -> (mtime_ns, size) of ``seen`` (see listing)
        self.order: list[str] | None = None  # the paths of ``lines``, sorted (None: to sort again)
        self.listed = False  # whether ``seen`` is the content as the last build found it (see hints)
        self.seed_key = ""
        self.newest_ns = 0  # the newest modification time among the inputs import_inputs looked at
        self.quick_imports = False  # keep a memo of each import, for the next to merge only what changed (watch)
        self.out: Path | None = None  # the output folder of the last build
        self.verified = False  # verify() found the output folder as the last build left it, since then
        self.trusted = False  # this build need not look at the output files it keeps (see verify)
        self.looked: Look | None = None  # a look taken for the next build to start from (see oneshot.py)

    def look_at(self, hints: list[str] | None = None, fork: bool = False) -> Look:
        """Read site.yaml, resolve the theme, and take the digests of what the build reads (``hints``: see
        Builder.build; ``fork``: a one-shot build may check the output in another process, see
        OutputCheck). In watch, when the watcher names only the seed and content files as changed, the
        import runs without digesting megabytes first (``lazy``): the digests are taken after the rebuild
        is reported (catch_up)."""
        start = time.perf_counter()
        listed = self.listed
        self.trusted, self.verified = self.verified, False  # output/ as verify() found it, just before
        site_dir = self.site_dir
        config = load_config(site_dir)
        out = site_dir / config.output
        output.check_output_dir(out, site_dir)
        if out != self.out:
            self.trusted, self.out = False, out
        theme = find_theme(site_dir, config.theme)  # a missing theme fails before anything is read
        static = static_files(theme)
        forked = OutputCheck(self, out, static) if fork and len(self.outputs) >= FORK_MIN else None
        try:
            content_dir = site_dir / "content"
            self.newest_ns = 0
            started_ns = time.time_ns()  # inputs changed after this may be missed by the stats: see settled
            seed_path = find_seed(site_dir, config) if self.do_import else None
            lazy = self.quick_imports and listed and self.lazy_hints(hints, seed_path)
            if lazy:
                self.look(content_dir, [rel for rel in hints or [] if rel.startswith("content/")])
                content_key = inputs = ""
                import_key = self.import_key
            else:
                content_key = self.import_inputs(seed_path, content_dir, hints=hints if listed else None)
                import_key = content_key if self.do_import else self.import_key
            self.listed = True
            templates_key = template_files(site_dir, theme)
            settings = self.settings(config, out, templates_key, static)
            if not lazy:
                inputs = store.digest(settings, content_key)
        except BaseException:
            if forked is not None:
                forked.cancel()
            raise
        return Look(start, listed, config, out, theme, started_ns, seed_path, lazy, content_key, import_key, static,
                    templates_key, settings, inputs, forked)

    def unchanged(self, look: Look) -> BuildResult | None:
        """The build's result when nothing it reads has changed since the last one and the output is all in
        place (it then stops, having loaded nothing); None when there is work to do."""
        # (while the output's stats are taken in the other process, the files an import just wrote are read back)
        same = not look.lazy and look.inputs == self.inputs_key and self.settled(look.started_ns)
        if look.forked is not None and not same:
            look.forked.cancel()
        if not same or not (look.forked.result() if look.forked is not None else self.intact(look.out, look.static)):
            return None
        kept = output.WriteStats(unchanged=len(self.outputs) + len(look.static))
        return BuildResult(site=None, pages=self.page_count, stats=kept, seconds=time.perf_counter() - look.start,
                           out=look.out, warnings=look.config.warnings())

    def settings(self, config: SiteConfig, out: Path, templates_key: str, static: dict[str, bytes]) -> str:
        """A digest of what a build reads besides seed and content: site.yaml, templates, static files. With
        the content's digest it makes the build's inputs: equal inputs and an intact output mean there is
        nothing to do."""
        parts = [repr(config), str(out), str(self.do_import), templates_key]
        for path, data in sorted(static.items()):
            parts += [path, data]
        return store.digest(*parts)

    def intact(self, out: Path, static: dict[str, bytes], sized: list[tuple[str, list]] | None = None,
               made: dict[str, list] | None = None) -> bool:
        """Whether ``out`` still holds every file the last build made, as it made them (sizes and manifest).
        ``sized``: the files (of made_files' items) whose sizes to check, when the caller checks the others'
        (see OutputCheck); all by default. ``made``: made_files(static), when the caller has it."""
        if not self.outputs or output.staging_paths(out)[1].exists():
            return False
        manifest = output.read_manifest(out)
        made = self.made_files(static) if made is None else made
        return (len(manifest) == len(made) and output.in_manifest(manifest, made)
                and output.sizes_in_place(out, made.items() if sized is None else sized))

    def made_files(self, static: dict[str, bytes]) -> dict[str, list]:
        """What the last build made: path -> [fingerprint, digest, size], with the theme's static files."""
        return {**self.outputs, **{path: ["", output.digest(data), len(data)] for path, data in static.items()}}

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
            self.seed_key = store.digest(str(seed_path), self.file_digest(seed_path) if seed_path else "-")
        elif written is None:
            self.seed_key = store.digest(str(seed_path), self.file_digest(seed_path) if seed_path else "-")
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
                self.look_in(folder)
            self.order = sorted(self.lines)
            return
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

    def look_in(self, folder: Path) -> None:
        """Take the stats of every .yaml file in ``folder`` (10,000 at a time: one call each, no more)."""
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith(".yaml"))
        except OSError:
            return
        prefix, label = os.path.join(folder, ""), f"{folder.name}/"
        paths = [prefix + name for name in names]
        try:
            found = list(map(os.stat, paths))
        except OSError:  # one went away meanwhile: the others, one by one
            found, kept = [], []
            for path in paths:
                try:
                    found.append(os.stat(path))
                    kept.append(path)
                except OSError:
                    pass
            paths, names = kept, [os.path.basename(path) for path in kept]
        seen, lines, stamps = self.seen, self.lines, self.stamps
        for path, name, st in zip(paths, names, found):
            seen[path] = st
            stamps[path] = (st.st_mtime_ns, st.st_size)
            lines[path] = f"{label}{name}:{st.st_mtime_ns}:{st.st_size}"

    def content_digest(self, content_dir: Path) -> str:
        """The digest import_inputs returns, of the seed's (``seed_key``), the state's and the last look."""
        self.newest_ns = max((st.st_mtime_ns for st in self.seen.values()), default=0)
        listing = "\n".join([self.lines[path] for path in self.order or []])
        return store.digest(self.seed_key, self.file_digest(content_dir / store.STATE_FILE), listing)

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
        if known is not None and known[0] == stamp and st.st_mtime_ns + store.RACY_NS < known[1]:
            return known[2]
        read_at = time.time_ns()
        try:
            found = store.digest(path.read_bytes())
        except OSError:
            return "-"
        self.digests[str(path)] = (stamp, read_at, found)
        return found

    def settled(self, now_ns: int) -> bool:
        """Whether the content files' stats, as this build took them, show every change since the last
        build's look. A file changed within a clock tick (RACY_NS) of being looked at could keep its date
        and size: one dated that close must still hold what the last build's import wrote (``written``:
        read again and compared), and then the look counts as this build's (``now_ns``)."""
        if self.newest_ns + store.RACY_NS < self.inputs_ns:
            return True
        limit = self.inputs_ns - store.RACY_NS
        for path, st in self.seen.items():
            if st.st_mtime_ns < limit:
                continue
            known = self.written.get(path)
            if known is None or known[0] != (st.st_ino, st.st_mtime_ns, st.st_size):
                return False
            if not store.holds(path, st.st_size, known[1]):
                return False
        self.inputs_ns = now_ns
        self.forget_settled()
        return True

    def forget_settled(self) -> None:
        """Let go of the written files whose dates are old enough to trust (see settled)."""
        limit = self.inputs_ns - store.RACY_NS
        if any(stamp[1] < limit for stamp, _ in self.written.values()):
            self.written = {path: v for path, v in self.written.items() if v[0][1] >= limit}

    def listing(self) -> dict[str, tuple[int, int]]:
        """The content files import_inputs saw: path -> (mtime_ns, size)."""
        return dict(self.stamps)

    def lazy_hints(self, hints: list[str] | None, seed_path: Path | None) -> bool:
        """Whether the watcher's hints name only the seed and content files (see build)."""
        if hints is None or len(hints) > MAX_HINTS:
            return False
        seed = seed_path.relative_to(self.site_dir).as_posix() if seed_path is not None else None
        return all(rel == seed or rel.startswith("content/") and rel.endswith(".yaml") for rel in hints)

    def save_state(self) -> None:
        """Keep build.json for the next process when it changed (best effort)."""
        if self.persistent and (self.dirty or self.inputs_ns != self.saved_ns):
            store.save(self.site_dir, {"import": self.import_key, "outputs": self.outputs, "inputs": self.inputs_key,
                                       "inputs_ns": self.inputs_ns, "pages": self.page_count,
                                       "digests": self.digests, "written": self.written})
            self.dirty, self.saved_ns = False, self.inputs_ns
