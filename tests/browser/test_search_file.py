"""Search works on the built site opened straight from disk (file://)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_search_box_from_disk_finds_and_follows(real_site, page):
    index = real_site / "output" / "index.html"
    page.goto(index.as_uri())
    page.fill("#site-search", "segment")
    page.wait_for_selector("#site-search-results li a")
    titles = page.locator("#site-search-results li a").all_inner_texts()
    assert "Segment Anything" in titles
    assert "SAM 2: Segment Anything in Images and Videos" in titles
    page.click("#site-search-results li a:text-is('Segment Anything')")
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
    assert "could not be read" in page.locator("#search-status").inner_text()
    assert page.watch.errors == []


def test_slash_focuses_search(real_site, page):
    page.goto((real_site / "output" / "index.html").as_uri())
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search"
