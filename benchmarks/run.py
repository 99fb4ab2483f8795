"""`make bench`: scholarsite against Hugo on the same synthetic profiles; prints and saves a Markdown table."""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus, hugo_minimal, hugo_site, measure  # noqa: E402
from benchmarks.measure import Series  # noqa: E402
from benchmarks.report import markdown, update_readme  # noqa: E402

WORK = ROOT / "benchmarks" / "work"
KEEP = {"site.yaml", "seeds"}  # what a site folder holds before its first build


@dataclass
class SizeResult:
    """Every figure measured for one corpus size."""

    papers: int
    runs: int
    full: Series = field(default_factory=Series)
    nochange: Series = field(default_factory=Series)
    onepaper: Series = field(default_factory=Series)
    watch: Series = field(default_factory=Series)  # one-paper edit to last write, through `scholarsite watch`
    hugo_full: Series = field(default_factory=Series)  # hugo_site: the same page set and outputs
    hugo_minimal: Series = field(default_factory=Series)  # hugo_minimal: paper and year pages only
    hugo_rebuild: Series = field(default_factory=Series)
    output_bytes: int = 0
    output_files: int = 0
    hugo_bytes: int = 0
    hugo_files: int = 0
    search_bytes: int = 0
    search_gzip: int = 0
    search_files: int = 0


def ensure_hugo(wanted: bool) -> str | None:
    """The hugo command; installs Debian's package when missing and allowed (root with apt-get)."""
    if not wanted:
        return None
    found = shutil.which("hugo")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("hugo is missing: installing Debian's 'hugo' package with apt-get ...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "hugo"], env=env, check=False)
        found = shutil.which("hugo")
    if not found:
        print("hugo is missing (install it with 'sudo apt-get install hugo'); measuring scholarsite alone",
              file=sys.stderr)
    return found


def machine_info(hugo: str | None) -> dict:
    """What the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                           if line.startswith("MemTotal")))
    except (OSError, StopIteration, ValueError):
        mem_kib = 0
    hugo_version = ""
    if hugo:
        hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split(" BuildDate")[0]
    commit = git("rev-parse", "--short", "HEAD") or "(unknown commit)"
    dirty = git("status", "--porcelain", "--", "generator", "themes")
    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem_kib / 1024 / 1024, 1),
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}",
            "hugo": hugo_version, "commit": commit + (" with uncommitted changes" if dirty else ""),
            "load_start": os.getloadavg()[0]}


def git(*args: str) -> str:
    """Output of a git command in the repository; empty when git or the repository is missing."""
    try:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def build_cmd(site: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--site", str(site)]


def watch_cmd(site: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "watch", "--site", str(site)]


def hugo_cmd(hugo: str, folder: Path) -> list[str]:
    return [hugo, "--quiet", "--source", str(folder), "--destination", str(folder / "public")]


def clear_site(site: Path, trash: measure.Trash) -> None:
    """Back to a site that was never built: only site.yaml and seeds/ stay (content, output, caches go)."""
    for entry in site.iterdir():
        if entry.name not in KEEP:
            trash.move(entry)


def clear_hugo(folder: Path, trash: measure.Trash) -> None:
    for name in ("public", "resources", ".hugo_build.lock"):
        trash.move(folder / name)


def check_pages(output: Path, papers: int, who: str) -> None:
    found = measure.count_pages(output, "papers")
    if found != papers:
        raise measure.BenchError(f"{who} made {found} paper pages in {output}, expected {papers}")


def bench_size(papers: int, runs: int, seed: int, hugo: str | None, trash: measure.Trash) -> SizeResult:
    """Full builds, no-change and one-paper rebuilds of one corpus size; Hugo's runs interleaved."""
    result = SizeResult(papers=papers, runs=runs)
    folder = WORK / str(papers)
    site, hsite, msite = folder / "site", folder / "hugo", folder / "hugo-minimal"
    profile = corpus.make_profile(papers, seed)
    seed_path = corpus.write_site(site, profile)
    if hugo:
        hugo_site.write_site(hsite, profile)
        hugo_minimal.write_site(msite, profile)
    say(f"{papers} papers: {runs} full builds from scratch")
    # What a run leaves is moved away, and deleted only once this size is measured: deleting thousands of
    # files slows this machine's disk down for many seconds after (a 'discard' mount), for either tool.
    for _ in range(runs):
        clear_site(site, trash)
        os.sync()
        result.full.runs.append(measure.run(build_cmd(site), cwd=ROOT))
        if hugo:
            clear_hugo(hsite, trash)
            os.sync()
            result.hugo_full.runs.append(measure.run(hugo_cmd(hugo, hsite), cwd=hsite))
            clear_hugo(msite, trash)
            os.sync()
            result.hugo_minimal.runs.append(measure.run(hugo_cmd(hugo, msite), cwd=msite))
    output = site / "output"
    check_pages(output, papers, "scholarsite")
    result.output_bytes, result.output_files = measure.tree_size(output)
    found = measure.search_files(output)
    result.search_files = len(found)
    result.search_bytes = sum(p.stat().st_size for p in found)
    result.search_gzip = measure.gzip_size(found)
    if hugo:
        check_pages(hsite / "public", papers, "hugo")
        result.hugo_bytes, result.hugo_files = measure.tree_size(hsite / "public")
        check_pages(msite / "public", papers, "hugo (minimal)")
    say(f"{papers} papers: {runs} no-change rebuilds")
    for _ in range(runs):
        result.nochange.runs.append(measure.run(build_cmd(site), cwd=ROOT))
        if hugo:
            result.hugo_rebuild.runs.append(measure.run(hugo_cmd(hugo, hsite), cwd=hsite))
    say(f"{papers} papers: {runs} one-paper rebuilds (one abstract edited in the seed)")
    for revision in range(1, runs + 1):
        corpus.write_seed(seed_path, corpus.edit_abstract(profile, papers // 2, revision))
        result.onepaper.runs.append(measure.run(build_cmd(site), cwd=ROOT))
    corpus.write_seed(seed_path, profile)
    say(f"{papers} papers: {runs} one-paper edits through the watcher (edit to last write)")
    edits = [lambda r=r: corpus.write_seed(seed_path, corpus.edit_abstract(profile, papers // 2, r))
             for r in range(1, runs + 1)]
    result.watch.runs = measure.watch_latency(watch_cmd(site), edits, cwd=ROOT)
    corpus.write_seed(seed_path, profile)
    return result


def bench_real(runs: int, trash: measure.Trash) -> tuple[Series, Series]:
    """The repository's own site (seeds/ and site.yaml): full builds from scratch and no-change rebuilds."""
    site = WORK / "real" / "site"
    (site / "seeds").mkdir(parents=True, exist_ok=True)
    for src in [ROOT / "site.yaml", *sorted((ROOT / "seeds").glob("*.txt"))]:
        dst = site / src.relative_to(ROOT)
        if not dst.exists() or dst.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dst)
    say(f"real seed: {runs} full builds, {runs} no-change rebuilds")
    full, nochange = Series(), Series()
    for _ in range(runs):
        clear_site(site, trash)
        os.sync()
        full.runs.append(measure.run(build_cmd(site), cwd=ROOT))
    for _ in range(runs):
        nochange.runs.append(measure.run(build_cmd(site), cwd=ROOT))
    return full, nochange


def say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="Benchmark scholarsite against Hugo on synthetic profiles.")
    p.add_argument("--sizes", default=",".join(map(str, corpus.SIZES)), help="corpus sizes (default: %(default)s)")
    p.add_argument("--runs", type=int, default=5, help="runs per measurement (default: %(default)s)")
    p.add_argument("--big-runs", type=int, default=3, help="runs per measurement at 10,000 papers or more "
                                                           "(default: %(default)s)")
    p.add_argument("--seed", type=int, default=1, help="corpus seed number (default: %(default)s)")
    p.add_argument("--no-hugo", action="store_true", help="measure scholarsite alone")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md", help="where to save the table")
    p.add_argument("--readme", action="store_true", help="also replace the figures in README.md's Performance section")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    hugo = ensure_hugo(not args.no_hugo)
    info = machine_info(hugo)
    # The package's bytecode, as Python writes it on a first import (unless PYTHONDONTWRITEBYTECODE is set,
    # as on this machine: then every run would compile the package again, which no user's runs do).
    compileall.compile_dir(ROOT / "generator", quiet=1)
    trash = measure.Trash(WORK / "trash")
    trash.empty(settle=True)  # (what an earlier run left)
    try:
        real = bench_real(args.runs, trash)
        results = [bench_size(n, args.big_runs if n >= 10_000 else args.runs, args.seed, hugo, trash) for n in sizes]
    except measure.BenchError as err:
        print(f"benchmark failed: {err}", file=sys.stderr)
        return 1
    finally:
        trash.empty()  # (deleted once nothing is measured any more)
    info["load_end"] = os.getloadavg()[0]
    text = markdown(info, real, results)
    print(text)
    args.out.write_text("# scholarsite benchmark\n\n" + text, encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(json.dumps(raw(info, real, results), indent=1, sort_keys=True) + "\n",
                                               encoding="utf-8")
    say(f"saved {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    if args.readme:
        update_readme(ROOT / "README.md", text)
        say("updated README.md (Performance section)")
    return 0


def raw(info: dict, real: tuple[Series, Series], results: list[SizeResult]) -> dict:
    """Every run's figures, for anyone who wants more than medians."""
    def series(s: Series) -> list[dict]:
        return [{"seconds": round(r.seconds, 4), "cpu_seconds": round(r.cpu, 4), "peak_kib": r.peak_kib,
                 "internal_ms": r.internal_ms} for r in s.runs]
    sizes = []
    for r in results:
        row = {k: v for k, v in vars(r).items() if not isinstance(v, Series)}
        row.update({k: series(v) for k, v in vars(r).items() if isinstance(v, Series)})
        sizes.append(row)
    return {"machine": info, "real_seed": {"full": series(real[0]), "nochange": series(real[1])}, "sizes": sizes}


if __name__ == "__main__":
    sys.exit(main())
