"""The W3C Nu HTML Checker (vnu.jar from npm's vnu-jar, run with Java) finds no error on any page of either theme."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from generator.build import build
from tests.conftest import REAL_SEED, make_site

VNU_VERSION = "26.9.27"
CACHE = Path(__file__).resolve().parents[1] / ".cache"  # git-ignored


def unavailable(message: str):
    if os.environ.get("CI"):
        pytest.fail(message + "; the HTML check never skips in CI")
    pytest.skip(message)


@pytest.fixture(scope="session")
def vnu_jar(tmp_path_factory) -> Path:
    """vnu.jar, fetched once with `npm pack` into tests/.cache/."""
    if shutil.which("java") is None:
        unavailable("java is not installed (apt-get install default-jre-headless)")
    jar = CACHE / f"vnu-{VNU_VERSION}" / "vnu.jar"
    if not jar.is_file():
        if shutil.which("npm") is None:
            unavailable("npm is not installed (apt-get install npm)")
        work = tmp_path_factory.mktemp("vnu")
        done = subprocess.run(["npm", "pack", f"vnu-jar@{VNU_VERSION}", "--pack-destination", str(work)],
                              capture_output=True, text=True, timeout=300)
        tarballs = list(work.glob("vnu-jar-*.tgz"))
        if done.returncode != 0 or not tarballs:
            unavailable(f"npm pack vnu-jar@{VNU_VERSION} failed: {done.stderr.strip()[-300:]}")
        with tarfile.open(tarballs[0]) as tar:
            member = tar.extractfile("package/build/dist/vnu.jar")
            jar.parent.mkdir(parents=True, exist_ok=True)
            partial = jar.with_suffix(".part")
            partial.write_bytes(member.read())
            partial.replace(jar)
    return jar


@pytest.mark.parametrize("theme", ["scholar", "minimal"])
def test_nu_html_checker_finds_no_errors(vnu_jar, tmp_path, theme):
    site = make_site(tmp_path / "site", REAL_SEED.read_bytes(), f"theme: {theme}\n", REAL_SEED.name)
    build(site)
    out = site / "output"
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 130
    done = subprocess.run(["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", "--skip-non-html",
                           str(out)], capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") != "info"]
    assert errors == []
    assert done.returncode == 0
