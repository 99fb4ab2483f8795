"""output/: write-if-changed, refusal of unsafe paths, and failures that leave the previous site intact."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator import output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".out."))


@pytest.mark.parametrize("path", ["../x.html", "/etc/passwd", "a/../../b", "", ".", "a\\..\\b", "a/./b", "a//b", "a/", "a\x00b", "./a", "a/.."])
def test_paths_outside_the_output_are_refused(tmp_path, path):
    with pytest.raises(ValueError):
        output.commit(tmp_path / "out", {path: b"x"})
    assert not (tmp_path / "x.html").exists()


def test_only_changed_files_are_rewritten_and_stale_ones_removed(tmp_path):
    out = tmp_path / "out"
    stats = output.commit(out, {"a.html": b"a", "d/b.html": b"b", "d/e/c.html": b"c"})
    assert stats.written == 3
    stamp = (out / "a.html").stat().st_mtime_ns
    stats = output.commit(out, {"a.html": b"a", "d/b.html": b"B"})
    assert (stats.written, stats.unchanged, stats.removed) == (1, 1, 1)
    assert (out / "a.html").stat().st_mtime_ns == stamp
    assert not (out / "d" / "e").exists()
    assert snapshot(out) == {"a.html": b"a", "d/b.html": b"B", output.MANIFEST: snapshot(out)[output.MANIFEST]}
    assert leftovers(tmp_path) == []


def test_a_failing_write_leaves_the_previous_output_and_no_temp_files(tmp_path, monkeypatch):
    out = tmp_path / "out"
    output.commit(out, {"a.html": b"old a", "b.html": b"old b", "c.html": b"old c"})
    before = snapshot(out)
    calls = {"n": 0}
    real = output.write_bytes

    def disk_full(path, data):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(output, "write_bytes", disk_full)
    with pytest.raises(OSError):
        output.commit(out, {"a.html": b"new a", "b.html": b"new b", "c.html": b"new c"})
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_a_build_killed_while_moving_files_is_finished_by_the_next(tmp_path, monkeypatch):
    out = tmp_path / "out"
    output.commit(out, {"a.html": b"old a", "b.html": b"old b", "gone.html": b"x"})
    new = {"a.html": b"new a", "b.html": b"new b", "c.html": b"new c"}
    real = os.replace
    calls = {"n": 0}

    def killed(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("killed")  # stands for SIGKILL: no cleanup code runs after it
        return real(src, dst)

    killed_then_recovered(monkeypatch, tmp_path, out, new, killed)


def test_a_build_killed_before_its_manifest_moved_into_place_is_finished_by_the_next(tmp_path, monkeypatch):
    """The new manifest is staged with the files and moved into place last: killed just before that, the
    next commit finds every file in place and only the manifest to move."""
    out = tmp_path / "out"
    output.commit(out, {"a.html": b"old a", "gone.html": b"x"})
    new = {"a.html": b"new a", "c.html": b"new c"}
    real = os.replace

    def killed(src, dst):
        if Path(dst).name == output.MANIFEST:
            raise SystemExit("killed")
        return real(src, dst)

    killed_then_recovered(monkeypatch, tmp_path, out, new, killed)
    assert json.loads((out / output.MANIFEST).read_text(encoding="utf-8"))["files"] == {
        "a.html": output.digest(b"new a"), "c.html": output.digest(b"new c")}


def test_output_folder_checks(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    output.check_output_dir(site / "output", site)
    for bad in (site, tmp_path, site / "content" / "out"):
        with pytest.raises(output.InputError):
            output.check_output_dir(bad, site)
    (site / "mine").mkdir()
    (site / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(output.InputError):
        output.check_output_dir(site / "mine", site)
    assert (site / "mine" / "notes.txt").read_text() == "keep me"


def test_a_first_build_killed_before_its_rename_is_finished_by_the_next(tmp_path, monkeypatch):
    out = tmp_path / "out"
    files = {"index.html": b"home", "papers/a/index.html": b"a", "papers/a/cite.bib": b"@misc{a}"}

    def killed(src, dst):
        raise SystemExit("killed")  # stands for SIGKILL between writing the journal and the rename

    killed_then_recovered(monkeypatch, tmp_path, out, files, killed, absent=True)


def test_a_first_build_into_an_existing_empty_folder_keeps_that_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o2770)
    inode = out.stat().st_ino
    output.commit(out, {"index.html": b"home", "papers/a/index.html": b"a"})
    assert out.stat().st_ino == inode and out.stat().st_mode & 0o7777 == 0o2770
    assert (out / "papers" / "a" / "index.html").read_bytes() == b"a"
    assert leftovers(tmp_path) == []


def test_a_file_appearing_in_the_output_during_a_first_build_does_not_lose_the_build(tmp_path):
    out = tmp_path / "out"
    job = output.Commit(out)
    job.add("index.html", b"home")
    job.add("papers/a/index.html", b"a")
    out.mkdir()
    (out / ".DS_Store").write_bytes(b"x")  # a file browser looked in while pages were rendered
    stats = job.finish()
    assert stats.written == 2
    assert (out / "index.html").read_bytes() == b"home" and (out / "papers" / "a" / "index.html").read_bytes() == b"a"
    assert output.commit(out, {"index.html": b"home", "papers/a/index.html": b"a"}).written == 0


def test_a_journal_of_another_version_makes_the_next_build_write_everything(tmp_path):
    out = tmp_path / "out"
    output.commit(out, {"a.html": b"old!"})
    staging, journal = output.staging_paths(out)
    staging.mkdir()
    (staging / "a.html").write_bytes(b"new!")  # how an older scholarsite staged files
    manifest = json.dumps({"files": {"a.html": output.digest(b"new!")}})
    journal.write_text(json.dumps({"write": ["a.html"], "remove": [], "manifest": manifest}), encoding="utf-8")
    stats = output.commit(out, {"a.html": b"new!"})
    assert stats.written == 1 and (out / "a.html").read_bytes() == b"new!"
    assert leftovers(tmp_path) == []


def killed_then_recovered(monkeypatch, tmp_path, out, files, killed, absent=False):
    """A commit of ``files`` killed by ``killed`` (standing in for os.replace) leaves its journal and staging
    folder (and no ``out`` when ``absent``); recover() then finishes it, and committing again writes nothing."""
    real = os.replace
    monkeypatch.setattr(output.os, "replace", killed)
    with pytest.raises(SystemExit):
        output.commit(out, files)
    monkeypatch.setattr(output.os, "replace", real)
    if absent:
        assert not out.exists()
    assert leftovers(tmp_path) == [".out.journal", ".out.staging"]
    output.recover(out)
    assert {k: v for k, v in snapshot(out).items() if k != output.MANIFEST} == files
    assert leftovers(tmp_path) == []
    assert output.commit(out, files).written == 0


def test_the_manifest_is_the_json_it_always_was():
    """The manifest is written through the fast encoder; it must stay the indented JSON it was (readable
    diffs, and older manifests read back the same)."""
    for files in ({}, {"papers/a/index.html": "0f", "z.xml": "1a", 'odd "\\ \u2028 ü.html': "2b"}):
        text = output.manifest_text(files)
        assert text == json.dumps({"files": files}, indent=0, sort_keys=True) + "\n"
        assert json.loads(text) == {"files": files}
