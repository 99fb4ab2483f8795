"""Metadata and exports of whole builds, read back with the tools their users have (pybtex, feedparser, citeproc)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import uuid
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import feedparser
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
import pytest
from pybtex.database import parse_string

from generator import seed
from generator.build import build
from generator.load import load_site

ROOT = Path(__file__).resolve().parents[2]
REAL_SEED = ROOT / "seeds" / "000_fe8ce17d2e942b33.txt"
BASE = "https://example.org/~rbg/"
LATEX = {r"\textbackslash{}": "\\", r"\textasciicircum{}": "^", r"\textasciitilde{}": "~", r"\{": "{", r"\}": "}",
         r"\$": "$", r"\&": "&", r"\%": "%", r"\#": "#", r"\_": "_"}


class Head(HTMLParser):
    """The metadata of one page: <meta> tags, canonical link, JSON-LD blocks, the Cite block's texts."""

    def __init__(self):
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.canonical: list[str] = []
        self.ld: list[str] = []
        self.ids: dict[str, str] = {}
        self._script = False
        self._id = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "content" in a:
            self.meta.append((a.get("name") or a.get("property") or "", a["content"]))
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a["href"])
        self._script = tag == "script" and a.get("type") == "application/ld+json"
        if self._script:
            self.ld.append("")
        if a.get("id") in ("cite-bibtex", "cite-reference"):
            self._id = a["id"]
            self.ids[self._id] = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False
        if tag in ("code", "p"):
            self._id = ""

    def handle_data(self, data):
        if self._script:
            self.ld[-1] += data
        if self._id:
            self.ids[self._id] += data

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.meta if k == name]


def head(path: Path) -> Head:
    h = Head()
    h.feed(path.read_text(encoding="utf-8"))
    return h


def unlatex(value: str) -> str:
    """What a LaTeX reader makes of an escaped BibTeX value: escapes undone, case-protecting braces dropped."""
    out, i = [], 0
    while i < len(value):
        for code, char in LATEX.items():
            if value.startswith(code, i):
                out.append(char)
                i += len(code)
                break
        else:
            if value[i] not in "{}":
                out.append(value[i])
            i += 1
    return "".join(out)


def build_based_site(site: Path) -> Path:
    """The real seed built with a base URL, a profile with affiliation and links, one paper with venue and PDF."""
    (site / "seeds").mkdir(parents=True)
    (site / "seeds" / REAL_SEED.name).write_bytes(REAL_SEED.read_bytes())
    (site / "site.yaml").write_text(f"title: Ross Girshick\nbase_url: {BASE}\nfeed_length: 20\n", encoding="utf-8")
    build(site)
    with open(site / "content" / "profile.yaml", "a", encoding="utf-8") as f:
        f.write("affiliation: Allen Institute for AI\nbio: Works on *visual recognition*.\nlinks:\n"
                "  - {name: Google Scholar, url: 'https://scholar.google.com/citations?user=W8VIEZgAAAAJ'}\n"
                "  - {name: Mail, url: 'mailto:rbg@example.org'}\n")
    with open(site / "content" / "papers" / "mask-r-cnn.yaml", "a", encoding="utf-8") as f:
        f.write("venue: ICCV 2017\npdf: https://arxiv.org/pdf/1703.06870\n")
    result = build(site, do_import=False)
    assert result.warnings == []
    return site


@pytest.fixture(scope="module")
def based_site(tmp_path_factory) -> Path:
    return build_based_site(tmp_path_factory.mktemp("exports") / "site")


def paper_pages(site: Path) -> list[Path]:
    return sorted((site / "output" / "papers").glob("*/index.html"))


def test_publications_bib_has_50_unique_entries_that_pybtex_reads(based_site):
    site = load_site(based_site / "content", based_site)
    text = (based_site / "output" / "publications.bib").read_text(encoding="utf-8")
    db = parse_string(text, "bibtex")
    assert len(db.entries) == 50
    keys = re.findall(r"^@misc\{([^,]+),", text, re.M)
    assert len(keys) == len(set(keys)) == 50  # pybtex would also refuse duplicates
    by_title = {unlatex(e.fields["title"]): e for e in db.entries.values()}
    for paper in site.papers:
        entry = by_title[paper.title]
        authors = [" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names)
                   for p in entry.persons["author"]]
        expected = list(paper.authors) + (["others"] if paper.authors_truncated else [])
        assert authors == expected, paper.slug
        assert entry.fields["year"] == str(paper.year)
        assert entry.fields["month"] == paper.date.strftime("%B")
    mask = db.entries["he2017mask"]
    assert mask.fields["title"] == "Mask {R-CNN}"
    assert mask.fields["howpublished"] == "ICCV 2017"
    assert mask.fields["url"] == "https://arxiv.org/pdf/1703.06870"
    assert db.entries["kirillov2023segment"].fields["url"] == BASE + "papers/segment-anything/"
    assert "Dollár" in text  # unicode is kept as it is, in valid UTF-8


def test_every_paper_has_its_own_cite_bib_matching_the_page(based_site):
    out = based_site / "output"
    whole = parse_string((out / "publications.bib").read_text(encoding="utf-8"), "bibtex").entries
    pages = paper_pages(based_site)
    assert len(pages) == 50
    for page in pages:
        text = (page.parent / "cite.bib").read_text(encoding="utf-8")
        own = parse_string(text, "bibtex").entries
        assert len(own) == 1
        key = next(iter(own))
        assert own[key].fields == whole[key].fields
        h = head(page)
        assert h.ids["cite-bibtex"] == text  # the Cite block shows exactly the file's entry
        assert unlatex(own[key].fields["title"]) in h.ids["cite-reference"]


def test_highwire_tags_match_the_seed_on_all_50_paper_pages(based_site):
    site = load_site(based_site / "content", based_site)
    stated = {p.title: p for p in seed.parse(REAL_SEED.read_bytes()).papers}  # what the seed says, read anew
    pages = {p.parent.name: p for p in paper_pages(based_site)}
    assert len(pages) == len(site.papers) == len(stated) == 50
    for paper in site.papers:
        assert (paper.authors, paper.date) == (stated[paper.title].authors, stated[paper.title].date)
        h = head(pages[paper.slug])
        assert h.values("citation_title") == [paper.title]
        assert h.values("citation_author") == list(paper.authors)  # only the known authors, none invented
        (date,) = h.values("citation_publication_date")
        assert dt.datetime.strptime(date, "%Y/%m/%d").date() == paper.date and len(date) == 10
        url = BASE + f"papers/{paper.slug}/"
        assert h.values("citation_abstract_html_url") == [url]
        assert h.canonical == [url] and h.values("og:url") == [url]
        assert h.values("og:title") == h.values("twitter:title") == [paper.title]
        assert h.values("og:type") == ["article"]
        (description,) = h.values("description")
        assert description and paper.abstract.startswith(description.rstrip("…")[:100])
        expected_pdf = ["https://arxiv.org/pdf/1703.06870"] if paper.slug == "mask-r-cnn" else []
        assert h.values("citation_pdf_url") == expected_pdf


def test_paper_json_ld_is_a_scholarly_article(based_site):
    site = load_site(based_site / "content", based_site)
    for paper in site.papers:
        (block,) = head(based_site / "output" / paper.url).ld
        data = json.loads(block)
        assert data["@context"] == "https://schema.org" and data["@type"] == "ScholarlyArticle"
        assert data["headline"] == paper.title
        assert [a["name"] for a in data["author"]] == list(paper.authors)
        assert data["datePublished"] == paper.date.isoformat()
        assert data["abstract"] and data["url"] == BASE + f"papers/{paper.slug}/"
    mask = json.loads(head(based_site / "output" / "papers" / "mask-r-cnn" / "index.html").ld[0])
    assert mask["isPartOf"]["name"] == "ICCV 2017"
    assert mask["encoding"]["contentUrl"] == "https://arxiv.org/pdf/1703.06870"


def test_home_json_ld_is_the_person_with_affiliation_and_links(based_site):
    h = head(based_site / "output" / "index.html")
    (block,) = h.ld
    person = json.loads(block)
    assert person["@type"] == "Person" and person["name"] == "Ross Girshick"
    assert person["affiliation"] == {"@type": "Organization", "name": "Allen Institute for AI"}
    assert person["sameAs"] == ["https://scholar.google.com/citations?user=W8VIEZgAAAAJ"]  # no mailto
    assert person["url"] == BASE
    assert h.values("og:type") == ["profile"] and h.values("og:url") == [BASE] and h.canonical == [BASE]
    assert h.values("og:description") == h.values("description")


def test_csl_json_lists_every_paper_with_the_bibtex_keys(based_site):
    site = load_site(based_site / "content", based_site)
    items = json.loads((based_site / "output" / "publications.json").read_text(encoding="utf-8"))
    bib = parse_string((based_site / "output" / "publications.bib").read_text(encoding="utf-8"), "bibtex")
    assert [i["id"] for i in items] == list(bib.entries)
    for item, paper in zip(items, site.papers):
        assert item["title"] == paper.title and item["type"] == "article"
        assert item["issued"] == {"date-parts": [[paper.year, paper.date.month, paper.date.day]]}
        assert [f"{a['given']} {a['family']}" for a in item["author"]] == list(paper.authors)
        assert ("note" in item) == paper.authors_truncated


def test_a_csl_processor_formats_every_paper(based_site):
    """citeproc-py, a CSL processor like those in Zotero and Pandoc, reads publications.json and cites every paper."""
    site = load_site(based_site / "content", based_site)
    items = json.loads((based_site / "output" / "publications.json").read_text(encoding="utf-8"))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 50
    for paper in site.papers:
        (text,) = [r for r in rendered if f"“{paper.title}”" in r]
        family = paper.authors[0].split(" ")[-1]
        assert text.startswith(family + ", ") and f"({paper.year})" in text


def feed_files(out: Path) -> list[Path]:
    return [out / "feed.xml", *sorted((out / "feeds").glob("*.xml"))]


def test_feedparser_reads_every_feed_newest_first(based_site):
    site = load_site(based_site / "content", based_site)
    out = based_site / "output"
    categories = Counter(p.category for p in site.papers)
    assert len(feed_files(out)) == 1 + len(categories)
    for path in feed_files(out):
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, f"{path.name}: {feed.get('bozo_exception')}"
        assert feed.version == "atom10"
        code = None if path.name == "feed.xml" else path.stem.upper()
        expected = [p for p in site.papers if code in (None, p.category)][:20]
        assert [e.title for e in feed.entries] == [p.title for p in expected]
        assert [e.link for e in feed.entries] == [BASE + f"papers/{p.slug}/" for p in expected]
        assert len({e.id for e in feed.entries}) == len(expected)
        feed_name = f"scholarsite:{site.name}:feed:{path.relative_to(out).as_posix()}"
        assert feed.feed.id == f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, feed_name)}" and feed.feed.title and feed.feed.author == "Ross Girshick"
        for entry, paper in zip(feed.entries, expected):  # what RFC 4287 requires of each entry, and more
            assert entry.updated.startswith(paper.date.isoformat())
            # (ids as RFC 4122's name-based UUIDs of the paper: a reader that saw the entry once knows it again)
            assert entry.id == f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'scholarsite:{site.name}:paper:{paper.slug}')}"
            assert [a.name for a in entry.authors] == list(paper.authors)
            assert entry.summary and paper.abstract.startswith(entry.summary[:80])
        assert feed.feed.updated.startswith(expected[0].date.isoformat())
        self_link = [link.href for link in feed.feed.links if link.rel == "self"]
        assert self_link == [BASE + path.relative_to(out).as_posix()]


def test_sitemap_lists_every_built_page_and_nothing_else(based_site):
    out = based_site / "output"
    tree = ElementTree.parse(out / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in tree.getroot().findall("s:url/s:loc", ns)]
    assert len(locs) == len(set(locs))
    files = set()
    for loc in locs:
        assert loc.startswith(BASE)
        rel = loc[len(BASE):]
        files.add(rel + "index.html" if rel == "" or rel.endswith("/") else rel)
    built = {p.relative_to(out).as_posix() for p in out.rglob("*.html")} - {"404.html"}
    assert files == built
    assert sum(p.startswith("papers/") for p in built) == 50
    assert sum(p.startswith("years/") for p in built) == 13  # the archive and 12 years
    assert {"index.html", "search.html", "categories/index.html", "coauthors/index.html"} <= built
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()


def test_404_page_uses_the_base_url_and_is_not_indexed(based_site):
    text = (based_site / "output" / "404.html").read_text(encoding="utf-8")
    assert f'<base href="{BASE}">' in text
    assert '<meta name="robots" content="noindex">' in text


def run_cli(args, cwd):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ})


def test_without_base_url_the_site_builds_warns_once_and_leaves_absolute_tags_out(tmp_path):
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "seeds" / "me.txt").write_bytes(REAL_SEED.read_bytes())
    (site / "site.yaml").write_text("title: Ross Girshick\n", encoding="utf-8")
    result = run_cli(["build"], cwd=site)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "base_url" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: site.yaml has no 'base_url'")
    out = site / "output"
    assert not (out / "sitemap.xml").exists()
    assert "Sitemap" not in (out / "robots.txt").read_text(encoding="utf-8")
    for page in [out / "index.html", *paper_pages(site)]:
        h = head(page)
        assert h.canonical == [] and h.values("og:url") == [] and h.values("citation_abstract_html_url") == []
        data = json.loads(h.ld[0])
        assert "url" not in data
    assert "<base" not in (out / "404.html").read_text(encoding="utf-8")
    host = "https://host.example/sub/"
    for path in feed_files(out):  # feeds still work: their links are relative to the feed's own address
        rel = path.relative_to(out).as_posix()
        feed = feedparser.parse(path.read_bytes(), response_headers={"content-location": host + rel,
                                                                   "content-type": "application/atom+xml"})
        assert not feed.bozo and feed.entries
        for entry in feed.entries:
            assert entry.link.startswith(host + "papers/")
            assert (out / entry.link[len(host):]).is_file(), entry.link


def test_feed_length_from_site_yaml(site_factory, real_seed_text):
    site = site_factory(real_seed_text, config=f"base_url: {BASE}\nfeed_length: 3\n")
    result = run_cli(["build"], cwd=site)
    assert result.returncode == 0 and "warning" not in result.stderr
    feed = feedparser.parse((site / "output" / "feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["SIMS-V: Simulated Instruction-Tuning for Spatial Video Understanding",
                                               "Molmo and PixMo: Open Weights and Open Data for State-of-the-Art "
                                               "Vision-Language Models",
                                               "SAM 2: Segment Anything in Images and Videos"]


@pytest.mark.parametrize("value", ["none", "0", "2.5"])
def test_bad_feed_length_is_an_input_error(site_factory, real_seed_text, value):
    site = site_factory(real_seed_text, config=f"title: x\nfeed_length: {value}\n")
    result = run_cli(["build"], cwd=site)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"site.yaml:2: 'feed_length' must be a whole number of papers, 1 or more, found '{value}'" in result.stderr
    assert not (site / "output").exists()
