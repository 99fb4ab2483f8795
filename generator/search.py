"""Search data: a compact lunr.js 2.3.9 index, result records and abstract shards, as scripts for file://."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from . import lunrindex, lunrpack
from .model import Paper, Site, category_name

FIELDS: list[tuple[str, float]] = [("title", 10), ("authors", 5), ("abstract", 1), ("year", 1), ("category", 1)]
DATA_FILE = "search-data.js"
SHARD_DIR = "search-data"
SHARD_SIZE = 200  # abstracts per shard file; the search page loads only the shards its results need


@dataclass
class Cache:
    """What one search build keeps for the next: terms per paper, packed postings, abstract shards."""

    terms: lunrindex.TermCache = field(default_factory=lunrindex.TermCache)
    packer: lunrpack.Packer = field(default_factory=lunrpack.Packer)
    shards: dict[int, tuple[bytes, bytes]] = field(default_factory=dict)


def paper_texts(paper: Paper) -> list[str]:
    """What the index reads of a paper, one text per field of FIELDS (authors as separate names)."""
    return [paper.title, ", ".join(paper.authors), paper.abstract, str(paper.date.year),
            f"{paper.category} {category_name(paper.category)}"]


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


def script_data(target: str, value) -> str:
    """``target = JSON.parse('...');``: a script that browsers parse faster than the same object literal."""
    text = script_json(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"{target} = JSON.parse('{text}');\n"


def shard_name(number: int) -> str:
    """The file holding abstracts number * SHARD_SIZE onwards."""
    return f"{SHARD_DIR}/abstracts-{number}.js"


def shard_script(number: int, papers: tuple[Paper, ...], cache: Cache) -> bytes:
    """The abstracts of one shard as a script (reused from the cache when they did not change)."""
    digest = hashlib.blake2b("\x00".join(p.abstract for p in papers).encode("utf-8", "surrogatepass"),
                             digest_size=16).digest()
    known = cache.shards.get(number)
    if known and known[0] == digest:
        return known[1]
    abstracts = [" ".join(p.abstract.split()) for p in papers]
    text = script_data(f"(window.SCHOLARSITE_ABSTRACTS = window.SCHOLARSITE_ABSTRACTS || {{}})[{number}]",
                       abstracts).encode("utf-8")
    cache.shards[number] = (digest, text)
    return text


def build_files(site: Site, cache: Cache | None = None) -> dict[str, bytes]:
    """Every search file: ``search-data.js`` (index, records) and the abstract shards.

    Pass the same Cache to each build (watch mode): after a few papers change, only their terms are
    read again and only their terms' postings and their shards are written again.
    """
    cache = cache or Cache()
    index = build_index(site, cache.terms)
    payload = {"index": cache.packer.pack(index), "records": records(site), "shardSize": SHARD_SIZE}
    files = {DATA_FILE: script_data("window.SCHOLARSITE_SEARCH", payload).encode("utf-8")}
    papers = site.papers
    count = (len(papers) + SHARD_SIZE - 1) // SHARD_SIZE
    for number in range(count):
        files[shard_name(number)] = shard_script(number, papers[number * SHARD_SIZE:(number + 1) * SHARD_SIZE], cache)
    for number in [n for n in cache.shards if n >= count]:
        del cache.shards[number]
    return files

