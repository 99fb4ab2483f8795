"""Incremental builds: after any sequence of edits the output equals a fresh build, doing less work."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from generator import build as build_module
from generator import cache, content, delta, exports, load, lunrcompat, output, refs, search, store
from generator.build import Builder, build
from generator.store import CACHE_DIR
from generator.errors import InputError
from watchkit import ROOT, SEED_NAME, assert_same_as_fresh, run_python, tree


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_sequence_of_edits_always_matches_a_fresh_build(site, tmp_path):
    builder = Builder(site, persistent=False)
    builder.quick_imports = True  # as in watch: seed edits merge only what they touched
    first = builder.build()
    assert first.rendered == first.pages
    seed = site / "seeds" / SEED_NAME
    paper = site / "content" / "papers" / "segment-anything.yaml"

    steps = [
        ("abstract edit in the seed", lambda: edit(seed, "We introduce the Segment Anything (SA) project",
                                                  "We present the Segment Anything (SA) project")),
        ("title edit in the seed", lambda: edit(seed, "\nSegment Anything\n", "\nSegment <Anything> & More\n")),
        ("hand edit in content", lambda: paper.write_text(paper.read_text(encoding="utf-8") + "featured: true\n"
                                                          "venue: ICCV\n", encoding="utf-8")),
        ("paper added by hand", lambda: (site / "content" / "papers" / "a-new-one.yaml").write_text(
            "title: A New One\ndate: '2026-01-02'\ncategory: CV\nauthors: [Ross Girshick]\nabstract: Fresh.\n",
            encoding="utf-8")),
        ("paper removed from the seed", lambda: edit(seed, "CVApr 5, 2023\nSegment <Anything> & More\n",
                                                     "CVApr 5, 2023\nSomething Else Entirely Different Here\n")),
        ("site.yaml", lambda: (site / "site.yaml").write_text("title: Girshick\nhighlight_author: Kaiming He\n",
                                                              encoding="utf-8")),
        ("site template", lambda: ((site / "templates").mkdir(), (site / "templates" / "years.html").write_text(
            (ROOT / "themes/scholar/templates/years.html").read_text(encoding="utf-8").replace(
                "Papers by year", "By year"), encoding="utf-8"))),
        ("output file deleted by hand", lambda: (site / "output" / "years" / "2017" / "index.html").unlink()),
        ("paper file deleted by hand", lambda: (site / "content" / "papers" / "a-new-one.yaml").unlink()),
    ]
    for what, change in steps:
        change()
        result = builder.build()
        assert result.rendered < result.pages or what in ("site.yaml", "paper added by hand",
                                                          "paper removed from the seed",
                                                          "paper file deleted by hand"), what
        assert_same_as_fresh(site, tmp_path)


def test_a_one_paper_edit_renders_only_the_pages_that_show_it(site):
    builder = Builder(site, persistent=False)
    builder.build()
    edit(site / "seeds" / SEED_NAME, "We introduce the Segment Anything (SA) project",
         "We present the Segment Anything (SA) project")
    result = builder.build()
    # the paper, its neighbours (prev/next), its year, category and coauthor pages, the home page, the
    # years index and the papers that list it as related: a small part of the site's 138 pages
    assert 1 <= result.rendered <= 20 and result.rendered < result.pages // 5
    assert result.stats.written >= 2  # its page and the search data
    again = builder.build()
    assert again.rendered == 0 and not again.imported and again.stats.written == 0


def test_a_seed_edit_merges_only_its_entry_until_content_changes_by_hand(site, tmp_path, monkeypatch):
    """In a running builder (watch), a seed edit re-imports only the entries it touched; a content file
    edited by hand meanwhile sends the next import down the full path, and nothing is lost either way."""
    quick: list[bool] = []
    plan = delta.plan
    monkeypatch.setattr(delta, "plan", lambda *args: quick.append(plan(*args)) or quick[-1])
    builder = Builder(site, persistent=False)
    builder.quick_imports = True
    builder.build()
    seed = site / "seeds" / SEED_NAME
    edit(seed, "We introduce the Segment Anything (SA) project", "We present the Segment Anything (SA) project")
    result = builder.build()
    assert quick == [True] and result.report and result.report.updated == ["segment-anything"]
    assert_same_as_fresh(site, tmp_path)

    paper = site / "content" / "papers" / "segment-anything.yaml"
    paper.write_text(paper.read_text(encoding="utf-8").replace("We present", "We hand-present"), encoding="utf-8")
    edit(seed, "We present the Segment Anything (SA) project", "We offer the Segment Anything (SA) project")
    result = builder.build()
    assert quick == [True], "a hand edit must not be merged from memory"
    assert result.report and [c.field for c in result.report.conflicts] == ["abstract"]
    assert "We hand-present" in (site / "output/papers/segment-anything/index.html").read_text(encoding="utf-8")
    assert_same_as_fresh(site, tmp_path)

    edit(seed, "We offer the Segment Anything (SA) project", "We give the Segment Anything (SA) project")
    builder.build()
    assert quick == [True, True]
    assert_same_as_fresh(site, tmp_path)


def test_the_cache_lets_a_new_process_skip_unchanged_work(site, tmp_path):
    build(site)
    assert (site / CACHE_DIR / ".gitignore").is_file()
    before = {p: os.stat(site / "output" / p).st_mtime_ns for p in tree(site / "output")}
    second = build(site)
    assert second.rendered == 0 and not second.imported and second.stats.written == 0
    assert {p: os.stat(site / "output" / p).st_mtime_ns for p in tree(site / "output")} == before
    edit(site / "content" / "papers" / "segment-anything.yaml", "title: Segment Anything", "title: Segment It All")
    third = build(site)
    assert third.imported and 1 <= third.rendered < third.pages
    assert "Segment It All" in (site / "output/papers/segment-anything/index.html").read_text(encoding="utf-8")
    assert_same_as_fresh(site, tmp_path)


def test_a_damaged_cache_is_ignored(site, tmp_path):
    build(site)
    (site / CACHE_DIR / "build.json").write_text(json.dumps({"code": "x", "outputs": 5}), encoding="utf-8")
    edit(site / "seeds" / SEED_NAME, "\nSegment Anything\n", "\nSegment Anything Again\n")
    assert build(site).rendered > 0
    (site / CACHE_DIR / "build.json").write_text("{not json", encoding="utf-8")
    build(site)
    assert_same_as_fresh(site, tmp_path)


def test_a_template_reading_all_papers_is_rebuilt_when_any_paper_changes(site, tmp_path):
    (site / "templates").mkdir()
    base = (ROOT / "themes/scholar/templates/base.html").read_text(encoding="utf-8")
    (site / "templates" / "base.html").write_text(base.replace(
        "</footer>", "<p class=\"latest\">Latest: {{ site.papers[0].title }}</p></footer>"), encoding="utf-8")
    builder = Builder(site, persistent=False)
    builder.build()
    text = (site / "seeds" / SEED_NAME).read_text(encoding="utf-8")
    newest = text.split("\nCVNov 6, 2025\n", 1)[1].split("\n")[0]  # the newest paper's title
    edit(site / "seeds" / SEED_NAME, f"\n{newest}\n", "\nThe Newest Title\n")
    result = builder.build()
    assert result.rendered == result.pages
    assert "Latest: The Newest Title" in (site / "output/years/2017/index.html").read_text(encoding="utf-8")
    assert_same_as_fresh(site, tmp_path)


def test_rendering_in_two_processes_makes_the_same_site(site, tmp_path):
    # Also records which threads add output files: the commit is not shared between threads, so only the
    # main thread may (the exports and the import's files are made in a thread beside it).
    code = ("import sys, threading; from pathlib import Path; from generator import build as b, make, output; "
            "make.PARALLEL_MIN = 10; adders = set(); add = output.Commit.add; "
            "output.Commit.add = lambda self, *a: (adders.add(threading.current_thread().name), add(self, *a))[1]; "
            "print(b.Builder(Path(sys.argv[1]), persistent=False).build().workers, *sorted(adders))")
    printed = run_python(code, str(site))
    if (os.cpu_count() or 1) > 1:
        assert printed.split() == ["2", "MainThread"]
    assert_same_as_fresh(site, tmp_path)
    # Into the output that now exists (staged file by file), with every page and every cite.bib changed:
    # the pages written while the exports and the import's files are made beside them land intact.
    (site / "site.yaml").write_text("title: Ross Girshick\nbase_url: https://example.org/me/\n", encoding="utf-8")
    seed_file = site / "seeds" / SEED_NAME
    seed_file.write_text(seed_file.read_text(encoding="utf-8").replace("Ross Girshick", "Ross B. Girshick"),
                         encoding="utf-8")
    printed = run_python(code, str(site))
    if (os.cpu_count() or 1) > 1:
        assert printed.split() == ["2", "MainThread"]
    assert "https://example.org/me/papers/" in (site / "output/sitemap.xml").read_text(encoding="utf-8")
    assert_same_as_fresh(site, tmp_path)


def test_exports_are_kept_until_a_paper_changes(site, tmp_path, monkeypatch):
    from generator import exports
    builder = Builder(site, persistent=False)
    builder.build()
    real = exports.files
    calls = []
    monkeypatch.setattr(exports, "files", lambda *a, **k: calls.append(1) or real(*a, **k))
    builder.build()
    assert calls == []  # nothing changed: BibTeX, feeds and the sitemap are not made again
    edit(site / "seeds" / SEED_NAME, "\nSegment Anything\n", "\nSegment Anything, Again\n")
    builder.build()
    assert calls == [1]
    assert "Segment Anything, Again" in (site / "output" / "publications.bib").read_text(encoding="utf-8")
    assert_same_as_fresh(site, tmp_path)


def age(site: Path, seconds: float = 60) -> None:
    """Make every content file look saved a while ago (past the window where an mtime can be trusted)."""
    then = os.path.getmtime(site / "content" / "profile.yaml") - seconds
    for path in (site / "content").rglob("*.yaml"):
        os.utime(path, (then, then))


def test_a_rebuild_with_nothing_changed_loads_nothing_yet_notices_every_kind_of_change(site, tmp_path):
    build(site)
    age(site)
    first = build(site)  # the content's stats changed (aged): a real rebuild, which records the inputs
    quiet = build(site)
    assert quiet.site is None and quiet.stats.written == 0 and quiet.pages == first.pages
    assert quiet.stats.unchanged == first.stats.written + first.stats.unchanged

    (site / "output" / "years" / "2017" / "index.html").unlink()
    again = build(site)
    assert again.site is not None and again.stats.written == 1
    assert (site / "output" / "years" / "2017" / "index.html").is_file()

    paper = site / "content" / "papers" / "segment-anything.yaml"
    paper.write_text(paper.read_text(encoding="utf-8") + "venue: ICCV 2023\n", encoding="utf-8")
    age(site)  # even when the edit's time looks old, its size differs
    assert build(site).site is not None
    assert "ICCV 2023" in (site / "output" / "papers" / "segment-anything" / "index.html").read_text(encoding="utf-8")

    edit(site / "seeds" / SEED_NAME, "\nSegment Anything\n", "\nSegment Everything\n")
    assert build(site).site is not None
    assert "Segment Everything" in (site / "output" / "papers" / "segment-anything" / "index.html").read_text(
        encoding="utf-8")
    assert_same_as_fresh(site, tmp_path)


def edit_keeping_date(path: Path, old: str, new: str) -> None:
    """A hand edit the dates cannot tell: same size, same date."""
    text, st = path.read_text(encoding="utf-8"), path.stat()
    assert old in text and len(new) == len(old) and new != old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_right_after_an_import_a_rebuild_reads_back_what_it_wrote_instead_of_loading_the_site(site, tmp_path,
                                                                                             monkeypatch):
    """The files an import writes are too recent for their dates to be trusted: the next build reads them
    back and compares them with what the import wrote. When they match it has nothing to do; a hand edit the
    dates cannot tell (same size, same date) is noticed, and the build that loads parses that paper only
    (the others are in the paper cache as the import wrote them)."""
    for module in (store, cache):  # every file stays too recent to trust by its date
        monkeypatch.setattr(module, "RACY_NS", 600 * 10**9)
    build(site)
    quiet = build(site)
    assert quiet.site is None and quiet.stats.written == 0

    edit_keeping_date(site / "content" / "papers" / "segment-anything.yaml", "Segment Anything", "Segment AnythinG")
    parsed: list[str] = []
    real = load.load_paper
    monkeypatch.setattr(load, "load_paper", lambda path, *args: parsed.append(path.name) or real(path, *args))
    again = build(site)
    assert again.site is not None and parsed == ["segment-anything.yaml"]
    page = site / "output/papers/segment-anything/index.html"
    assert "Segment AnythinG" in page.read_text(encoding="utf-8")
    # Undone, again with the same size and date: the file holds what the import wrote once more, but the
    # last build used the edit, so this one must not stop early.
    edit_keeping_date(site / "content" / "papers" / "segment-anything.yaml", "Segment AnythinG", "Segment Anything")
    assert build(site).site is not None
    assert "Segment AnythinG" not in page.read_text(encoding="utf-8")
    monkeypatch.undo()
    assert_same_as_fresh(site, tmp_path)


def test_the_import_after_an_import_reads_back_the_files_it_wrote_instead_of_parsing_them(site, tmp_path,
                                                                                          monkeypatch):
    """The paper files an import wrote are kept as it made them (content.json): the next import compares
    them with what it wrote while their dates are too recent to trust, and parses only a file that differs
    (a hand edit with the same size and date), whose edit it keeps."""
    for module in (store, cache, content):  # every file stays too recent to trust by its date
        monkeypatch.setattr(module, "RACY_NS", 600 * 10**9)
    build(site)
    parsed: list[str] = []
    real = content.Importer.read_paper
    monkeypatch.setattr(content.Importer, "read_paper", lambda self, path: parsed.append(path.name) or real(self, path))
    seed = site / "seeds" / SEED_NAME
    edit(seed, "We introduce the Segment Anything (SA) project", "We present the Segment Anything (SA) project")
    assert build(site).imported and parsed == []

    paper = site / "content" / "papers" / "mask-r-cnn.yaml"
    edit_keeping_date(paper, "title: Mask R-CNN", "title: MASK R-CNN")
    edit(seed, "We present the Segment Anything (SA) project", "We offer the Segment Anything (SA) project")
    assert build(site).imported and parsed == ["mask-r-cnn.yaml"]
    assert "title: MASK R-CNN" in paper.read_text(encoding="utf-8")
    monkeypatch.undo()
    assert_same_as_fresh(site, tmp_path)


def test_a_content_file_saved_while_an_import_builds_is_not_skipped_later(site, monkeypatch):
    build(site)
    age(site)
    papers = sorted((site / "content" / "papers").glob("*.yaml"))
    first, last = papers[0], papers[-1]
    os.utime(first)  # the next build runs the import (a content file's date changed)
    real = Builder.make

    def save_meanwhile(self, *args, **kwargs):  # the user saves another file while pages render
        with open(last, "a", encoding="utf-8") as f:
            f.write("venue: SAVED DURING THE BUILD\n")
        then = os.path.getmtime(last) - 3  # ...and the build runs on for a while (a large site)
        monkeypatch.setattr(time, "time_ns", lambda: int((then + 6) * 1e9))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Builder, "make", save_meanwhile)
    build(site)
    monkeypatch.undo()
    build(site)
    page = site / "output" / "papers" / last.stem / "index.html"
    assert "SAVED DURING THE BUILD" in page.read_text(encoding="utf-8")


def test_a_paper_changed_in_place_refingerprints_only_the_pages_that_show_it(site, tmp_path, monkeypatch):
    """In watch, after a paper changed in place (abstract, venue) only the pages showing it are
    fingerprinted again (refs.py); every fingerprint is still the one a fresh builder computes, and an
    edit that moves the paper or changes who wrote it fingerprints every page."""
    took: list = []
    changed = refs.PageRefs.changed
    monkeypatch.setattr(refs.PageRefs, "changed", lambda self, *args: took.append(changed(self, *args)) or took[-1])
    builder = Builder(site, persistent=False)
    builder.quick_imports = True
    builder.build()
    seed = site / "seeds" / SEED_NAME
    paper = site / "content" / "papers" / "segment-anything.yaml"
    steps = [
        ("abstract in the seed", True, lambda: edit(seed, "We introduce the Segment Anything (SA) project",
                                                    "We present the <Segment Anything> project")),
        ("venue by hand", True, lambda: paper.write_text(paper.read_text(encoding="utf-8") + "venue: ICCV\n",
                                                         encoding="utf-8")),
        ("moved to another year", False, lambda: edit(seed, "CVApr 5, 2023\nSegment Anything\n",
                                                      "CVApr 5, 2017\nSegment Anything\n")),
        ("a new coauthor", False, lambda: edit(seed, "Alexander Kirillov, Eric Mintun,",
                                               "Alexander Kirillov, Piotr Dollar, Eric Mintun,")),
        ("a coauthor with a page already", False, lambda: edit(seed, "Alexander Kirillov, Piotr Dollar,",
                                                               "Alexander Kirillov, Kaiming He, Piotr Dollar,")),
        ("abstract again", True, lambda: edit(seed, "We present the <Segment Anything> project",
                                              "We offer the Segment Anything project")),
    ]
    for what, quick, change in steps:
        took.clear()
        change()
        result = builder.build()
        assert took and (took[-1] is not None) == quick, what
        assert 0 < result.rendered < result.pages // 4 or not quick, what
        fresh = Builder(site, persistent=False, do_import=False)
        assert fresh.build().stats.written == 0, what
        assert ({path: entry[0] for path, entry in builder.outputs.items()}
                == {path: entry[0] for path, entry in fresh.outputs.items()}), what
    assert_same_as_fresh(site, tmp_path)


def test_a_watcher_hints_which_content_files_to_look_at_again(site):
    """With the watcher's list of changed inputs, a build looks again only at the content files in it; a
    build that failed before looking leaves its hints to the next build, which lists everything again."""
    build(site)
    age(site)  # (files saved within 2 s of a look are read again whatever the hints say)
    builder = Builder(site, persistent=False)
    builder.build()
    paper = site / "content" / "papers" / "segment-anything.yaml"
    shown = site / "output" / "papers" / "segment-anything" / "index.html"
    paper.write_text(paper.read_text(encoding="utf-8") + "venue: Unhinted Venue\n", encoding="utf-8")
    age(site)
    builder.build(hints=["seeds/me.txt"])
    assert "Unhinted Venue" not in shown.read_text(encoding="utf-8")  # trusted: the watcher saw no such change
    builder.build(hints=["content/papers/segment-anything.yaml"])
    assert "Unhinted Venue" in shown.read_text(encoding="utf-8")

    paper.write_text(paper.read_text(encoding="utf-8").replace("Unhinted Venue", "Hinted Venue"), encoding="utf-8")
    config = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError):
        builder.build(hints=["content/papers/segment-anything.yaml", "site.yaml"])
    (site / "site.yaml").write_text(config, encoding="utf-8")
    builder.build(hints=["site.yaml"])
    assert "Hinted Venue" in shown.read_text(encoding="utf-8")


def test_after_the_warm_up_a_first_edit_redoes_only_what_it_touched(site, tmp_path, monkeypatch):
    """The watcher's warm-up (a start that loaded the site, then warm and prime while idle) leaves the
    import planned, the search terms indexed and every paper's BibTeX and CSL made: the first seed edit
    merges one entry and makes those of the edited paper only."""
    build(site)
    builder = Builder(site)  # as the watcher starts on an unchanged site: its outputs are known and in place
    builder.quick_imports = True
    assert builder.build(force=True).rendered == 0
    builder.warm()
    builder.prime()
    made: list[str] = []
    quick: list[bool] = []
    for module, name in ((exports.bibtex, "entry"), (exports, "csl_json"), (lunrcompat, "tokenize")):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *args, _f=original, _n=name: made.append(_n) or _f(*args))
    plan = delta.plan
    monkeypatch.setattr(delta, "plan", lambda *args: quick.append(plan(*args)) or quick[-1])
    edit(site / "seeds" / SEED_NAME, "We introduce the Segment Anything (SA) project",
         "We present the Segment Anything (SA) project")
    result = builder.build()
    assert quick == [True] and result.imported
    assert sorted(set(made)) == ["csl_json", "entry", "tokenize"]
    assert made.count("entry") == 1 and made.count("csl_json") == 1
    assert made.count("tokenize") <= len(search.FIELDS)  # one paper's texts
    assert_same_as_fresh(site, tmp_path)


def test_a_build_right_after_verify_trusts_the_output_and_verify_sees_hand_changes(site):
    """verify() (the watcher runs it while idle) checks every output file once, so that the next build
    need not; a file deleted after that check is missing until verify finds it, and the build after
    that makes it again."""
    builder = Builder(site, persistent=False)
    builder.build()
    page = site / "output" / "years" / "2017" / "index.html"
    assert builder.verify()
    page.unlink()
    edit(site / "seeds" / SEED_NAME, "We introduce the Segment Anything (SA) project",
         "We present the Segment Anything (SA) project")
    builder.build()
    assert not page.exists()  # trusted: verify had just found it in place
    assert not builder.verify()
    assert builder.build().stats.written == 1 and page.is_file()
    assert builder.verify()


def test_the_seed_and_import_state_are_hashed_again_when_their_stamp_cannot_be_trusted(tmp_path):
    """Builds key the seed and the import state by a digest of their bytes, reused while their inode, date
    and size stay the same and the file was already 2 s old when read; a rewrite within one tick of the
    date (same size, same date) is read again."""
    path = tmp_path / "seed.txt"
    path.write_text("aaaa", encoding="utf-8")
    builder = Builder(tmp_path, persistent=False)
    first = builder.file_digest(path)
    st = os.stat(path)
    path.write_text("bbbb", encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_ino == st.st_ino and builder.file_digest(path) != first
    then = st.st_mtime_ns - 60 * 10**9
    os.utime(path, ns=(then, then))
    aged = builder.file_digest(path)
    path.write_text("cccc", encoding="utf-8")  # a later save: a new date
    assert builder.file_digest(path) != aged
    path.unlink()
    assert builder.file_digest(path) == "-"


def test_in_place_edits_in_watch_swap_papers_into_the_last_plan_and_match_a_fresh_build(site, tmp_path, monkeypatch):
    """In watch, after the watcher's idle check, an edit that changes papers in place (an abstract, a
    venue, the Code flag) neither loads the content nor plans the pages again: the edited papers are
    swapped into the last build's plan (patch.py), only the outputs that show them are looked at, and
    the site is still the one a fresh build makes. Anything else (a title, a new paper, site.yaml)
    loads and plans again."""
    loads: list[int] = []
    real_load = build_module.load_site
    monkeypatch.setattr(build_module, "load_site", lambda *args: loads.append(1) or real_load(*args))
    builder = Builder(site, persistent=False)
    builder.quick_imports = True
    builder.build()
    seed = site / "seeds" / SEED_NAME
    paper = site / "content" / "papers" / "segment-anything.yaml"
    steps = [
        ("abstract in the seed", True, ["seeds/me.txt"],
         lambda: edit(seed, "We introduce the Segment Anything (SA) project", "We present the <Segment> & project")),
        ("venue by hand", True, ["content/papers/segment-anything.yaml"],
         lambda: paper.write_text(paper.read_text(encoding="utf-8") + "venue: ICCV <2023>\n", encoding="utf-8")),
        ("the Code flag, shown in every list", True, ["seeds/me.txt"],
         lambda: edit(seed, "CVApr 5, 2023\nSegment Anything\n", "CVApr 5, 2023Code\nSegment Anything\n")),
        ("title in the seed", False, ["seeds/me.txt"],
         lambda: edit(seed, "\nSegment Anything\n", "\nSegment Anything Again\n")),
        ("abstract after the title", True, ["seeds/me.txt"],
         lambda: edit(seed, "We present the <Segment> & project", "We offer the project")),
        ("site.yaml", False, ["site.yaml"],
         lambda: (site / "site.yaml").write_text("title: Girshick\n", encoding="utf-8")),
        ("a paper added by hand", False, ["content/papers/a-new-one.yaml"],
         lambda: (site / "content" / "papers" / "a-new-one.yaml").write_text(
             "title: A New One\ndate: '2026-01-02'\ncategory: CV\nauthors: [Ross Girshick]\nabstract: Fresh.\n",
             encoding="utf-8")),
        ("pdf by hand", True, ["content/papers/a-new-one.yaml"],
         lambda: (site / "content" / "papers" / "a-new-one.yaml").write_text(
             "title: A New One\ndate: '2026-01-02'\ncategory: CV\nauthors: [Ross Girshick]\nabstract: Fresh.\n"
             "pdf: https://example.org/new.pdf\n", encoding="utf-8")),
    ]
    for what, swapped, hints, change in steps:
        assert builder.verify(), what  # the watcher's check while idle: the next build trusts output/
        loads.clear()
        change()
        result = builder.build(hints=hints)
        assert (not loads) == swapped, what
        assert result.rendered < result.pages // 4 or not swapped, what
        if what in ("abstract after the title", "pdf by hand"):
            # pages that show the paper but read none of what changed are not rendered (reads.py): the
            # paper's own page, and the home page, which shows abstracts
            assert result.rendered <= 2, what
        fresh = Builder(site, persistent=False, do_import=False)
        assert fresh.build().stats.written == 0, what
        builder.catch_up()  # (the watcher does this once the rebuild is reported)
        assert ({path: entry[0] for path, entry in builder.outputs.items()}
                == {path: entry[0] for path, entry in fresh.outputs.items()}), what
        assert_same_as_fresh(site, tmp_path)
    assert "ICCV &lt;2023&gt;" in (site / "output" / "papers" / "segment-anything" / "index.html").read_text("utf-8")


def test_in_watch_a_page_that_reads_an_edited_field_any_way_is_rendered_again(site, tmp_path):
    """Which fields a page read is noted while it renders (reads.py), through a template's own attribute
    reads, Python code the template calls (meta.description reads the abstract) and memoised fragments
    (their reads count on every page that shows them): the pages that show a venue or an abstract in
    their own way are rendered again after an edit in place, and the site is the one a fresh build makes."""
    theme = ROOT / "themes" / "scholar" / "templates"
    (site / "templates").mkdir()
    coauthor = (theme / "coauthor.html").read_text(encoding="utf-8").replace(
        "{{ paper_list(papers, root, highlight) }}",
        "{% for paper in papers %}{% call fragment(paper, root) %}<p>venue: {{ paper.venue }}</p>{% endcall %}"
        "{% endfor %}")
    (site / "templates" / "coauthor.html").write_text(coauthor, encoding="utf-8")
    years = (theme / "years.html").read_text(encoding="utf-8").replace(
        "{% block main %}", "{% block main %}{% for _, papers in years %}{% for paper in papers %}"
        "{% if paper.slug == 'segment-anything' %}<p>{{ meta.description(paper) }}</p>{% endif %}"
        "{% endfor %}{% endfor %}")
    (site / "templates" / "years.html").write_text(years, encoding="utf-8")
    builder = Builder(site, persistent=False)
    builder.quick_imports = True
    builder.build()
    seed = site / "seeds" / SEED_NAME
    paper = site / "content" / "papers" / "segment-anything.yaml"
    for hints, change in ((["content/papers/segment-anything.yaml"],
                           lambda: paper.write_text(paper.read_text(encoding="utf-8") + "venue: ICCV\n",
                                                    encoding="utf-8")),
                          (["content/papers/segment-anything.yaml"],
                           lambda: paper.write_text(paper.read_text(encoding="utf-8").replace("venue: ICCV", "venue: CVPR"),
                                                    encoding="utf-8")),
                          (["seeds/me.txt"], lambda: edit(seed, "We introduce the Segment Anything (SA) project",
                                                          "Rewritten opening words")),
                          (["seeds/me.txt"], lambda: edit(seed, "Rewritten opening words", "Opened again"))):
        assert builder.verify()
        change()
        builder.build(hints=hints)
        assert_same_as_fresh(site, tmp_path)
    kirillov = site / "output" / "coauthors" / "alexander-kirillov" / "index.html"
    assert "venue: CVPR" in kirillov.read_text(encoding="utf-8")
    assert "Opened again" in (site / "output" / "years" / "index.html").read_text(encoding="utf-8")


def test_a_seed_saved_again_while_watch_imports_it_is_imported_by_the_next_build(site, monkeypatch):
    """In watch the digests of what a build read are taken after the rebuild is reported: the seed's is
    of the bytes the import read, so a save that lands meanwhile is still a change for the next build."""
    builder = Builder(site, persistent=False)
    builder.quick_imports = True
    builder.build()
    seed = site / "seeds" / SEED_NAME
    plan_import = Builder.plan_import

    def save_meanwhile(self, *args):
        planned = plan_import(self, *args)
        edit(seed, "We present the Segment Anything (SA) project", "Saved meanwhile: the SA project")
        return planned
    monkeypatch.setattr(Builder, "plan_import", save_meanwhile)
    edit(seed, "We introduce the Segment Anything (SA) project", "We present the Segment Anything (SA) project")
    builder.build(hints=[f"seeds/{SEED_NAME}"])
    monkeypatch.undo()
    page = site / "output" / "papers" / "segment-anything" / "index.html"
    assert "We present the Segment" in page.read_text(encoding="utf-8")
    builder.catch_up()  # (as the watcher does while idle)
    result = builder.build()
    assert result.imported
    assert "Saved meanwhile" in page.read_text(encoding="utf-8")


def test_files_an_import_just_wrote_are_trusted_once_two_seconds_old_if_they_hold_what_it_wrote(site, monkeypatch):
    """A first import writes every paper file at once: all are too recent to trust by their dates, so the
    next seed edit would import in full. While idle the watcher reads them again once 2 s old (recheck)
    and trusts those that hold what the import wrote; a file rewritten meanwhile with the same size and
    date is not trusted, and the edit then takes the full import, which keeps the hand edit."""
    builder = Builder(site, persistent=False)
    builder.quick_imports = True
    builder.build()
    builder.catch_up()
    papers = site / "content" / "papers"
    assert builder.recheck() is not None  # files too recent: come back later
    time.sleep(2.1)
    assert builder.recheck() is None and not builder.memo.recent
    quick: list[bool] = []
    plan = delta.plan
    monkeypatch.setattr(delta, "plan", lambda *args: quick.append(plan(*args)) or quick[-1])
    seed = site / "seeds" / SEED_NAME
    edit(seed, "We introduce the Segment Anything (SA) project", "We present the Segment Anything (SA) project")
    builder.build(hints=[f"seeds/{SEED_NAME}"])
    assert quick == [True]
    builder.catch_up()
    # A hand edit the dates cannot tell: same size, same date as the file the import just wrote.
    paper = papers / "segment-anything.yaml"
    text, st = paper.read_text(encoding="utf-8"), paper.stat()
    changed = text.replace("We present", "We PRESENT")
    assert len(changed) == len(text)
    paper.write_text(changed, encoding="utf-8")
    os.utime(paper, ns=(st.st_atime_ns, st.st_mtime_ns))
    time.sleep(2.1)
    builder.recheck()
    assert str(paper) in builder.memo.recent  # not trusted
    quick.clear()
    edit(seed, "We present the Segment Anything (SA) project", "We offer the Segment Anything (SA) project")
    result = builder.build(hints=[f"seeds/{SEED_NAME}"])
    assert quick == []  # the full import: it sees the hand edit, keeps it and reports the conflict
    assert "We PRESENT" in paper.read_text(encoding="utf-8")
    assert [c.field for c in result.report.conflicts] == ["abstract"]


def test_after_a_failed_rebuild_in_watch_the_next_one_misses_nothing(site, tmp_path, monkeypatch):
    """A rebuild that fails, while rendering (a template error the edit causes) or while putting files in
    place (a full disk), publishes nothing; the next rebuild, whose hints name other files only, still
    shows what the failed one did not publish and matches a fresh build."""
    papers = site / "content" / "papers"
    Builder(site, persistent=False).build()  # (the import writes the paper files)
    for path in papers.glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8") + f"doi: '10.1/{path.stem}'\n", encoding="utf-8")
    (site / "templates").mkdir()
    theme = ROOT / "themes" / "scholar" / "templates"
    (site / "templates" / "paper.html").write_text((theme / "paper.html").read_text(encoding="utf-8").replace(
        "{% block main %}", "{% block main %}<p>DOI {{ paper.extra.doi }}</p>", 1), encoding="utf-8")
    builder = Builder(site, persistent=False)
    builder.quick_imports = True
    builder.build()
    sam, mask = papers / "segment-anything.yaml", papers / "mask-r-cnn.yaml"
    # 1. The edit breaks the template (no doi): the build fails; the next edit, elsewhere, fails too (the
    # page still cannot be made), and the one that mends the file shows both edits.
    builder.verify()
    sam.write_text(sam.read_text(encoding="utf-8").replace("doi: '10.1/segment-anything'\n", "") + "venue: V1\n",
                   encoding="utf-8")
    with pytest.raises(InputError):
        builder.build(hints=["content/papers/segment-anything.yaml"])
    mask.write_text(mask.read_text(encoding="utf-8") + "venue: M0\n", encoding="utf-8")
    with pytest.raises(InputError):
        builder.build(hints=["content/papers/mask-r-cnn.yaml"])
    sam.write_text(sam.read_text(encoding="utf-8") + "doi: '10.1/again'\n", encoding="utf-8")
    builder.build(hints=["content/papers/segment-anything.yaml"])
    builder.catch_up()
    assert "V1" in (site / "output" / "papers" / "segment-anything" / "index.html").read_text(encoding="utf-8")
    assert_same_as_fresh(site, tmp_path)
    # 2. The disk is full when the files would move into place; the same paper is edited again after.
    builder.verify()
    sam.write_text(sam.read_text(encoding="utf-8").replace("venue: V1", "venue: V2"), encoding="utf-8")
    monkeypatch.setattr(output.Commit, "prepare", lambda self: (_ for _ in ()).throw(OSError(28, "No space")))
    with pytest.raises(OSError):
        builder.build(hints=["content/papers/segment-anything.yaml"])
    monkeypatch.undo()
    builder.catch_up()
    builder.verify()
    sam.write_text(sam.read_text(encoding="utf-8").replace("venue: V2", "venue: V3"), encoding="utf-8")
    mask.write_text(mask.read_text(encoding="utf-8").replace("venue: M0", "venue: M1"), encoding="utf-8")
    builder.build(hints=["content/papers/segment-anything.yaml", "content/papers/mask-r-cnn.yaml"])
    builder.catch_up()
    assert "V3" in (site / "output" / "papers" / "segment-anything" / "index.html").read_text(encoding="utf-8")
    assert "M1" in (site / "output" / "papers" / "mask-r-cnn" / "index.html").read_text(encoding="utf-8")
    assert_same_as_fresh(site, tmp_path)


def test_a_rebuild_that_fails_on_the_seed_still_leaves_nothing_behind_of_its_batch(site, tmp_path):
    """A watcher's batch holds a seed that does not parse and a hand edit in a paper file: the build fails
    on the seed; once the seed is mended (a batch naming the seed only), the hand edit is on the page too."""
    builder = Builder(site, persistent=False)
    builder.quick_imports = True
    builder.build()
    builder.build(hints=["seeds/" + SEED_NAME])  # (a settled watcher: the next builds are quick ones)
    seed = site / "seeds" / SEED_NAME
    paper = site / "content" / "papers" / "segment-anything.yaml"
    builder.verify()
    edit(seed, "CVApr 5, 2023\n", "CVApr 55, 2023\n")
    paper.write_text(paper.read_text(encoding="utf-8") + "venue: HAND-EDITED VENUE\n", encoding="utf-8")
    with pytest.raises(InputError):
        builder.build(hints=["seeds/" + SEED_NAME, "content/papers/segment-anything.yaml"])
    builder.verify()
    edit(seed, "CVApr 55, 2023\n", "CVApr 5, 2023\n")
    builder.build(hints=["seeds/" + SEED_NAME])
    builder.catch_up()
    page = (site / "output" / "papers" / "segment-anything" / "index.html").read_text(encoding="utf-8")
    assert "HAND-EDITED VENUE" in page
    assert_same_as_fresh(site, tmp_path)
