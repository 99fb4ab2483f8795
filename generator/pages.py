"""The site plan: which pages exist, their paths, templates and contexts. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import chart, exports, views
from .config import SiteConfig
from .model import CategoryLink, Paper, Site, name_key

HOME_LIMIT = 500  # the home page lists the newest papers up to this many; year pages list them all


@dataclass(frozen=True)
class Page:
    """One HTML file to render: its output path, template and template variables."""

    path: str
    template: str
    context: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def root(self) -> str:
        """The relative prefix from this page back to the site root ('' or '../' repeated)."""
        return "../" * self.path.count("/")


def owner(site: Site, config: SiteConfig) -> str:
    """The name highlighted in author lists and left out of the coauthors."""
    return config.highlight_author or site.name


def plan(site: Site, config: SiteConfig) -> list[Page]:
    """Every page of the site, in a stable order."""
    years = site.years()
    shown = site.papers[:HOME_LIMIT]
    home_years: dict[int, list[Paper]] = {}
    for paper in shown:
        home_years.setdefault(paper.year, []).append(paper)
    pages = [Page("index.html", "home.html", {
                 "years": sorted(home_years.items(), reverse=True), "shown_count": len(shown),
                 "featured": [p for p in site.papers if p.featured],
                 "chart": chart.papers_per_year(years)}),
             Page("search.html", "search.html", {"search_years": [year for year, _ in years]}),
             Page("years/index.html", "years.html", {"years": years}),
             Page("404.html", "404.html")]
    for i, (year, papers) in enumerate(years):
        newer = years[i - 1][0] if i > 0 else None
        older = years[i + 1][0] if i + 1 < len(years) else None
        pages.append(Page(f"years/{year}/index.html", "year.html",
                          {"year": year, "papers": papers, "newer_year": newer, "older_year": older}))
    categories = views.categories(site.papers)
    pages.append(Page("categories/index.html", "categories.html", {"categories": categories}))
    for category in categories:
        pages.append(Page(category.url, "category.html", {"category": category, "papers": category.papers}))
    coauthors = views.coauthors(site.papers, owner(site, config))
    pages.append(Page("coauthors/index.html", "coauthors.html", {"coauthors": coauthors}))
    for person in sorted(coauthors, key=lambda c: c.slug):
        pages.append(Page(person.url, "coauthor.html", {"coauthor": person, "papers": person.papers}))
    related = views.related(site.papers, owner(site, config))
    papers = site.papers
    for i, paper in enumerate(papers):
        pages.append(Page(paper.url, "paper.html", {
            "paper": paper,
            "newer": papers[i - 1] if i > 0 else None,
            "older": papers[i + 1] if i + 1 < len(papers) else None,
            "related": related[paper.slug],
        }))
    pages += redirects(site)
    return pages


def redirects(site: Site) -> list[Page]:
    """A small page at each paper's old URLs (its ``aliases``) that sends the reader to the paper."""
    return [Page(f"papers/{alias}/index.html", "redirect.html", {"paper": paper})
            for paper in site.papers for alias in paper.aliases]


def common_context(site: Site, config: SiteConfig) -> dict:
    """Variables every template sees (besides ``page`` and ``root``)."""
    highlight = owner(site, config)
    people = {name_key(c.name): c.url for c in views.coauthors(site.papers, highlight)}
    category_list = views.categories(site.papers)
    return {
        "site": site,
        "config": config,
        "site_title": config.title or site.name,
        "highlight": highlight,
        "paper_count": len(site.papers),
        "meta": exports.meta_for(site, config),
        "coauthor_url": views.Lookup(people, name_key),
        "category_url": views.Lookup({c.code: c.url for c in category_list}),
        "category_list": tuple(CategoryLink(c.code, c.slug, len(c.papers)) for c in category_list),
    }

