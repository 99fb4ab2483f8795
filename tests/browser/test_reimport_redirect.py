"""A renamed paper's old address, opened from disk, lands on its new page."""

from __future__ import annotations

import pytest

from generator.build import build

pytestmark = pytest.mark.browser

SEED = """Grace Hopper

PL
h-index9

1 Papers

PLMay 3, 1952
The A-0 System

Grace Hopper

The first compiler.
"""


def test_old_url_of_a_renamed_paper_redirects_from_file(site_factory, page):
    site = site_factory(SEED)
    build(site)
    papers = site / "content" / "papers"
    (papers / "the-a-0-system.yaml").rename(papers / "a-0.yaml")  # the researcher renames the file
    build(site)
    old = site / "output" / "papers" / "the-a-0-system" / "index.html"
    new = site / "output" / "papers" / "a-0" / "index.html"
    page.goto(old.as_uri())
    page.wait_for_url(new.as_uri())
    assert page.locator("h1").inner_text() == "The A-0 System"
    assert page.watch.errors == []
    assert page.watch.foreign_requests() == []
