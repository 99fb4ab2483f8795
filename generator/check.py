"""``scholarsite check``: everything a build reads and renders, validated without writing a byte."""

from __future__ import annotations

from pathlib import Path

from . import content, output
from .config import find_seed, load_config
from .pipeline import read_seed, render_site
from .themes import find_theme
from .errors import InputError, Problem
from .load import load_site


def check(site_dir: Path) -> str:
    """Validate site.yaml, the seed, content and templates; return a summary or raise InputError."""
    site_dir = site_dir.resolve()
    config = load_config(site_dir)
    output.check_output_dir(site_dir / config.output, site_dir)
    find_theme(site_dir, config.theme)
    content_dir = site_dir / "content"
    planned: dict[Path, str] = {}
    seed_path = find_seed(site_dir, config)
    if seed_path is not None:
        importer = content.Importer(content_dir, site_dir)
        importer.plan(read_seed(seed_path, site_dir).profile)
        planned = importer.files
    if not (content_dir / "profile.yaml").exists() and content_dir / "profile.yaml" not in planned:
        raise InputError(Problem("content/profile.yaml", 0, "no content yet: put a seed in seeds/ "
                                                             "(or write content/profile.yaml by hand)"))
    site = load_site(content_dir, site_dir, planned)
    files, pages = render_site(site, config, site_dir)
    return f"ok: {len(site.papers)} papers, {pages} pages, {len(files)} files would be built; nothing was written"
