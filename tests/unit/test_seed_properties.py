"""Property tests: the parser never fails with anything but InputError; dump and parse are inverses."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import seed
from generator.errors import InputError
from generator.model import Metrics, Profile, SeedPaper

LINES = st.sampled_from(["", "CV", "h-index3", "76papers", "CVApr 5, 2023", "CVFeb 30, 2023Code", "Title",
                         "A, B et al. · org", "An abstract.", "5 Papers", "Novelty5%", "AI Score", "\ufeff", "  "])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.lists(LINES, max_size=40).map("\n".join).map(str.encode),
                 st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_parser_raises_only_its_own_error(data):
    try:
        profile = seed.parse(data, "seeds/x.txt")
    except InputError as err:
        assert err.problems and all(str(p).startswith("seeds/x.txt") for p in err.problems)
    else:
        assert profile.name


WORD = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x2FF), min_size=1, max_size=8)
NAME = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
TITLE = st.lists(WORD, min_size=1, max_size=8).map(" ".join).filter(lambda t: not seed.ENTRY_LIKE_RE.match(t))
PAPER = st.builds(
    SeedPaper,
    line=st.just(0),
    category=st.sampled_from(["CV", "LG", "RO", "CL", "AS"]),
    date=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    title=TITLE,
    authors=st.lists(NAME.filter(lambda n: not n.endswith("et al")), min_size=1, max_size=3).map(tuple),
    authors_truncated=st.booleans(),
    organization=st.sampled_from(["", "meta-ai", "allen-ai"]),
    has_code=st.booleans(),
    abstract=st.lists(WORD, min_size=1, max_size=30).map(" ".join).filter(lambda t: not seed.ENTRY_LIKE_RE.match(t)),
)
PROFILE = st.builds(
    Profile,
    name=NAME.filter(lambda n: not seed.ENTRY_LIKE_RE.match(n)),
    category=st.sampled_from(["CV", "LG"]),
    metrics=st.builds(Metrics, h_index=st.integers(0, 500), papers_claimed=st.integers(0, 5000),
                      citations=st.integers(0, 10**7), novelty_percent=st.integers(0, 100),
                      ai_score=st.integers(0, 100)),
    papers=st.lists(PAPER, max_size=6).map(tuple),
)


def strip_lines(profile: Profile) -> tuple:
    return (profile.name, profile.category, profile.metrics,
            [(p.category, p.date, p.title, p.authors, p.authors_truncated, p.organization, p.has_code, p.abstract)
             for p in profile.papers])


@settings(max_examples=150, deadline=None)
@given(PROFILE)
def test_valid_profiles_round_trip_through_seed_text(profile):
    again = seed.parse(seed.dump(profile).encode("utf-8"), "seeds/x.txt")
    assert strip_lines(again) == strip_lines(profile)


EDIT_LINES = st.sampled_from(["", "  ", "x", "CVApr 5, 2023", "LGMay 1, 2020Code", "CVFeb 30, 2023", "A. B, C. D et al.",
                              "Another sentence with $x$.", "Title Again", "7 Papers"])
EDIT = st.tuples(st.sampled_from(["replace", "insert", "delete", "append"]), st.integers(0, 10**6), EDIT_LINES)


def outcome(parse):
    try:
        reading = parse()
    except InputError as err:
        return "error", [str(p) for p in err.problems]
    return "ok", (reading.profile, reading.ends)


@settings(max_examples=400, deadline=None)
@given(PROFILE.filter(lambda p: len(p.papers) >= 2), st.lists(EDIT, min_size=1, max_size=4))
def test_reading_an_edited_seed_again_equals_reading_it_afresh(profile, edits):
    """The watcher parses only the entries an edit touched: the result (papers, their line numbers, or
    every problem) is the same as parsing the edited seed from scratch, and the entries it reports as
    reused are the same papers."""
    before = seed.read(seed.dump(profile), "seeds/x.txt")
    lines = list(before.lines)
    for op, where, text in edits:
        i = where % len(lines)
        if op == "replace":
            lines[i] = text
        elif op == "insert":
            lines.insert(i, text)
        elif op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "append":
            lines[i] += " " + text
    edited = "\n".join(lines)
    again = outcome(lambda: seed.read(edited, "seeds/x.txt", before))
    assert again == outcome(lambda: seed.read(edited, "seeds/x.txt"))
    if again[0] == "ok":
        reading = seed.read(edited, "seeds/x.txt", before)
        for paper, old in zip(reading.profile.papers, reading.same):
            if old is not None:
                assert strip_lines(Profile("", "", Metrics(), (paper,))) == \
                    strip_lines(Profile("", "", Metrics(), (before.profile.papers[old],)))


def test_an_edited_abstract_is_the_only_entry_parsed_again():
    profile = seed.read(seed.dump(Profile("Ada", "CV", Metrics(), tuple(
        SeedPaper(0, "CV", dt.date(2020, 1, i + 1), f"Paper {i}", ("A. B",), False, "", False, f"Text {i}.")
        for i in range(5)))), "seeds/x.txt")
    edited = seed.dump(profile.profile).replace("Text 2.", "Text 2, longer.\nA second line.")
    again = seed.read(edited, "seeds/x.txt", profile)
    assert again.same == [0, 1, None, 3, 4]
    assert again.profile.papers[2].abstract == "Text 2, longer.\nA second line."
    assert [p.line for p in again.profile.papers] == [p.line for p in seed.read(edited, "seeds/x.txt").profile.papers]
    assert again.profile.papers[3].line == profile.profile.papers[3].line + 1


BYTE_PIECES = st.sampled_from([b"", b"x", b" ", b"\n", b"\n\n", b"\r", b"\r\n", b"\x00", b"\xff", b"\xc3",
                               "é · ü".encode(), b"CVApr 5, 2023\nTitle\n", b"et al.", b"\xef\xbb\xbf"])
BYTE_EDIT = st.tuples(st.integers(0, 10**6), st.integers(0, 40), BYTE_PIECES)


@settings(max_examples=400, deadline=None)
@given(PROFILE.filter(lambda p: len(p.papers) >= 2), st.lists(st.lists(BYTE_EDIT, min_size=1, max_size=3),
                                                             min_size=1, max_size=4), st.sampled_from([3, 64, 1 << 16]))
def test_reading_edited_seed_bytes_again_equals_reading_them_afresh(profile, saves, chunk):
    """Seed bytes read against the last good reading (only the changed bytes are decoded): after each save
    of a chain, the same outcome, and the same lines for the next save, as reading the bytes afresh
    (with chunks of compared bytes small enough that the changes fall in any of them)."""
    kept, seed.CHUNK = seed.CHUNK, chunk
    try:
        chain(profile, saves)
    finally:
        seed.CHUNK = kept


def chain(profile, saves) -> None:
    data = seed.dump(profile).encode("utf-8")
    before = seed.read(data, "seeds/x.txt")
    for save in saves:
        for where, cut, piece in save:
            i = where % (len(data) + 1)
            data = data[:i] + piece + data[i + cut:]
        again = outcome(lambda: seed.read(data, "seeds/x.txt", before))
        assert again == outcome(lambda: seed.read(data, "seeds/x.txt"))
        if again[0] == "ok":
            reading = seed.read(data, "seeds/x.txt", before)
            assert reading.lines == seed.read(data, "seeds/x.txt").lines
            before = reading


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=300), st.binary(max_size=40), st.sampled_from([1, 3, 64]))
def test_shared_bytes_counts_what_two_texts_share_at_each_end(a, b, common, chunk):
    kept, seed.CHUNK = seed.CHUNK, chunk
    try:
        for x, y in ((common + a, common + b), (a + common, b + common), (a, a), (a, b)):
            head = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            assert seed._shared_bytes(x, y, 1) == head
            limit = min(len(x), len(y)) - head
            tail = next((i for i, (p, q) in enumerate(zip(x[::-1], y[::-1])) if p != q), min(len(x), len(y)))
            assert seed._shared_bytes(x, y, -1, limit) == min(tail, limit)
    finally:
        seed.CHUNK = kept
