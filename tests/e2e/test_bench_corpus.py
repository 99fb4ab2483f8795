"""The benchmark's small sizes: the synthetic corpus is a valid, varied seed and builds into the right pages."""

from __future__ import annotations

import json
import re
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
    """The paper pages a page links to, by slug."""

    def __init__(self):
        super().__init__()
        self.slugs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        m = re.search(r"(?:^|/)papers/([a-z0-9-]+)/index\.html$", href)
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


def test_hugo_site_has_the_same_papers(tmp_path):
    profile = corpus.make_profile(50)
    assert hugo_site.write_site(tmp_path, profile) == 50 + 1 + len(hugo_site.LAYOUTS)
    pages = sorted((tmp_path / "content" / "papers").glob("*.md"))
    assert len(pages) == 50
    titles = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        front, _, body = text.partition("\n}\n")
        data = json.loads(front + "\n}")
        titles.add(data["title"])
        assert data["years"] == [data["date"][:4]] and body.strip()
    assert titles == {p.title for p in profile.papers}
    assert hugo_site.write_site(tmp_path, profile) == 0, "an unchanged corpus rewrites nothing"


def test_measured_run_reports_the_childs_own_peak_memory(tmp_path):
    small = measure.run([sys.executable, "-c", "print('in 12 ms')"])
    big = measure.run([sys.executable, "-c", "b = bytearray(80 << 20); b[::4096] = b'x' * len(b[::4096])"])
    assert small.internal_ms == 12
    assert big.peak_kib - small.peak_kib > 60 * 1024
    with pytest.raises(measure.BenchError, match="exited with 3"):
        measure.run([sys.executable, "-c", "raise SystemExit(3)"])
