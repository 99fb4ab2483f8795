"""Import: seed -> content/*.yaml, hand edits kept, strings stay strings, nothing written on error."""

from __future__ import annotations

import yaml

from generator import content, seed
from generator.build import run_import
from generator.load import load_site

SEED = """Grace Hopper

PL
h-index9

2 Papers

PLMay 3, 1952
yes

Grace Hopper

The first compiler.

PLJan 9, 1959Code
The Education of a Computer

Grace Hopper, Howard Aiken et al.

Teaching machines with code at https://github.com/gh/a0.
"""


def paper_files(site):
    return sorted((site / "content" / "papers").glob("*.yaml"))


def test_import_writes_profile_and_one_file_per_paper(site_factory):
    site = site_factory(SEED)
    report = run_import(site)
    assert report.summary() == "2 papers: 2 added, 0 updated, 0 removed (kept), 0 conflicts"
    assert [p.name for p in paper_files(site)] == ["the-education-of-a-computer.yaml", "yes.yaml"]
    profile = yaml.safe_load((site / "content" / "profile.yaml").read_text())
    assert profile == {"name": "Grace Hopper", "category": "PL", "metrics": {"h_index": 9}}


def test_strings_that_look_like_other_types_stay_strings(site_factory):
    site = site_factory(SEED.replace("The first compiler.", "null"))
    run_import(site)
    data = yaml.safe_load((site / "content" / "papers" / "yes.yaml").read_text())
    assert data["title"] == "yes" and data["abstract"] == "null" and data["date"] == "1952-05-03"
    loaded = load_site(site / "content", site)
    assert {p.title for p in loaded.papers} == {"yes", "The Education of a Computer"}


def test_hand_edits_survive_a_reimport_and_seed_changes_arrive(site_factory):
    site = site_factory(SEED)
    run_import(site)
    path = site / "content" / "papers" / "the-education-of-a-computer.yaml"
    data = yaml.safe_load(path.read_text())
    data["venue"] = "ACM National Meeting"
    data["title"] = "The Education of a Computer (1952)"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    changed = SEED.replace("Teaching machines", "Teaching computers").replace("The first compiler.", "A-0.")
    (site / "seeds" / "me.txt").write_text(changed)
    report = run_import(site)
    after = yaml.safe_load(path.read_text())
    assert after["venue"] == "ACM National Meeting"
    assert after["title"] == "The Education of a Computer (1952)"
    assert after["abstract"].startswith("Teaching computers")
    assert yaml.safe_load((site / "content" / "papers" / "yes.yaml").read_text())["abstract"] == "A-0."
    assert report.conflicts == []


def test_conflict_keeps_the_hand_edit_and_is_reported(site_factory):
    site = site_factory(SEED)
    run_import(site)
    path = site / "content" / "papers" / "yes.yaml"
    data = yaml.safe_load(path.read_text())
    data["abstract"] = "Edited by hand."
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    (site / "seeds" / "me.txt").write_text(SEED.replace("The first compiler.", "Changed in the seed."))
    report = run_import(site)
    assert yaml.safe_load(path.read_text())["abstract"] == "Edited by hand."
    [conflict] = report.conflicts
    assert conflict.field == "abstract" and conflict.file == "content/papers/yes.yaml"
    assert "Changed in the seed." in str(conflict)


def test_unchanged_seed_writes_nothing(site_factory):
    site = site_factory(SEED)
    run_import(site)
    stamps = {p: p.stat().st_mtime_ns for p in (site / "content").rglob("*") if p.is_file()}
    report = run_import(site)
    assert report.written == [] and report.added == [] and report.updated == []
    assert stamps == {p: p.stat().st_mtime_ns for p in stamps}


def test_reordered_seed_changes_nothing(site_factory):
    site = site_factory(SEED)
    run_import(site)
    before = {p.name: p.read_bytes() for p in (site / "content").rglob("*") if p.is_file()}
    head, rest = SEED.split("\n\nPLMay")
    first, second = ("PLMay" + rest).split("\n\nPLJan")
    (site / "seeds" / "me.txt").write_text(head + "\n\nPLJan" + second.rstrip("\n") + "\n\n" + first)
    assert run_import(site).written == []
    assert before == {p.name: p.read_bytes() for p in (site / "content").rglob("*") if p.is_file()}


def test_duplicate_titles_get_distinct_slugs_and_a_warning(site_factory):
    twice = SEED.replace("The Education of a Computer", "yes")
    site = site_factory(twice)
    report = run_import(site)
    assert [p.name for p in paper_files(site)] == ["yes-2.yaml", "yes.yaml"]
    assert any("seeds/me.txt:15: the title 'yes' repeats the entry on line 8" in w for w in report.warnings)


def test_a_paper_removed_from_the_seed_is_kept_and_hidden(site_factory):
    site = site_factory(SEED)
    run_import(site)
    (site / "seeds" / "me.txt").write_text(SEED.split("\n\nPLJan 9")[0] + "\n")
    report = run_import(site)
    assert report.removed == ["the-education-of-a-computer"]
    data = yaml.safe_load((site / "content" / "papers" / "the-education-of-a-computer.yaml").read_text())
    assert data["removed"] is True
    assert [p.title for p in load_site(site / "content", site).papers] == ["yes"]
    (site / "seeds" / "me.txt").write_text(SEED)
    report = run_import(site)
    assert report.restored == ["the-education-of-a-computer"]
    assert len(load_site(site / "content", site).papers) == 2


def test_import_of_a_profile_object_without_writing(tmp_path):
    profile = seed.parse(SEED.encode(), "seeds/me.txt")
    report = content.import_profile(profile, tmp_path / "content", tmp_path, write=False)
    assert len(report.added) == 2 and not (tmp_path / "content").exists()
