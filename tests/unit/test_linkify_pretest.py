"""The hint that stands in for linkify-it's pretest and guards its test (markup.LINK_HINT_RE) accepts every
text either accepts, so the Markdown renders exactly as with linkify-it alone."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from linkify_it import LinkifyIt

from generator import markup, seed

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL = LinkifyIt()
PIECES = ["http:", "HTTPS:", "ftp:", "mailto:", "//", "@", "localhost", "LocalHoſt", "www.", "WWW.", ".", "..",
          ".7", "1.2.3", ".com", ".g", ".рф", ".K", "e.g.", "i.e.,", ":", " ", "\n", "a", "Z", "_", "-", "(", ")",
          "example", "org", "\u212a", "ſ", "\u3002", "<", ">"]


def quick(text: str) -> bool:
    return bool(markup.LINK_HINT_RE.search(text)) and ORIGINAL.pretest(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=12))
def test_the_quick_check_agrees_with_the_pretest(parts):
    text = "".join(parts)
    assert quick(text) == ORIGINAL.pretest(text)
    if LinkifyIt().test(text):  # a fresh instance: test() keeps state between calls
        assert markup.LINK_HINT_RE.search(text)


def test_the_quick_check_agrees_on_the_real_abstracts_and_keeps_their_links():
    profile = seed.parse((ROOT / "seeds" / "000_fe8ce17d2e942b33.txt").read_bytes())
    for paper in profile.papers:
        assert quick(paper.abstract) == ORIGINAL.pretest(paper.abstract)
    html = markup.render("Code at https://segment-anything.com and www.example.org, e.g. this.")
    assert '<a href="https://segment-anything.com">' in html and '<a href="http://www.example.org">' in html


REFERENCE = markup.make_parser(quick=False)
WORDS = st.sampled_from(["see", "https://github.com/a/b", "www.example.org", "e.g.", "0.6", "a@b.io", "$x$",
                         "$$y$$", "*em*", "`c`", "[l](https://x.org)", "<b>", "ftp://h.io/x", "end.", "\n\n",
                         "mailto:a@b.c", "http://", "localhost:8000", "(https://x.org/a_(b))", "ſ.com"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(WORDS, st.sampled_from(PIECES), st.text(max_size=4)), max_size=16).map(" ".join))
def test_the_quick_parser_renders_exactly_what_linkify_it_alone_renders(text):
    assert markup.render(text) == REFERENCE.render(text)


def test_the_quick_parser_agrees_on_the_real_abstracts():
    profile = seed.parse((ROOT / "seeds" / "000_fe8ce17d2e942b33.txt").read_bytes())
    for paper in profile.papers:
        assert markup.render(paper.abstract) == REFERENCE.render(paper.abstract)
