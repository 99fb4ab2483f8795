"""Helpers for the watch and serve tests: bounded waits, atomic saves, fresh builds to compare with."""

from __future__ import annotations

import os
import signal
import threading
import shutil
import subprocess
import sys
import time
from pathlib import Path

from generator.build import build
from generator.pipeline import render_site
from generator.config import load_config
from generator.load import load_site
from generator.output import MANIFEST

TIMEOUT = 60.0  # generous: the machine running the tests may be busy
ROOT = Path(__file__).resolve().parent.parent
REAL_SEED = ROOT / "seeds" / "000_fe8ce17d2e942b33.txt"
SEED_NAME = "me.txt"


def run_python(code: str, *args: str, timeout: float = 300, cwd: Path = ROOT) -> str:
    """What ``python -c code args`` prints, run in a process of its own from ``cwd`` (the repository by
    default), failing with what it printed on stderr when it fails."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done.stdout


def wait_for(condition, timeout: float = TIMEOUT, what: str = "a condition"):
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def settle(watcher, quiet: float = 1.5, timeout: float = TIMEOUT) -> None:
    """Wait until the watcher has had no pending change and no rebuild for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    seen, since = len(watcher.outcomes), time.monotonic()
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise AssertionError("the watcher never settled")
        with watcher.state:
            busy = watcher.building or bool(watcher.pending)
        if busy or len(watcher.outcomes) != seen:
            seen, since = len(watcher.outcomes), time.monotonic()
        time.sleep(0.05)


def atomic_write(path: Path, text: str) -> None:
    """Save like an editor does: a temporary file beside the target, then a rename over it."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fresh_output(site: Path, scratch: Path) -> dict[str, bytes]:
    """The output a from-scratch build of a copy of ``site`` (its current inputs) makes: no cache, no output."""
    copy = scratch / f"fresh-{time.monotonic_ns()}"
    # (.output.retired: what a running watcher frees meanwhile, see quick.free)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("output", ".scholarsite-cache", ".output.retired"))
    build(copy)
    made = tree(copy / "output")
    # ...which is also what the plain pipeline, with no cache or fingerprint at all, renders
    plain, _ = render_site(load_site(copy / "content", copy), load_config(copy), copy)
    assert {p: d for p, d in made.items() if p != MANIFEST} == plain
    return made


def assert_same_as_fresh(site: Path, scratch: Path) -> None:
    got, want = tree(site / "output"), fresh_output(site, scratch)
    assert sorted(got) == sorted(want), "the incremental build made other files than a fresh build"
    differ = [p for p in want if got[p] != want[p]]
    assert not differ, f"files differ from a fresh build: {differ[:5]}"


class Lines:
    """The lines a child process prints, read by a thread so that waiting for one stays bounded."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line)

    def wait(self, text: str, count: int = 1) -> str:
        """The ``count``-th line holding ``text`` (failing after the usual timeout)."""
        found = wait_for(lambda: len(hits := [x for x in list(self.lines) if text in x]) >= count and hits,
                         what=f"{count} line(s) with {text!r}; got {self.lines!r}")
        return found[count - 1]


def interrupt(proc, lines: Lines) -> list[str]:
    """Ctrl-C for a command a test started; waits for it to exit and returns everything it printed."""
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=TIMEOUT)
    lines.thread.join(timeout=TIMEOUT)
    proc.stdout.close()
    return lines.lines
