"""A site built from a hostile seed: every page opened in Chromium runs no injected code."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.seed import parse

pytestmark = pytest.mark.browser
HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile.txt"

# Everything on a page that is not the theme's own: on* attributes, javascript: URLs, foreign elements.
INJECTED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
      if (/^\\s*(javascript|data|vbscript):/i.test(a.value) && ['href', 'src', 'action'].includes(a.name))
        bad.push(el.tagName + ' ' + a.name + '=' + a.value);
    }
  }
  for (const el of document.querySelectorAll('img, iframe, object, embed, b, svg script')) bad.push(el.outerHTML);
  for (const s of document.scripts) {
    if (s.type === 'application/ld+json') continue;
    if (!s.src) bad.push('inline script: ' + s.textContent.slice(0, 80));
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("hostile")
    (site / "seeds").mkdir()
    (site / "seeds" / "hostile.txt").write_bytes(HOSTILE.read_bytes())
    (site / "site.yaml").write_text("", encoding="utf-8")
    build(site)
    return site


def test_every_page_runs_no_injected_code(hostile_site, page):
    pages = sorted((hostile_site / "output").rglob("*.html"))
    assert len(pages) > 15
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate(INJECTED) == [], path
    assert page.watch.dialogs == []
    assert page.watch.errors == []
    assert page.watch.foreign_requests() == []


def test_hostile_strings_show_as_text(hostile_site, page):
    profile = parse(HOSTILE.read_bytes(), "hostile.txt")
    out = hostile_site / "output"
    page.goto((out / "index.html").as_uri())
    listed = page.locator(".paper-title").all_inner_texts()
    for paper in profile.papers:
        assert paper.title in listed
    assert page.locator("h1").inner_text() == profile.name
    page.goto((out / "papers" / "img-src-x-onerror-alert-1" / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "<img src=x onerror=alert(1)>"
    authors = page.locator(".paper-authors").inner_text()
    assert "<script>alert(2)</script>" in authors and "Robert'); DROP TABLE papers;--" in authors
    abstract = page.locator(".abstract").inner_text()
    assert "</script><!--" in abstract and "{{ 7*7 }}" in abstract and "<img src=x onerror=alert(5)>" in abstract
    assert page.title().startswith("<img src=x onerror=alert(1)>")
    page.goto((out / "papers" / "7-7" / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "{{ 7*7 }}"
    assert "{% include 'base.html' %}" in page.locator(".abstract").inner_text()
    assert page.watch.dialogs == [] and page.watch.errors == []


def test_hostile_titles_show_as_text_in_search_results(hostile_site, page):
    page.goto((hostile_site / "output" / "search.html").as_uri() + "?q=onerror")
    page.wait_for_selector("#search-results li a")
    assert "<img src=x onerror=alert(1)>" in page.locator("#search-results li a").all_inner_texts()
    page.fill("#site-search", "alert")
    page.wait_for_selector("#site-search-results li")
    assert page.evaluate(INJECTED) == []
    assert page.watch.dialogs == [] and page.watch.errors == []
