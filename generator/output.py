"""Writing output/: path safety, write-if-changed, and removal of files a build no longer makes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

from .errors import InputError, Problem

MANIFEST = ".scholarsite-manifest.json"
JOURNAL_VERSION = 3  # flat numbered staging files and the manifest, or a whole staged tree
STAGED_MANIFEST = "manifest"  # the new manifest's name in the staging folder (staged files have numbers)


class WriteStats:
    """How many output files a build wrote, kept unchanged and removed."""

    def __init__(self, written: int = 0, unchanged: int = 0, removed: int = 0):
        self.written, self.unchanged, self.removed = written, unchanged, removed

    def __repr__(self) -> str:
        return f"WriteStats(written={self.written}, unchanged={self.unchanged}, removed={self.removed})"


def safe_relpath(path: str) -> str:
    """A normalised relative POSIX path inside the output folder, or ValueError. (Plain string tests: no
    empty, '.' or '..' part, so the path is already as PurePosixPath would write it; a build checks
    each of its 22,000 files at 10,000 papers.)"""
    if not path or path[0] == "/" or "\\" in path or "\x00" in path or "//" in path or path[-1] == "/" \
            or any(part in (".", "..") for part in path.split("/")):
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
    return path


def check_output_dir(out: Path, site_dir: Path) -> None:
    """Refuse an output folder that is the site, holds the site, is a link, or is someone else's folder."""
    site = site_dir.resolve()
    if out.is_symlink():
        raise InputError(Problem("site.yaml", 0, f"the output folder {out} is a symbolic link; "
                                                 "point 'output' at a real folder"))
    target = out.resolve()
    if target == site or target in site.parents:
        raise InputError(Problem("site.yaml", 0, f"the output folder {out} is the site folder or contains it; "
                                                 "choose a folder inside the site, like 'output'"))
    for name in ("content", "seeds", "themes", "templates"):
        if target == site / name or (site / name) in target.parents:
            raise InputError(Problem("site.yaml", 0, f"the output folder {out} is inside the site's {name}/; "
                                                     "choose a folder of its own, like 'output'"))
    ours = (target / MANIFEST).exists() or staging_paths(target)[1].exists()
    if target.is_dir() and not ours and any(target.iterdir()):
        raise InputError(Problem("site.yaml", 0, f"the output folder {out} is not empty and was not made by "
                                                 "scholarsite; empty it or choose another 'output'"))


def digest(data: bytes) -> str:
    """A file's digest for the manifest (SHA-256 cut to 128 bits: hashed in hardware)."""
    return hashlib.sha256(data).hexdigest()[:32]


def read_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.get("files", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def manifest_text(files: dict[str, str]) -> str:
    """``json.dumps({"files": files}, indent=0, sort_keys=True)`` and a newline, through the fast encoder
    (with an indent, json encodes in Python: tens of milliseconds at 20,000 files)."""
    return ManifestText().text(files)


class ManifestText:
    """Makes manifest_text, and makes it again after a few digests changed by replacing their lines only
    (a builder keeps one: at 10,000 papers the manifest has 22,000 lines)."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.lines: list[str] = []
        self.at: dict[str, int] = {}  # path -> its line

    def text(self, files: dict[str, str], changed: list[str] | None = None) -> str:
        """The manifest of ``files``; ``changed``: the only paths whose digests may differ from the files
        this made the text of last time, when the caller knows."""
        if not files:
            return '{\n"files": {}\n}\n'
        quote = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]
        old = self.files
        if files.keys() == old.keys():
            if changed is None:
                changed = [path for path, known in files.items() if old[path] != known]
            for path in changed:
                self.lines[self.at[path]] = f"{quote(path)}: {quote(files[path])}"
        else:
            paths = sorted(files)
            self.at = {path: i for i, path in enumerate(paths)}
            self.lines = [f"{quote(path)}: {quote(files[path])}" for path in paths]
        self.files = dict(files)
        lines = ",\n".join(self.lines)
        return f'{{\n"files": {{\n{lines}\n}}\n}}\n'


def write_bytes(path: str | Path, data: bytes) -> None:
    """Every file this module writes goes through here (the tests make the disk full here)."""
    with open(path, "wb") as file:
        file.write(data)


def write_file(target: Path, data: bytes, retired: Retired | None = None) -> None:
    """Write through a temporary file and a rename, so no reader sees a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write_bytes(tmp, data)
        if retired is not None:
            retired.keep(target)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class Retired:
    """Files a build replaces or deletes, kept alive by a second name in a folder of their own until
    ``empty()``. On a disk mounted with ``discard`` (this machine's), freeing a file's blocks takes about
    a millisecond per megabyte when it happens; watch frees them after the rebuild is reported, so that
    replacing the megabytes of search data, BibTeX and import state does not delay it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def keep(self, path: Path, move: bool = False) -> None:
        """Give ``path`` a second name here, or ``move`` it here (a folder, emptied), to be freed later (best
        effort: on failure it is simply freed when replaced or removed)."""
        try:
            if self.count == 0:
                self.folder.mkdir(exist_ok=True)
            (os.replace if move else os.link)(path, self.folder / str(self.count))
            self.count += 1
        except OSError:
            pass

    def empty(self) -> None:
        """Free every file kept, and the folder."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.count = 0


def staging_paths(out: Path) -> tuple[Path, Path]:
    """The staging folder and the journal, beside ``out`` (same file system, never inside the site)."""
    return out.parent / f".{out.name}.staging", out.parent / f".{out.name}.journal"


def retired_folder(out: Path) -> Path:
    """Where a watcher keeps replaced files until it frees them (see Retired), beside ``out``."""
    return out.parent / f".{out.name}.retired"


def recover(out: Path) -> None:
    """Finish a commit that was killed half-way (roll forward), or drop a staging folder never applied."""
    staging, journal = staging_paths(out)
    if journal.exists():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
            if plan.get("version") != JOURNAL_VERSION:
                raise ValueError("a journal of another version")
            if plan.get("whole"):
                _move_whole(out, staging)
            else:
                _apply(out, staging, plan["write"], plan["remove"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            # An unreadable journal: which files moved is unknown, so the manifest is emptied and the
            # build that follows writes every file again.
            if out.is_dir():
                write_file(out / MANIFEST, json.dumps({"files": {}}).encode("utf-8"))
        journal.unlink(missing_ok=True)
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)


def commit(out: Path, files: dict[str, bytes], kept: dict[str, str] | None = None) -> WriteStats:
    """Make ``out`` hold exactly ``files``, rewriting only what changed (see Commit)."""
    job = Commit(out)
    try:
        for rel in sorted(files):
            job.add(rel, files[rel])
        job.keep(kept or {})
    except BaseException:
        job.abort()
        raise
    return job.finish()


class Commit:
    """Make ``out`` hold exactly the files added (and those kept), rewriting only what changed.

    Changed files are written to a staging folder beside ``out`` as they are added (so a build can
    write while it still renders); only in ``finish``, when all are written (a full disk or any error
    leaves ``out`` untouched; call ``abort``), does a journal record the plan and the files move into
    place by rename. A build killed during that short step is rolled forward by the next one. The
    first build (``out`` absent or empty) stages the whole tree and renames the staging folder itself
    into place: one rename, no folder made twice.
    """

    def __init__(self, out: Path, old: dict[str, str] | None = None, text: ManifestText | None = None,
                 retired: Retired | None = None):
        """``old``: the manifest ``out`` holds, when the caller has just read it; ``text``: the ManifestText
        that made it; ``retired``: where replaced and removed files are kept for the caller to free later
        (each only saves time)."""
        recover(out)
        self.out = out
        self.retired = retired
        self.old = read_manifest(out) if old is None else old
        self.text = text or ManifestText()
        self.new: dict[str, str] = {}
        self.stats = WriteStats()
        self.changed: list[str] = []
        self.staging, self.journal = staging_paths(out)
        self.whole = not self.old and _is_empty(out)
        self.made: set[str] = set()
        self.plan: tuple[list[str], str] | None = None
        self.started = False

    def add(self, rel: str, data: bytes) -> None:
        """One file of the new output; written to staging unless ``out`` already holds these bytes."""
        rel = safe_relpath(rel)
        if rel in self.new:
            raise ValueError(f"{rel!r} is added twice")
        self.new[rel] = known = digest(data)
        if self.old.get(rel) == known and _has_size(self.out / rel, len(data)):
            self.stats.unchanged += 1
            return
        if not self.started:
            self.staging.mkdir(parents=True, exist_ok=True)
            self.started = True
        if self.whole:
            _make_parent(self.staging, rel, self.made)
            target = f"{self.staging}/{rel}"  # (strings, not Paths: pathlib's joins cost more than the write)
        else:
            target = f"{self.staging}/{len(self.changed)}"
        write_bytes(target, data)
        self.changed.append(rel)

    def keep(self, kept: dict[str, str]) -> None:
        """Files (path -> digest) the caller knows ``out`` already holds unchanged: they stay."""
        for rel, known in kept.items():
            if self.old.get(rel) != known:
                raise ValueError(f"{rel!r} is kept, but the manifest does not list it with that digest")
            if rel not in self.new:
                self.new[rel] = known
                self.stats.unchanged += 1

    def keep_others(self) -> None:
        """Every file of ``out`` not added stays as it is (the caller knows they are all unchanged)."""
        self.stats.unchanged += len(self.old.keys() - self.new.keys())
        self.new = {**self.old, **self.new}

    def abort(self) -> None:
        """Forget everything staged; ``out`` is untouched."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self.journal.unlink(missing_ok=True)

    def prepare(self) -> bool:
        """Write the manifest's plan to the journal: from here on the commit is finished even if killed.
        False when there is nothing to do."""
        out = self.out
        remove = []
        for rel in sorted(self.old.keys() - self.new.keys()):
            try:
                remove.append(safe_relpath(rel))
            except ValueError:
                continue
        if not self.changed and not remove and self.new == self.old and (out / MANIFEST).is_file():
            self.abort()
            self.plan = None
            return False  # the manifest already says exactly this
        # The new digests differ from the old only where a file was written (added unchanged or kept: the same).
        manifest = self.text.text(self.new, self.changed if self.text.files == self.old else None)
        try:
            self.staging.mkdir(parents=True, exist_ok=True)
            if self.whole:
                write_bytes(self.staging / MANIFEST, manifest.encode("utf-8"))
                plan: dict = {"version": JOURNAL_VERSION, "whole": True}
            else:
                write_bytes(self.staging / STAGED_MANIFEST, manifest.encode("utf-8"))
                plan = {"version": JOURNAL_VERSION, "write": self.changed, "remove": remove}
            self.journal.write_text(json.dumps(plan), encoding="utf-8")
        except BaseException:
            self.abort()
            raise
        self.plan = (remove, manifest)
        return True

    def apply(self) -> WriteStats:
        """After ``prepare``: move the staged files into place (finished by ``recover`` if killed)."""
        out, stats = self.out, self.stats
        if self.plan is not None:
            remove, manifest = self.plan
            if self.whole:
                _move_whole(out, self.staging)
            else:
                stats.removed = _apply(out, self.staging, self.changed, remove, self.retired)
            stats.written = len(self.changed)
            if self.retired is not None:
                self.retired.keep(self.journal)
            self.journal.unlink()
        if self.retired is not None and self.staging.is_dir():
            self.retired.keep(self.staging, move=True)  # (an emptied folder: freed later too)
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)
        return stats

    def finish(self) -> WriteStats:
        """``prepare`` then ``apply``."""
        self.prepare()
        return self.apply()


def _has_size(path: Path, size: int) -> bool:
    try:
        return os.stat(path).st_size == size
    except OSError:
        return False


def _is_empty(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except FileNotFoundError:
        return True
    except NotADirectoryError:
        return False


def _make_parent(root: Path, rel: str, made: set[str]) -> None:
    """Make the folders above ``rel`` inside ``root``, asking the file system once per folder."""
    parent = rel.rpartition("/")[0]
    if parent and parent not in made:
        os.makedirs(f"{root}/{parent}", exist_ok=True)
        while parent:
            made.add(parent)
            parent = parent.rpartition("/")[0]


def _move_whole(out: Path, staging: Path) -> None:
    """Put a fully staged first build in place: the staging folder becomes ``out`` when ``out`` does not
    exist; otherwise its entries move into ``out`` (which keeps its own mode and identity)."""
    if not staging.is_dir():
        return
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, out)
        return
    _merge_tree(staging, out)


def _merge_tree(source: Path, target: Path) -> None:
    """Move every entry of ``source`` into ``target``: whole folders by one rename where ``target`` has
    none of that name, else entry by entry."""
    for entry in sorted(os.scandir(source), key=lambda e: e.name):
        place = target / entry.name
        if entry.is_dir(follow_symlinks=False) and place.is_dir() and not place.is_symlink():
            _merge_tree(Path(entry.path), place)
        else:
            os.replace(entry.path, place)


def _apply(out: Path, staging: Path, changed: list[str], remove: list[str], retired: Retired | None = None) -> int:
    """Move staged files (named by their place in ``changed``) into ``out``, delete files no longer built,
    then move the staged manifest into place (``retired``: keeps what is replaced, see Retired)."""
    out.mkdir(parents=True, exist_ok=True)
    made: set[str] = set()
    for number, rel in enumerate(changed):
        source = staging / str(number)
        if source.is_file():  # absent when a killed commit already moved it
            _make_parent(out, safe_relpath(rel), made)
            if retired is not None:
                retired.keep(out / rel)
            os.replace(source, out / rel)
    removed = 0
    for rel in remove:
        target = out / safe_relpath(rel)
        if target.is_file() and not target.is_symlink():
            target.unlink()
            removed += 1
            _prune_dirs(target.parent, out)
    staged = staging / STAGED_MANIFEST
    if staged.is_file():  # absent when a killed commit already moved it
        if retired is not None:
            retired.keep(out / MANIFEST)
        os.replace(staged, out / MANIFEST)
    return removed


def _prune_dirs(folder: Path, out: Path) -> None:
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def unchanged_file(path: str, size: int) -> bool:
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == size


def in_place(out: Path, manifest: dict[str, str], made: dict[str, list]) -> bool:
    """Whether every file of ``made`` (path -> [fingerprint, digest, size]) is in ``out`` with its size and
    its digest in the manifest (22,625 files at 10,000 papers: one stat each, no more)."""
    return in_manifest(manifest, made) and sizes_in_place(out, made.items())


def in_manifest(manifest: dict[str, str], made: dict[str, list]) -> bool:
    """Whether the manifest lists every file of ``made`` with its digest."""
    get = manifest.get
    return all(get(path) == digest for path, (_, digest, _) in made.items())


def sizes_in_place(out: Path, files) -> bool:
    """Whether each of ``files`` ((path, [fingerprint, digest, size]) pairs) is in ``out`` with its size."""
    prefix = f"{out}/"
    return all(unchanged_file(prefix + path, size) for path, (_, _, size) in files)
