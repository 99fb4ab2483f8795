"""Scholarly metadata and exports: BibTeX, CSL-JSON, Atom feeds, sitemap, robots.txt, JSON-LD. Pure."""

from __future__ import annotations

import json
from operator import is_

from . import bibtex, feeds, markup, views
from .config import SiteConfig
from .model import Paper, Site, category_name

BIB_FILE = "publications.bib"
CSL_FILE = "publications.json"
FEED_FILE = "feed.xml"
NOT_IN_SITEMAP = {"404.html"}
def is_web_url(url: str) -> bool:
    return markup.is_safe_url(url) and url.strip().lower().startswith(("http://", "https://"))


@views.remember_last
def meta_for(site: Site, config: SiteConfig) -> "Meta":
    """The Meta of this site and config, made once per build (its BibTeX keys look at every paper)."""
    return Meta(site, config)


@views.remember_last(key=lambda papers: tuple((p.slug, p.date, p.title, p.authors) for p in papers))
def paper_keys(papers: tuple[Paper, ...]) -> dict[str, str]:
    """The BibTeX keys (slug -> key), made again only when a slug, date, title or author list changed."""
    return bibtex.keys(papers, lambda p: views.PAPERS.get("key", bibtex.base_key, p))


@views.remember_last
def keys_text(keys: dict[str, str]) -> str:
    return repr(sorted(keys.items()))


class Meta:
    """What the templates need for metadata tags and the Cite block (``meta`` in every template)."""

    def __init__(self, site: Site, config: SiteConfig, keys: dict[str, str] | None = None,
                 fingerprint: str | None = None):
        """``keys``: the BibTeX keys, when the caller knows them (every paper's slug, date, title and
        authors are those of a site they were made for); ``fingerprint``: this one's, when known (see
        fingerprint)."""
        self.site, self.config = site, config
        self.base_url = config.base_url
        views.PAPERS.next_build()
        self.keys = paper_keys(site.papers) if keys is None else keys
        self._feeds: list[tuple[str, str]] | None = None
        self._fingerprint = fingerprint

    def fingerprint(self) -> str:
        """Everything the metadata depends on besides the paper a template passes in (incremental builds;
        made once: see also patch.py, which hands it to the Meta of a site whose structure is the same)."""
        if self._fingerprint is None:
            s = self.site
            self._fingerprint = repr((self.config, s.name, s.category, s.metrics, s.bio, s.affiliation, s.links,
                                      s.as_of, len(s.papers), sorted({p.category for p in s.papers}))
                                     ) + keys_text(self.keys)
        return self._fingerprint

    def url(self, path: str) -> str:
        """The absolute URL of an output path, or '' when site.yaml has no base URL."""
        return feeds.absolute(self.base_url, path)

    def pdf_url(self, paper: Paper) -> str:
        return pdf_link(paper)

    def key(self, paper: Paper) -> str:
        return self.keys[paper.slug]

    def bibtex(self, paper: Paper) -> str:
        return views.PAPERS.get("bibtex", bibtex_entry, paper, self.keys[paper.slug], self.base_url)

    def reference(self, paper: Paper) -> str:
        return bibtex.reference(paper)

    def description(self, paper: Paper) -> str:
        return markup.plain(paper.abstract, 160)

    def home_description(self) -> str:
        """The home page's description, as base.html words it."""
        site = self.site
        return self.config.description or f"{site.name}: {len(site.papers)} papers in {category_name(site.category)}."

    def cite_path(self, paper: Paper) -> str:
        return f"papers/{paper.slug}/cite.bib"

    def highwire_date(self, paper: Paper) -> str:
        return paper.date.strftime("%Y/%m/%d")

    def feeds(self) -> list[tuple[str, str]]:
        """(title, output path) of every feed: all papers first, then one per category (made once: every
        page's head names the first)."""
        if self._feeds is None:
            self._feeds = [(title, path) for title, path, _ in feed_list(self.site)]
        return self._feeds

    def article(self, paper: Paper) -> dict:
        """schema.org ScholarlyArticle: only the known authors, never invented ones."""
        data = {"@context": "https://schema.org", "@type": "ScholarlyArticle",
                "headline": paper.title, "name": paper.title,
                "author": [{"@type": "Person", "name": name} for name in paper.authors],
                "datePublished": paper.date.isoformat(),
                "abstract": markup.plain(paper.abstract),
                "about": paper.category_name}
        if self.url(paper.url):
            data["url"] = data["mainEntityOfPage"] = self.url(paper.url)
        if paper.venue:
            data["isPartOf"] = {"@type": "CreativeWork", "name": paper.venue}
        if paper.organization:
            data["sourceOrganization"] = {"@type": "Organization", "name": paper.organization}
        if self.pdf_url(paper):
            data["encoding"] = {"@type": "MediaObject", "contentUrl": self.pdf_url(paper),
                                "encodingFormat": "application/pdf"}
        if is_web_url(paper.code_url):
            data["isBasedOn"] = paper.code_url.strip()
        return data

    def person(self) -> dict:
        """schema.org Person for the profile: name, affiliation, links as sameAs."""
        site = self.site
        data: dict = {"@context": "https://schema.org", "@type": "Person", "name": site.name}
        if site.affiliation:
            data["affiliation"] = {"@type": "Organization", "name": site.affiliation}
        if site.bio:
            data["description"] = markup.plain(site.bio)
        if site.category:
            data["knowsAbout"] = category_name(site.category)
        same = sorted({url.strip() for _, url in site.links if is_web_url(url)})
        if same:
            data["sameAs"] = same
        if self.base_url:
            data["url"] = self.url("index.html")
        return data


def feed_list(site: Site) -> list[tuple[str, str, list[Paper]]]:
    """(title, output path, papers) of every feed: all papers first, then one per category."""
    out = [(f"{site.name}: papers", FEED_FILE, site.papers)]
    out += [(f"{site.name}: papers in {category_name(code)}", path, papers)
            for path, code, papers in feeds.category_feeds(site)]
    return out


def csl_item(paper: Paper, key: str, url: str) -> dict:
    """One CSL-JSON item; a truncated author list is said in a note, never filled in."""
    authors = []
    for name in paper.authors:
        given, family, suffix = bibtex.split_name(name)
        author = {"given": given, "family": family} if given else {"literal": bibtex.clean(name)}
        if given and suffix:
            author["suffix"] = suffix
        authors.append(author)
    item = {"id": key, "type": "article", "title": bibtex.clean(paper.title),
            "author": authors, "issued": {"date-parts": [[paper.year, paper.date.month, paper.date.day]]},
            "abstract": markup.plain(paper.abstract)}
    if paper.venue:
        item["container-title"] = bibtex.clean(paper.venue)
    if url:
        item["URL"] = url
    if paper.authors_truncated:
        item["note"] = f"Author list truncated: only the first {len(paper.authors)} authors are known."
    return item


def pdf_link(paper: Paper) -> str:
    """The paper's PDF when content gives an absolute http(s) link, else ''."""
    return paper.pdf.strip() if paper.pdf and is_web_url(paper.pdf) else ""


def link(paper: Paper, base_url: str) -> str:
    """Where a paper's BibTeX and CSL item point: its PDF when content gives a web link, else its page."""
    return pdf_link(paper) or feeds.absolute(base_url, paper.url)


def bibtex_entry(paper: Paper, key: str, base_url: str) -> str:
    return bibtex.entry(paper, key, link(paper, base_url))


def csl_line(paper: Paper, key: str, base_url: str) -> str:
    return csl_json(paper, key, link(paper, base_url))


def csl_json(paper: Paper, key: str, url: str) -> str:
    """One CSL-JSON item as a line of publications.json (one paper per line: readable diffs, and JSON's
    fast encoder)."""
    return json.dumps(csl_item(paper, key, url), ensure_ascii=False, sort_keys=True)


FEEDS: dict[str, tuple] = {}  # path -> (its settings, the papers it showed, its bytes): see feed


def feed(site: Site, base_url: str, path: str, title: str, papers, length: int, language: str) -> bytes:
    """feeds.atom, reused while it would read the very same papers and settings (in watch an edit
    changes the feeds that show the paper only)."""
    newest = tuple(papers[:length])
    key = (site.name, base_url, title, length, language)
    known = FEEDS.get(path)
    if known is not None and known[0] == key and len(known[1]) == len(newest) and all(map(is_, known[1], newest)):
        return known[2]
    data = feeds.atom(site, base_url, path, title, newest, length, language)
    FEEDS[path] = (key, newest, data)
    return data


def cite_file(meta: Meta, paper: Paper) -> bytes:
    """papers/<slug>/cite.bib: the paper's BibTeX entry."""
    return meta.bibtex(paper).encode("utf-8")


def cite_inputs(meta: Meta, paper: Paper) -> tuple[str, str]:
    """What a paper's cite.bib depends on besides the paper: its key and the base URL (its URL is made
    from that and the paper's own fields)."""
    return meta.key(paper), meta.base_url


def files(site: Site, config: SiteConfig, html_paths: list[str], cite: bool = True,
          meta: Meta | None = None) -> dict[str, bytes]:
    """Every export file: per-paper (unless not ``cite``) and whole-profile BibTeX, CSL-JSON, feeds,
    sitemap, robots.txt.

    ``html_paths`` are the pages the build renders; the sitemap lists them all but the 404 and redirect pages.
    ``meta``: the site's Meta, when the caller has it.
    """
    meta = meta or meta_for(site, config)
    out: dict[str, bytes] = {meta.cite_path(p): cite_file(meta, p) for p in site.papers} if cite else {}
    keys, base_url = meta.keys, meta.base_url
    token = (keys_text(keys), base_url)

    def per_paper(paper: Paper) -> tuple[str, str]:
        return keys[paper.slug], base_url

    def bib_bytes(paper: Paper, key: str, url: str) -> bytes:  # the entry pages show, encoded once
        return views.PAPERS.get("bibtex", bibtex_entry, paper, key, url).encode("utf-8")

    def csl_bytes(paper: Paper, key: str, url: str) -> bytes:
        return csl_line(paper, key, url).encode("utf-8")
    # Joined as bytes: in watch each unchanged paper's entry is reused as it is (megabytes not encoded again).
    entries = views.PAPERS.each("bibtex-bytes", bib_bytes, site.papers, token, per_paper)
    out[BIB_FILE] = b"\n".join(entries)
    items = views.PAPERS.each("csl-bytes", csl_bytes, site.papers, token, per_paper)
    out[CSL_FILE] = b"".join([b"[\n", b",\n".join(items), b"\n]\n"]) if items else b"[]\n"
    for title, path, papers in feed_list(site):
        out[path] = feed(site, meta.base_url, path, title, papers, config.feed_length, config.language)
    if meta.base_url:
        redirects = {f"papers/{alias}/index.html" for paper in site.papers for alias in paper.aliases}
        paths = [p for p in html_paths if p.endswith(".html") and p not in NOT_IN_SITEMAP | redirects]
        out["sitemap.xml"] = feeds.sitemap(meta.base_url, paths)
    out["robots.txt"] = feeds.robots(meta.base_url)
    return out
