"""Content files are written by yamlio.quick_dump when it can: byte for byte what PyYAML writes (libyaml's
emitter and PyYAML's own), for every text, however its spaces, quotes, indicators and length fall."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import content, seed, yamlio

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = dict(sort_keys=False, allow_unicode=True, width=yamlio.WIDTH, default_flow_style=False)
DUMPERS = [yaml.SafeDumper] + ([yaml.CSafeDumper] if hasattr(yaml, "CSafeDumper") else [])
WORDS = ["word", "Segment", "a", "é", "中文", "\u00a0", "e.g.", "https://x.org/a_b", "a" * 30, "x" * 99, "3D", "(R-CNN)",
         "don't", '"quoted"', "50%", "C++", "a:b", "a#b", "x-y", "yes", "No", "null", "~", "1.5", "12", "2021-04-29",
         "0x1F", "true", ".inf", "<<", "="]
MARKS = [" ", "  ", "   ", ": ", ":", " #", "#", "'", "''", '"', "-", "- ", "?", "? ", "---", "...", "[", "]", "{",
         "}", ",", "&", "*", "!", "|", ">", "%", "@", "`"]
ODD = ["\t", "\n", "\r", "\u2028", "\ufeff", "\U0001f600", "\x85", "\x00"]  # (left to PyYAML)
SAFE_TEXT = st.lists(st.sampled_from(WORDS) | st.sampled_from(WORDS) | st.just(" ") | st.just(" ")
                     | st.sampled_from(MARKS), max_size=160).map("".join)
TEXT = st.lists(st.sampled_from(WORDS) | st.just(" ") | st.sampled_from(MARKS) | st.sampled_from(ODD)
                | st.text(max_size=3), max_size=160).map("".join)
PLAIN = st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(" ".join)  # (long plain texts fold too)
KEYS = st.sampled_from(["title", "date", "authors", "abstract", "venue", "pdf", "x_1", "A", "yes", "null", "a b",
                        "1", "-", "key:"])
VALUES = st.one_of(TEXT, TEXT, PLAIN, st.booleans(), st.integers(), st.none(), st.lists(TEXT | PLAIN, max_size=4),
                   st.floats(), st.dictionaries(st.sampled_from(["a"]), TEXT, max_size=1))


@settings(max_examples=3000, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_the_quick_dump_writes_what_pyyaml_writes(data):
    quick = yamlio.quick_dump(data)
    if quick is not None:
        for dumper in DUMPERS:
            assert quick == yaml.dump(data, Dumper=dumper, **OPTIONS), dumper
        assert yaml.safe_load(quick) == data
    assert yamlio.dump(data) == yaml.dump(data, Dumper=yamlio.pyyaml()[2], **OPTIONS)


@settings(max_examples=3000, deadline=None)
@given(st.dictionaries(KEYS, st.one_of(SAFE_TEXT, PLAIN, st.lists(SAFE_TEXT | PLAIN, max_size=3)), max_size=4))
def test_the_quick_dump_of_plain_and_quoted_texts_is_pyyamls(data):
    quick = yamlio.quick_dump(data)
    if quick is not None:
        assert all(quick == yaml.dump(data, Dumper=dumper, **OPTIONS) for dumper in DUMPERS)
        assert yaml.safe_load(quick) == data


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=" ab'", max_size=240), st.sampled_from(["t", "abstract", "a_much_longer_key_name"]))
def test_folding_of_long_texts_of_spaces_and_quotes(text, key):
    """Where a long line breaks: single spaces only, past column 100, never a quoted text's first or last."""
    for data in ({key: text}, {key: [text, "x " * 60]}):
        quick = yamlio.quick_dump(data)
        assert quick is not None
        assert all(quick == yaml.dump(data, Dumper=dumper, **OPTIONS) for dumper in DUMPERS)


def test_every_content_file_of_the_real_seed_and_the_benchmark_takes_the_quick_path():
    from benchmarks import corpus

    profiles = [seed.parse((ROOT / "seeds" / "000_fe8ce17d2e942b33.txt").read_bytes()), corpus.make_profile(300, 1)]
    files = [content.seed_fields(paper) for profile in profiles for paper in profile.papers]
    for data in files:
        quick = yamlio.quick_dump(data)
        assert quick is not None and quick == yaml.dump(data, Dumper=yamlio.pyyaml()[2], **OPTIONS)


EDGES = ["- foo", "-", "-x", "? a", "?", ":", "a:", "a: b", "a:b", "a #b", "a#b", "#a", "--- a", "...", "'a'", "a'",
         " a", "a ", "  ", "", "yes", "Yes", "n", "NULL", "~", "0o17", "1_000", "1:20", "2021-04-29 10:00", "=", "<<",
         "!a", "&a", "*a", "|", ">", "%", "@", "`", "{a", "[a", ",a", "a,b", "a[b]", "é", "\u00a0a", "a\u00a0"]


@pytest.mark.parametrize("text", EDGES)
@pytest.mark.parametrize("key", ["k", "k" * 64, "k" * 97, "k" * 130])
def test_texts_that_start_or_end_like_yaml_syntax(text, key):
    for data in ({key: text}, {key: [text]}, {key: text + " " + "x " * 60 + text}):
        quick = yamlio.quick_dump(data)
        assert quick is None or all(quick == yaml.dump(data, Dumper=dumper, **OPTIONS) for dumper in DUMPERS)
        assert yamlio.dump(data) == yaml.dump(data, Dumper=yamlio.pyyaml()[2], **OPTIONS)
