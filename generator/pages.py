"""The site plan: which pages exist, their paths, templates and contexts. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import exports
from .config import SiteConfig
from .model import Paper, Site


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


def plan(site: Site, config: SiteConfig) -> list[Page]:
    """Every page of the site, in a stable order."""
    years = site.years()
    pages = [Page("index.html", "home.html", {"years": years}),
             Page("search.html", "search.html"),
             Page("years/index.html", "years.html", {"years": years}),
             Page("404.html", "404.html")]
    for i, (year, papers) in enumerate(years):
        newer = years[i - 1][0] if i > 0 else None
        older = years[i + 1][0] if i + 1 < len(years) else None
        pages.append(Page(f"years/{year}/index.html", "year.html",
                          {"year": year, "papers": papers, "newer_year": newer, "older_year": older}))
    papers = site.papers
    for i, paper in enumerate(papers):
        pages.append(Page(paper.url, "paper.html", {
            "paper": paper,
            "newer": papers[i - 1] if i > 0 else None,
            "older": papers[i + 1] if i + 1 < len(papers) else None,
        }))
    pages += redirects(site)
    return pages


def redirects(site: Site) -> list[Page]:
    """A small page at each paper's old URLs (its ``aliases``) that sends the reader to the paper."""
    return [Page(f"papers/{alias}/index.html", "redirect.html", {"paper": paper})
            for paper in site.papers for alias in paper.aliases]


def common_context(site: Site, config: SiteConfig) -> dict:
    """Variables every template sees (besides ``page`` and ``root``)."""
    return {
        "site": site,
        "config": config,
        "site_title": config.title or site.name,
        "highlight": config.highlight_author or site.name,
        "paper_count": len(site.papers),
        "meta": exports.Meta(site, config),
    }


def is_owner(author: str, highlight: str) -> bool:
    return author.casefold().strip() == highlight.casefold().strip()


def by_url(papers: list[Paper]) -> dict[str, Paper]:
    return {p.url: p for p in papers}
