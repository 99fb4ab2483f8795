"""Malformed input: exit 2, a message naming file and line, no traceback, output and content unchanged."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

GOOD_SEED = (Path(__file__).resolve().parents[2] / "seeds" / "000_fe8ce17d2e942b33.txt").read_text(encoding="utf-8")


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def seed(site: Path, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    (site / "seeds" / "me.txt").write_bytes(data)


def edit_paper(site: Path, text: str) -> None:
    (site / "content" / "papers" / "segment-anything.yaml").write_text(text, encoding="utf-8")


def template(site: Path, name: str, text: str) -> None:
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / name).write_text(text, encoding="utf-8")


CASES = {
    "impossible date": (lambda s: seed(s, GOOD_SEED.replace("CVApr 5, 2023", "CVFeb 30, 2023")),
                        "seeds/me.txt:12: expected a date like 'Apr 5, 2023', found 'Feb 30, 2023'"),
    "truncated entry": (lambda s: seed(s, GOOD_SEED.rsplit("\n\n", 1)[0]),
                        "seeds/me.txt:358: truncated entry"),
    "binary file": (lambda s: seed(s, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
                    "seeds/me.txt: this is a binary file, not seed text (NUL byte at offset 8)"),
    "non-UTF-8": (lambda s: seed(s, GOOD_SEED.replace("Dollár", "Doll\udce1r").encode("utf-8", "surrogateescape")),
                  "not valid UTF-8 (byte 0xe1 at offset"),
    "empty file": (lambda s: seed(s, ""), "seeds/me.txt:1: the seed is empty"),
    "malformed metric": (lambda s: seed(s, GOOD_SEED.replace("h-index15", "h-index fifteen")),
                         "seeds/me.txt:4: expected a metric line like 'h-index15', found 'h-index fifteen'"),
    "YAML syntax error": (lambda s: edit_paper(s, "title: [Segment Anything\ndate: '2023-04-05'\n"),
                          "content/papers/segment-anything.yaml:2:5: YAML syntax error"),
    "YAML python tag": (lambda s: edit_paper(s, "title: !!python/object/apply:os.system ['echo hi']\n"),
                        "content/papers/segment-anything.yaml:1:8: YAML syntax error: the tag"),
    "unquoted yes": (lambda s: (s / "content" / "papers" / "segment-anything.yaml").write_text(
        (s / "content" / "papers" / "segment-anything.yaml").read_text().replace(
            "title: Segment Anything", "title: Segment Anything\nvenue: yes")),
        "content/papers/segment-anything.yaml:2: 'venue' must be text, found True"),
    "unknown site.yaml key": (lambda s: (s / "site.yaml").write_text("title: x\nthem: minimal\n"),
                              "site.yaml:2: unknown key 'them'; did you mean 'theme'?"),
    "missing theme": (lambda s: (s / "site.yaml").write_text("theme: fancy\n"),
                      "site.yaml: the theme 'fancy' does not exist; available themes: "),
    "template syntax error": (lambda s: template(s, "year.html", "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n"),
                              "year.html:3: template syntax error"),
    "template runtime error": (lambda s: template(s, "year.html", "{% extends 'base.html' %}\n{% block main %}\n"
                                                                 "{{ papers[0].nope.deeper }}\n{% endblock %}\n"),
                               "year.html:3: template error: UndefinedError"),
    "output is the site": (lambda s: (s / "site.yaml").write_text("output: .\n"),
                           "is the site folder or contains it"),
    "output is foreign": (lambda s: ((s / "site.yaml").write_text("output: docs\n"), (s / "docs").mkdir(),
                                     (s / "docs" / "mine.txt").write_text("mine")),
                          "is not empty and was not made by scholarsite"),
    "two seeds": (lambda s: (s / "seeds" / "other.txt").write_text(GOOD_SEED),
                  "seeds/: found 2 seed files (me.txt, other.txt)"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = tmp_path_factory.mktemp("good") / "site"
    (site / "seeds").mkdir(parents=True)
    seed(site, GOOD_SEED)
    (site / "site.yaml").write_text("title: Good\n")
    assert main(["build", "--site", str(site)]) == 0
    return site


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_input(case, built, tmp_path, capsys):
    import shutil
    site = tmp_path / "site"
    shutil.copytree(built, site, symlinks=True)
    capsys.readouterr()
    break_it, expected = CASES[case]
    break_it(site)
    before = tree_hash(site / "output"), tree_hash(site / "content")
    assert main(["build", "--site", str(site)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err
    assert (tree_hash(site / "output"), tree_hash(site / "content")) == before
    assert main(["check", "--site", str(site)]) == 2
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".output")]
    assert leftovers == []


def test_output_symlink_is_refused(built, tmp_path, capsys):
    import shutil
    site = tmp_path / "site"
    shutil.copytree(built, site, symlinks=True)
    (tmp_path / "elsewhere").mkdir()
    shutil.rmtree(site / "output")
    (site / "output").symlink_to(tmp_path / "elsewhere")
    assert main(["build", "--site", str(site)]) == 2
    assert "is a symbolic link" in capsys.readouterr().err
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_subprocess_error_has_no_traceback(built, tmp_path):
    import shutil
    site = tmp_path / "site"
    shutil.copytree(built, site)
    seed(site, GOOD_SEED.replace("CVMar 23, 2023", "CVMar 32, 2023"))
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=site, capture_output=True, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "error"}, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].startswith("seeds/me.txt:19: expected a date like 'Apr 5, 2023'")
    assert "Traceback" not in result.stderr


def test_check_passes_on_a_good_site_and_writes_nothing(built, capsys):
    before = tree_hash(built)
    assert main(["check", "--site", str(built)]) == 0
    assert "nothing was written" in capsys.readouterr().out
    assert tree_hash(built) == before
