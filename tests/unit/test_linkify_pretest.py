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
          "example", "org", "\u212a", "ſ", "\u3002", "<", ">", "MAİLTO:", "maıltO:", "hTTPſ:", "wWw.", "localho",
          "İ", "ı", "1.2.", "www.1.2.", "://", "::", "@.", "ftp:/", " "]


def quick(text: str) -> bool:
    return bool(markup.LINK_HINT_RE.search(text)) and ORIGINAL.pretest(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=12))
def test_the_quick_check_agrees_with_the_pretest(parts):
    text = "".join(parts)
    assert quick(text) == ORIGINAL.pretest(text)
    if LinkifyIt().test(text):  # a fresh instance: test() keeps state between calls
        assert markup.LINK_HINT_RE.search(text) and markup.may_link(text)


def test_the_quick_check_agrees_on_the_real_abstracts_and_keeps_their_links():
    profile = seed.parse((ROOT / "seeds" / "000_fe8ce17d2e942b33.txt").read_bytes())
    for paper in profile.papers:
        assert quick(paper.abstract) == ORIGINAL.pretest(paper.abstract)
    html = markup.render("Code at https://segment-anything.com and www.example.org, e.g. this.")
    assert '<a href="https://segment-anything.com">' in html and '<a href="http://www.example.org">' in html


def words_with(matches, text: str) -> list[int]:
    return sorted({text.count(" ", 0, m.start()) for m in matches})


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=12).map("".join))
def test_the_quick_hints_are_in_the_words_the_hint_expression_finds(text):
    """links() renders each word where LINK_HINT_RE finds a hint: markup.link_hints finds them sooner."""
    assert words_with(markup.link_hints(text), text) == words_with(markup.LINK_HINT_RE.finditer(text), text)
    assert markup.link_hint(text) == bool(markup.LINK_HINT_RE.search(text))


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


MATHY = st.sampled_from(["$", "$$", "\\$", "\\\\$", "$x$", "$ x$", "$x $", "$x$2", "2$x$", "$$a+b$$", "$$a$",
                         "$a$$", "\\", "\\\\", "²", "٣", "\u2009", "\u00a0", "\t", " ", "a", "Zé", "1", ".", ",",
                         "http://x.org/a", "https://github.com/a/b$", "www.x.io", "e.g.", "x@y.io", "://", ">", '"',
                         "'", "%", "-", ":", "!", "(", ")", "#", "+", "=", "~", "{", "}", "^", "|", "<b>", "&amp;",
                         "*", "_", "[", "]", "`", "\n", "\ufeff", " https://x.org/a_(b)", "(www.a.io)", " a@b.io",
                         " e.g.", ".com", "\u3002", "ſ.com", " localhost:80", " 1.2.3.4", " mailto:a@b.c", "http:",
                         " http://x.y/z.", "https://é.com "," *", "**", "``", "`a`", "&", "&x", "&amp", "&#",
                         "&#1;", "&Q;", "Q&A", "<", "<a b>", "<x", "<a@b.c>", "<http://x.y>", " <", "AP_box",
                         "a_b", "_", "__", "x_ ", "é_1", "3*3", "p*p", "\u00a0_", "_\u00a0", "a*b", "x*", "*y",
                         "1*2*3", "é*e", "a*b.io", "a*http://x.org", "x.org*a", "a*$x$*b", "Z*Z *"])


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(["We", "A", "Élan", "x"]), st.lists(st.one_of(MATHY, st.text(max_size=3)), max_size=14))
def test_the_quick_render_of_a_plain_paragraph_is_markdown_its(first, parts):
    """quick_render stands in for markdown-it on paragraphs of text, links and math: when it answers,
    its HTML is markdown-it's, whatever the dollars, backslashes, digits, spaces and links around them."""
    text = first + "".join(parts)
    quick = markup.quick_render(text)
    assert quick is None or quick == REFERENCE.render(text)


def test_a_word_linked_only_because_of_its_neighbour_is_linked_as_markdown_it_links_it():
    """linkify-it's test fails for 'We.com<' alone, but markdown-it tests the paragraph's text once: beside
    an address that passes, its match links 'We.com' too. (Found by the property test above.)"""
    for text in ["We.com< a@b.io", "We.com< x", "We use x.org< and https://a.io/b", "We¢http://x.org/a",
                 "We.com<", "A b.io< c.io< www.d.org"]:
        assert markup.render(text) == REFERENCE.render(text), text


def test_the_quick_render_takes_most_abstracts():
    """...and it answers for most abstracts: the real seed's and the benchmark's (math and links)."""
    from benchmarks import corpus

    abstracts = [p.abstract for p in seed.parse((ROOT / "seeds" / "000_fe8ce17d2e942b33.txt").read_bytes()).papers]
    abstracts += [p.abstract for p in corpus.make_profile(200, 1).papers]
    answered = [text for text in abstracts if markup.quick_render(text) is not None]
    assert all(markup.quick_render(text) == REFERENCE.render(text) for text in answered)
    assert len(answered) >= 0.9 * len(abstracts)


def test_the_quick_render_leaves_to_markdown_it_only_the_abstracts_with_markup():
    """The real seed's abstracts have a lone backtick (`pre-training), 'Q&A', '<human, verb, object>',
    'AP_box' and 'p*p ... 3*3' (stars between letters, which pair up as emphasis): the quick path renders
    them all as markdown-it does, and leaves it only real markup (code spans, links, emphasis with spaces)."""
    abstracts = [p.abstract for p in seed.parse((ROOT / "seeds" / "000_fe8ce17d2e942b33.txt").read_bytes()).papers]
    assert [text for text in abstracts if markup.quick_render(text) is None] == []
    for text in ["We Q&A it.", "We detect <human, verb, object> triplets.", "We get 61.3 AP_box.",
                 "LVIS (pronounced `el-vis'): a dataset.", "We p*p and 3*3.", "We a*b c*d and e*f.", "A 3*3 kernel.",
                 "We p*p $x*y$ 3*3 at https://x.org/a."]:
        assert markup.quick_render(text) == REFERENCE.render(text)
    assert "<em>" in markup.quick_render("We p*p and 3*3.")
    for text in ["We a &amp; b.", "See <http://x.org> now.", "A `code` span.", "We a _b_ c.", "We *b* c.",
                 "We a*b and *c*.", "We a**b**c."]:
        assert markup.quick_render(text) is None and markup.render(text) == REFERENCE.render(text)


def test_the_whitespace_beside_a_dollar_is_markdown_its():
    """math_spans asks markup.MD_WHITESPACE what dollarmath asks markdown-it's isWhiteSpace (not imported
    for it): the two agree on every character."""
    from markdown_it.common.utils import isWhiteSpace

    assert [c for c in range(0x110000) if isWhiteSpace(c) != (chr(c) in markup.MD_WHITESPACE)] == []


TRICKY_URLS = ["http://xn--e1afmkfd.xn--p1ai/a", "https://a.xn--p1ai", "http://a.b/%41", "http://EXAMPLE.com/",
               "http://é.com/", "https://a.b/c d", "https://a.b/ü", "http://a.b:8080/x_y~z", "https://a.b/[x]"]


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.from_regex(markup.PLAIN_URL_RE, fullmatch=True), st.sampled_from(TRICKY_URLS)))
def test_a_plain_web_address_is_what_the_url_normalizers_give_back(url):
    """Addresses the quick parser does not pass through markdown-it's normalizers (PLAIN_URL_RE) are the
    ones they give back unchanged."""
    if markup.PLAIN_URL_RE.fullmatch(url):
        assert REFERENCE.normalizeLink(url) == url and REFERENCE.normalizeLinkText(url) == url


@settings(max_examples=1500, deadline=None)
@given(st.from_regex(markup.SIMPLE_LINK_RE, fullmatch=True), st.sampled_from(["", " and more", "$x$", ",", ")"]),
       st.sampled_from(["See ", "Code at ", "A (", "Go"]))
def test_a_simple_web_address_is_linked_as_linkify_links_it(word, after, before):
    text = before + word + after
    assert markup.quick_render(text) in (None, REFERENCE.render(text))
    if before.endswith(" ") and after in ("", " and more"):
        assert markup.quick_render(text) == REFERENCE.render(text)  # (it answers)


ABBREVIATIONS = st.sampled_from(["e.g.", "i.e.", "w.r.t.", "(e.g.,", "a.k.a.", "U.S.", "e.g", "x.io", "a.co,", "E.G.",
                                 "z.ſ", "é.ü.", "a.b.c", "1.2.3", "e.g.:", "v.s", "e.gg", "x.рф", "s.t."])


@settings(max_examples=1000, deadline=None)
@given(st.lists(ABBREVIATIONS | st.sampled_from(PIECES) | st.text(max_size=2), min_size=1, max_size=6))
def test_abbreviations_that_look_like_domains_are_rendered_as_markdown_it_renders_them(parts):
    text = "We " + " ".join(parts)
    assert markup.quick_render(text) in (None, REFERENCE.render(text))
