"""Live reload in Chromium: an open page reloads by itself after an edit, and shows a failed rebuild."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from generator.serve import LiveServer
from watchkit import REAL_SEED, SEED_NAME, atomic_write, settle

pytestmark = pytest.mark.browser
WAIT_MS = 60_000


@pytest.fixture
def served(site_factory):
    site = site_factory(REAL_SEED.read_bytes(), "title: Ross Girshick\n", SEED_NAME)
    app = LiveServer(site, port=0, log=lambda line: None)
    url = app.start()
    settle(app.watcher)
    yield site, url
    app.stop()


def test_an_open_page_reloads_after_an_edit_and_shows_a_failed_rebuild(served, page):
    site, url = served
    seed: Path = site / "seeds" / SEED_NAME
    good = seed.read_text(encoding="utf-8")
    page.goto(url + "papers/segment-anything/index.html")
    assert page.locator("h1").inner_text() == "Segment Anything"
    page.evaluate("window.notReloaded = true")

    atomic_write(seed, good.replace("\nSegment Anything\n", "\nSegment Anything, Live\n"))
    page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').textContent"
                           " === 'Segment Anything, Live'", timeout=WAIT_MS)
    assert page.evaluate("window.notReloaded === undefined")  # a real reload, not a patch

    broken = good.replace("CVMar 23, 2023", "CVFeb 30, 2023")
    atomic_write(seed, broken)
    overlay = page.locator("#scholarsite-error")
    overlay.wait_for(state="visible", timeout=WAIT_MS)
    line = broken.split("\n").index("CVFeb 30, 2023") + 1
    assert f"seeds/{SEED_NAME}:{line}: " in overlay.inner_text()
    assert page.locator("h1").inner_text() == "Segment Anything, Live"  # the last good page stays underneath

    atomic_write(seed, good)
    overlay.wait_for(state="detached", timeout=WAIT_MS)
    page.wait_for_function("document.querySelector('h1').textContent === 'Segment Anything'", timeout=WAIT_MS)
    assert not [r for r in page.watch.requests if not r.startswith(url)]
    # the only request that may fail is the browser's own /favicon.ico (the site has none)
    assert not [e for e in page.watch.errors if "status of 404" not in e]
    assert all(r.endswith("/favicon.ico") or get_ok(r) for r in page.watch.requests if "__scholarsite" not in r)


def get_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status == 200
