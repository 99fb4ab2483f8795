"""Both themes in Chromium: axe-core finds nothing, no request leaves the site, the scheme toggle and
filters work, math is MathML. Screenshots for reviewers go to tests/screenshots/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest

from generator.build import build
from tests.conftest import REAL_SEED, make_site

pytestmark = pytest.mark.browser

THEMES = ("scholar", "minimal")
AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
PAGES = {
    "home": "index.html",
    "paper": "papers/fast-and-accurate-model-scaling/index.html",
    "year": "years/2019/index.html",
    "coauthor": "coauthors/kaiming-he/index.html",
    "search": "search.html?q=segment",
}


@pytest.fixture(scope="session")
def theme_sites(tmp_path_factory) -> dict[str, Path]:
    """The real seed built once per theme, with a bio, links, an as-of date and featured papers added
    by hand as a user would; the value is the output folder."""
    outs = {}
    for theme in THEMES:
        site = make_site(tmp_path_factory.mktemp(theme) / "site", REAL_SEED.read_bytes(),
                         f"title: Ross Girshick\ntheme: {theme}\n", REAL_SEED.name)
        build(site)
        content = site / "content"
        with (content / "profile.yaml").open("a", encoding="utf-8") as f:
            f.write("as_of: 2025-11-01\naffiliation: Example Lab\nbio: Works on **visual recognition**, "
                    "from $O(n)$ detectors to segmentation.\nlinks:\n  - {name: Scholar, url: 'https://example.org/s'}\n")
        for slug in ("mask-r-cnn", "segment-anything"):
            with (content / "papers" / f"{slug}.yaml").open("a", encoding="utf-8") as f:
                f.write("featured: true\n")
        build(site, do_import=False)
        outs[theme] = site / "output"
    return outs


def url(out: Path, rel: str) -> str:
    path, _, query = rel.partition("?")
    return (out / path).as_uri() + (f"?{query}" if query else "")


def is_dark(page) -> bool:
    rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")  # 'rgb(18, 20, 23)'
    return sum(int(x) for x in rgb[rgb.index("(") + 1:-1].split(",")[:3]) < 3 * 80


def axe_violations(page) -> list[str]:
    assert AXE_JS.is_file(), f"axe-core is missing at {AXE_JS}"
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]]


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_no_violations(browser, theme_sites, theme, scheme, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    SCREENSHOTS.mkdir(exist_ok=True)
    found = {}
    for name, rel in PAGES.items():
        page.goto(url(theme_sites[theme], rel))
        if name == "search":
            page.wait_for_selector("#search-results li a")
        assert is_dark(page) == (scheme == "dark"), f"{name}: the page does not follow the {scheme} scheme"
        violations = axe_violations(page)
        if violations:
            found[name] = violations
        if name in ("home", "paper"):
            page.screenshot(path=str(SCREENSHOTS / f"{theme}-{name}-{scheme}-{width}.png"), full_page=True)
    context.close()
    assert found == {}


@pytest.mark.parametrize("theme", THEMES)
def test_no_page_requests_anything_outside_the_site(browser, theme_sites, theme):
    out = theme_sites[theme]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 130
    for path in pages:
        page.goto(path.as_uri())
    page.goto(out.joinpath("index.html").as_uri())
    page.focus("#site-search")  # the search box loads lunr and the index on first focus
    page.fill("#site-search", "mask")
    page.wait_for_selector("#site-search-results li a")
    context.close()
    assert len(requests) > len(pages)  # stylesheets and scripts were requested too
    assert [u for u in requests if not u.startswith("file://")] == []
    assert errors == []


def test_math_renders_as_mathml(browser, theme_sites):
    for theme in THEMES:
        page = browser.new_page()
        page.goto(url(theme_sites[theme], PAGES["paper"]))
        maths = page.locator("article math")
        assert maths.count() >= 3  # O(s), s and O(sqrt(s))
        assert page.locator("article math msqrt").count() == 1
        box = page.locator("article math msqrt").bounding_box()
        assert box and box["width"] > 5 and box["height"] > 5  # laid out, not left as source text
        assert "$" not in page.locator("article").inner_text()
        page.close()


@pytest.mark.parametrize("theme", THEMES)
def test_scheme_toggle_remembers_the_choice_from_disk(browser, theme_sites, theme):
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(url(theme_sites[theme], PAGES["home"]))
    toggle = page.locator("#scheme-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false" and not is_dark(page)
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true" and is_dark(page)
    page.goto(url(theme_sites[theme], PAGES["paper"]))  # another page of the site: still dark
    assert is_dark(page) and page.locator("#scheme-toggle").get_attribute("aria-pressed") == "true"
    page.locator("#scheme-toggle").click()
    page.reload()
    assert not is_dark(page)
    context.close()


def test_toggle_survives_storage_being_refused(browser, theme_sites):
    context = browser.new_context(color_scheme="dark")
    context.add_init_script("Object.defineProperty(window, 'localStorage', "
                            "{get() { throw new DOMException('denied', 'SecurityError'); }});")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url(theme_sites["scholar"], PAGES["home"]))
    assert is_dark(page)
    page.click("#scheme-toggle")
    assert not is_dark(page)
    assert errors == []
    context.close()


def test_home_filters_by_category_and_code(browser, theme_sites):
    page = browser.new_page()
    page.goto(url(theme_sites["scholar"], PAGES["home"]))
    visible = "#papers .paper-item:visible"
    assert page.locator(visible).count() == 50
    page.select_option("#filter-category", "RO")
    cats = page.locator(visible).evaluate_all("els => els.map(e => e.dataset.category)")
    assert cats and set(cats) == {"RO"}
    assert page.locator("#filter-status").inner_text() == f"Showing {len(cats)} of 50 papers."
    assert all(g.is_visible() == (g.locator(".paper-item:visible").count() > 0)
               for g in page.locator("#papers .year-group").all())
    page.select_option("#filter-category", "")
    page.check("#filter-code")
    codes = page.locator(visible).evaluate_all("els => els.map(e => e.dataset.code)")
    assert codes and set(codes) == {"yes"} and len(codes) < 50
    page.uncheck("#filter-code")
    assert page.locator(visible).count() == 50
    page.close()


def test_home_reads_without_javascript(browser, theme_sites):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url(theme_sites["scholar"], PAGES["home"]))
    assert not page.locator("#paper-filters").is_visible()
    assert not page.locator("#scheme-toggle").is_visible()
    assert page.locator("#papers .paper-item:visible").count() == 50
    page.locator("#papers details summary").first.click()
    assert page.locator("#papers details").first.locator("p").first.is_visible()
    context.close()


def test_chart_bar_opens_its_year_and_skip_link_works(browser, theme_sites):
    page = browser.new_page()
    page.goto(url(theme_sites["scholar"], PAGES["home"]))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # moved into view when focused
    page.locator('.year-chart a[aria-label="2017: 9 papers"]').click()
    page.wait_for_load_state()
    assert page.url.endswith("/years/2017/index.html")
    assert page.locator("h1").inner_text() == "Papers from 2017"
    page.close()


@pytest.mark.parametrize("theme", THEMES)
def test_phone_width_never_scrolls_sideways_and_print_is_light(browser, theme_sites, theme):
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme="dark")
    page = context.new_page()
    for rel in (PAGES["home"], PAGES["paper"], "coauthors/index.html", "categories/index.html", PAGES["search"]):
        page.goto(url(theme_sites[theme], rel))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{rel} is {width}px wide on a 360px phone"
    page.goto(url(theme_sites[theme], PAGES["paper"]))
    assert is_dark(page)
    page.emulate_media(media="print")
    assert not is_dark(page)
    assert not page.locator("header.site-header nav").is_visible()
    context.close()
