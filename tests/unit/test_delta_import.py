"""Property: the watcher's re-import of only the entries an edit touched (delta.py) plans exactly what the
full import plans: the same files, the same state, the same report, edit after edit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import content, delta, seed
from generator.model import Metrics, Profile, SeedPaper

OPS = ("abstract", "title", "add", "remove", "reorder", "duplicate", "restore", "header", "date", "same_title")


def paper(n: int, day: int = 1) -> SeedPaper:
    return SeedPaper(0, "CV", dt.date(2020, 1 + n % 3, day), f"Paper Number {n}", ("Ann Author", "Bo Other"),
                     False, "", n % 2 == 0, f"An abstract about topic {n}.")


def edit(profile: Profile, op: str, a: int, b: int, gone: list[SeedPaper]) -> Profile:
    papers = list(profile.papers)
    i = a % len(papers)
    p = papers[i]
    if op == "abstract":
        papers[i] = dataclasses.replace(p, abstract=p.abstract + f" More {b}.")
    elif op == "title":
        papers[i] = dataclasses.replace(p, title=p.title + ("s" if b % 2 else "!"))
    elif op == "add":
        papers.insert(b % (len(papers) + 1), paper(100 + a * 7 + b, 1 + b % 27))
    elif op == "remove" and len(papers) > 1:
        gone.append(papers.pop(i))
    elif op == "reorder":
        k = 1 + b % len(papers)
        papers = papers[k:] + papers[:k][::-1]
    elif op == "duplicate":
        papers.insert(b % (len(papers) + 1), p)
    elif op == "restore" and gone:
        papers.insert(b % (len(papers) + 1), gone.pop(b % len(gone)))
    elif op == "header":
        return dataclasses.replace(profile, name=profile.name + " Jr", papers=tuple(papers))
    elif op == "date":
        papers[i] = dataclasses.replace(p, date=p.date + dt.timedelta(days=1 + b % 3))
    elif op == "same_title":
        papers.insert(b % (len(papers) + 1), dataclasses.replace(paper(200 + b), title=p.title))
    return dataclasses.replace(profile, papers=tuple(papers))


def planned(importer: content.Importer) -> tuple:
    o = importer.outcome
    assert o is not None
    return (importer.files, importer.report, o.prints, o.state, o.lines, o.hidden, o.files, o.taken, o.print_of,
            importer.state_bytes)


HAND_OPS = ("abstract", "venue", "hide", "unhide", "new_file")


def hand_edit(papers: Path, op: str, a: int) -> None:
    """What a researcher does to content/papers/ by hand between two imports."""
    files = sorted(papers.glob("*.yaml"))
    path = files[a % len(files)]
    text = path.read_text(encoding="utf-8")
    if op == "abstract":
        path.write_text(text.replace("abstract: ", "abstract: By hand. ", 1), encoding="utf-8")
    elif op == "venue":
        kept = [line for line in text.splitlines(keepends=True) if not line.startswith("venue:")]
        path.write_text("".join(kept) + f"venue: Venue {a}\n", encoding="utf-8")
    elif op == "hide" and "removed: true\n" not in text:
        path.write_text(text + "removed: true\n", encoding="utf-8")
    elif op == "unhide":
        path.write_text(text.replace("removed: true\n", ""), encoding="utf-8")
    elif op == "new_file":  # a paper the seed may list later ("add" makes paper(100 + 7a + b))
        p = paper(100 + a)
        (papers / f"by-hand-{a}.yaml").write_text(
            f"title: {p.title}\ndate: '{p.date.isoformat()}'\ncategory: CV\nauthors: [Ann Author, Bo Other]\n"
            f"abstract: {p.abstract}\n", encoding="utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.integers(2, 6),
       steps=st.lists(st.tuples(
           st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=3),
           st.none() | st.tuples(st.sampled_from(HAND_OPS), st.integers(0, 40))), min_size=1, max_size=6))
def test_a_delta_import_plans_what_the_full_import_plans(start, steps):
    """Hand edits come between imports (a quick import only starts from content/ as the last import left
    it, so each is followed by a full import, which the next quick one starts from)."""
    profile = Profile("Ann Author", "CV", Metrics(h_index=3), tuple(paper(n) for n in range(start)), "seeds/me.txt")
    gone: list[SeedPaper] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reading = seed.read(seed.dump(profile), "seeds/me.txt")
        first = content.Importer(folder / "content", folder, keep=True)
        first.plan(reading.profile)
        first.write()
        memo = delta.Memo(reading, first, {}, {})
        used = 0
        for ops, hand in steps:
            for op, a, b in ops:
                profile = edit(profile, op, a, b, gone)
            reading = seed.read(seed.dump(profile), "seeds/me.txt", memo.reading)
            full = content.Importer(folder / "content", folder, keep=True)
            full.plan(reading.profile)
            quick = content.Importer(folder / "content", folder, keep=True)
            if delta.plan(memo, reading, quick):
                used += 1
                assert planned(quick) == planned(full)
                derived_caches_agree(quick, reading)
            full.write()
            memo = delta.Memo(reading, quick if quick.outcome else full, {}, {})
            if hand:
                hand_edit(folder / "content" / "papers", *hand)
                again = content.Importer(folder / "content", folder, keep=True)
                again.plan(reading.profile)
                again.write()
                memo = delta.Memo(reading, again, {}, {})


def derived_caches_agree(importer: content.Importer, reading: seed.Reading) -> None:
    """What a quick import carries for the next instead of making it again from every entry."""
    o = importer.outcome
    assert o is not None
    assert o.by_print is None or o.by_print == {fp: slug for slug, fp in o.print_of.items()}
    assert o.print_set is None or o.print_set == set(o.prints)
    titles = Counter(p.title.casefold() for p in reading.profile.papers)
    assert o.titles == dict(titles) and o.dupes == sum(n > 1 for n in titles.values())


def test_an_abstract_edit_is_merged_alone_and_a_hand_edit_is_noticed(tmp_path):
    """The common case takes the quick path; a content file changed by hand sends it to the full import."""
    profile = Profile("Ann Author", "CV", Metrics(), tuple(paper(n) for n in range(30)), "seeds/me.txt")
    reading = seed.read(seed.dump(profile), "seeds/me.txt")
    first = content.Importer(tmp_path / "content", tmp_path, keep=True)
    first.plan(reading.profile)
    first.write()
    listing = {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in (tmp_path / "content").rglob("*.yaml")}
    memo = delta.Memo(reading, first, listing, dict.fromkeys(listing, time.time_ns()))
    assert delta.unchanged(memo, listing)

    edited = dataclasses.replace(profile, papers=tuple(
        dataclasses.replace(p, abstract="Rewritten.") if n == 7 else p for n, p in enumerate(profile.papers)))
    again = seed.read(seed.dump(edited), "seeds/me.txt", reading)
    assert sum(j is None for j in again.same) == 1
    quick = content.Importer(tmp_path / "content", tmp_path, keep=True)
    assert delta.plan(memo, again, quick)
    assert quick.report.updated == ["paper-number-7"] and quick.report.changed == {"paper-number-7": ["abstract"]}
    assert sorted(p.name for p in quick.files) == [".import-state.json", "paper-number-7.yaml"]

    hand = tmp_path / "content" / "papers" / "paper-number-3.yaml"
    original = hand.read_text(encoding="utf-8")
    hand.write_text(original + "venue: ICCV\n", encoding="utf-8")
    now = {**listing, str(hand): (hand.stat().st_mtime_ns, hand.stat().st_size)}
    assert not delta.unchanged(memo, now)
    hand.write_text(original, encoding="utf-8")

    # Saved again within one tick of its date, keeping date and size, after the import had checked it:
    # a file modified within 2 s of being checked is read again, so this is noticed.
    # (Dated 5 s ago, so only when it was checked, not the time now, can make it suspect.)
    other = tmp_path / "content" / "papers" / "paper-number-5.yaml"
    dated = time.time_ns() - 5_000_000_000
    os.utime(other, ns=(dated, dated))
    listing = {**listing, str(other): (dated, other.stat().st_size)}
    checked = {**dict.fromkeys(listing, time.time_ns()), str(other): dated + 1_000_000_000}
    assert delta.unchanged(delta.Memo(reading, first, listing, dict(checked)), listing)
    other.write_text(other.read_text(encoding="utf-8").replace("Paper Number 5", "Paper Numbr 55"), encoding="utf-8")
    os.utime(other, ns=(dated, dated))
    assert (other.stat().st_mtime_ns, other.stat().st_size) == listing[str(other)]
    assert not delta.unchanged(delta.Memo(reading, first, listing, dict(checked)), listing)
    # Checked long after its date, the same file is trusted by its date and size (no reading).
    trusted = {**checked, str(other): dated + 3_000_000_000}
    assert delta.unchanged(delta.Memo(reading, first, listing, trusted), listing)
