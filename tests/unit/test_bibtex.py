"""BibTeX keys, names, escaping and references."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import bibtex, markup
from generator.model import Paper


def paper(title="Mask R-CNN", authors=("Kaiming He",), date="2017-03-20", slug="", truncated=False, venue=""):
    return Paper(slug=slug or title.lower().replace(" ", "-"), title=title, date=dt.date.fromisoformat(date),
                 category="CV", authors=tuple(authors), authors_truncated=truncated, organization="",
                 has_code=False, abstract="x", venue=venue)


def test_key_is_surname_year_first_title_word():
    assert bibtex.base_key(paper()) == "he2017mask"
    assert bibtex.base_key(paper("A Large-Scale Study", ["Christoph Feichtenhofer"])) == "feichtenhofer2017large"
    assert bibtex.base_key(paper("SAM 2: Segment", ["Nikhila Ravi"])) == "ravi2017sam"
    assert bibtex.base_key(paper("Über Straße", ["Zoë van der Berg Jr."])) == "berg2017uber"
    assert bibtex.base_key(paper("日本語", [])) == "anon2017"
    assert bibtex.base_key(paper("On the", ["Kaiming He"])) == "he2017on"  # (only skipped words: the first)
    assert bibtex.base_key(paper("— 日本 — A Study", ["Kaiming He"])) == "he2017study"


def test_colliding_keys_get_letters_in_date_then_slug_order_and_stay_put():
    a = paper("Mask one", date="2017-01-01", slug="mask-one")
    b = paper("Mask two", date="2017-06-01", slug="mask-two")
    c = paper("Mask three", date="2017-06-01", slug="mask-three")
    keys = bibtex.keys([b, c, a])
    assert keys == {"mask-one": "he2017mask", "mask-three": "he2017maskb", "mask-two": "he2017maskc"}
    assert bibtex.keys([c, a, b]) == keys  # input order does not matter
    assert len(set(bibtex.keys([a, b, c, paper("Maskb", slug="maskb")]).values())) == 4


def test_names_split_like_bibtex():
    assert bibtex.split_name("Piotr Dollár") == ("Piotr", "Dollár", "")
    assert bibtex.split_name("Ludwig van Beethoven") == ("Ludwig", "van Beethoven", "")
    assert bibtex.split_name("Martin Luther King Jr.") == ("Martin Luther", "King", "Jr.")
    assert bibtex.split_name("Girshick, Ross") == ("Ross", "Girshick", "")
    assert bibtex.split_name("Plato") == ("", "Plato", "")


def test_escape_and_case_protection():
    assert bibtex.escape("50% of $x_1$ & {y} #2 ~ ^ \\") == \
        r"50\% of \$x\_1\$ \& \{y\} \#2 \textasciitilde{} \textasciicircum{} \textbackslash{}"
    assert bibtex.protect_case("Mask R-CNN on ImageNet, State-of-the-Art") == \
        "Mask {R-CNN} on {ImageNet,} State-of-the-Art"
    assert bibtex.escape("line\nbreak\x00and\u2028more") == "line break and more"


def test_truncated_authors_end_with_others_and_no_one_is_invented():
    entry = bibtex.entry(paper(authors=["Kaiming He", "Georgia Gkioxari"], truncated=True), "he2017mask")
    assert "author = {Kaiming He and Georgia Gkioxari and others}" in entry
    assert "month = mar" in entry and "year = {2017}" in entry


def test_reference_punctuation():
    p = paper("Are Labels Necessary?", ["A B", "C D"], truncated=True, venue="ECCV 2020")
    assert bibtex.reference(p) == "A B, C D, et al. 2017. Are Labels Necessary? ECCV 2020."
    assert bibtex.reference(paper(authors=[])) == "2017. Mask R-CNN."


def test_urls_stay_verbatim_but_cannot_break_the_entry():
    assert bibtex.url_value("https://x.org/a_b%20c?d=1#e") == "https://x.org/a_b%20c?d=1#e"
    assert bibtex.url_value("https://x.org/{a}\\b é") == "https://x.org/%7Ba%7D%5Cb%20%C3%A9"


def _old_clean(text: str) -> str:  # what bibtex.clean and markup.plain did with regular expressions
    text = unicodedata.normalize("NFC", bibtex.CONTROL_RE.sub(" ", text or ""))
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=40) | st.sampled_from(["R-CNN and {x}", "a\u0301 b\u00a0c\x85d",
                                                                          "Łukasz Dollár, Jr.", "$a_b$ 50% #1"]))
def test_the_quick_text_cleaning_gives_what_the_regular_expressions_gave(text):
    assert bibtex.clean(text) == _old_clean(text)
    assert markup.plain(text) == re.sub(r"\s+", " ", text).strip()
    assert bibtex.escape(text) == bibtex.LATEX_RE.sub(lambda m: bibtex.LATEX[m.group()], _old_clean(text))
