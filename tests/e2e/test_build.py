"""Whole builds of the real seed into temporary sites."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator import seed
from watchkit import run_python

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_YEARS = {2014: 1, 2015: 1, 2016: 5, 2017: 9, 2018: 5, 2019: 9, 2020: 4, 2021: 8, 2022: 2, 2023: 2,
                  2024: 3, 2025: 1}


class Links(HTMLParser):
    """Collects href/src values, the <h1> text, and the titles of listed papers."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.h1 = ""
        self.in_h1 = False
        self.listed: list[str] = []
        self.in_item_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])
        if tag == "h1":
            self.in_h1 = True
        if tag == "a" and "paper-title" in (a.get("class") or ""):
            self.in_item_title = True
            self.listed.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self.in_h1 = False
        if tag == "a":
            self.in_item_title = False

    def handle_data(self, data):
        if self.in_h1:
            self.h1 += data
        if self.in_item_title:
            self.listed[-1] += data


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_one_page_per_paper_with_its_title_as_h1(real_site):
    out = real_site / "output"
    profile = seed.parse((real_site / "seeds" / "000_fe8ce17d2e942b33.txt").read_bytes())
    paper_pages = sorted((out / "papers").glob("*/index.html"))
    assert len(paper_pages) == 50
    h1s = Counter(parse(p).h1 for p in paper_pages)
    assert sorted(h1s) == sorted(p.title for p in profile.papers)
    assert set(h1s.values()) == {1}


def test_year_pages_list_the_seed_papers(real_site):
    out = real_site / "output"
    profile = seed.parse((real_site / "seeds" / "000_fe8ce17d2e942b33.txt").read_bytes())
    counts = {}
    for year_page in sorted((out / "years").glob("*/index.html")):
        year = int(year_page.parent.name)
        listed = parse(year_page).listed
        expected = sorted(p.title for p in profile.papers if p.date.year == year)
        assert sorted(listed) == expected
        counts[year] = len(listed)
    assert counts == EXPECTED_YEARS
    archive = (out / "years" / "index.html").read_text(encoding="utf-8")
    for year, n in EXPECTED_YEARS.items():
        assert re.search(rf'href="[^"]*{year}/index.html">{year}</a> <span class="count">{n} papers?</span>', archive)


def test_every_internal_link_resolves_to_a_file(real_site):
    out = real_site / "output"
    checked = 0
    for page in html_pages(out):
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                assert parts.scheme in ("http", "https", "mailto"), f"{page}: odd link {link}"
                continue
            if not parts.path:
                continue  # a fragment on the same page
            assert not parts.path.startswith("/"), f"{page}: root-absolute link {link} breaks file:// and subpaths"
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(out)} links to {link}, which is not a file"
            checked += 1
    assert checked > 500  # the parser saw the links (home, years, pagers, breadcrumbs...)


def test_home_shows_claimed_and_listed_counts_honestly(real_site):
    home = (real_site / "output" / "index.html").read_text(encoding="utf-8")
    assert "The profile claims 76 papers; 50 of them are listed here." in home
    assert "420,444" in home and ">15<" in home and "56%" in home and ">49<" in home
    assert len(parse(real_site / "output" / "index.html").listed) == 50


def test_paper_page_shows_facts_and_links(real_site):
    page = (real_site / "output" / "papers" / "segment-anything" / "index.html").read_text(encoding="utf-8")
    assert "Computer Vision and Pattern Recognition" in page
    assert "et al." in page and "meta-ai" in page
    assert '<a href="https://segment-anything.com">https://segment-anything.com</a>' in page
    code = (real_site / "output" / "papers").glob("a-large-scale-study-on-unsupervised*/index.html")
    text = next(code).read_text(encoding="utf-8")
    assert 'class="badge badge-code" href="https://github.com/facebookresearch/SlowFast"' in text


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def run_cli(args, cwd, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_build_is_deterministic_across_cwd_tz_and_hash_seed(site_factory, real_seed_text, tmp_path):
    a = site_factory(real_seed_text, folder="a")
    b = site_factory(real_seed_text, folder="b")
    r1 = run_cli(["build"], cwd=a, env_extra={"TZ": "UTC", "PYTHONHASHSEED": "1", "LC_ALL": "C"})
    r2 = run_cli(["build", "--site", str(b)], cwd=tmp_path,
                 env_extra={"TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "2", "LC_ALL": "C.UTF-8"})
    assert r1.returncode == 0, r1.stderr
    assert r2.returncode == 0, r2.stderr
    assert tree_hash(a / "output") == tree_hash(b / "output")
    assert tree_hash(a / "content") == tree_hash(b / "content")


def test_second_build_writes_nothing(site_factory, real_seed_text):
    site = site_factory(real_seed_text)
    assert run_cli(["build"], cwd=site).returncode == 0
    mtimes = {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*") if p.is_file()}
    mtimes |= {p: p.stat().st_mtime_ns for p in (site / "content").rglob("*") if p.is_file()}
    again = run_cli(["build"], cwd=site)
    assert again.returncode == 0
    assert "0 written" in again.stdout
    assert mtimes == {p: p.stat().st_mtime_ns for p in mtimes}


def test_bad_seed_exits_2_names_line_and_changes_nothing(site_factory, real_seed_text):
    site = site_factory(real_seed_text)
    assert run_cli(["build"], cwd=site).returncode == 0
    before = tree_hash(site / "output"), tree_hash(site / "content")
    broken = real_seed_text.replace("CVApr 5, 2023", "CVFeb 30, 2023").replace("CVMar 23, 2023\n", "CVMar 23, 2023\n\n")
    (site / "seeds" / "me.txt").write_text(broken, encoding="utf-8")
    result = run_cli(["build"], cwd=site)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "seeds/me.txt:12: expected a date like 'Apr 5, 2023', found 'Feb 30, 2023'" in result.stderr
    assert "seeds/me.txt:20: expected the paper's title" in result.stderr
    assert (tree_hash(site / "output"), tree_hash(site / "content")) == before


def test_help_on_every_command(tmp_path):
    for args in (["--help"], ["build", "--help"], ["import", "--help"]):
        result = run_cli(args, cwd=tmp_path)
        assert result.returncode == 0 and "usage: scholarsite" in result.stdout


def test_console_script_and_module_agree(site_factory, real_seed_text):
    site = site_factory(real_seed_text)
    script = Path(sys.executable).parent / "scholarsite"
    result = subprocess.run([str(script), "import"], cwd=site, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "50 papers: 50 added, 0 updated, 0 removed (kept), 0 conflicts"
    assert len(list((site / "content" / "papers").glob("*.yaml"))) == 50


def test_a_build_with_nothing_to_do_stops_before_the_renderer_is_even_imported(site_factory, real_seed_text):
    """`scholarsite build` looks at what it reads first, with only that imported: when nothing changed it
    reports every file unchanged without importing Jinja, markdown-it or the importer, nor PyYAML (the
    settings parsed as before: yamlio.load_settings) or dataclasses."""
    site = site_factory(real_seed_text, "title: Ross's papers\n")
    assert run_cli(["build"], cwd=site).returncode == 0
    heavy = ("jinja2", "markdown_it", "generator.build", "generator.content", "generator.render", "yaml",
             "dataclasses")
    code = ("import sys; from generator.cli import main; sys.argv = ['scholarsite', 'build']; status = main(); "
            f"print(status, [name for name in {heavy!r} if name in sys.modules])")
    done = run_python(code, cwd=site, timeout=120)
    assert "(0 written, " in done and done.splitlines()[-1] == "0 []"
    paper = site / "content" / "papers" / "segment-anything.yaml"
    paper.write_text(paper.read_text(encoding="utf-8") + "venue: ICCV 2023\n", encoding="utf-8")
    again = run_python(code, cwd=site, timeout=120)
    assert "(0 written, " not in again and "'jinja2'" in again.splitlines()[-1]
    assert "ICCV 2023" in (site / "output/papers/segment-anything/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("here", [0.0, 0.5, 1.0], ids=["forked", "shared", "here"])
def test_the_output_checked_in_another_process_still_notices_a_file_deleted_or_edited(site_factory, real_seed_text,
                                                                                      here):
    """A one-shot build of a large site takes the output files' stats in a forked process while it looks at
    the content, and the last of them (inputs.HERE) itself once it has (inputs.OutputCheck): the answer
    decides as the check made in place would, whichever process took the stats of the file changed."""
    site = site_factory(real_seed_text)
    code = ("import sys; from generator import cli, inputs; inputs.FORK_MIN = 0; "  # (every site counts as large)
            f"inputs.HERE = {here}; sys.argv = ['scholarsite', 'build']; sys.exit(cli.main())")

    def build_forked() -> str:
        return run_python(code, cwd=site, timeout=120)

    build_forked()
    assert "(0 written, " in build_forked()
    page = site / "output" / "years" / "2017" / "index.html"
    page.unlink()
    assert "(1 written, " in build_forked() and page.is_file()
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "<!-- edited by hand -->", encoding="utf-8")
    assert "(1 written, " in build_forked() and page.read_text(encoding="utf-8") == text
    assert "(0 written, " in build_forked()
