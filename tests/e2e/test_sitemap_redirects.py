"""Redirect pages (old URLs of renamed papers) exist but stay out of the sitemap."""

from __future__ import annotations

from generator.build import build

SEED = "Ada\n\nLG\n\nLGJan 2, 2019\nPoetical Science\n\nAda Lovelace\n\nAbout poetry.\n"


def test_redirect_pages_are_not_in_the_sitemap(site_factory):
    site = site_factory(SEED, config="base_url: https://example.org/ada/\n")
    build(site)
    path = site / "content" / "papers" / "poetical-science.yaml"
    path.write_text(path.read_text() + "aliases: [old-name]\n")
    build(site)
    out = site / "output"
    assert "poetical-science/index.html" in (out / "papers" / "old-name" / "index.html").read_text()
    sitemap = (out / "sitemap.xml").read_text()
    assert "https://example.org/ada/papers/poetical-science/</loc>" in sitemap
    assert "old-name" not in sitemap
