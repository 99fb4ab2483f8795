"""Search works on the built site opened straight from disk (file://)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from generator.build import build
from tests.conftest import REAL_SEED, make_site

pytestmark = pytest.mark.browser


def test_search_box_from_disk_finds_and_follows(real_site, page):
    index = real_site / "output" / "index.html"
    page.goto(index.as_uri())
    page.fill("#site-search", "segment")
    page.wait_for_selector("#site-search-results li a")
    titles = page.locator("#site-search-results li a").all_inner_texts()
    assert "Segment Anything" in titles
    assert "SAM 2: Segment Anything in Images and Videos" in titles
    page.locator("#site-search-results").get_by_role("link", name="Segment Anything", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/papers/segment-anything/index.html")
    assert page.locator("h1").inner_text() == "Segment Anything"
    assert page.watch.errors == []
    assert page.watch.foreign_requests() == []


def test_search_page_reads_query_from_url(real_site, page):
    page.goto((real_site / "output" / "search.html").as_uri() + "?q=segment")
    page.wait_for_selector("#search-results li a")
    titles = page.locator("#search-results li a").all_inner_texts()
    assert {"Segment Anything", "SAM 2: Segment Anything in Images and Videos"} <= set(titles)
    assert "papers found" in page.locator("#search-status").inner_text()
    assert page.watch.errors == []
    assert page.watch.foreign_requests() == []


def test_enter_in_header_box_opens_search_page(real_site, page):
    page.goto((real_site / "output" / "years" / "2017" / "index.html").as_uri())
    page.fill("#site-search", "mask r-cnn")
    page.press("#site-search", "Enter")
    page.wait_for_selector("#search-results li a")
    assert "Mask R-CNN" in page.locator("#search-results li a").all_inner_texts()
    assert page.input_value("#search-page-input") == "mask r-cnn"


def test_rejected_query_shows_message_not_error(real_site, page):
    page.goto((real_site / "output" / "search.html").as_uri() + "?q=title%3A")
    page.wait_for_function("document.getElementById('search-status').textContent.length > 0")
    assert "could not read" in page.locator("#search-status").inner_text()
    assert page.watch.errors == []


def test_slash_focuses_search(real_site, page):
    page.goto((real_site / "output" / "index.html").as_uri())
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search"


def search_page(site, query: str = "") -> str:
    return (site / "output" / "search.html").as_uri() + query


def result_titles(page) -> list[str]:
    return page.locator("#search-results li a.paper-title").all_inner_texts()


def test_index_loads_only_when_search_is_focused(real_site, page):
    page.goto((real_site / "output" / "index.html").as_uri())
    page.wait_for_load_state("load")
    assert not any(u.endswith("search-data.js") for u in page.watch.requests)
    page.focus("#site-search")
    page.wait_for_function("window.SCHOLARSITE_SEARCH !== undefined")
    assert any(u.endswith("search-data.js") for u in page.watch.requests)


def test_typing_highlights_title_and_abstract_snippet(real_site, page):
    page.goto(search_page(real_site))
    page.locator("#search-page-input").press_sequentially("segment anything")
    page.wait_for_selector("#search-results li .search-snippet mark")
    first = page.locator("#search-results li").first
    assert first.locator("a.paper-title").inner_text() == "Segment Anything"
    assert first.locator("a.paper-title mark").all_inner_texts() == ["Segment", "Anything"]
    assert {"Segment", "Anything"} <= set(first.locator(".search-snippet mark").all_inner_texts())
    assert "found for \u201csegment anything\u201d" in page.locator("#search-status").inner_text()
    assert parse_qs(urlparse(page.url).query)["q"] == ["segment anything"]
    assert page.watch.errors == []


def test_prefix_while_typing_and_words_deep_in_abstracts(real_site, page):
    page.goto(search_page(real_site))
    page.fill("#search-page-input", "panop")
    page.wait_for_selector("#search-results li a")
    assert "Panoptic Segmentation" in result_titles(page)
    page.fill("#search-page-input", "sa-1b")  # a word from the middle of an abstract
    page.wait_for_function("document.getElementById('search-status').textContent.includes('sa-1b')")
    assert "Segment Anything" in result_titles(page)
    first = page.locator("#search-results li").filter(has_text="Segment Anything").first
    assert {"SA", "1B"} <= set(first.locator(".search-snippet mark").all_inner_texts())


def test_filters_year_range_category_code_and_url(real_site, page):
    page.goto(search_page(real_site, "?q=object"))
    page.wait_for_selector("#search-results li a")
    unfiltered = len(result_titles(page))
    page.select_option("#search-from", "2018")
    page.select_option("#search-to", "2020")
    page.check("#search-code")
    page.wait_for_function("new URL(location.href).searchParams.get('code') === '1'")
    metas = page.locator("#search-results li .paper-meta").all_inner_texts()
    assert metas and len(metas) < unfiltered
    for meta in metas:
        year = int(meta.split(" · ")[1])
        assert 2018 <= year <= 2020 and meta.endswith("· Code")
    query = parse_qs(urlparse(page.url).query)
    assert query["from"] == ["2018"] and query["to"] == ["2020"] and query["q"] == ["object"]
    assert "before filters" in page.locator("#search-status").inner_text()
    # the same address opened again gives the same list
    titles = result_titles(page)
    page.goto(page.url)
    page.wait_for_selector("#search-results li a")
    assert result_titles(page) == titles
    assert page.input_value("#search-from") == "2018" and page.is_checked("#search-code")


def test_category_filter_without_query_lists_that_category(real_site, page):
    page.goto(search_page(real_site, "?cat=RO"))
    page.wait_for_selector("#search-results li a")
    metas = page.locator("#search-results li .paper-meta").all_inner_texts()
    assert metas and all(" · RO" in m for m in metas)
    assert page.input_value("#search-category") == "RO"


@pytest.mark.parametrize("query", ["title%3A", "foo~", "%5E2"])
def test_rejected_queries_show_a_friendly_message(real_site, page, query):
    page.goto(search_page(real_site, "?q=" + query))
    page.wait_for_function("document.getElementById('search-status').textContent.includes('could not read')")
    assert "Try plain words" in page.locator("#search-status").inner_text()
    assert result_titles(page) == []
    assert page.watch.errors == []


def test_zero_results_offer_a_fuzzy_retry(real_site, page):
    page.goto(search_page(real_site, "?q=segmnet"))
    page.wait_for_selector("#search-retry:not([hidden])")
    assert page.locator("#search-status").inner_text().startswith("0 papers")
    page.click("#search-retry")
    page.wait_for_selector("#search-results li a")
    assert "Segment Anything" in result_titles(page)
    assert page.input_value("#search-page-input") == "segmnet~1"
    assert page.watch.errors == []


def test_hostile_title_shows_as_text(tmp_path, page):
    seed = REAL_SEED.read_text(encoding="utf-8").replace(
        "\nSegment Anything\n", "\n<img src=x onerror=alert(1)> Segment Anything\n", 1)
    site = make_site(tmp_path / "site", seed)
    build(site)
    page.goto(search_page(site, "?q=segment"))
    page.wait_for_selector("#search-results li a")
    assert "<img src=x onerror=alert(1)> Segment Anything" in result_titles(page)
    assert page.locator("#search-results img").count() == 0
    page.goto((site / "output" / "index.html").as_uri())
    page.fill("#site-search", "onerror")
    page.wait_for_selector("#site-search-results li a")
    assert page.locator("#site-search-results img").count() == 0
    assert page.watch.dialogs == []
    assert page.watch.errors == []


def test_missing_search_data_gives_a_message(real_site, tmp_path, page):
    import shutil
    copy = tmp_path / "output"
    shutil.copytree(real_site / "output", copy)
    (copy / "search-data.js").unlink()
    page.goto((copy / "index.html").as_uri())
    page.fill("#site-search", "segment")
    page.wait_for_selector("#site-search-results .search-note")
    assert "unavailable" in page.locator("#site-search-results").inner_text()
    assert not [e for e in page.watch.errors if "pageerror" in e]


def test_arrow_keys_walk_the_results(real_site, page):
    page.goto((real_site / "output" / "index.html").as_uri())
    page.keyboard.press("/")
    page.keyboard.type("segment anything")
    page.wait_for_selector("#site-search-results li a")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.textContent")
    assert first != second and "Segment Anything" in (first, second)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "site-search"
