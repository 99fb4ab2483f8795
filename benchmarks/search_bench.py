"""Search figures at 50, 1,000 and 10,000 papers: index build, data size, lunr.js load and query in Chromium.

Usage: python benchmarks/search_bench.py [--sizes 50,1000,10000] [--runs 5]
The profiles are synthetic (same seed format as the real one: generator.seed.dump of generated papers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import lunrcompat, search, seed  # noqa: E402
from generator.build import build  # noqa: E402
from generator.model import Metrics, Profile, SeedPaper  # noqa: E402

REAL_SEED = ROOT / "seeds" / "000_fe8ce17d2e942b33.txt"
CATEGORIES = ["CV", "LG", "CL", "RO", "AI", "AS", "GR", "IR"]
SYLLABLES = ["ka", "ro", "mi", "ten", "sor", "vi", "lu", "den", "par", "qui", "no", "bel", "tra", "si", "gon",
             "ex", "al", "ter", "mo", "ri", "fe", "zu", "ly", "ph", "ine", "ou", "ck", "st"]
ACCENTED = ["Dollár", "Wójcik", "Łukasz", "Müller", "Núñez", "Øster", "Zoë", "Šimić", "Çelik", "Søren"]


def vocabulary(rng: random.Random) -> tuple[list[str], list[int], list[str], list[float]]:
    """The real seed's words with their real counts, and ~25,000 made-up words with Zipf weights."""
    counts = Counter(re.findall(r"[A-Za-z][A-Za-z\-]*[.,]?", REAL_SEED.read_text(encoding="utf-8")))
    real = sorted(counts)
    made = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(40000)})
    rng.shuffle(made)
    made = made[:25000]
    return real, [counts[w] for w in real], made, [1 / (i + 10) for i in range(len(made))]


def text(rng: random.Random, words, k: int) -> str:
    """k words: 70% drawn as often as in the real seed, 30% from the made-up long tail."""
    real, real_weights, made, made_weights = words
    chosen = rng.choices(real, real_weights, k=k * 7 // 10) + rng.choices(made, made_weights, k=k - k * 7 // 10)
    rng.shuffle(chosen)
    return " ".join(chosen)


def profile(n: int, seed_number: int = 1) -> Profile:
    """A synthetic profile of n papers: real word frequencies, 150-250 word abstracts, 1-3 shown authors."""
    rng = random.Random(seed_number)
    words = vocabulary(rng)
    surnames = ACCENTED + [w.title() for w in words[2][:3000]]
    names = [f"{rng.choice('ABCDEFGHJKLMNPRSTVWZ')}. {rng.choice(surnames)}" for _ in range(4000)]
    papers = []
    start = dt.date(2000, 1, 1)
    for i in range(n):
        title = text(rng, words, rng.randint(4, 12)).rstrip(".,").capitalize()
        abstract = text(rng, words, rng.randint(150, 250)).capitalize() + "."
        authors = tuple(rng.sample(names, rng.randint(1, 3)))
        papers.append(SeedPaper(line=0, category=rng.choice(CATEGORIES),
                                date=start + dt.timedelta(days=rng.randint(0, 9000)), title=f"{title} {i}",
                                authors=authors, authors_truncated=len(authors) == 3 and rng.random() < 0.5,
                                organization="", has_code=rng.random() < 0.3, abstract=abstract))
    return Profile(name="Synthetic Scholar", category="CV", metrics=Metrics(papers_claimed=n), papers=tuple(papers))


def make_site(folder: Path, n: int) -> Path:
    """A site folder whose seed lists n synthetic papers."""
    (folder / "seeds").mkdir(parents=True)
    (folder / "site.yaml").write_text("title: Synthetic Scholar\n", encoding="utf-8")
    (folder / "seeds" / "synthetic.txt").write_text(seed.dump(profile(n)), encoding="utf-8")
    return folder


def timed(fn, runs: int) -> tuple[tuple[float, float], object]:
    """Median seconds (wall clock, CPU) of runs calls, and the last answer."""
    times, cpu, answer = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        answer = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return (statistics.median(times), statistics.median(cpu)), answer


QUERIES = ["segment", "object detection", "learning", "mask r-cnn", "model", "segmentation model", "vis", "dollar"]


def browser_figures(out: Path, runs: int) -> dict:
    """Inside Chromium from file://: focus -> index ready, focus -> first result drawn, query time (medians)."""
    from playwright.sync_api import sync_playwright

    loads, firsts, queries = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for _ in range(runs):
            page = browser.new_page()
            page.goto((out / "index.html").as_uri())
            page.wait_for_load_state("load")
            page.evaluate("""() => {
                window.__start = performance.now();
                new MutationObserver((m, o) => {
                    if (document.querySelector('#site-search-results li')) {
                        window.__first = performance.now();
                        o.disconnect();
                    }
                }).observe(document.getElementById('site-search-results'), {childList: true});
                document.getElementById('site-search').focus();
            }""")
            page.keyboard.type("segment")
            page.wait_for_selector("#site-search-results li", timeout=60000)
            loads.append(page.evaluate("performance.getEntriesByName('scholarsite-search-ready')[0].startTime"
                                       " - window.__start") / 1000)
            firsts.append(page.evaluate("window.__first - window.__start") / 1000)
            per_query = page.evaluate("""(qs) => qs.map((q) => {
                const times = [];
                for (let i = 0; i < 5; i++) {
                    const t = performance.now();
                    window.scholarsiteSearch.search(q);
                    times.push(performance.now() - t);
                }
                return times.sort((a, b) => a - b)[2];
            })""", QUERIES)
            queries.append(max(per_query) / 1000)
            page.close()
        browser.close()
    return {"load": statistics.median(loads), "first": statistics.median(firsts),
            "query": statistics.median(queries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            site_dir = make_site(Path(tmp) / "site", n)
            site = build(site_dir).site
            def cold_build():
                lunrcompat._STEMS.clear()
                return search.build_files(site, search.Cache())
            full, files = timed(cold_build, args.runs)
            cache = search.Cache()
            search.build_files(site, cache)
            papers = list(site.papers)
            papers[n // 2] = replace(papers[n // 2], abstract=papers[n // 2].abstract + " revised")
            edited = replace(site, papers=tuple(papers))
            incremental, _ = timed(lambda: search.build_files(edited, cache), args.runs)
            data = files[search.DATA_FILE]
            shards = [v for k, v in files.items() if k != search.DATA_FILE]
            figures = browser_figures(site_dir / "output", args.runs)
            rows.append((n, full, incremental, len(data), len(gzip.compress(data, 9)),
                         sum(len(s) for s in shards), sum(len(gzip.compress(s, 9)) for s in shards),
                         figures["load"], figures["first"], figures["query"]))
    print("| papers | index build | rebuild after one edit | search-data.js raw / gzip "
          "| abstract shards (all) raw / gzip "
          "| load in Chromium | first results | slowest query |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, full, inc, raw, gz, sraw, sgz, load, first, query in rows:
        print(f"| {n:,} | {full[0] * 1000:.0f} ms ({full[1] * 1000:.0f} ms CPU) | {inc[0] * 1000:.0f} ms "
              f"| {raw / 1e6:.2f} MB / {gz / 1e6:.2f} MB "
              f"| {sraw / 1e6:.2f} MB / {sgz / 1e6:.2f} MB | {load * 1000:.0f} ms | {first * 1000:.0f} ms "
              f"| {query * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
