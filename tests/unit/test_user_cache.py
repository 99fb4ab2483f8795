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


def test_making_a_cache_folder_removes_other_versions_unused_for_a_week(cache_home):
    cache_home.mkdir(parents=True)
    week_ago = time.time() - (store.UNUSED_DAYS + 1) * 86400
    for name, when in [("templates-old", week_ago), ("templates-recent", time.time()), ("settings-old", week_ago)]:
        (cache_home / name).mkdir()
        (cache_home / name / "x").write_text("x", encoding="utf-8")
        os.utime(cache_home / name, (when, when))
    made = store.user_cache_dir("templates")
    assert made is not None and made.is_dir()
    assert sorted(p.name for p in cache_home.iterdir()) == sorted([made.name, "templates-recent", "settings-old"])
