"""Shared fixtures: the real seed, throwaway sites, and a built copy of the real site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
REAL_SEED = ROOT / "seeds" / "000_fe8ce17d2e942b33.txt"


def make_site(folder: Path, seed_text: str | bytes | None = None, config: str = "", name: str = "me.txt") -> Path:
    """A site folder with site.yaml and (optionally) one seed."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.yaml").write_text(config, encoding="utf-8")
    if seed_text is not None:
        (folder / "seeds").mkdir(exist_ok=True)
        data = seed_text.encode("utf-8") if isinstance(seed_text, str) else seed_text
        (folder / "seeds" / name).write_bytes(data)
    return folder


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory):
    """The user's cache (compiled templates, parsed settings: store.user_cache_dir) in a folder of the test
    session, for this process and the processes it starts: the tests neither read nor prune the real one."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def real_seed_text() -> str:
    return REAL_SEED.read_text(encoding="utf-8")


@pytest.fixture
def site_factory(tmp_path):
    def factory(seed_text=None, config: str = "", name: str = "me.txt", folder: str = "site") -> Path:
        return make_site(tmp_path / folder, seed_text, config, name)
    return factory


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real seed built once into a temporary site; tests must not modify it."""
    site = make_site(tmp_path_factory.mktemp("real") / "site", REAL_SEED.read_bytes(),
                     "title: Ross Girshick\nhighlight_author: Ross Girshick\n", REAL_SEED.name)
    build(site)
    return site


def copy_site(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("output"))
    return dst
