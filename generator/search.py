"""Search data: a compact lunr.js 2.3.9 index, result records and abstract shards, as scripts for file://."""

from __future__ import annotations

import json

from . import lunrindex
from .model import Paper, Site

FIELDS: list[tuple[str, float]] = [("title", 10), ("authors", 5), ("abstract", 1), ("year", 1), ("category", 1)]
DATA_FILE = "search-data.js"
SHARD_DIR = "search-data"
SHARD_SIZE = 200  # abstracts per shard file; the search page loads only the shards its results need


def paper_texts(paper: Paper) -> list[str]:
    """What the index reads of a paper, one text per field of FIELDS (authors as separate names)."""
    return [paper.title, ", ".join(paper.authors), paper.abstract, str(paper.year),
            f"{paper.category} {paper.category_name}"]


def documents(site: Site) -> list[tuple[str, list[str]]]:
    """(ref, texts) per paper; the ref is the paper's position in ``records``."""
    return [(str(i), paper_texts(p)) for i, p in enumerate(site.papers)]


def build_index(site: Site, cache: lunrindex.TermCache | None = None) -> lunrindex.Index:
    """The lunr index of the site's papers (pass the same cache again to rebuild cheaply after edits)."""
    return lunrindex.build(FIELDS, documents(site), cache)


def records(site: Site) -> list[list]:
    """What a result shows: slug, title, year, authors, category, has code."""
    return [[p.slug, p.title, p.year, ", ".join(p.authors) + (" et al." if p.authors_truncated else ""),
             p.category, int(p.has_code)] for p in site.papers]


def script_json(value) -> str:
    """JSON that is safe inside a <script> element or a .js file."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def shard_name(number: int) -> str:
    """The file holding abstracts number * SHARD_SIZE onwards."""
    return f"{SHARD_DIR}/abstracts-{number}.js"


def build_files(site: Site, cache: lunrindex.TermCache | None = None) -> dict[str, bytes]:
    """Every search file: ``search-data.js`` (index, records) and the abstract shards."""
    index = build_index(site, cache)
    categories = {p.category: p.category_name for p in site.papers}
    payload = {"index": index.compact(), "records": records(site), "shardSize": SHARD_SIZE,
               "categories": dict(sorted(categories.items()))}
    files = {DATA_FILE: f"window.SCHOLARSITE_SEARCH = {script_json(payload)};\n".encode("utf-8")}
    papers = site.papers
    for number, start in enumerate(range(0, len(papers), SHARD_SIZE)):
        abstracts = [" ".join(p.abstract.split()) for p in papers[start:start + SHARD_SIZE]]
        text = (f"(window.SCHOLARSITE_ABSTRACTS = window.SCHOLARSITE_ABSTRACTS || {{}})[{number}] = "
                f"{script_json(abstracts)};\n")
        files[shard_name(number)] = text.encode("utf-8")
    return files


def build_data(site: Site) -> bytes:
    """The main search data script alone: ``window.SCHOLARSITE_SEARCH = {index, records, ...}``."""
    return build_files(site)[DATA_FILE]
