"""The pipeline's steps as plain functions: find and read the seed, import it, render pages, make every
output in memory (``scholarsite check`` and the tests use them whole; build.Builder does the same work,
redoing only what changed)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from . import content, exports, pages, render, seed
from .config import SiteConfig, find_seed, load_config
from .themes import Theme, find_theme, static_files
from .errors import InputError, Problem
from .model import Site

if TYPE_CHECKING:
    from . import search


def read_seed(path: Path, site_dir: Path, before: seed.Reading | None = None, data: bytes | None = None
              ) -> seed.Reading:
    """The seed, parsed (``before``: its last good reading, to parse only what an edit touched; ``data``:
    its bytes, when the caller has read them)."""
    rel = path.relative_to(site_dir).as_posix() if path.is_relative_to(site_dir) else str(path)
    return seed.read(path.read_bytes() if data is None else data, rel, before)


def run_import(site_dir: Path, config: SiteConfig | None = None, write: bool = True,
               prune: bool = False) -> content.Report | None:
    """Seed -> content/, or None when the site has no seed (content is then edited by hand)."""
    config = config or load_config(site_dir)
    path = find_seed(site_dir, config)
    if path is None:
        return None
    profile = read_seed(path, site_dir).profile
    return content.import_profile(profile, site_dir / "content", site_dir, write=write, prune=prune)


def render_page(env: jinja2.Environment, common: dict, page: pages.Page) -> bytes:
    """One page through its template; template mistakes become InputError with the template's file:line."""
    try:
        html = env.get_template(page.template).render(**common, **page.context, page=page, root=page.root)
    except jinja2.TemplateError as err:
        raise InputError(render.template_problem(err, page.template, env)) from None
    except (TypeError, ValueError, AttributeError, KeyError, LookupError, ArithmeticError) as err:
        raise InputError(render.template_problem(err, page.template)) from None
    return html.encode("utf-8")


def render_pages(site: Site, config: SiteConfig, site_dir: Path, theme: Theme) -> dict[str, bytes]:
    """Every HTML page of the site plan, rendered through the theme."""
    env = render.environment(theme, site_dir)
    common = pages.common_context(site, config)
    planned = pages.plan(site, config)
    check_unique(planned)
    return {page.path: render_page(env, common, page) for page in planned}


def check_unique(planned: list[pages.Page]) -> None:
    seen: set[str] = set()
    for page in planned:
        if page.path in seen:
            raise InputError(Problem(page.template, 0, f"two pages would be written to {page.path}"))
        seen.add(page.path)


def search_files(site: Site, search_cache: search.Cache | None = None) -> dict[str, bytes]:
    """The search data files (pass the same cache again for a cheap rebuild after a few edits)."""
    from . import search  # (imported where the search data is made: in a small site's forked process)

    return search.build_files(site, search_cache)


def other_outputs(site: Site, config: SiteConfig, theme: Theme,
                  html_paths: list[str]) -> list[tuple[str, dict[str, bytes]]]:
    """Outputs besides pages and search data: static files and exports (``html_paths``: for the sitemap)."""
    return [("static", static_files(theme)), ("exports", exports.files(site, config, html_paths))]


def render_site(site: Site, config: SiteConfig, site_dir: Path) -> tuple[dict[str, bytes], int]:
    """Every output file of the site, in memory: pages, search data, static files (no cache)."""
    theme = find_theme(site_dir, config.theme)
    files = render_pages(site, config, site_dir, theme)
    count = len(files)
    for name, produced in [("search", search_files(site)), *other_outputs(site, config, theme, sorted(files))]:
        merge_outputs(files, produced, name)
    return files, count


def merge_outputs(files: dict[str, bytes], produced: dict[str, bytes], name: str) -> None:
    for path, data in produced.items():
        if path in files:
            raise InputError(Problem(name, 0, f"two outputs would be written to {path}"))
        files[path] = data
