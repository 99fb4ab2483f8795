"""The theme API: choosing a theme, extending one, overriding templates by name, and clear errors."""

from __future__ import annotations

import re

import pytest

from generator import themes
from generator.build import build
from generator.errors import InputError


def page(site, rel: str) -> str:
    return (site / "output" / rel).read_text(encoding="utf-8")


def test_minimal_theme_is_text_first_and_reuses_scholar_pages(site_factory, real_seed_text):
    site = site_factory(real_seed_text, "theme: minimal\n")
    build(site)
    home = page(site, "index.html")
    assert 'class="lede"' in home and "h-index 15; 420,444 citations" in home
    assert "<svg" not in home and 'class="metric"' not in home  # no cards, no chart: text first
    assert "Charter" in page(site, "static/style.css")  # its own stylesheet replaces scholar's
    assert (site / "output" / "static" / "lunr.min.js").is_file()  # scholar's static files are inherited
    year = page(site, "years/2019/index.html")  # year.html comes from scholar, its macros from minimal
    assert "<h1>Papers from 2019</h1>" in year
    assert re.search(r'</a>\.\s*<span class="paper-meta">', year)


def test_site_theme_extends_a_chain(site_factory, real_seed_text):
    site = site_factory(real_seed_text, "theme: mine\n")
    child = site / "themes" / "mine"
    (child / "templates").mkdir(parents=True)
    (child / "theme.yaml").write_text("name: mine\nextends: minimal\n", encoding="utf-8")
    (child / "templates" / "paper.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1 class="mine">{{ paper.title }}</h1>{% endblock %}\n',
        encoding="utf-8")
    theme = themes.find_theme(site, "mine")
    assert [d.name for d in theme.dirs] == ["mine", "minimal", "scholar"]
    build(site)
    assert '<h1 class="mine">Segment Anything</h1>' in page(site, "papers/segment-anything/index.html")
    assert 'class="lede"' in page(site, "index.html")  # minimal's home
    assert "theme “minimal”" in page(site, "papers/segment-anything/index.html")  # minimal's base.html


def test_site_templates_override_one_template_by_name(site_factory, real_seed_text):
    site = site_factory(real_seed_text)
    (site / "templates").mkdir()
    (site / "templates" / "year.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Only {{ year }}</h1><p id="n">{{ papers | length }}</p>'
        '{% endblock %}\n', encoding="utf-8")
    build(site)
    year = page(site, "years/2017/index.html")
    assert "<h1>Only 2017</h1>" in year and '<p id="n">9</p>' in year
    assert 'class="site-header"' in year  # still the theme's base.html around it
    assert "<h1>Segment Anything</h1>" in page(site, "papers/segment-anything/index.html")  # others untouched


def test_missing_theme_lists_the_available_ones(site_factory, real_seed_text):
    site = site_factory(real_seed_text, "theme: fancy\n")
    (site / "themes" / "mine" / "templates").mkdir(parents=True)
    with pytest.raises(InputError) as info:
        build(site)
    assert str(info.value) == "site.yaml: the theme 'fancy' does not exist; available themes: mine, minimal, scholar"
    assert not (site / "output").exists() and not (site / "content").exists()


def test_missing_parent_theme_names_the_child(site_factory, real_seed_text):
    site = site_factory(real_seed_text, "theme: mine\n")
    (site / "themes" / "mine").mkdir(parents=True)
    (site / "themes" / "mine" / "theme.yaml").write_text("extends: gone\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"the theme 'gone' \(extended by 'mine'\) does not exist; "
                                         r"available themes: mine, minimal, scholar"):
        build(site)


def test_missing_template_names_what_exists(site_factory, real_seed_text):
    site = site_factory(real_seed_text)
    (site / "templates").mkdir()
    (site / "templates" / "year.html").write_text('{% extends "layout.html" %}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        build(site)
    message = str(info.value)
    assert message.startswith("year.html: template 'layout.html' not found in the theme or the site's templates/; "
                              "available: 404.html, base.html, categories.html, category.html, coauthor.html")
    assert "home.html" in message and "paper.html" in message
    assert not (site / "output").exists()
