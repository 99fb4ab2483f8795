"""The W3C Nu HTML Checker (vnu.jar from npm's vnu-jar, run on Java) finds no error on any generated page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.build import build
from test_exports import build_based_site
from test_exports_escaping import build_hostile_seed_site

ROOT = Path(__file__).resolve().parents[2]
VNU_VERSION = "26.9.27"
CACHE = ROOT / ".cache" / "vnu"  # git-ignored
PACKAGE = CACHE / "node_modules" / "vnu-jar"
JAR = PACKAGE / "build" / "dist" / "vnu.jar"
REAL_SEED = ROOT / "seeds" / "000_fe8ce17d2e942b33.txt"


def unavailable(message: str):
    if os.environ.get("CI"):
        pytest.fail(message + "; the HTML checker never skips in CI")
    pytest.skip(message)


def installed_version() -> str:
    try:
        return json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return ""


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that runs the checker; fetches the pinned vnu-jar with npm into .cache/vnu once."""
    java = shutil.which("java") or unavailable("Java is not installed (apt-get install default-jre-headless)")
    if installed_version() != VNU_VERSION or not JAR.is_file():
        npm = shutil.which("npm") or unavailable("npm is not installed (apt-get install npm), needed to fetch vnu-jar")
        subprocess.run([npm, "install", "--prefix", str(CACHE), "--no-save", "--ignore-scripts", "--no-audit",
                        "--no-fund", "--loglevel=error", f"vnu-jar@{VNU_VERSION}"],
                       check=True, timeout=600, stdout=subprocess.DEVNULL)
    assert JAR.is_file() and installed_version() == VNU_VERSION
    return [java, "-jar", str(JAR)]


def check(vnu: list[str], files: list[Path]) -> list[dict]:
    """The checker's error messages for ``files`` (one Java start for all of them)."""
    result = subprocess.run([*vnu, "--errors-only", "--format", "json", "--stdout", *map(str, files)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["messages"]


def test_every_generated_page_of_both_themes_is_valid_html(vnu, real_site, site_factory, tmp_path):
    """The real site in both themes, with and without base_url, and the site of the hostile seed."""
    based = build_based_site(tmp_path / "based")
    hostile = build_hostile_seed_site(tmp_path / "hostile")
    minimal = site_factory(REAL_SEED.read_bytes(), "theme: minimal\n", REAL_SEED.name, folder="minimal")
    build(minimal)
    sites = (real_site, based, hostile, minimal)
    pages = [p for site in sites for p in sorted((site / "output").rglob("*.html"))]
    for site in (real_site, based, minimal):
        assert len(list((site / "output").rglob("*.html"))) > 130
    broken = tmp_path / "broken.html"  # proves the checker reads the files it is given
    broken.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p id="a"></p><p id="a"></p></html>',
                      encoding="utf-8")
    messages = check(vnu, [*pages, broken])
    errors = [f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages
              if not m.get("url", "").endswith("/broken.html")]
    assert errors == []
    assert any("Duplicate ID" in m.get("message", "") for m in messages)
