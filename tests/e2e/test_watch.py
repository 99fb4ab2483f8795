"""`scholarsite watch`: edits to the seed, content, templates and site.yaml rebuild the site."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import watch
from generator.watch import Watcher

from watchkit import ROOT, SEED_NAME, Lines, assert_same_as_fresh, atomic_write, interrupt, settle, wait_for


@pytest.fixture
def watcher(site):
    lines: list[str] = []
    w = Watcher(site, log=lines.append)
    w.lines = lines
    first = w.start()
    assert first.ok, first.problems
    settle(w)
    yield w
    w.stop()


def seed(site: Path) -> Path:
    return site / "seeds" / SEED_NAME


def page(site: Path, rel: str) -> str:
    return (site / "output" / rel).read_text(encoding="utf-8")


def wait_builds(w: Watcher, count: int):
    wait_for(lambda: len(w.outcomes) >= count, what=f"{count} builds")
    return w.outcomes[count - 1]


def test_seed_title_edit_shows_on_the_paper_and_year_pages(site, watcher, tmp_path):
    before = len(watcher.outcomes)
    text = seed(site).read_text(encoding="utf-8")
    atomic_write(seed(site), text.replace("\nSegment Anything\n", "\nSegment Anything, Revisited\n"))
    outcome = wait_builds(watcher, before + 1)
    assert outcome.ok and outcome.changed == [f"seeds/{SEED_NAME}"]
    assert "Segment Anything, Revisited" in page(site, "papers/segment-anything/index.html")
    assert "Segment Anything, Revisited" in page(site, "years/2023/index.html")
    assert outcome.result.rendered < outcome.result.pages / 2  # not everything was rendered again
    assert any("pages rebuilt" in line and "ms" in line for line in watcher.lines)
    settle(watcher)
    assert len(watcher.outcomes) == before + 1  # the import's own writes to content/ trigger nothing
    assert_same_as_fresh(site, tmp_path)


def test_hand_edit_in_content_shows_on_the_page(site, watcher, tmp_path):
    before = len(watcher.outcomes)
    path = site / "content" / "papers" / "segment-anything.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "venue: ICCV 2023 (best paper honourable mention)\n",
                    encoding="utf-8")
    assert wait_builds(watcher, before + 1).ok
    assert "best paper honourable mention" in page(site, "papers/segment-anything/index.html")
    assert_same_as_fresh(site, tmp_path)


def test_broken_seed_keeps_the_last_good_site_and_the_next_save_recovers(site, watcher, tmp_path):
    before = len(watcher.outcomes)
    good = seed(site).read_text(encoding="utf-8")
    old_page = page(site, "papers/segment-anything/index.html")
    broken = good.replace("CVApr 5, 2023\nSegment Anything\n", "CVApr 5, 2023\nSegment Anything Now\n")
    broken = broken.replace("CVMar 23, 2023", "CVFeb 30, 2023")  # half-way through an edit
    atomic_write(seed(site), broken)
    outcome = wait_builds(watcher, before + 1)
    assert not outcome.ok
    line = broken.split("\n").index("CVFeb 30, 2023") + 1
    assert any(p.path == f"seeds/{SEED_NAME}" and p.line == line for p in outcome.problems)
    assert any(f"seeds/{SEED_NAME}:{line}:" in entry for entry in watcher.lines)
    assert watcher.error is outcome
    assert page(site, "papers/segment-anything/index.html") == old_page  # the last good site stays

    atomic_write(seed(site), broken.replace("CVFeb 30, 2023", "CVMar 23, 2023"))
    fixed = wait_builds(watcher, before + 2)
    assert fixed.ok and watcher.error is None
    assert "Segment Anything Now" in page(site, "papers/segment-anything/index.html")
    assert_same_as_fresh(site, tmp_path)


def test_an_atomic_save_is_exactly_one_rebuild(site, watcher):
    before = len(watcher.outcomes)
    text = seed(site).read_text(encoding="utf-8")
    atomic_write(seed(site), text.replace("\nSegment Anything\n", "\nSegment Anything (atomic)\n"))
    wait_builds(watcher, before + 1)
    settle(watcher)
    assert len(watcher.outcomes) == before + 1
    assert "Segment Anything (atomic)" in page(site, "papers/segment-anything/index.html")


def test_fifty_saves_in_a_second_make_at_most_two_rebuilds(site, watcher, tmp_path):
    before = len(watcher.outcomes)
    text = seed(site).read_text(encoding="utf-8")
    for i in range(50):
        seed(site).write_text(text.replace("\nSegment Anything\n", f"\nSegment Anything v{i}\n"), encoding="utf-8")
        time.sleep(0.02)
    wait_builds(watcher, before + 1)
    settle(watcher)
    assert 1 <= len(watcher.outcomes) - before <= 2
    assert watcher.outcomes[-1].ok  # one made mid-burst may have read a half-written seed: the last recovers
    assert "Segment Anything v49" in page(site, "papers/segment-anything/index.html")
    assert_same_as_fresh(site, tmp_path)


def test_a_seed_deleted_and_created_again_is_picked_up(site, watcher, tmp_path):
    text = seed(site).read_text(encoding="utf-8")
    seed(site).unlink()
    seed(site).write_text(text.replace("\nSegment Anything\n", "\nSegment Anything Returns\n"), encoding="utf-8")
    wait_for(lambda: "Segment Anything Returns" in page(site, "papers/segment-anything/index.html"),
             what="the recreated seed's title")
    settle(watcher)
    assert watcher.error is None
    assert_same_as_fresh(site, tmp_path)


def test_a_new_site_template_rebuilds_the_pages_that_use_it(site, watcher, tmp_path):
    before = len(watcher.outcomes)
    theme_year = (ROOT / "themes" / "scholar" / "templates" / "year.html").read_text(encoding="utf-8")
    (site / "templates").mkdir()
    atomic_write(site / "templates" / "year.html",
                 theme_year.replace("<h1>Papers from {{ year }}</h1>", "<h1>Work of {{ year }}</h1>"))
    wait_for(lambda: "<h1>Work of 2023</h1>" in page(site, "years/2023/index.html"), what="the new year template")
    settle(watcher)
    last = watcher.outcomes[-1]
    assert last.ok and len(watcher.outcomes) > before
    assert "Work of" not in page(site, "papers/segment-anything/index.html")
    assert_same_as_fresh(site, tmp_path)


def test_site_yaml_change_rebuilds_everything(site, watcher, tmp_path):
    before = len(watcher.outcomes)
    atomic_write(site / "site.yaml", "title: The Girshick Lab\n")
    outcome = wait_builds(watcher, before + 1)
    assert outcome.ok and outcome.result.rendered == outcome.result.pages
    assert "The Girshick Lab" in page(site, "papers/segment-anything/index.html")
    assert_same_as_fresh(site, tmp_path)


def test_falls_back_to_polling_when_the_system_watcher_fails(site, monkeypatch):
    class Exhausted(watch.Observer):  # type: ignore[misc, valid-type]
        def schedule(self, *args, **kwargs):
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watch, "Observer", Exhausted)
    lines: list[str] = []
    w = Watcher(site, log=lines.append)
    try:
        assert w.start().ok
        assert w.poll and any("polling" in line for line in lines)
        before = len(w.outcomes)
        text = seed(site).read_text(encoding="utf-8")
        atomic_write(seed(site), text.replace("\nSegment Anything\n", "\nSegment Anything (polled)\n"))
        wait_builds(w, before + 1)
        assert "Segment Anything (polled)" in page(site, "papers/segment-anything/index.html")
    finally:
        w.stop()
    assert not w.thread.is_alive() and not w.observer.is_alive()


def test_watch_command_reports_rebuilds_and_stops_on_ctrl_c(site):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "watch", "--site", str(site)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
    try:
        lines = Lines(proc.stdout)
        lines.wait("pages rebuilt")
        text = seed(site).read_text(encoding="utf-8")
        atomic_write(seed(site), text.replace("\nSegment Anything\n", "\nSegment Anything (cli)\n"))
        line = lines.wait("pages rebuilt", count=2)
        assert re.search(r" \d+ of 138 pages rebuilt", line) and line.rstrip().endswith(" ms")
        wait_for(lambda: "Segment Anything (cli)" in page(site, "papers/segment-anything/index.html"),
                 what="the edit in the page")
    finally:
        printed = interrupt(proc, lines)
    assert proc.returncode == 0, printed
    assert not any("Traceback" in line for line in printed)


def test_a_content_folder_made_again_is_still_watched(site, watcher, tmp_path):
    content = site / "content"
    shutil.copytree(content, site / "content.new")
    os.rename(content, site / "content.old")
    os.rename(site / "content.new", content)
    shutil.rmtree(site / "content.old")
    settle(watcher)
    before = len(watcher.outcomes)
    path = content / "papers" / "segment-anything.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "venue: Watched Again\n", encoding="utf-8")
    assert wait_builds(watcher, before + 1).ok
    assert "Watched Again" in page(site, "papers/segment-anything/index.html")
    assert_same_as_fresh(site, tmp_path)


def test_a_save_right_after_the_import_wrote_the_file_is_a_change(site):
    """The watcher ignores the events of the import's own writes by their stamps, taken as each file was
    written: a user's save that lands before the watcher looks is still a change."""
    w = Watcher(site, log=lambda line: None)  # not started: no thread, no observer
    result = w.builder.build()
    assert result.report is not None
    mine, other = "content/papers/segment-anything.yaml", "content/papers/mask-r-cnn.yaml"
    assert {mine, other} <= set(result.report.written)
    paper = site / mine
    paper.write_text(paper.read_text(encoding="utf-8") + "venue: ICCV\n", encoding="utf-8")
    w._remember_own(result.report.written, result.report.stamps)
    assert not w._own_write(str(paper))
    assert w._own_write(str(site / other))


def test_a_lone_save_waits_briefly_and_a_burst_waits_for_quiet(site):
    """A save's events come within milliseconds: its rebuild starts after a short quiet; once changes keep
    coming (a script, a checkout), the rebuild waits for the full debounce so the burst is one rebuild."""
    w = Watcher(site, log=lambda line: None)  # not started: no thread, no observer
    w.first_event, w.last_event = 100.0, 100.004  # one atomic save: temporary file, write, rename
    assert w.quiet_needed() == watch.QUICK < watch.DEBOUNCE
    w.last_event = 100.0 + 2 * watch.QUICK  # still changing after the short wait: a burst
    assert w.quiet_needed() == watch.DEBOUNCE
    assert Watcher(site, debounce=0.01).quiet_needed() == 0.01  # a shorter debounce is never lengthened


def test_an_output_file_deleted_while_watching_is_made_again(site, watcher, tmp_path):
    before = len(watcher.outcomes)
    (site / "output" / "years" / "2017" / "index.html").unlink()
    edit = seed(site).read_text(encoding="utf-8").replace("\nSegment Anything\n", "\nSegment Anything Again\n")
    atomic_write(seed(site), edit)  # the rebuild after the seed edit checks the output while idle
    wait_for(lambda: (site / "output" / "years" / "2017" / "index.html").is_file(), what="the deleted year page")
    settle(watcher)
    assert any(o.changed[0].startswith("output/") for o in watcher.outcomes[before:])
    assert watcher.error is None
    assert_same_as_fresh(site, tmp_path)
