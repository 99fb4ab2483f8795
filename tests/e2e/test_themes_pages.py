"""What the scholar theme shows on the real profile: chart, filters, coauthors, categories, related papers."""

from __future__ import annotations

import re

from generator.build import build


def read(site, rel: str) -> str:
    return (site / "output" / rel).read_text(encoding="utf-8")


def test_home_has_chart_with_table_filters_and_abstracts(real_site):
    home = read(real_site, "index.html")
    svg = home[home.index("<svg"):home.index("</svg>\n  <table")]
    assert '<title id="chart-title">Papers per year</title>' in svg and "<desc id=\"chart-desc\">" in svg
    assert '<a href="years/2019/index.html" aria-label="2019: 9 papers">' in svg
    assert '<a href="years/2015/index.html" aria-label="2015: 1 paper">' in svg
    table = re.findall(r'<tr><th scope="row">(\d+)</th><td>(\d+)</td></tr>', home)
    assert table[:3] == [("2025", "1"), ("2024", "3"), ("2023", "2")] and len(table) == 12
    assert '<form class="paper-filters" id="paper-filters" hidden>' in home  # only JavaScript shows it
    assert '<option value="CV">CV: Computer Vision and Pattern Recognition (' in home
    assert home.count('<details class="paper-abstract">') == 50
    assert "As the profile states them." in home and "as of" not in home  # no import date known: none shown


def test_as_of_bio_links_and_featured_come_from_content(site_factory, real_seed_text):
    site = site_factory(real_seed_text)
    build(site)
    profile = site / "content" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "as_of: 2025-11-01\nbio: Works on **vision**.\n"
                       "links:\n  - {name: Scholar, url: 'https://scholar.example/x'}\n", encoding="utf-8")
    paper = site / "content" / "papers" / "mask-r-cnn.yaml"
    paper.write_text(paper.read_text(encoding="utf-8") + "featured: true\n", encoding="utf-8")
    build(site, do_import=False)
    home = read(site, "index.html")
    assert 'as of <time datetime="2025-11-01">November 1, 2025</time>' in home
    assert "<p>Works on <strong>vision</strong>.</p>" in home
    assert '<a href="https://scholar.example/x" rel="me">Scholar</a>' in home
    featured = home[home.index('id="featured-heading"'):home.index('id="chart-heading"')]
    assert '<a class="featured-title" href="papers/mask-r-cnn/index.html">Mask R-CNN</a>' in featured


def test_paper_page_links_coauthors_category_and_related(real_site):
    page = read(real_site, "papers/mask-r-cnn/index.html")
    assert '<a class="coauthor" href="../../coauthors/kaiming-he/index.html">Kaiming He</a>' in page
    assert "Ross Girshick" not in page[page.index('<p class="paper-authors">'):page.index("</p>", page.index('<p class="paper-authors">'))]
    scaling = read(real_site, "papers/fast-and-accurate-model-scaling/index.html")
    assert ('<p class="paper-authors"><a class="coauthor" href="../../coauthors/piotr-dollar/index.html">Piotr Dollár</a>, '
            '<a class="coauthor" href="../../coauthors/mannat-singh/index.html">Mannat Singh</a>, '
            '<strong class="owner">Ross Girshick</strong></p>') in scaling
    assert '<a class="badge" href="../../categories/cv/index.html">CV</a> Computer Vision and Pattern Recognition' in page
    related = page[page.index('id="related-heading"'):]
    assert 0 < related.count("<li>") <= 5
    # first: the paper sharing the most coauthors (Georgia Gkioxari, Piotr Dollár, Kaiming He)
    first = re.search(r"<li><a href=\"[^\"]*\">([^<]+)", related).group(1)
    assert first == "Detecting and Recognizing Human-Object Interactions"
    assert "Mask R-CNN</a>" not in related


def test_coauthor_and_category_pages(real_site):
    index = read(real_site, "coauthors/index.html")
    rows = re.findall(r'<tr><td><a href="../coauthors/([a-z0-9-]+)/index.html">([^<]+)</a></td>'
                      r'<td class="num">(\d+)</td></tr>', index)
    assert rows[:2] == [("piotr-dollar", "Piotr Dollár", "14"), ("kaiming-he", "Kaiming He", "11")]
    assert [int(r[2]) for r in rows] == sorted((int(r[2]) for r in rows), reverse=True)
    assert "Ross Girshick" not in [r[1] for r in rows]
    assert len(rows) == len(list((real_site / "output" / "coauthors").glob("*/index.html")))
    kaiming = read(real_site, "coauthors/kaiming-he/index.html")
    assert kaiming.count('class="paper-item"') == 11
    cats = read(real_site, "categories/index.html")
    assert 'href="../categories/cv/index.html"><span class="badge">CV</span> Computer Vision' in cats
    assert read(real_site, "categories/ro/index.html").count('class="paper-item"') >= 1
