"""The benchmark's small sizes: the synthetic corpus is a valid, varied seed and builds into the right pages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator import pages, seed
from generator.build import build

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus, hugo_site, measure  # noqa: E402

SIZES = (50, 1_000)


def words(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.casefold()))


@pytest.mark.parametrize("n", SIZES)
def test_corpus_parses_to_exactly_n_varied_papers(n):
    generated = corpus.make_profile(n)
    parsed = seed.parse(corpus.seed_text(generated).encode("utf-8"), "bench.txt")
    assert len(parsed.papers) == n
    assert [p.title for p in parsed.papers] == [p.title for p in generated.papers]
    assert [(p.authors, p.authors_truncated, p.organization, p.has_code, p.abstract, p.date, p.category)
            for p in parsed.papers] == [(p.authors, p.authors_truncated, p.organization, p.has_code, p.abstract,
                                         p.date, p.category) for p in generated.papers]
    assert len({words(p.title) for p in parsed.papers}) == n, "titles must be unique, even ignoring case"
    years = Counter(p.date.year for p in parsed.papers)
    assert min(years) >= corpus.FIRST_YEAR and max(years) <= corpus.LAST_YEAR
    assert len(years) >= (15 if n >= 1000 else 10)
    assert len({p.category for p in parsed.papers}) >= (8 if n >= 1000 else 4)
    flags = Counter()
    for p in parsed.papers:
        flags["code"] += p.has_code
        flags["et al."] += p.authors_truncated
        flags["org"] += bool(p.organization)
        flags["accent"] += any(unicodedata.normalize("NFKD", a) != a for a in p.authors)
        flags["math"] += "$" in p.abstract
        flags["url"] += "https://" in p.abstract
    for name, count in flags.items():
        assert 0 < count < n, f"'{name}' should be in some papers but not all ({count} of {n})"
    assert parsed.name == corpus.OWNER and parsed.metrics.papers_claimed >= n


def test_corpus_is_deterministic_for_a_seed_number():
    assert corpus.seed_text(corpus.make_profile(50, seed=7)) == corpus.seed_text(corpus.make_profile(50, seed=7))
    assert corpus.seed_text(corpus.make_profile(50, seed=7)) != corpus.seed_text(corpus.make_profile(50, seed=8))


def test_edit_abstract_changes_one_paper_only():
    profile = corpus.make_profile(50)
    edited = corpus.edit_abstract(profile, 25, 2)
    changed = [i for i, (a, b) in enumerate(zip(profile.papers, edited.papers)) if a != b]
    assert changed == [25]
    assert edited.papers[25].abstract.startswith(profile.papers[25].abstract)
    again = corpus.edit_abstract(edited, 25, 3)
    assert "Revision 2" not in again.papers[25].abstract and "Revision 3" in again.papers[25].abstract


class PaperLinks(HTMLParser):
    """The paper pages a page links to, by slug (``papers/<slug>/index.html``, or ``papers/<slug>/`` as Hugo
    links them)."""

    def __init__(self):
        super().__init__()
        self.slugs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        m = re.search(r"(?:^|/)papers/([a-z0-9-]+)/(?:index\.html)?$", href)
        if tag == "a" and m:
            self.slugs.add(m.group(1))


def linked_papers(path: Path) -> set[str]:
    parser = PaperLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.slugs


@pytest.fixture(scope="module", params=SIZES)
def built(request, tmp_path_factory):
    n = request.param
    site = tmp_path_factory.mktemp(f"bench{n}") / "site"
    corpus.write_site(site, corpus.make_profile(n))
    return n, site, build(site)


def test_build_makes_one_page_per_paper_and_year_pages_cover_them(built):
    n, site, result = built
    out = site / "output"
    assert measure.count_pages(out, "papers") == n
    assert len(list((site / "content" / "papers").glob("*.yaml"))) == n
    by_year: dict[int, set[str]] = {}
    for paper in result.site.papers:
        by_year.setdefault(paper.year, set()).add(paper.slug)
    year_pages = sorted(p for p in (out / "years").iterdir() if p.is_dir())
    assert sorted(int(p.name) for p in year_pages) == sorted(by_year)
    total = 0
    for page in year_pages:
        slugs = linked_papers(page / "index.html")
        assert slugs == by_year[int(page.name)], f"years/{page.name}/ lists the wrong papers"
        total += len(slugs)
    assert total == n
    # the home page lists the newest papers up to pages.HOME_LIMIT; year pages list them all
    assert linked_papers(out / "index.html") == {p.slug for p in result.site.papers[:pages.HOME_LIMIT]}
    found = measure.search_files(out)
    assert found and all("static" not in p.relative_to(out).parts for p in found)
    assert measure.gzip_size(found) < sum(p.stat().st_size for p in found)


def read_front(page: Path) -> tuple[dict, str]:
    """A Hugo content file's JSON front matter and body."""
    front, _, body = page.read_text(encoding="utf-8").partition("\n}\n")
    return json.loads(front + "\n}"), body


def test_hugo_site_has_the_same_papers(tmp_path):
    profile = corpus.make_profile(50)
    codes = {p.category for p in profile.papers}
    # papers, config, layouts, static files (the theme's and search.js), search + 3 taxonomy pages, category terms
    expected = 50 + 1 + len(hugo_site.LAYOUTS) + len(hugo_site.COPIED_STATIC) + 1 + 4 + len(codes)
    assert hugo_site.write_site(tmp_path, profile) == expected
    pages = sorted((tmp_path / "content" / "papers").glob("*.md"))
    assert len(pages) == 50
    titles = set()
    for page in pages:
        data, body = read_front(page)
        titles.add(data["title"])
        assert data["years"] == [data["date"][:4]] and data["categories"] == [data["category"]] and body.strip()
        assert corpus.OWNER not in data["coauthors"] and set(data["coauthors"]) <= set(data["authors"])
        assert data["bibtex"].startswith(f"@misc{{{data['csl']['id']},") and data["csl"]["title"] == data["title"]
    assert titles == {p.title for p in profile.papers}
    terms = {read_front(p)[0]["code"] for p in (tmp_path / "content" / "categories").glob("*/_index.md")}
    assert terms == codes
    assert hugo_site.write_site(tmp_path, profile) == 0, "an unchanged corpus rewrites nothing"


def hugo_or_skip() -> str:
    """The hugo command; a test needing it skips without it, but never in CI (where .ci/run installs it)."""
    found = shutil.which("hugo")
    if not found:
        message = "hugo is not installed (apt-get install hugo)"
        if os.environ.get("CI"):
            pytest.fail(message + "; the Hugo tests never skip in CI")
        pytest.skip(message)
    return found


def bib_entries(path: Path) -> list[str]:
    return sorted(path.read_text(encoding="utf-8").split("\n\n"))


def test_hugo_builds_the_page_set_scholarsite_builds(tmp_path):
    hugo = hugo_or_skip()
    profile = corpus.make_profile(50)
    ours = tmp_path / "site"
    corpus.write_site(ours, profile)
    result = build(ours)
    hsite = tmp_path / "hugo"
    hugo_site.write_site(hsite, profile)
    done = subprocess.run([hugo, "--source", str(hsite), "--destination", str(hsite / "public")],
                          capture_output=True, text=True, check=False)
    log = done.stdout + done.stderr
    assert done.returncode == 0 and "WARN" not in log and "ERROR" not in log, log
    out, public = ours / "output", hsite / "public"
    for section in ("papers", "years", "categories", "coauthors"):
        assert measure.count_pages(public, section) == measure.count_pages(out, section) > 0, section
    for paper in result.site.papers:  # the same BibTeX, key included, under the same slug
        cite = f"papers/{paper.slug}/cite.bib"
        assert (public / cite).read_bytes() == (out / cite).read_bytes()
    # the same entries (papers of one day may come in another order: Hugo sorts their titles by code point)
    assert bib_entries(public / "publications.bib") == bib_entries(out / "publications.bib")
    csl = json.loads((public / "publications.json").read_text(encoding="utf-8"))
    assert sorted(item["id"] for item in csl) == sorted(item["id"] for item in json.loads(
        (out / "publications.json").read_text(encoding="utf-8")))
    search = json.loads((public / "search-data.json").read_text(encoding="utf-8"))
    assert sorted(d["title"] for d in search) == sorted(p.title for p in profile.papers)
    assert (public / "feed.xml").read_text(encoding="utf-8").count("<item>") == 20
    codes = {p.category for p in profile.papers}
    assert len(list(public.glob("categories/*/feed.xml"))) == len(codes) == len(list(out.glob("feeds/*.xml")))
    for name in ("index.html", "search.html", "404.html", "robots.txt", "sitemap.xml"):
        assert (public / name).is_file(), name
    assert linked_papers(public / "index.html") == linked_papers(out / "index.html")
    # a paper page: Google Scholar tags, coauthor links, related papers
    paper = next(p for p in result.site.papers if len(p.authors) == 3 and corpus.OWNER not in p.authors)
    page = (public / "papers" / paper.slug / "index.html").read_text(encoding="utf-8")
    assert page.count('<meta name="citation_author"') == 3 and 'name="citation_title"' in page
    assert page.count('class="coauthor"') == 3 and 'class="related"' in page


def test_measured_run_reports_the_childs_own_peak_memory(tmp_path):
    small = measure.run([sys.executable, "-c", "print('in 12 ms')"])
    big = measure.run([sys.executable, "-c", "b = bytearray(80 << 20); b[::4096] = b'x' * len(b[::4096])"])
    assert small.internal_ms == 12
    assert big.peak_kib - small.peak_kib > 60 * 1024
    with pytest.raises(measure.BenchError, match="exited with 3"):
        measure.run([sys.executable, "-c", "raise SystemExit(3)"])


def test_the_report_judges_the_ratio_against_hugos_same_page_set_and_shows_its_floor_beside_it():
    from benchmarks import report, run

    def series(*seconds):
        return measure.Series([measure.Run(seconds=s, peak_kib=300 << 10, text="in 5 ms", cpu=s * 1.5) for s in seconds])
    big = run.SizeResult(papers=10_000, runs=3, full=series(9.0, 10.0, 11.0), nochange=series(0.4),
                         onepaper=series(1.0), watch=series(0.2), hugo_full=series(12.0, 12.5, 13.0),
                         hugo_rebuild=series(12.0), hugo_minimal=series(4.0, 5.0, 6.0))
    info = {"date": "today", "commit": "abc", "hugo": "hugo 0.111", "nproc": 2, "cpu": "", "memory_gib": 24,
            "system": "Linux", "python": "3.11", "load_start": 0.5, "load_end": 0.5}
    text = report.markdown(info, (series(0.4), series(0.2)), [big])
    row = next(line for line in text.splitlines() if line.startswith("| 10,000 |"))
    assert "| 0.80× |" in row and "| 2.00× |" in row  # 10.0 / 12.5 (same page set), 10.0 / 5.0 (pages only)
    goal = next(line for line in text.splitlines() if "vs Hugo's build of the same page set" in line)
    assert "0.80×" in goal and "2.0× Hugo's paper and year pages alone" in goal and goal.endswith("| met |")
