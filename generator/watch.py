"""Rebuild on change: watchdog events -> debounced batches -> the smallest correct rebuild."""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from . import themes
from .build import Builder, BuildResult
from .config import CONFIG_FILE, load_config
from .errors import InputError, Problem

QUICK = 0.05        # seconds of quiet after a lone save (its events all came within this) before its rebuild
DEBOUNCE = 0.2      # seconds of quiet before a longer burst of changes becomes one rebuild
MAX_DELAY = 5.0     # ...but never wait longer than this while changes keep coming
FULL_COLLECT = 50   # rebuilds between two collections of everything (see Watcher.settle)
TEMP_SUFFIXES = ("~", ".tmp", ".swp", ".swx", ".swo", ".part", ".crdownload", ".bak")


@dataclass
class Outcome:
    """One rebuild: what changed, whether it worked, how much it did and how long it took."""

    changed: list[str]
    ok: bool
    milliseconds: float
    result: BuildResult | None = None
    problems: list[Problem] = field(default_factory=list)

    def line(self) -> str:
        what = ", ".join(self.changed[:3]) + (f" and {len(self.changed) - 3} more" if len(self.changed) > 3 else "")
        what = what or "start"
        if not self.ok:
            count = len(self.problems)
            return (f"{what}: build failed with {count} problem{'s' if count != 1 else ''} "
                    f"(the last good site is kept) in {self.milliseconds:.0f} ms")
        r = self.result
        assert r is not None
        return (f"{what}: {r.rendered} of {r.pages} pages rebuilt, {r.stats.written} files written, "
                f"{r.stats.removed} removed in {self.milliseconds:.0f} ms")


def is_temporary(name: str) -> bool:
    """Editors' and tools' scratch files: swap files, backups, write-then-rename temporaries."""
    return (name.endswith(TEMP_SUFFIXES) or name.startswith((".#", "#")) or name == "4913"
            or (name.startswith(".") and ".tmp" in name))


class Watcher:
    """Watches a site's inputs and rebuilds it, one rebuild per burst of changes.

    ``on_build`` is called after every build with its Outcome; ``state`` (a Condition) guards
    ``building``, ``generation`` (successful builds) and ``error`` (the last failure, or None).
    """

    def __init__(self, site_dir: Path, on_build: Callable[[Outcome], None] | None = None, poll: bool = False,
                 debounce: float = DEBOUNCE, log: Callable[[str], None] | None = None, verbose: bool = False):
        self.site_dir = site_dir.resolve()
        if not self.site_dir.is_dir():
            raise InputError(Problem(str(site_dir), 0, "no such folder; give the site folder with --site DIR"))
        self.builder = Builder(self.site_dir)
        self.builder.quick_imports = True
        self.on_build = on_build
        self.debounce = debounce
        self.verbose = verbose
        self.log = log or (lambda text: print(text, flush=True))
        self.poll = poll
        self.state = threading.Condition()
        self.pending: set[str] = set()
        self.first_event = 0.0
        self.last_event = 0.0
        self.building = False
        self.generation = 0
        self.error: Outcome | None = None
        self.outcomes: list[Outcome] = []
        self.own: dict[str, tuple[int, int, int]] = {}  # what our import wrote -> (inode, mtime_ns, size) after
        self.watched: dict[str, tuple[object, int]] = {}  # folder -> (watchdog watch, inode)
        self.stopping = False
        self.settled = 0  # rebuilds since the watcher started (see settle)
        self.frozen_env = 0  # id() of the template environment when objects were last frozen
        self.observer = None
        self.thread = threading.Thread(target=self._loop, name="scholarsite-rebuild", daemon=True)
        self.handler = _Handler(self)

    # -- lifecycle ------------------------------------------------------------------------------------
    def start(self) -> Outcome:
        """Build once, then watch; returns the first build's outcome.

        The first build runs before any thread starts, so a large site may render in worker processes;
        a quick second build then catches whatever changed while it ran.
        """
        first = self.rebuild([])
        self._start_observer()
        if first.ok:
            self.rebuild(["changes made during the first build"], quiet=True)
        self.builder.save()
        self.thread.start()
        return first

    def stop(self) -> None:
        """Stop watching: the observer and the rebuild thread are stopped and joined."""
        with self.state:
            self.stopping = True
            self.state.notify_all()
        if self.thread.is_alive():
            self.thread.join()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join()
        self.builder.free()
        self.builder.save()

    def _start_observer(self) -> None:
        if not self.poll:
            try:
                self.observer = Observer()
                self.observer.start()
                self._schedule()
                return
            except OSError as err:
                self.log(f"warning: the system's file watcher failed ({err}); watching by polling instead "
                         "(raise fs.inotify.max_user_watches to avoid this)")
                self._drop_observer()
        self.poll = True
        self.observer = PollingObserver(timeout=0.5)
        self.observer.start()
        self._schedule()

    def _drop_observer(self) -> None:
        if self.observer is not None:
            try:
                self.observer.stop()
                self.observer.join()
            except (OSError, RuntimeError):
                pass
        self.observer = None
        self.watched = {}

    def folders(self) -> dict[str, bool]:
        """Folders to watch (-> recursively): the site itself (for site.yaml), seeds, content, templates, themes."""
        site = self.site_dir
        wanted = {str(site): False}
        for name in ("seeds", "content", "templates", "themes"):
            if (site / name).is_dir():
                wanted[str(site / name)] = True
        try:
            for folder in themes.find_theme(site, load_config(site).theme).dirs:
                if folder.is_dir() and not folder.is_relative_to(site):
                    wanted[str(folder)] = True
        except InputError:
            pass  # a broken site.yaml or a missing theme: the build reports it
        return wanted

    def _schedule(self) -> None:
        """Watch the folders the site needs now (the theme may change, folders may appear)."""
        assert self.observer is not None
        wanted = {path: (recursive, _inode(path)) for path, recursive in self.folders().items()}
        for path in list(self.watched):
            if path not in wanted or self.watched[path][1] != wanted[path][1]:  # gone, or deleted and made again
                watch, _ = self.watched.pop(path)  # type: ignore[misc]
                try:
                    self.observer.unschedule(watch)
                except KeyError:
                    pass
        for path, (recursive, inode) in sorted(wanted.items()):
            if path not in self.watched:
                try:
                    self.watched[path] = (self.observer.schedule(self.handler, path, recursive=recursive), inode)
                except FileNotFoundError:
                    continue  # gone already: its deletion is a change of its own

    # -- events ---------------------------------------------------------------------------------------
    def relevant(self, path: str) -> str | None:
        """The site-relative path of an input file the build reads, or None for anything else."""
        p = Path(path)
        name = p.name
        if is_temporary(name):
            return None
        try:
            rel = p.relative_to(self.site_dir).as_posix()
        except ValueError:
            return p.as_posix() if any(path.startswith(w + os.sep) for w in self.watched) else None
        top = rel.split("/", 1)[0]
        if rel == CONFIG_FILE:
            return rel
        if top == "seeds":
            return rel if name.endswith(".txt") or rel == "seeds" else None
        if top == "content":
            if any(part.startswith(".") for part in rel.split("/")[1:-1]):
                return None  # the import's own staging folder (content/.papers.new/)
            return rel if name.endswith(".yaml") or rel in ("content", "content/papers") else None
        if top in ("templates", "themes"):
            return rel
        return None

    def notify(self, paths: list[str]) -> None:
        """Called by the observer thread for each file system event."""
        found = [p for p in paths if self.relevant(p)]
        if not found:
            return
        now = time.monotonic()
        with self.state:
            if not self.pending:
                self.first_event = now
            self.pending.update(found)
            self.last_event = now
            self.state.notify_all()

    def _own_write(self, path: str) -> bool:
        """Whether an event is only the echo of a file our own import wrote (and nobody touched since)."""
        known = self.own.get(path)
        if known is None:
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        return (st.st_ino, st.st_mtime_ns, st.st_size) == known

    def _loop(self) -> None:
        # While nothing happens yet, get ready so that the first edit redoes only what it touched: load
        # the site (a start on an unchanged site loaded nothing), index its search data, plan the import.
        start = time.perf_counter()
        if self.builder.site is None and self.error is None:
            self.rebuild(["changes made during the start"], quiet=True, force=True)
        self.builder.warm()
        self.builder.prime()
        self.builder.read_pages(busy=lambda: bool(self.pending) or self.stopping)
        self.settle()
        self.check_output()
        recheck = self.builder.recheck()
        if self.error is None:
            self.log(f"ready in {time.perf_counter() - start:.1f} s: an edit now rebuilds only what it touched")
        while True:
            with self.state:
                while not self.stopping:
                    if self.pending:
                        now = time.monotonic()
                        quiet = self.last_event + self.quiet_needed() - now
                        overdue = self.first_event + MAX_DELAY - now
                        if quiet <= 0 or overdue <= 0:
                            break
                        self.state.wait(min(quiet, overdue))
                    elif recheck is not None:  # files the import just wrote are trusted once 2 s old
                        self.state.wait(recheck)
                        if not self.pending:
                            break
                    else:
                        self.state.wait()
                if self.stopping:
                    return
                changed: list[str] | None = None
                if self.pending:
                    batch, self.pending = self.pending, set()
                    changed = sorted({self.relevant(p) or p for p in batch if not self._own_write(p)})
                    self.building = bool(changed)
                    self.state.notify_all()
            if changed is None:  # (without holding the lock the observer needs)
                recheck = self.builder.recheck(busy=lambda: bool(self.pending) or self.stopping)
                continue
            if changed:
                self.rebuild(changed, hinted=True)
                self.settle()
                self.check_output()
                recheck = self.builder.recheck()

    def quiet_needed(self) -> float:
        """How long to wait for quiet: briefly after a lone save (an editor's events come within a few
        milliseconds), the full debounce once changes keep coming (a script, a checkout, repeated saves)."""
        quick = min(QUICK, self.debounce)
        return quick if self.last_event - self.first_event < quick else self.debounce

    # -- building -------------------------------------------------------------------------------------
    def rebuild(self, changed: list[str], quiet: bool = False, force: bool = False, hinted: bool = False) -> Outcome:
        """One build; failures keep the last good site and are reported, never raised.

        ``quiet``: a build that found nothing to do is not reported. ``force``: see Builder.build.
        ``hinted``: ``changed`` is every input that changed since the last build (the watcher's events), so
        the build looks again at those content files only.
        """
        with self.state:
            self.building = True
        start = time.perf_counter()
        try:
            result = self.builder.build(force=force, hints=changed if hinted else None)
            outcome = Outcome(changed, True, (time.perf_counter() - start) * 1000, result=result)
            if result.report:
                self._remember_own(result.report.written, result.report.stamps)
        except InputError as err:
            outcome = Outcome(changed, False, (time.perf_counter() - start) * 1000, problems=err.problems)
        except Exception as err:  # a bug: report it and keep watching
            traceback.print_exc(file=sys.stderr)
            problem = Problem("scholarsite", 0, f"internal error: {type(err).__name__}: {err} (a bug; please report it)")
            outcome = Outcome(changed, False, (time.perf_counter() - start) * 1000, problems=[problem])
        if self.observer is not None:
            self._watch_new_folders()
        r = outcome.result
        if quiet and r is not None and not (r.rendered or r.imported or r.stats.written or r.stats.removed):
            with self.state:
                self.building = False
                self.state.notify_all()
            return outcome
        self._finish(outcome)
        return outcome

    def check_output(self) -> None:
        """While idle: free the files the rebuild replaced (see output.Retired), then check that output/
        is as the last build left it, so that the next rebuild need not look at every file it keeps; a file
        deleted or changed by hand is made again at once."""
        self.builder.catch_up()
        self.builder.free()
        if self.builder.verify() or self.error is not None:
            return
        self.rebuild(["output/ (a file was changed or deleted by hand)"], hinted=True)
        self.settle()
        self.builder.verify()  # (once: a file that cannot be made again is reported by the next rebuild)

    def settle(self) -> None:
        """After a rebuild: collect what it left, then freeze what lives on (the site, the caches, the
        compiled templates), so that the garbage collector does not walk those again during every
        rebuild (at 10,000 papers that walk took a quarter of a one-paper rebuild). Frozen objects are
        never collected: when the templates were loaded again (the old ones hold reference cycles), and
        every FULL_COLLECT rebuilds in any case, everything is unfrozen and collected first, so garbage
        kept by freezing stays bounded."""
        self.settled += 1
        env = id(self.builder.env)
        if self.settled % FULL_COLLECT == 0 or env != self.frozen_env:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.frozen_env = env

    def _watch_new_folders(self) -> None:
        try:
            self._schedule()
        except OSError as err:  # e.g. the watch limit, reached by a new folder
            self.log(f"warning: the system's file watcher failed ({err}); watching by polling instead")
            self._drop_observer()
            self.poll = True
            try:
                self._start_observer()
            except OSError as again:
                self.log(f"error: cannot watch the site's folders ({again}); restart scholarsite")

    def _finish(self, outcome: Outcome) -> None:
        """Publish an outcome: state for the server, a line for the user, the callback."""
        with self.state:
            self.building = False
            if outcome.ok:
                self.generation += 1
                self.error = None
            else:
                self.error = outcome
            self.outcomes.append(outcome)
            self.state.notify_all()
        for problem in outcome.problems:
            self.log(str(problem))
        self.log(outcome.line())
        if outcome.ok and outcome.result and outcome.result.report:
            report = outcome.result.report
            for warning in report.warnings:
                self.log(f"warning: {warning}")
            if report.added or report.updated or report.removed or report.conflicts:
                self.log(report.summary())
            for line in report.details() if self.verbose else []:
                self.log(f"  {line}")
        if self.on_build:
            self.on_build(outcome)

    def _remember_own(self, written: list[str], stamps: dict[str, tuple[int, int, int]] | None = None) -> None:
        """Remember what the import wrote, so that the events of those writes trigger nothing. A file's stamp
        is the one the import took right after writing it (``stamps``): a user's save that follows, even
        before this runs, then differs and is a change."""
        stamps = stamps or {}
        for rel in written:
            if rel in stamps:
                self.own[str(self.site_dir / rel)] = stamps[rel]
        paths = {str(self.site_dir / rel) for rel in written if rel not in stamps}
        for rel in written:  # the folders the import may have made, too
            paths.update(str(self.site_dir / parent) for parent in Path(rel).parents if parent != Path("."))
        for path in paths:
            try:
                st = os.stat(path)
            except OSError:
                continue
            self.own[path] = (st.st_ino, st.st_mtime_ns, st.st_size)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block while a rebuild runs or changes wait for one (bounded by ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self.state:
            while (self.building or self.pending) and not self.stopping:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self.state.wait(left)


def _inode(path: str) -> int:
    try:
        return os.stat(path).st_ino
    except OSError:
        return 0


class _Handler(FileSystemEventHandler):
    """Passes every event's paths (both ends of a move) to the watcher."""

    def __init__(self, watcher: Watcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return
        paths = [os.fsdecode(event.src_path)]
        if event.dest_path:
            paths.append(os.fsdecode(event.dest_path))
        self.watcher.notify(paths)


def run_until_interrupted(start, stop) -> int:
    """Call ``start`` (it returns the line to print), then wait for Ctrl-C, then ``stop``: exit code 0."""
    try:
        print(start(), flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        stop()
    return 0


def run(site_dir: Path, poll: bool = False, verbose: bool = False) -> int:
    """``scholarsite watch``: build, then rebuild on every change until Ctrl-C."""
    watcher = Watcher(site_dir, poll=poll, verbose=verbose)

    def start() -> str:
        watcher.start()
        return f"watching {site_dir} (Ctrl-C to stop)"
    return run_until_interrupted(start, watcher.stop)
