"""The seed parser on the real seed, on tolerated variations and on malformed input."""

from __future__ import annotations

import datetime as dt

import pytest

from generator import seed
from generator.errors import InputError

SMALL = """Ada Lovelace

LG
h-index3
5papers
1,234citations
Novelty40%
AI Score12

2 Papers

LGDec 10, 2020Code
Notes on the Analytical Engine

Ada Lovelace, Charles Babbage et al. · royal-society

We describe an engine. Code at https://github.com/ada/engine.

CLJan 2, 2019
Poetical Science

Ada Lovelace

A paragraph about $O(\\sqrt{s})$ poetry.
"""


def parse(text: str):
    return seed.parse(text.encode("utf-8"), "seeds/x.txt")


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse(text)
    return [str(p) for p in info.value.problems]


def test_real_seed_reads_all_50_papers_and_the_claims(real_seed_text):
    profile = parse(real_seed_text)
    assert profile.name == "Ross Girshick"
    assert profile.category == "CV"
    m = profile.metrics
    assert (m.h_index, m.papers_claimed, m.citations, m.novelty_percent, m.ai_score) == (15, 76, 420444, 56, 49)
    assert len(profile.papers) == 50
    first = profile.papers[0]
    assert first.title == "Segment Anything"
    assert first.date == dt.date(2023, 4, 5)
    assert first.authors == ("Alexander Kirillov", "Eric Mintun", "Nikhila Ravi")
    assert first.authors_truncated and first.organization == "meta-ai" and not first.has_code
    assert sum(p.has_code for p in profile.papers) == 9
    assert {p.category for p in profile.papers} == {"CV", "RO", "LG", "CL", "AS"}
    full = next(p for p in profile.papers if p.title == "Fast and Accurate Model Scaling")
    assert full.authors == ("Piotr Dollár", "Mannat Singh", "Ross Girshick") and not full.authors_truncated


def test_small_seed_fields():
    profile = parse(SMALL)
    a, b = profile.papers
    assert a.has_code and a.category == "LG" and a.organization == "royal-society"
    assert a.authors == ("Ada Lovelace", "Charles Babbage") and a.authors_truncated
    assert b.authors == ("Ada Lovelace",) and not b.authors_truncated and b.organization == ""
    assert profile.metrics.citations == 1234


@pytest.mark.parametrize("variant", [
    lambda t: t.replace("\n", "\r\n"),
    lambda t: "\ufeff" + t,
    lambda t: t.replace("\n", "  \n"),
    lambda t: t.rstrip("\n"),
    lambda t: t.replace("\n", "\r"),
])
def test_tolerates_crlf_bom_trailing_spaces_and_no_final_newline(variant):
    assert parse(variant(SMALL)) == parse(SMALL)


def test_round_trip_through_dump(real_seed_text):
    profile = parse(real_seed_text)
    again = seed.parse(seed.dump(profile).encode("utf-8"), "seeds/x.txt")
    assert [(p.title, p.date, p.authors, p.abstract) for p in again.papers] == \
        [(p.title, p.date, p.authors, p.abstract) for p in profile.papers]
    assert again.metrics == profile.metrics


def test_impossible_date_names_line_and_date():
    assert problems(SMALL.replace("LGDec 10, 2020Code", "LGFeb 30, 2023")) == [
        "seeds/x.txt:12: expected a date like 'Apr 5, 2023', found 'Feb 30, 2023' (Feb 30, 2023 is not a real date)"]


def test_unknown_month():
    [message] = problems(SMALL.replace("CLJan 2, 2019", "CLJun 31, 2019"))
    assert message.startswith("seeds/x.txt:19: expected a date like 'Apr 5, 2023', found 'Jun 31, 2019'")
    [message] = problems(SMALL.replace("CLJan 2, 2019", "CLFoo 3, 2019"))
    assert "unknown month 'Foo'" in message


def test_every_problem_reported_in_one_run():
    broken = SMALL.replace("h-index3", "h-indexabc").replace("LGDec 10, 2020Code", "LGDec 32, 2020")
    broken = broken.replace("Poetical Science\n", "\n")
    found = problems(broken)
    assert found[0] == "seeds/x.txt:4: expected a metric line like 'h-index15', found 'h-indexabc'"
    assert found[1].startswith("seeds/x.txt:12: expected a date")
    assert found[2] == "seeds/x.txt:20: expected the paper's title on the line after 'CLJan 2, 2019', found a blank line"
    assert len(found) == 3


def test_truncated_entry_at_end_of_file():
    text = SMALL.split("A paragraph about")[0]
    [message] = problems(text)
    assert message.startswith("seeds/x.txt:22: truncated entry 'Poetical Science': expected the abstract")


def test_empty_and_blank_files():
    assert problems("") == ["seeds/x.txt:1: the seed is empty; expected the researcher's name on the first line"]
    assert problems("\n  \n\r\n")[0].startswith("seeds/x.txt:1: the seed is empty")


def test_binary_and_non_utf8_files_say_where():
    with pytest.raises(InputError) as info:
        seed.parse(b"Ada\n\x00\x01\x02", "seeds/x.txt")
    assert "binary file" in str(info.value) and "offset 4" in str(info.value)
    with pytest.raises(InputError) as info:
        seed.parse(b"Ada\nLG\nh-index\xff3\n", "seeds/x.txt")
    assert str(info.value) == "seeds/x.txt:3: not valid UTF-8 (byte 0xff at offset 14); save the file as UTF-8"


def test_unknown_header_line():
    [message] = problems(SMALL.replace("AI Score12", "Favourite colour: blue"))
    assert message.startswith("seeds/x.txt:8: expected a profile line")


def test_second_authors_line_is_an_error():
    [message] = problems(SMALL.replace("Ada Lovelace\n\nA paragraph", "Ada Lovelace\nGrace Hopper\n\nA paragraph"))
    assert message.startswith("seeds/x.txt:23: expected one line of authors")
