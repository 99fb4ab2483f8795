"""The Python lunr index: pipeline details, packing, incremental rebuilds, the data scripts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess

from hypothesis import given, settings
from hypothesis import strategies as st
from lunr import lunr as lunr_py

from generator import lunrcompat, lunrindex, lunrpack, search
from generator.model import Metrics, Paper, Site


def paper(i: int, abstract: str = "", title: str = "") -> Paper:
    return Paper(slug=f"p{i}", title=title or f"Paper number {i} on detection", date=dt.date(2020, 1, 1 + i % 28),
                 category="CV" if i % 2 else "RO", authors=("Ana Núñez", f"Bo Li{i}"), authors_truncated=False,
                 organization="", has_code=bool(i % 3), abstract=abstract or f"We detect objects {i} times, "
                 f"with 97.6% accuracy on key displays.")


def site(papers) -> Site:
    return Site(name="Me", category="CV", metrics=Metrics(), papers=tuple(papers))


def test_pipeline_matches_lunr_js_details():
    assert lunrcompat.tokenize("Mask R-CNN\u00a0and\u2003Fast-RCNN") == ["mask", "r", "cnn", "and", "fast", "rcnn"]
    assert lunrcompat.tokenize("a\x1cb\ufeffc") == ["a\x1cb", "c"]  # JavaScript's \s, not Python's
    assert lunrcompat.index_term("97.6%") == "97.6"
    assert lunrcompat.index_term("(the") is None
    assert lunrcompat.index_term("—") == ""  # lunr.js keeps an empty term too
    assert lunrcompat.index_term("núñez,") == "nunez"
    assert lunrcompat.index_term("łukasz") == "lukasz"
    assert lunrcompat.search_term("Dollár".lower()) == lunrcompat.index_term("dollar")


def test_authors_are_separate_words():
    index = search.build_index(site([paper(1)]))
    assert {"ana", "nunez", "bo", "li1"} <= set(index.docs[0][1])


def test_packed_index_survives_edits_like_a_fresh_pack():
    papers = [paper(i) for i in range(40)]
    cache = search.Cache()
    first = search.build_files(site(papers), cache)
    edited = list(papers)
    edited[3] = dataclasses.replace(edited[3], abstract="An entirely new vocabulary: zyzzyva quokka.")
    edited[7] = dataclasses.replace(edited[7], title="Renamed </script> it's \\ \u2028 without detection")
    again = search.build_files(site(edited), cache)
    assert again == search.build_files(site(edited))  # same bytes as a build from nothing
    assert again != first
    assert again[search.shard_name(0)] != first[search.shard_name(0)]
    terms = cache.packer.terms
    assert "zyzzyva" in terms and terms == sorted(terms, key=lunrindex.utf16_key)
    back = search.build_files(site(papers), cache)
    assert back == first  # and back again: terms only the edit brought are gone
    assert "zyzzyva" not in cache.packer.terms


def test_packing_after_papers_are_added_or_removed():
    cache = search.Cache()
    search.build_files(site([paper(i) for i in range(10)]), cache)
    grown = [paper(i) for i in range(12)]
    assert search.build_files(site(grown), cache) == search.build_files(site(grown))
    assert search.build_files(site(grown[:3]), cache) == search.build_files(site(grown[:3]))


def test_varints_decode_in_javascript():
    numbers = [*range(lunrpack.TABLE_SIZE + 100), 10**6, 2**31 - 1]  # (the small ones come from a table)
    text = lunrpack.encode(numbers)
    assert set(text) <= set(lunrpack.ALPHABET)
    script = ("const A='" + lunrpack.ALPHABET + "';let v=0,out=[];for(const c of require('fs').readFileSync(0,'utf8'))"
              "{const d=A.indexOf(c);if(d>=32)v=v*32+d-32;else{out.push(v*32+d);v=0}}console.log(JSON.stringify(out))")
    done = subprocess.run(["node", "-e", script], input=text, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == numbers


def test_data_script_is_safe_and_parses_back():
    hostile = ["</script><script>alert(1)</script>", "it's", "back\\slash", "line\u2028sep", 'quote"']
    script = search.script_data("x", hostile)
    assert "</script" not in script and "\u2028" not in script and "\n" not in script.rstrip("\n")
    done = subprocess.run(["node", "-e", f"var x; {script}; console.log(JSON.stringify(x))"],
                          capture_output=True, text=True, encoding="utf-8", check=True)
    assert json.loads(done.stdout) == hostile


def test_same_shape_as_the_python_lunr_package_but_lunr_js_stems():
    papers = [paper(i) for i in range(3)]
    ours = search.build_index(site(papers)).serialize()
    names = [f for f, _ in search.FIELDS]
    docs = [{"id": ref, **dict(zip(names, texts))} for ref, texts in search.documents(site(papers))]
    fields = [{"field_name": f, "boost": b} for f, b in search.FIELDS]
    theirs = lunr_py(ref="id", fields=fields, documents=docs).serialize()
    assert set(ours) == set(theirs) and ours["fields"] == theirs["fields"]
    assert len(ours["fieldVectors"]) == len(theirs["fieldVectors"])
    ours_terms = {t for t, _ in ours["invertedIndex"]}
    theirs_terms = {t for t, _ in theirs["invertedIndex"]}
    assert "kei" in theirs_terms and "key" in ours_terms  # "key": lunr.js keeps it, the Python package does not
    assert "97.6" in ours_terms


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6000), st.integers(1, 3)), max_size=300),
       st.lists(st.lists(st.tuples(st.integers(0, 6000), st.integers(0, 3)), max_size=20), max_size=5))
def test_a_posting_string_kept_in_pieces_equals_one_encoded_afresh(postings, edits):
    """Pieces re-encode only the ranges of keys that changed: after each edit (a key added, its count
    changed, or removed with count 0) the posting string is the one posting_string makes from scratch."""
    found = dict(postings)
    keys = sorted(found)
    tfs = [found[k] for k in keys]
    pieces = lunrpack.Pieces(keys, tfs)
    if keys:
        assert pieces.text() == lunrpack.posting_string(keys, tfs)
    for edit in edits:
        parts = set()
        for key, tf in edit:
            if tf:
                found[key] = tf
            else:
                found.pop(key, None)
            parts.add(key >> lunrpack.SHIFT)
        keys = sorted(found)
        tfs = [found[k] for k in keys]
        for part in parts:
            pieces.update(keys, tfs, part)
        if keys:
            assert pieces.text() == lunrpack.posting_string(keys, tfs)
