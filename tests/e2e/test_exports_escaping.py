"""Hostile titles, names and abstracts come out of every export exactly as written, and harmless."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from pybtex.database import parse_string

from generator.build import build
from test_exports import head, unlatex

TITLE = "</script><!-- {Braces} 100% $a_b^2$ ~ # \\emph & “quotes”\u2028R-CNN"
BASE = "https://example.org/"


def paper_yaml(title: str, date: str, authors: list[str], abstract: str) -> str:
    return json.dumps({"title": title, "date": date, "category": "CV", "authors": authors,
                       "authors_truncated": True, "abstract": abstract}, ensure_ascii=False)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("hostile") / "site"
    papers = site / "content" / "papers"
    papers.mkdir(parents=True)
    (site / "site.yaml").write_text(f"base_url: {BASE}\n", encoding="utf-8")
    (site / "content" / "profile.yaml").write_text(
        "name: \"Zoë </script> O'Brien & Co\"\ncategory: CV\n"
        "links:\n  - {name: Home, url: 'javascript:alert(1)'}\n", encoding="utf-8")
    (papers / "hostile.yaml").write_text(paper_yaml(
        TITLE, "2020-05-01", ["Zoë van der Berg Jr.", "Smith, and Jones", "Ana <b>Li</b>"],
        "An abstract with </script><script>alert(1)</script> and \u2029 separators."), encoding="utf-8")
    (papers / "script-kiddies.yaml").write_text(paper_yaml(
        "Script kiddies", "2020-07-01", ["Zoë van der Berg Jr."], "Another one."), encoding="utf-8")
    build(site)
    return site


def test_json_ld_survives_script_breaking_text(hostile_site):
    page = hostile_site / "output" / "papers" / "hostile" / "index.html"
    h = head(page)
    (block,) = h.ld
    assert "</" not in block and "<!--" not in block and "\u2028" not in block
    data = json.loads(block)
    assert data["headline"] == TITLE
    assert [a["name"] for a in data["author"]] == ["Zoë van der Berg Jr.", "Smith, and Jones", "Ana <b>Li</b>"]
    assert "</script><script>alert(1)</script>" in data["abstract"]
    assert h.values("citation_title") == [TITLE]
    home = head(hostile_site / "output" / "index.html")
    person = json.loads(home.ld[0])
    assert person["name"] == "Zoë </script> O'Brien & Co"
    assert "sameAs" not in person  # a javascript: link is never offered as a profile


def test_bibtex_escapes_specials_and_keeps_keys_unique(hostile_site):
    out = hostile_site / "output"
    text = (out / "publications.bib").read_text(encoding="utf-8")
    db = parse_string(text, "bibtex")
    assert sorted(db.entries) == ["berg2020script", "berg2020scriptb"]
    entry = db.entries["berg2020script"]  # the older paper keeps the plain key
    assert unlatex(entry.fields["title"]) == TITLE.replace("\u2028", " ")
    assert "{R-CNN}" in entry.fields["title"]
    names = [str(p) for p in entry.persons["author"]]
    assert names == ["van der Berg, Jr., Zoë", "{Smith, and Jones}", "<b>Li</b>, Ana", "others"]
    own = parse_string((out / "papers" / "hostile" / "cite.bib").read_text(encoding="utf-8"), "bibtex")
    assert list(own.entries) == ["berg2020script"]
    assert head(out / "papers" / "hostile" / "index.html").ids["cite-bibtex"].startswith("@misc{berg2020script,")


def test_feed_and_csl_json_keep_the_exact_text(hostile_site):
    out = hostile_site / "output"
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo
    assert TITLE in [e.title for e in feed.entries]
    assert feed.feed.author == "Zoë </script> O'Brien & Co"
    items = json.loads((out / "publications.json").read_text(encoding="utf-8"))
    hostile = next(i for i in items if i["id"] == "berg2020script")
    assert hostile["author"][0] == {"given": "Zoë", "family": "van der Berg", "suffix": "Jr."}
    assert hostile["note"].startswith("Author list truncated")


HOSTILE_SEED = Path(__file__).resolve().parents[1] / "data" / "hostile.txt"


def build_hostile_seed_site(site: Path) -> Path:
    """The lead's hostile seed (script tags, SQL, RTL text, emoji, YAML lookalikes, duplicates), with a base URL."""
    (site / "seeds").mkdir(parents=True)
    (site / "seeds" / "hostile.txt").write_bytes(HOSTILE_SEED.read_bytes())
    (site / "site.yaml").write_text(f"base_url: {BASE}\n", encoding="utf-8")
    build(site)
    return site


def test_every_export_of_the_hostile_seed_reads_back(tmp_path):
    site = build_hostile_seed_site(tmp_path / "site")
    out = site / "output"
    pages = sorted((out / "papers").glob("*/index.html"))
    whole = parse_string((out / "publications.bib").read_text(encoding="utf-8"), "bibtex").entries
    assert len(pages) == len(whole) >= 10
    for page in pages:
        own = parse_string((page.parent / "cite.bib").read_text(encoding="utf-8"), "bibtex").entries
        (key,) = own
        assert own[key].fields == whole[key].fields
        (block,) = head(page).ld
        assert "</" not in block
        article = json.loads(block)
        assert unlatex(whole[key].fields["title"]) == article["headline"].strip()
        assert head(page).values("citation_title") == [article["headline"]]
    assert json.loads(head(out / "index.html").ld[0])["name"] == "<script>alert('name')</script> Mallory O'Hara"
    items = json.loads((out / "publications.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == list(whole)
    for path in [out / "feed.xml", *sorted((out / "feeds").glob("*.xml"))]:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, f"{path.name}: {feed.get('bozo_exception')}"
        assert feed.entries
