"""What is kept in the user's cache (store.user_cache_dir): settings files parsed once (yamlio.load_settings),
and the folders of other code versions removed once unused for a week."""

from __future__ import annotations

import os
import time

import pytest

from generator import store, yamlio
from generator.errors import InputError


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "scholarsite"


def kept_files(cache_home):
    return sorted(p.name for p in cache_home.glob("settings-*/*"))


def test_a_settings_file_is_parsed_once_and_read_back_as_parsed(cache_home):
    text = "title: Ross\nfeed_length: 5\nflags: [true, null, 1.5]\nnested: {a: b}\n"
    expected = yamlio.load(text, "site.yaml")
    assert yamlio.load_settings(text, "site.yaml") == expected and len(kept_files(cache_home)) == 1
    kept = next(cache_home.glob("settings-*/*.json"))
    kept.write_text('[{"title": "from the cache"}, {"title": 1}]', encoding="utf-8")
    assert yamlio.load_settings(text, "site.yaml") == ({"title": "from the cache"}, {"title": 1})
    assert yamlio.load_settings(text + "language: de\n", "site.yaml")[0]["language"] == "de"  # (another text)
    for broken in ("[not json", "[1, 2]", '{"title": 1}'):
        kept.write_text(broken, encoding="utf-8")
        assert yamlio.load_settings(text, "site.yaml") == expected


@pytest.mark.parametrize("text", ["date: 2024-05-01\n", "1: one\n", "true: yes\n", "x: .nan\n", "b: !!binary aGk=\n"])
def test_what_json_would_not_give_back_the_same_is_parsed_every_time(cache_home, text):
    for _ in range(2):
        assert repr(yamlio.load_settings(text, "site.yaml")) == repr(yamlio.load(text, "site.yaml"))
    assert kept_files(cache_home) == []


def test_a_settings_file_with_a_mistake_is_reported_each_time_and_not_kept(cache_home):
    for _ in range(2):
        with pytest.raises(InputError, match="appears twice"):
            yamlio.load_settings("a: 1\na: 2\n", "site.yaml")
    assert kept_files(cache_home) == []


def test_without_a_writable_cache_the_settings_are_parsed_each_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert store.user_cache_dir("settings") is None
    assert yamlio.load_settings("title: T\n", "site.yaml") == ({"title": "T"}, {"title": 1})


def aged(path, days: float) -> None:
    when = time.time() - days * 86400
    os.utime(path, (when, when))


def test_the_first_use_of_a_day_removes_the_folders_of_other_versions_unused_for_a_week(cache_home):
    cache_home.mkdir(parents=True)
    for name, days in [("templates-old", store.UNUSED_DAYS + 1), ("templates-recent", 1), ("settings-old", 30)]:
        (cache_home / name).mkdir()
        (cache_home / name / "x").write_text("x", encoding="utf-8")
        aged(cache_home / name, days)
    made = store.user_cache_dir("templates")  # (made now: its first use)
    assert made is not None and made.is_dir()
    assert sorted(p.name for p in cache_home.iterdir()) == sorted([made.name, "templates-recent", "settings-old"])
    aged(cache_home / "templates-recent", store.UNUSED_DAYS + 1)
    assert store.user_cache_dir("templates") == made and (cache_home / "templates-recent").is_dir()  # (used today)
    aged(made, 1.5)
    assert store.user_cache_dir("templates") == made and not (cache_home / "templates-recent").exists()
    assert time.time() - made.stat().st_mtime < 60  # (marked used)


def test_a_settings_file_written_removes_those_written_a_week_ago(cache_home):
    yamlio.load_settings("title: A\n", "site.yaml")
    old = next(cache_home.glob("settings-*/*.json"))
    aged(old, store.UNUSED_DAYS + 1)
    yamlio.load_settings("title: B\n", "site.yaml")
    assert not old.exists() and len(kept_files(cache_home)) == 1


@pytest.mark.parametrize("where", ["relative/cache", "/" + "x" * 300])
def test_a_relative_or_unusable_cache_home_is_not_used(tmp_path, monkeypatch, where):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", where)
    found = store.user_cache_dir("settings")
    if where.startswith("/"):
        assert found is None  # (a name too long: parsed each time)
    else:  # (the XDG spec: a relative path is ignored)
        assert found is not None and found.parent == tmp_path / "home" / ".cache" / "scholarsite"
        assert not (tmp_path / "relative").exists()
