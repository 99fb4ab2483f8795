"""Timing, memory and size measurements of child processes and output folders (for the benchmark)."""

from __future__ import annotations

import gzip
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path


class BenchError(Exception):
    """A build under measurement failed or made the wrong pages."""


@dataclass
class Run:
    """One cold-process run: wall seconds, peak resident memory (KiB), what it printed, CPU seconds."""

    seconds: float
    peak_kib: int
    text: str
    cpu: float = 0.0

    @property
    def internal_ms(self) -> float | None:
        """The build's own timing ('... in 123 ms'), when it prints one."""
        m = re.search(r"\bin (\d+(?:\.\d+)?) ?ms\b", self.text)
        return float(m.group(1)) if m else None


@dataclass
class Series:
    """Several runs of the same measurement."""

    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def spread(self) -> tuple[float, float]:
        return min(r.seconds for r in self.runs), max(r.seconds for r in self.runs)

    @property
    def cpu_median(self) -> float:
        """Median CPU time (user + system): steadier than wall time on a loaded machine."""
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(r.peak_kib for r in self.runs) / 1024

    @property
    def internal_median(self) -> float | None:
        values = [r.internal_ms for r in self.runs if r.internal_ms is not None]
        return statistics.median(values) / 1000 if values else None


# Runs the command as a grandchild and reports its wall time and rusage. A child's ru_maxrss starts at the
# peak of the process it was spawned from (exec keeps the old image's high-water mark), so the build is
# spawned from this small launcher, never from the benchmark process itself.
LAUNCHER = """\
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - start
proc.returncode = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as f:
    f.write(f"{seconds!r} {usage.ru_maxrss} {proc.returncode} {usage.ru_utime + usage.ru_stime!r}")
"""


def run(cmd: list[str], cwd: Path | None = None) -> Run:
    """Run ``cmd`` as a fresh process; its wall time, CPU time and own peak memory (wait4's rusage)."""
    os.sync()  # flush earlier writes so they are not billed to this run
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as result:
        subprocess.run([sys.executable, "-S", "-c", LAUNCHER, result.name, *cmd], stdout=out,
                       stderr=subprocess.STDOUT, cwd=cwd, check=False)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
        fields = result.read().split()
    if len(fields) != 4:
        raise BenchError(f"could not measure {' '.join(cmd)}:\n{text[-3000:]}")
    seconds, peak_kib, code, cpu = float(fields[0]), int(fields[1]), int(fields[2]), float(fields[3])
    if code != 0:
        raise BenchError(f"{' '.join(cmd)} exited with {code}:\n{text[-3000:]}")
    return Run(seconds=seconds, peak_kib=peak_kib, text=text, cpu=cpu)


REBUILT = re.compile(r"pages rebuilt, .* in \d+ ms$")


def watch_latency(cmd: list[str], edits, cwd: Path | None = None, timeout: float = 600) -> list[Run]:
    """Start ``cmd`` (``scholarsite watch``), then make each edit in ``edits`` (callables) and time it until
    the watcher reports the rebuild, which it prints right after its last write: edit-to-last-write
    latency through the real watcher (file event, debounce, import, render, search, write)."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []

    def wait_for(pattern: re.Pattern) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None or time.monotonic() > deadline:
                raise BenchError("the watcher stopped or went silent:\n" + "\n".join(seen[-30:]))
            seen.append(line)
            if "build failed" in line:
                raise BenchError("the watcher reported a failed build:\n" + "\n".join(seen[-30:]))
            if pattern.search(line):
                return line

    runs = []
    try:
        wait_for(re.compile(r"^watching "))
        wait_for(re.compile(r"^ready in "))  # the warm-up while idle is done (see Watcher._loop)
        time.sleep(0.5)  # let the first build's own writes settle before the first edit
        for edit in edits:
            os.sync()
            edit()
            start = time.perf_counter()
            line = wait_for(REBUILT)
            runs.append(Run(seconds=time.perf_counter() - start, peak_kib=0, text=line))
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return runs


class Trash:
    """Folders moved out of the way in an instant (a rename), deleted later outside any timed region."""

    def __init__(self, root: Path):
        self.root = root

    def move(self, path: Path) -> None:
        if path.exists() or path.is_symlink():
            self.root.mkdir(parents=True, exist_ok=True)
            path.rename(self.root / f"{path.name}-{uuid.uuid4().hex[:8]}")

    def empty(self, settle: bool = False) -> None:
        """Delete what was moved here; ``settle``: then wait 10 s for the disk to catch up (see run.py)."""
        if self.root.exists():
            shutil.rmtree(self.root)
            if settle:
                os.sync()
                time.sleep(10)


def tree_size(folder: Path) -> tuple[int, int]:
    """Total bytes and number of files under ``folder``."""
    total = count = 0
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            total += os.lstat(os.path.join(dirpath, name)).st_size
            count += 1
    return total, count


def search_files(output: Path) -> list[Path]:
    """The search data a build wrote: search-data*.js and any search index or shard files (not the code)."""
    found = []
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output)
        if not path.is_file() or rel.parts[0] == "static" or path.suffix == ".html":
            continue
        if any("search" in part.lower() for part in rel.parts):
            found.append(path)
    return found


def gzip_size(paths: list[Path]) -> int:
    """Bytes the files take gzipped one by one (as a web server would send them)."""
    return sum(len(gzip.compress(p.read_bytes(), compresslevel=6, mtime=0)) for p in paths)


def count_pages(output: Path, section: str) -> int:
    """How many ``section/<name>/index.html`` pages ``output`` holds."""
    folder = output / section
    if not folder.is_dir():
        return 0
    return sum(1 for entry in os.scandir(folder) if entry.is_dir() and (Path(entry.path) / "index.html").is_file())
