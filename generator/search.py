"""Search data: a compact lunr.js 2.3.9 index, result records and abstract shards, as scripts for file://."""

from __future__ import annotations

import functools
import hashlib
import operator
from dataclasses import dataclass, field

from . import lunrindex, lunrpack, views
from .jsontext import dumps, safe
from .model import Paper, Site, category_name

FIELDS: list[tuple[str, float]] = [("title", 10), ("authors", 5), ("abstract", 1), ("year", 1), ("category", 1)]
DATA_FILE = "search-data.js"
SHARD_DIR = "search-data"
SHARD_SIZE = 200  # abstracts per shard file; the search page loads only the shards its results need


@dataclass
class Cache:
    """What one search build keeps for the next: terms per paper, packed postings, abstract shards, and
    each paper's analysed texts and result record (reused while it is the very same Paper object)."""

    terms: lunrindex.TermCache = field(default_factory=lunrindex.TermCache)
    packer: lunrpack.Packer = field(default_factory=lunrpack.Packer)
    shards: dict[int, tuple[bytes, bytes]] = field(default_factory=dict)
    shard_papers: dict[int, tuple[Paper, ...]] = field(default_factory=dict)  # what each shard was made of
    papers: views.PaperMemo = field(default_factory=views.PaperMemo)
    terms_text: tuple[list[str] | None, str] = (None, "")  # the packer's term list and its JSON, escaped


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


def cached_index(site: Site, cache: Cache) -> lunrindex.Index:
    """build_index, reusing each unchanged paper's analysed texts from the build before."""
    index = lunrindex.Index(fields=[name for name, _ in FIELDS], boosts=[boost for _, boost in FIELDS])
    analyse = cache.terms.analyse
    index.docs = cache.papers.each("terms", lambda p: analyse(paper_texts(p)), site.papers)
    index.refs = refs(len(index.docs))
    cache.terms.prune()
    return index


@functools.lru_cache(maxsize=2)
def refs(count: int) -> list[str]:
    """Each document's ref: its position (the same list while the number of papers is; not to be changed)."""
    return [str(i) for i in range(count)]


def record(paper: Paper) -> list:
    """What a result shows: slug, title, year, authors, category, has code."""
    return [paper.slug, paper.title, paper.year,
            ", ".join(paper.authors) + (" et al." if paper.authors_truncated else ""),
            paper.category, int(paper.has_code)]


def records(site: Site) -> list[list]:
    return [record(p) for p in site.papers]


def quoted(json_text: str) -> str:
    """Safe JSON text as the inside of a JavaScript '...' string (character by character, like safe)."""
    return safe(json_text).replace("\\", "\\\\").replace("'", "\\'")


def script_data(target: str, value) -> str:
    """``target = JSON.parse('...');``: a script that browsers parse faster than the same object literal."""
    return script_of(target, quoted(dumps(value)))


def script_of(target: str, quoted_json: str) -> str:
    return f"{target} = JSON.parse('{quoted_json}');\n"


def shard_name(number: int) -> str:
    """The file holding abstracts number * SHARD_SIZE onwards."""
    return f"{SHARD_DIR}/abstracts-{number}.js"


def shard_script(number: int, papers: tuple[Paper, ...], cache: Cache) -> bytes:
    """The abstracts of one shard as a script (reused from the cache when they did not change)."""
    known = cache.shards.get(number)
    before = cache.shard_papers.get(number)
    if known and before is not None and len(before) == len(papers) and all(map(operator.is_, before, papers)):
        return known[1]
    cache.shard_papers[number] = papers
    digest = hashlib.blake2b("\x00".join(p.abstract for p in papers).encode("utf-8", "surrogatepass"),
                             digest_size=16).digest()
    if known and known[0] == digest:
        return known[1]
    abstracts = [" ".join(p.abstract.split()) for p in papers]
    text = script_data(f"(window.SCHOLARSITE_ABSTRACTS = window.SCHOLARSITE_ABSTRACTS || {{}})[{number}]",
                       abstracts).encode("utf-8")
    cache.shards[number] = (digest, text)
    return text


def data_script(site: Site, cache: Cache) -> str:
    """``search-data.js``: script_data("window.SCHOLARSITE_SEARCH", {"index", "records", "shardSize"}), made
    from pieces so that an unchanged paper's record and an unchanged vocabulary are not encoded again."""
    packed = cache.packer.pack(cached_index(site, cache))
    terms, text = cache.terms_text
    if terms is not packed["terms"]:
        text = quoted(dumps(packed["terms"]))
        cache.terms_text = (packed["terms"], text)
    rows = ",".join(cache.papers.each("record", lambda p: quoted(dumps(record(p))), site.papers))
    postings = '","'.join(packed["postings"])  # base-32 digits and commas: nothing to escape
    head = {k: v for k, v in packed.items() if k not in ("postings", "terms")}
    index = (quoted(dumps(head))[:-1] + ',"postings":' + (f'["{postings}"]' if packed["postings"] else "[]")
             + ',"terms":' + text + "}")
    return script_of("window.SCHOLARSITE_SEARCH", f'{{"index":{index},"records":[{rows}],"shardSize":{SHARD_SIZE}}}')


def build_files(site: Site, cache: Cache | None = None) -> dict[str, bytes]:
    """Every search file: ``search-data.js`` (index, records) and the abstract shards.

    Pass the same Cache to each build (watch mode): after a few papers change, only their terms are
    read again and only their terms' postings, their records and their shards are made again.
    """
    cache = cache or Cache()
    cache.papers.next_build()
    files = {DATA_FILE: data_script(site, cache).encode("utf-8")}
    papers = site.papers
    count = (len(papers) + SHARD_SIZE - 1) // SHARD_SIZE
    for number in range(count):
        files[shard_name(number)] = shard_script(number, papers[number * SHARD_SIZE:(number + 1) * SHARD_SIZE], cache)
    for number in [n for n in cache.shards if n >= count]:
        del cache.shards[number]
        cache.shard_papers.pop(number, None)
    return files
