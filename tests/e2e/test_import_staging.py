"""The import's files are staged while pages render and put in place only when the whole build worked."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.errors import InputError
from watchkit import REAL_SEED, ROOT


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize("first", [True, False], ids=["first import", "re-import"])
def test_a_build_failing_in_a_template_leaves_content_as_it_was(site_factory, first):
    site = site_factory(REAL_SEED.read_bytes(), "title: T\n", REAL_SEED.name)
    if not first:
        build(site)
        seed = next((site / "seeds").glob("*.txt"))
        seed.write_text(seed.read_text(encoding="utf-8").replace("\nSegment Anything\n", "\nSegment All\n"),
                        encoding="utf-8")
    before = {p: (site / "content" / p).read_bytes() for p in files_under(site / "content")
              if (site / "content" / p).is_file()}
    (site / "templates").mkdir()
    paper = (ROOT / "themes/scholar/templates/paper.html").read_text(encoding="utf-8")
    (site / "templates" / "paper.html").write_text(paper.replace("{% block main %}", "{% block main %}{{ 1 / 0 }}"),
                                                   encoding="utf-8")
    with pytest.raises(InputError):
        build(site)
    after = {p: (site / "content" / p).read_bytes() for p in files_under(site / "content")
             if (site / "content" / p).is_file()}
    assert after == before  # no paper file, no staging folder, no temporary file
    (site / "templates" / "paper.html").unlink()
    build(site)
    assert len(list((site / "content" / "papers").glob("*.yaml"))) == 50
    assert not [p for p in files_under(site / "content") if p.startswith(".papers") or p.endswith(".tmp")]


def test_a_full_disk_while_staging_the_import_leaves_no_temporary_file(site_factory, monkeypatch):
    site = site_factory(REAL_SEED.read_bytes(), "title: T\n", REAL_SEED.name)
    build(site)
    seed = next((site / "seeds").glob("*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8").replace("\nSegment Anything\n", "\nSegment All\n"),
                    encoding="utf-8")
    before = sorted(files_under(site / "content"))
    real = Path.write_bytes

    def disk_full(self, *args, **kwargs):  # the state file is written as bytes, encoded once
        if self.name.endswith(".tmp") and "import-state" in self.name:
            real(self, b"partial")
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    with pytest.raises(OSError):
        build(site)
    monkeypatch.undo()
    assert sorted(files_under(site / "content")) == before
