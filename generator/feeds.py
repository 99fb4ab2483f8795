"""Atom feeds, sitemap.xml and robots.txt, as bytes. Pure."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import quote

from . import markup
from .model import Paper, Site
from .slugs import slugify

NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # (what XML 1.0 forbids)
EPOCH = dt.date(1970, 1, 1)
NAMESPACE_URL = bytes.fromhex("6ba7b8119dad11d180b400c04fd430c8")  # (RFC 4122's namespace for URLs)


def url_uuid(name: str) -> str:
    """``str(uuid.uuid5(uuid.NAMESPACE_URL, name))``, without importing uuid (it imports platform: 5 ms of a
    50-paper build)."""
    digest = bytearray(hashlib.sha1(NAMESPACE_URL + name.encode("utf-8")).digest()[:16])
    digest[6] = digest[6] & 0x0F | 0x50  # version 5
    digest[8] = digest[8] & 0x3F | 0x80  # RFC 4122 variant
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def xml(text: str) -> str:
    """Text for XML content or a double-quoted attribute: characters XML forbids dropped, specials escaped."""
    text = NOT_XML_RE.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def absolute(base_url: str, path: str) -> str:
    """``path`` under ``base_url``, with a trailing ``index.html`` dropped; '' without a base URL."""
    if not base_url:
        return ""
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return quote(base_url + path, safe=":/?#[]@!$&'()*+,;=%~")


def stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def entry_id(site: Site, paper: Paper) -> str:
    """A permanent id: the same for a paper (by slug) whatever the site's address."""
    return f"urn:uuid:{url_uuid(f'scholarsite:{site.name}:paper:{paper.slug}')}"


def category_feeds(site: Site) -> list[tuple[str, str, list[Paper]]]:
    """(path, category code, papers) for every category, one feed each at ``feeds/<code>.xml``."""
    out, taken = [], set()
    for code, papers in sorted(site.categories()):
        name = slugify(code)
        while name in taken:
            name += "-2"
        taken.add(name)
        out.append((f"feeds/{name}.xml", code, papers))
    return out


def atom(site: Site, base_url: str, path: str, title: str, papers: list[Paper], length: int,
         language: str = "en") -> bytes:
    """An Atom 1.0 feed of the ``length`` newest ``papers``, written at ``path`` in the output."""
    papers = list(papers[:length])
    root = "../" * path.count("/")

    def link(target: str) -> str:
        return absolute(base_url, target) or root + target

    updated = max((p.date for p in papers), default=EPOCH)
    feed_id = f"urn:uuid:{url_uuid(f'scholarsite:{site.name}:feed:{path}')}"
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{xml(language)}">',
             f"  <title>{xml(title)}</title>",
             f"  <id>{feed_id}</id>",
             f"  <updated>{stamp(updated)}</updated>",
             f"  <author><name>{xml(site.name)}</name></author>"]
    if base_url:
        lines.append(f'  <link rel="self" type="application/atom+xml" href="{xml(absolute(base_url, path))}"/>')
    lines += [f'  <link rel="alternate" type="text/html" href="{xml(link("index.html"))}"/>',
              "  <generator>scholarsite</generator>"]
    for paper in papers:
        lines += ["  <entry>",
                  f"    <title>{xml(paper.title)}</title>",
                  f"    <id>{entry_id(site, paper)}</id>",
                  f'    <link rel="alternate" type="text/html" href="{xml(link(paper.url))}"/>',
                  f"    <published>{stamp(paper.date)}</published>",
                  f"    <updated>{stamp(paper.date)}</updated>"]
        lines += [f"    <author><name>{xml(name)}</name></author>" for name in paper.authors]
        lines.append(f'    <category term="{xml(paper.category)}" label="{xml(paper.category_name)}"/>')
        lines.append(f'    <summary type="text">{xml(markup.plain(paper.abstract))}</summary>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap(base_url: str, paths: list[str]) -> bytes:
    """A sitemap of ``paths`` (absolute URLs under ``base_url``)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{xml(absolute(base_url, p))}</loc></url>" for p in sorted(paths)]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(base_url: str) -> bytes:
    """robots.txt: everything may be crawled; the sitemap's address when the base URL is known."""
    text = "User-agent: *\nAllow: /\n"
    if base_url:
        text += f"\nSitemap: {absolute(base_url, 'sitemap.xml')}\n"
    return text.encode("utf-8")
