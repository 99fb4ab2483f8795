"""Fixtures of the watch, serve and incremental-build tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchkit import REAL_SEED, SEED_NAME


@pytest.fixture
def site(site_factory) -> Path:
    """A fresh site holding the real seed (nothing built yet)."""
    return site_factory(REAL_SEED.read_bytes(), "title: Ross Girshick\n", SEED_NAME)
