"""The Python index and lunr.js 2.3.9 agree: same stems, same index, every shown word finds its paper."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import lunrcompat, search
from generator.build import build
from generator.load import load_site
from generator.stemmer import stem
from tests.conftest import REAL_SEED, make_site

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "themes" / "scholar" / "static"
NODE_SCRIPT = ROOT / "tests" / "search_node.js"
SUFFIXES = ["", "s", "es", "ies", "ed", "eed", "ing", "ly", "y", "ational", "tional", "enci", "anci", "izer",
            "bli", "alli", "entli", "eli", "ousli", "ization", "ation", "ator", "alism", "iveness", "fulness",
            "ousness", "aliti", "iviti", "biliti", "logi", "icate", "ative", "alize", "iciti", "ical", "ful",
            "ness", "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ou", "ism",
            "ate", "iti", "ous", "ive", "ize", "sion", "tion", "e", "ll", "at", "bl", "iz"]


def node(request: dict):
    """Ask tests/search_node.js (lunr.js in node) and return its JSON answer."""
    if shutil.which("node") is None:
        pytest.fail("node is needed for the search agreement tests (apt-get install nodejs)")
    done = subprocess.run(["node", str(NODE_SCRIPT), str(STATIC)], input=json.dumps(request),
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_stemmer_matches_lunr_js_on_seed_words_and_generated_words(real_seed_text):
    words = set(re.findall(r"[a-z]+", real_seed_text.lower()))
    words |= {"key", "keys", "display", "displayed", "play", "playing", "ray", "yield", "yelling", "by", "sky"}
    rng = random.Random(20231)
    letters = "aeiouybcdfghjklmnprstvwxz"
    for _ in range(20000):
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(1, 8))) + rng.choice(SUFFIXES))
    for base in sorted(words)[:1500]:
        words.update(base + suffix for suffix in SUFFIXES)
    words = sorted(words)
    assert len(words) > 100000
    theirs = node({"mode": "stem", "words": words})
    differ = [(w, stem(w), j) for w, j in zip(words, theirs) if stem(w) != j]
    assert differ == []
    # where the Python lunr package says "displai", "kei", "plai", "rai":
    assert [stem(w) for w in ("display", "key", "play", "ray")] == ["display", "key", "play", "ray"]


def test_whole_pipeline_matches_lunr_js_on_odd_text():
    rng = random.Random(7)
    pieces = ["Dollár", "Wójcik", "Łukasz", "ÆRØ", "straße", "İstanbul", "ΣΊΣΥΦΟΣ", "naïve", "Ｆｕｌｌ", "ﬁne",
              "𝑥-axis", "R-CNN:", "97.6%", "(SA)", "~90%", "—", "e.g.,", "key", "Displays", "the", "C++", "über-",
              "日本語", "😀smile", "a\u00a0b", "c\u2003d", "x\u200by", "tab\tbed", "ok\u2028ok", "\ufeffbom", "_under_",
              "O'Brien", "l'été", "dʼArc", "1,000", "$O(n)$", "[12]", "Ǆemal", "ŉ", "ﬀ", "Å", "ǅ"]
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    ours = [[t for t in map(lunrcompat.index_term, lunrcompat.tokenize(text)) if t is not None] for text in texts]
    theirs = node({"mode": "pipeline", "texts": texts})
    differ = [(text, a, b) for text, a, b in zip(texts, ours, theirs) if a != b]
    assert differ == []


@pytest.fixture(scope="module")
def real_docs(real_site):
    site = load_site(real_site / "content", real_site)
    return site, search.documents(site)


def test_index_is_the_one_lunr_js_builds(real_docs):
    site, docs = real_docs
    ours = json.loads(json.dumps(search.build_index(site).serialize()))
    theirs = node({"mode": "build", "fields": search.FIELDS, "docs": docs})
    assert [t for t, _ in ours["invertedIndex"]] == [t for t, _ in theirs["invertedIndex"]]
    assert ours == theirs


def test_compact_index_answers_like_lunr_js_own_index(real_site, real_docs):
    site, docs = real_docs
    terms = [t for t, _ in search.build_index(site).serialize()["invertedIndex"]]
    queries = [t for t in terms if re.fullmatch(r"[a-z0-9]+", t)]
    queries += ["segment anything", "title:mask", "detect~1", "segm*", "*ment", "s*t", "-video", "+mask -video"]
    differ = node({"mode": "compare", "fields": search.FIELDS, "docs": docs, "queries": queries,
                   "data": str(real_site / "output" / search.DATA_FILE)})
    assert differ == []


def shown_words(text: str) -> set[str]:
    """The words a reader sees, as they would type them: split on spaces, outer punctuation dropped."""
    words = set()
    for chunk in text.split():
        words.add(chunk)
        words.add(chunk.strip(".,;:()[]{}\"'!?$"))
    return {w for w in words if any(lunrcompat.index_term(t) for t in lunrcompat.tokenize(w))}


def test_every_shown_word_of_every_paper_finds_it_in_lunr_js(real_site, real_docs):
    site, _ = real_docs
    pairs = []
    for ref, paper in enumerate(site.papers):
        authors = ", ".join(paper.authors)
        for word in sorted(shown_words(paper.title) | shown_words(authors) | shown_words(paper.abstract)):
            pairs.append([word, str(ref)])
    assert len(pairs) > 5000
    missing = node({"mode": "find", "pairs": pairs, "data": str(real_site / "output" / search.DATA_FILE)})
    assert missing == []


def test_accents_fold_on_both_sides(tmp_path):
    seed = REAL_SEED.read_text(encoding="utf-8")
    seed = seed.replace("Alexander Kirillov, Eric Mintun, Nikhila Ravi et al.",
                        "Ana Núñez, Łukasz Wójcik, Zoë Ærø")
    assert "Łukasz" in seed
    site = make_site(tmp_path / "site", seed)
    build(site)
    queries = ["Nunez", "núñez", "NUNEZ", "Wojcik", "Wójcik", "Lukasz", "zoe", "aero", "segment anything"]
    answers = node({"mode": "answers", "queries": queries, "data": str(site / "output" / search.DATA_FILE)})
    records = {str(i): r for i, r in enumerate(search.records(load_site(site / "content", site)))}
    for query, answer in zip(queries, answers):
        titles = [records[ref][1] for ref in answer["refs"]]
        assert "Segment Anything" in titles, query
    dollar = node({"mode": "answers", "queries": ["Dollar"], "data": str(site / "output" / search.DATA_FILE)})[0]
    assert "Mask R-CNN" in [records[ref][1] for ref in dollar["refs"]]  # "Piotr Dollár" in the real seed


def test_rejected_queries_give_a_message(real_site):
    queries = ["title:", "foo~", "^2", "mask"]
    answers = node({"mode": "answers", "queries": queries, "data": str(real_site / "output" / search.DATA_FILE)})
    assert [bool(a["error"]) for a in answers] == [True, True, True, False]
    assert answers[3]["refs"] and "mask" in answers[3]["terms"]
