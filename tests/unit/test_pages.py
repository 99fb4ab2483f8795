"""The site plan and its derived views: coauthors, categories, related papers, the year chart."""

from __future__ import annotations

import datetime as dt

from generator import chart, pages, views
from generator.config import SiteConfig
from generator.model import Metrics, Paper, Site, sort_papers


def paper(slug, title="A paper", authors=("Ross Girshick",), date="2020-01-01", category="CV", **kw) -> Paper:
    return Paper(slug=slug, title=title, date=dt.date.fromisoformat(date), category=category,
                 authors=tuple(authors), authors_truncated=False, organization="", has_code=False,
                 abstract="An abstract.", **kw)


def make_site(*papers) -> Site:
    return Site(name="Ross Girshick", category="CV", metrics=Metrics(), papers=sort_papers(papers))


def test_coauthors_leave_out_the_owner_merge_spellings_and_get_unique_slugs():
    papers = (paper("a", authors=["Kaiming He", "ross girshick", "José Li"], date="2020-01-01"),
              paper("b", authors=["Kaiming  He", "Jose Li"], date="2021-01-01"),
              paper("c", authors=["KAIMING HE", "Ross Girshick"], date="2022-01-01"))
    people = views.coauthors(sort_papers(papers), "Ross Girshick")
    assert [(c.name, len(c.papers)) for c in people] == [("Kaiming He", 3), ("Jose Li", 1), ("José Li", 1)]
    assert sorted(c.slug for c in people) == ["jose-li", "jose-li-2", "kaiming-he"]
    assert [p.slug for p in people[0].papers] == ["c", "b", "a"]  # newest first
    assert all(c.url == f"coauthors/{c.slug}/index.html" for c in people)


def test_categories_have_names_and_safe_unique_slugs():
    cats = views.categories(sort_papers([paper("a", category="RO"), paper("b", category="CV"),
                                         paper("c", category="../x")]))
    assert [(c.code, c.slug) for c in cats] == [("../x", "x"), ("CV", "cv"), ("RO", "ro")]
    assert cats[1].name == "Computer Vision and Pattern Recognition"


def test_related_papers_prefer_shared_coauthors_then_rare_title_words():
    papers = sort_papers([
        paper("mask", "Mask R-CNN", ["Kaiming He", "Ross Girshick"], "2017-03-20"),
        paper("panoptic", "Panoptic Feature Pyramid Networks", ["Alexander Kirillov", "Kaiming He"], "2019-01-08"),
        paper("fpn", "Feature Pyramid Networks for Object Detection", ["Tsung-Yi Lin"], "2016-12-09"),
        paper("other", "Something Unrelated", ["Someone Else"], "2018-01-01"),
        paper("solo", "Ross Alone", ["Ross Girshick"], "2015-01-01"),
    ])
    rel = views.related(papers, "Ross Girshick")
    # three shared rare words (1 each) beat one shared coauthor (2); one shared coauthor beats nothing
    assert [p.slug for p in rel["panoptic"]] == ["fpn", "mask"]
    assert [p.slug for p in rel["mask"]] == ["panoptic"]
    assert [p.slug for p in rel["fpn"]] == ["panoptic"]
    assert rel["other"] == () and rel["solo"] == ()  # the owner alone relates nothing
    assert views.related(tuple(reversed(papers)), "Ross Girshick")["panoptic"] == rel["panoptic"]


def test_a_shared_coauthor_counts_as_two_shared_title_words():
    papers = sort_papers([
        paper("base", "Panoptic Segmentation", ["Alexander Kirillov"], "2019-01-01"),
        paper("coauthor", "Something Else Entirely", ["Alexander Kirillov"], "2010-01-01"),   # 2, far in date
        paper("one-word", "Panoptic Quality Measures", ["Someone Else"], "2019-01-02"),     # 1, near
        paper("two-words", "Panoptic Segmentation Again", ["Another One"], "2005-01-01"),   # 2, farthest
    ])
    # the coauthor's 2 beats one shared word's 1 though that paper is a day apart; two words tie with
    # the coauthor and the nearer date goes first
    assert [p.slug for p in views.related(papers, "Ross Girshick")["base"]] == ["coauthor", "two-words", "one-word"]


def test_related_is_capped_at_five():
    papers = sort_papers([paper(f"p{i}", f"Paper {i}", ["Kaiming He"], f"20{10 + i}-01-01") for i in range(9)])
    rel = views.related(papers, "Ross Girshick")
    assert all(len(r) == 5 for r in rel.values())
    # nearest in date first (2016 is 730 days from 2014, 2012 is 731); on a tie the newer one
    assert [p.slug for p in rel["p4"]] == ["p5", "p3", "p6", "p2", "p7"]


def test_year_chart_includes_years_without_papers():
    site = make_site(paper("a", date="2020-05-01"), paper("b", date="2020-06-01"), paper("c", date="2017-01-01"))
    c = chart.papers_per_year(site.years())
    assert [(b.year, b.count) for b in c.bars] == [(2020, 2), (2019, 0), (2018, 0), (2017, 1)]
    assert c.bars[0].percent == chart.MAX_BAR_PERCENT and c.bars[3].percent == chart.MAX_BAR_PERCENT / 2
    assert c.total == 3 and c.most == 2
    assert chart.papers_per_year([]) is None


def test_plan_has_category_and_coauthor_pages_and_caps_the_home_list():
    many = [paper(f"p{i:04d}", f"Paper {i}", ["Ross Girshick", f"Co {i % 3}"], str(dt.date(2000, 1, 1)
                  + dt.timedelta(days=i * 5))) for i in range(pages.HOME_LIMIT + 20)]
    site = make_site(*many)
    plan = pages.plan(site, SiteConfig())
    paths = [p.path for p in plan]
    assert len(paths) == len(set(paths))
    assert {"categories/index.html", "categories/cv/index.html", "coauthors/index.html",
            "coauthors/co-0/index.html"} <= set(paths)
    home = plan[0]
    assert home.path == "index.html"
    assert sum(len(ps) for _, ps in home.context["years"]) == pages.HOME_LIMIT == home.context["shown_count"]
    assert home.context["years"][0][1][0] == site.papers[0]  # the newest ones
    assert pages.plan(site, SiteConfig()) == plan  # deterministic


def test_title_terms_keep_non_english_words_and_drop_stopwords():
    assert views.title_terms("Détection d'objets: Towards a Faster R-CNN for Über-Fast Video") == \
        {"détection", "objets", "faster", "cnn", "über", "fast", "video"}
