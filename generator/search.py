"""Search data: per-paper records and a prebuilt lunr index, as a script that loads from file://."""

from __future__ import annotations

import json

from lunr import lunr

from .model import Site

FIELDS = [
    {"field_name": "title", "boost": 10},
    {"field_name": "authors", "boost": 5},
    {"field_name": "abstract"},
    {"field_name": "year"},
    {"field_name": "category"},
]
DATA_FILE = "search-data.js"


def documents(site: Site) -> list[dict]:
    """What the index knows of each paper; the ref is the paper's position in ``records``."""
    return [{"id": str(i), "title": p.title, "authors": " ".join(p.authors), "abstract": p.abstract,
             "year": str(p.year), "category": f"{p.category} {p.category_name}"}
            for i, p in enumerate(site.papers)]


def records(site: Site) -> list[list]:
    """The little the result list shows: url, title, year, authors, category, has code."""
    return [[p.url, p.title, p.year, ", ".join(p.authors) + (" et al." if p.authors_truncated else ""),
             p.category, int(p.has_code)] for p in site.papers]


def script_json(value) -> str:
    """JSON that is safe inside a <script> element or a .js file."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def build_data(site: Site) -> bytes:
    """The search data script: ``window.SCHOLARSITE_SEARCH = {index, records}``."""
    docs = documents(site)
    index = lunr(ref="id", fields=FIELDS, documents=docs).serialize() if docs else None
    payload = {"index": index, "records": records(site)}
    return f"window.SCHOLARSITE_SEARCH = {script_json(payload)};\n".encode("utf-8")
