"""The Cite block's copy buttons put the BibTeX and the reference on the clipboard, from file://."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def paste(page) -> str:
    """What a paste into a fresh text box on the page gives (the real clipboard, read back by the user's way)."""
    page.evaluate("""() => { const t = document.createElement('textarea'); t.id = 'paste-here';
                             document.body.appendChild(t); }""")
    page.focus("#paste-here")
    page.keyboard.press("Control+V")
    value = page.input_value("#paste-here")
    page.evaluate("() => document.getElementById('paste-here').remove()")
    return value


def test_copy_bibtex_from_disk(real_site, page):
    paper = real_site / "output" / "papers" / "segment-anything"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto((paper / "index.html").as_uri())
    button = page.locator("button[data-copy='cite-bibtex']")
    assert button.is_visible()
    button.click()
    page.wait_for_function("document.querySelector('.cite-status').textContent.length > 0")
    assert page.locator(".cite-status").inner_text() == "BibTeX copied."
    expected = (paper / "cite.bib").read_text(encoding="utf-8")
    assert expected.startswith("@misc{kirillov2023segment,")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert paste(page) == expected
    page.locator("button[data-copy='cite-reference']").click()
    page.wait_for_function("document.querySelector('.cite-status').textContent === 'Reference copied.'")
    assert paste(page) == "Alexander Kirillov, Eric Mintun, Nikhila Ravi, et al. 2023. Segment Anything."
    assert page.watch.errors == []
    assert page.watch.foreign_requests() == []


def test_copy_falls_back_without_the_clipboard_api(real_site, page):
    """Where navigator.clipboard is missing or refused, the textarea + execCommand path still copies."""
    paper = real_site / "output" / "papers" / "mask-r-cnn"
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined});")
    page.goto((paper / "index.html").as_uri())
    page.click("button[data-copy='cite-bibtex']")
    page.wait_for_function("document.querySelector('.cite-status').textContent.length > 0")
    assert page.locator(".cite-status").inner_text() == "BibTeX copied."
    assert paste(page) == (paper / "cite.bib").read_text(encoding="utf-8")
    assert page.watch.errors == []
