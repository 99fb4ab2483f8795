"""The benchmark's figures as Markdown: machine, build times side by side with Hugo, sizes, goals."""

from __future__ import annotations

import re
from pathlib import Path

BEGIN, END = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"
GOAL_RATIO, GOAL_NOCHANGE, GOAL_MEMORY, GOAL_REAL, GOAL_WATCH = 1.0, 0.5, 450, 0.5, 0.3


def secs(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def timing(series) -> str:
    """Median, then the fastest and slowest run."""
    if not series.runs:
        return "–"
    low, high = series.spread
    return f"{secs(series.median)} ({low:.2f}–{high:.2f})" if len(series.runs) > 1 else secs(series.median)


def size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KiB"


def ratio(a, b) -> str:
    return f"{a.median / b.median:.2f}×" if a.runs and b.runs else "–"


def status(ok: bool) -> str:
    return "met" if ok else "**not met**"


def timed_status(series, limit: float) -> str:
    """Met on wall time; or met on CPU time only (the wall time was lost waiting for a loaded CPU)."""
    if series.median < limit:
        return "met"
    if series.cpu_median < limit:
        return "met in CPU time, not in wall time on this loaded machine"
    return status(False)


def goals(real, results) -> list[str]:
    """Where each of issue 9's goals stands, judged at the largest corpus measured."""
    full, nochange = real
    rows = ["| goal | target | measured | status |", "| --- | --- | --- | --- |"]
    big = max(results, key=lambda r: r.papers) if results else None
    if big and big.hugo_full.runs:
        value = big.full.median / big.hugo_full.median
        floor = (f"; {big.full.median / big.hugo_minimal.median:.1f}× Hugo's paper and year pages alone"
                 if big.hugo_minimal.runs else "")
        rows.append(f"| full build of {big.papers:,} papers (search data included) vs Hugo's build of the same "
                    f"page set | ratio ≤ {GOAL_RATIO:.1f} | "
                    f"{value:.2f}× ({secs(big.full.median)} vs {secs(big.hugo_full.median)}; CPU time "
                    f"{big.full.cpu_median / big.hugo_full.cpu_median:.2f}×{floor}) | "
                    f"{status(value <= GOAL_RATIO)} |")
    elif big:
        rows.append(f"| full build of {big.papers:,} papers vs Hugo | ratio ≤ {GOAL_RATIO:.1f} | "
                    f"{secs(big.full.median)}, Hugo not run | not measured |")
    if big:
        rows.append(f"| no-change rebuild, {big.papers:,} papers | < {GOAL_NOCHANGE} s | {secs(big.nochange.median)} "
                    f"(CPU time {secs(big.nochange.cpu_median)}) | {timed_status(big.nochange, GOAL_NOCHANGE)} |")
        peak = max(big.full.peak_mib, big.nochange.peak_mib, big.onepaper.peak_mib)
        rows.append(f"| peak memory, {big.papers:,} papers | < {GOAL_MEMORY} MiB | {peak:.0f} MiB | "
                    f"{status(peak < GOAL_MEMORY)} |")
        if big.watch.runs:
            rows.append(f"| one-paper edit in `watch`, {big.papers:,} papers, edit to last write (issue 8) | "
                        f"≤ {GOAL_WATCH} s | {secs(big.watch.median)} (rebuild {secs(big.watch.internal_median)}) | "
                        f"{status(big.watch.median <= GOAL_WATCH)} |")
    inner = full.internal_median
    note = f"; {secs(inner)} inside the build, the rest is Python starting and importing" if inner else ""
    rows.append(f"| full build of the real seed (cold process) | < {GOAL_REAL} s | {secs(full.median)} "
                f"(CPU time {secs(full.cpu_median)}{note}) | {timed_status(full, GOAL_REAL)} |")
    return rows


def markdown(info: dict, real, results) -> str:
    """The whole report (no top heading, so it can sit inside the README)."""
    runs = sorted({r.runs for r in results})
    lines = [
        f"Measured {info['date']} on scholarsite {info['commit']}"
        + (f" and {info['hugo']}" if info["hugo"] else " (Hugo not run: no Hugo column)") + ".",
        f"Machine: {info['nproc']} CPUs ({info['cpu'] or 'unknown model'}), {info['memory_gib']} GiB memory, "
        f"{info['system']}, Python {info['python']}. Load average {info['load_start']:.1f} at the start and "
        f"{info.get('load_end', 0):.1f} at the end"
        + (" (a shared, loaded machine: single figures are noisy, compare the ratios, measured side by side "
           "in the same run)." if max(info["load_start"], info.get("load_end", 0)) > 1.0 else "."),
        f"Every figure is the median of {' or '.join(map(str, runs))} runs (fastest–slowest in brackets), "
        "each a fresh process (`python -m generator build --site DIR`, `hugo --source DIR`), wall-clock time "
        "including interpreter start and imports. A full build starts from a site holding only `site.yaml` "
        "and its seed (import included) and Hugo's from an empty `public/`; Hugo's runs are interleaved with "
        "scholarsite's.",
        "",
        "| papers | full build | Hugo full build, same page set | ratio | CPU time | Hugo CPU time | CPU ratio "
        "| Hugo, paper and year pages only | ratio |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in results:
        hugo_cpu = secs(r.hugo_full.cpu_median) if r.hugo_full.runs else "–"
        cpu_ratio = f"{r.full.cpu_median / r.hugo_full.cpu_median:.1f}×" if r.hugo_full.runs else "–"
        floor = f"{timing(r.hugo_minimal)} | {ratio(r.full, r.hugo_minimal)}" if r.hugo_minimal.runs else "– | –"
        lines.append(f"| {r.papers:,} | {timing(r.full)} | {timing(r.hugo_full)} | {ratio(r.full, r.hugo_full)} | "
                     f"{secs(r.full.cpu_median)} | {hugo_cpu} | {cpu_ratio} | {floor} |")
    lines += [
        "",
        "| papers | no-change rebuild | one-paper rebuild | one-paper edit in `watch`: edit to last write "
        "(of which the rebuild) | Hugo rebuild into its existing `public/` |",
        "| ---: | --- | --- | --- | --- |",
    ]
    for r in results:
        inner = f" ({secs(r.watch.internal_median)})" if r.watch.internal_median is not None else ""
        lines.append(f"| {r.papers:,} | {timing(r.nochange)} | {timing(r.onepaper)} | {timing(r.watch)}{inner} | "
                     f"{timing(r.hugo_rebuild)} |")
    lines += [
        "",
        "| papers | peak memory | Hugo peak memory | output | Hugo output | search data | search data gzipped |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        peak = max(r.full.peak_mib, r.nochange.peak_mib, r.onepaper.peak_mib)
        hugo_peak = f"{max(r.hugo_full.peak_mib, r.hugo_rebuild.peak_mib):.0f} MiB" if r.hugo_full.runs else "–"
        hugo_out = f"{size(r.hugo_bytes)} ({r.hugo_files:,} files)" if r.hugo_full.runs else "–"
        lines.append(f"| {r.papers:,} | {peak:.0f} MiB | {hugo_peak} | {size(r.output_bytes)} ({r.output_files:,} files) | "
                     f"{hugo_out} | {size(r.search_bytes)} ({r.search_files} file{'s' if r.search_files != 1 else ''}) | "
                     f"{size(r.search_gzip)} |")
    full, nochange = real
    lines += [
        "",
        "The real seed (`seeds/`, 50 papers): full build "
        f"{timing(full)}, of which {secs(full.internal_median)} inside the build; no-change rebuild "
        f"{timing(nochange)}; CPU time of a full build {secs(full.cpu_median)}; peak memory {full.peak_mib:.0f} MiB.",
        "",
        "Ratios are scholarsite / Hugo (below 1.0: scholarsite is faster). CPU time is user + system time of "
        "the build process: steadier than wall time on a loaded machine, and it shows the work done (Hugo "
        "spreads its work over both cores, so its wall time suffers more when other processes compete for "
        "them). Peak memory is the build process's maximum resident set size. The one-paper rebuild edits "
        "one abstract in the seed between runs (a new process each time); the `watch` column makes the same "
        "edit while `scholarsite watch` runs and times it from the save to the watcher's report, printed "
        "right after its last write (file event, the 0.05 s wait for quiet, import, render, search data, write); "
        "in brackets the rebuild alone as the watcher reports it. Hugo's command line has no incremental build: its rebuild "
        "renders everything again into the existing `public/`. The Hugo site (benchmarks/hugo_site.py) makes "
        "the same page set and outputs: paper pages with their cite.bib, year, category and coauthor pages "
        "(taxonomies), related papers, the home page, feeds, publications.bib and .json, a sitemap and the "
        "search data as one JSON file of every paper (Hugo cannot prebuild a lunr index; BibTeX entries are "
        "made in Python and handed to it in front matter). The last columns build benchmarks/hugo_minimal.py: "
        "paper and year pages and the home page only, Hugo's floor.",
        "",
        *goals(real, results),
        "",
    ]
    return "\n".join(lines)


def update_readme(path: Path, body: str) -> None:
    """Replace the figures between the benchmark markers in the README."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path}: no '{BEGIN}' ... '{END}' markers to put the figures between")
    path.write_text(pattern.sub(lambda _: f"{BEGIN}\n{body}\n{END}", text), encoding="utf-8")
