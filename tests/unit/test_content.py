"""Import: seed -> content/*.yaml, hand edits kept, strings stay strings, nothing written on error."""

from __future__ import annotations

import yaml

from generator import content, merge, seed
from generator.pipeline import run_import
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


def edit(path, **changes):
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def state(site):
    import json
    return json.loads((site / "content" / ".import-state.json").read_text())


def test_a_renamed_file_keeps_its_paper_and_records_the_old_slug(site_factory):
    site = site_factory(SEED)
    run_import(site)
    papers = site / "content" / "papers"
    edit(papers / "yes.yaml", venue="Hand venue")
    (papers / "yes.yaml").rename(papers / "a-0-compiler.yaml")
    (site / "seeds" / "me.txt").write_text(SEED.replace("The first compiler.", "The first compiler, A-0."))
    report = run_import(site)
    assert report.renamed == [("yes", "a-0-compiler")] and report.added == []
    assert sorted(p.name for p in paper_files(site)) == ["a-0-compiler.yaml", "the-education-of-a-computer.yaml"]
    data = yaml.safe_load((papers / "a-0-compiler.yaml").read_text())
    assert data["aliases"] == ["yes"] and data["venue"] == "Hand venue"
    assert data["abstract"] == "The first compiler, A-0."  # the seed change reached the renamed file
    assert "a-0-compiler" in state(site)["papers"] and "yes" not in state(site)["papers"]
    assert any("renamed content/papers/yes.yaml -> content/papers/a-0-compiler.yaml" in d for d in report.details())
    assert run_import(site).written == []
    (papers / "a-0-compiler.yaml").rename(papers / "compiler.yaml")  # a second rename keeps both old URLs
    run_import(site)
    assert yaml.safe_load((papers / "compiler.yaml").read_text())["aliases"] == ["yes", "a-0-compiler"]
    site_model = load_site(site / "content", site)
    assert {p.slug: p.aliases for p in site_model.papers}["compiler"] == ("a-0-compiler", "yes")


def test_a_new_paper_never_takes_an_old_slug(site_factory):
    site = site_factory(SEED)
    run_import(site)
    papers = site / "content" / "papers"
    (papers / "yes.yaml").rename(papers / "a-0.yaml")
    run_import(site)
    (site / "seeds" / "me.txt").write_text(SEED + "\nPLJan 1, 1960\nyes\n\nSomeone Else\n\nAnother paper.\n")
    report = run_import(site)
    assert report.added == ["yes-2"]


def test_a_deleted_file_of_a_seed_paper_is_written_again(site_factory):
    site = site_factory(SEED)
    run_import(site)
    (site / "content" / "papers" / "yes.yaml").unlink()
    report = run_import(site)
    assert report.added == ["yes"]
    assert yaml.safe_load((site / "content" / "papers" / "yes.yaml").read_text())["title"] == "yes"


def test_prune_deletes_removed_files_only_when_asked(site_factory):
    site = site_factory(SEED)
    run_import(site)
    (site / "seeds" / "me.txt").write_text(SEED.split("\n\nPLJan 9")[0] + "\n")
    report = run_import(site)
    assert report.summary() == "1 papers: 0 added, 0 updated, 1 removed (kept), 0 conflicts"
    assert any("(delete with --prune)" in d for d in report.details())
    gone = site / "content" / "papers" / "the-education-of-a-computer.yaml"
    assert gone.exists()
    report = run_import(site, prune=True)
    assert report.pruned == ["the-education-of-a-computer"] and not gone.exists()
    assert report.summary() == "1 papers: 0 added, 0 updated, 0 removed (pruned), 0 conflicts; pruned 1 file"
    assert "the-education-of-a-computer" not in state(site)["papers"]
    assert run_import(site, prune=True).written == []


def test_a_paper_hidden_by_hand_stays_hidden(site_factory):
    site = site_factory(SEED)
    run_import(site)
    path = site / "content" / "papers" / "yes.yaml"
    edit(path, removed=True)
    report = run_import(site)
    assert report.restored == [] and yaml.safe_load(path.read_text())["removed"] is True


def test_a_file_is_rewritten_only_when_its_data_changes(site_factory):
    site = site_factory(SEED)
    run_import(site)
    path = site / "content" / "papers" / "yes.yaml"
    path.write_text("# my notes on this paper\n" + path.read_text() + "venue: Hand  # added by me\n")
    assert run_import(site).written == []
    assert path.read_text().startswith("# my notes")


def test_updated_lists_the_fields_the_seed_changed(site_factory):
    site = site_factory(SEED)
    run_import(site)
    (site / "seeds" / "me.txt").write_text(SEED.replace("The first compiler.", "A-0."))
    report = run_import(site)
    assert report.updated == ["yes"]
    assert "updated content/papers/yes.yaml: abstract" in report.details()


SAME_DAY = dict(date="2020-01-01", category="CV", authors=["Ada Lovelace"], authors_truncated=False,
                organization="", has_code=False)


def paper(title, abstract, **kw):
    return {**SAME_DAY, "title": title, "abstract": abstract, **kw}


def test_match_same_title_and_date_pairs_by_abstract_whatever_the_order():
    known = {"twin": paper("Twin", "alpha beta gamma delta"), "twin-2": paper("Twin", "one two three four")}
    new = [paper("Twin", "one two three four five"), paper("Twin", "alpha beta gamma delta epsilon")]
    assert merge.match(known, new) == {0: "twin-2", 1: "twin"}
    assert merge.match(known, new[::-1]) == {0: "twin", 1: "twin-2"}


def test_match_same_day_similar_titles_stay_apart():
    known = {"dense-a": paper("Dense Captioning of Images", "We caption dense image regions with words"),
             "dense-b": paper("Dense Captioning of Videos", "We caption events in long videos over time")}
    new = [paper("Dense Captioning of Video", "We caption events in long videos over time and space"),
           paper("Dense Captioning of Images", "We caption dense image regions with words")]
    assert merge.match(known, new) == {0: "dense-b", 1: "dense-a"}
    assert merge.match(known, new[::-1]) == {0: "dense-a", 1: "dense-b"}


def test_match_follows_a_title_typo_fix_and_an_abstract_edit_together():
    known = {"segmnt": paper("Segmnt Anythng", "We introduce a model for promptable segmentation of any image "
                                               "with a large dataset of masks")}
    new = [paper("Segment Anything", "We introduce a new model for promptable segmentation of any image "
                                     "and release a large dataset of masks")]
    assert merge.match(known, new) == {0: "segmnt"}


def test_match_does_not_pair_a_different_paper_on_the_same_day():
    known = {"old": paper("Learning Rich Features", "Object detection with region proposals and CNN features")}
    new = [paper("Panoptic Feature Pyramids", "A unified network for semantic and instance segmentation")]
    assert merge.match(known, new) == {}


def alias_problems(site):
    import pytest
    from generator.errors import InputError
    with pytest.raises(InputError) as err:
        load_site(site / "content", site)
    return [str(p) for p in err.value.problems]


def test_aliases_must_be_valid_and_lead_to_one_paper(site_factory):
    site = site_factory(SEED)
    run_import(site)
    papers = site / "content" / "papers"
    yes, edu = papers / "yes.yaml", papers / "the-education-of-a-computer.yaml"
    edit(yes, aliases=["Old Name"])
    line = yes.read_text().splitlines().index("aliases:") + 1
    assert alias_problems(site) == [f"content/papers/yes.yaml:{line}: the alias 'Old Name' is not a valid slug: "
                                    "use lowercase letters, digits and single hyphens, e.g. 'old-name'"]
    edit(yes, aliases=["the-education-of-a-computer"])
    [problem] = alias_problems(site)
    assert problem.startswith(f"content/papers/yes.yaml:{line}: the alias 'the-education-of-a-computer' is the "
                              "slug of content/papers/the-education-of-a-computer.yaml")
    edit(yes, aliases=["old"])
    edit(edu, aliases=["old"])
    [problem] = alias_problems(site)
    assert "the alias 'old' is also an alias in content/papers/" in problem
    edit(edu, aliases=["the-education-of-a-computer"])
    [problem] = alias_problems(site)
    assert "the alias 'the-education-of-a-computer' is this paper's own slug" in problem
    edit(edu, aliases="first-name")
    loaded = load_site(site / "content", site)
    assert {p.slug: p.aliases for p in loaded.papers} == {"yes": ("old",), "the-education-of-a-computer": ("first-name",)}


def test_twins_with_one_title_and_date_keep_their_files_when_reordered(site_factory):
    twins = SEED.replace("PLJan 9, 1959Code\nThe Education of a Computer", "PLMay 3, 1952\nyes")
    site = site_factory(twins)
    run_import(site)
    which = {yaml.safe_load(p.read_text())["abstract"][:8]: p for p in paper_files(site)}
    edit(which["Teaching"], venue="Hand venue for the second twin")
    head, rest = twins.split("\n\nPLMay 3, 1952\nyes\n\nGrace Hopper\n\nThe first")
    swapped = head + "\n\nPLMay 3, 1952\nyes" + rest.split("\n\nPLMay 3, 1952\nyes")[1].rstrip("\n") + \
        "\n\nPLMay 3, 1952\nyes\n\nGrace Hopper\n\nThe first" + rest.split("\n\nPLMay 3, 1952\nyes")[0] + "\n"
    (site / "seeds" / "me.txt").write_text(swapped.replace("Teaching machines", "Teaching computers"))
    report = run_import(site)
    assert report.conflicts == [] and report.updated == [which["Teaching"].stem]
    data = yaml.safe_load(which["Teaching"].read_text())
    assert data["venue"] == "Hand venue for the second twin" and data["abstract"].startswith("Teaching computers")
    assert sorted(p.name for p in paper_files(site)) == ["yes-2.yaml", "yes.yaml"]
    (site / "seeds" / "me.txt").write_text(twins.replace("Teaching machines", "Teaching computers"))
    assert run_import(site).written == []  # the other order: nothing moves
    assert yaml.safe_load(which["Teaching"].read_text())["abstract"].startswith("Teaching computers")


def test_an_unreadable_state_is_a_warning_and_hand_edits_stay(site_factory):
    site = site_factory(SEED)
    run_import(site)
    path = site / "content" / "papers" / "yes.yaml"
    edit(path, venue="Hand venue")
    (site / "content" / ".import-state.json").write_text("[1, 2")
    report = run_import(site)
    assert any("unreadable import state" in w for w in report.warnings)
    assert yaml.safe_load(path.read_text())["venue"] == "Hand venue" and report.added == []


def test_what_an_import_keeps_of_the_files_it_wrote_is_what_reading_them_back_gives(site_factory):
    """The next import takes a paper file the import wrote from memory (or content.json) instead of parsing
    it: that must be exactly what parsing it gives, for hostile text too."""
    from pathlib import Path

    hostile = (Path(__file__).resolve().parents[1] / "data" / "hostile.txt").read_bytes().decode("utf-8")
    for text in (SEED, SEED.replace("The first compiler.", "null"), hostile):
        site = site_factory(text)
        importer = content.Importer(site / "content", site)
        importer.plan(seed.parse(text.encode("utf-8"), "seeds/x.txt"))
        importer.write()
        written = {str(site / rel) for rel in importer.report.written if rel.startswith("content/papers/")}
        kept = {path: entry for path, entry in importer.parsed.items() if path in written}
        assert len(kept) == len(written) > 0
        again = content.Importer(site / "content", site)
        for path, (mtime, size, data, _, found) in kept.items():
            assert again.read_paper(Path(path)) == data
            assert found == content.digest(Path(path).read_bytes())
