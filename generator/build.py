"""A whole build, top to bottom: config -> seed -> import -> load -> plan -> render -> search -> write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import content, exports, output, pages, render, search, seed
from .config import SiteConfig, load_config
from .errors import InputError, Problem
from .load import load_site
from .model import Profile, Site


@dataclass
class BuildResult:
    site: Site
    pages: int
    stats: output.WriteStats
    seconds: float
    out: Path
    report: content.Report | None = None
    warnings: list[str] = field(default_factory=list)


def find_seed(site_dir: Path, config: SiteConfig) -> Path | None:
    """The seed to import: ``seed`` from site.yaml, else the one ``seeds/*.txt``; None when there is none."""
    if config.seed:
        path = site_dir / config.seed
        if not path.is_file():
            raise InputError(Problem("site.yaml", 0, f"'seed' names {config.seed}, which does not exist"))
        return path
    found = sorted((site_dir / "seeds").glob("*.txt"))
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise InputError(Problem("seeds/", 0, f"found {len(found)} seed files ({names}); a site is one profile: "
                                              "keep one, or choose it with 'seed: seeds/NAME.txt' in site.yaml"))
    return found[0] if found else None


def read_seed(path: Path, site_dir: Path) -> Profile:
    rel = path.relative_to(site_dir).as_posix() if path.is_relative_to(site_dir) else str(path)
    return seed.parse(path.read_bytes(), rel)


def run_import(site_dir: Path, config: SiteConfig | None = None, write: bool = True,
               prune: bool = False) -> content.Report | None:
    """Seed -> content/, or None when the site has no seed (content is then edited by hand)."""
    config = config or load_config(site_dir)
    path = find_seed(site_dir, config)
    if path is None:
        return None
    profile = read_seed(path, site_dir)
    return content.import_profile(profile, site_dir / "content", site_dir, write=write, prune=prune)


def render_pages(site: Site, config: SiteConfig, site_dir: Path, theme: render.Theme) -> dict[str, bytes]:
    """Every HTML page of the site plan, rendered through the theme."""
    env = render.environment(theme, site_dir)
    common = pages.common_context(site, config)
    files: dict[str, bytes] = {}
    templates: dict[str, jinja2.Template] = {}
    for page in pages.plan(site, config):
        try:
            template = templates.get(page.template) or env.get_template(page.template)
            templates[page.template] = template
            html = template.render(**common, **page.context, page=page, root=page.root)
        except jinja2.TemplateError as err:
            raise InputError(render.template_problem(err, page.template, env)) from None
        except (TypeError, ValueError, AttributeError, KeyError, LookupError) as err:
            raise InputError(render.template_problem(err, page.template)) from None
        if page.path in files:
            raise InputError(Problem(page.template, 0, f"two pages would be written to {page.path}"))
        files[page.path] = html.encode("utf-8")
    return files


def static_files(theme: render.Theme) -> dict[str, bytes]:
    """The theme's static/ folders (the most specific theme wins), under static/."""
    files: dict[str, bytes] = {}
    for static_dir in reversed(theme.static_dirs):
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                files["static/" + path.relative_to(static_dir).as_posix()] = path.read_bytes()
    return files


def render_site(site: Site, config: SiteConfig, site_dir: Path) -> tuple[dict[str, bytes], int]:
    """Every output file of the site, in memory: pages, search data, static files."""
    theme = render.find_theme(site_dir, config.theme)
    files = render_pages(site, config, site_dir, theme)
    count = len(files)
    for name, produced in (("search", search.build_files(site)),
                           ("static", static_files(theme)),
                           ("exports", exports.files(site, config, sorted(files)))):
        for path, data in produced.items():
            if path in files:
                raise InputError(Problem(name, 0, f"two outputs would be written to {path}"))
            files[path] = data
    return files, count


def build(site_dir: Path, do_import: bool = True) -> BuildResult:
    """Import the seed (when there is one), then render the whole site into the output folder."""
    start = time.perf_counter()
    site_dir = site_dir.resolve()
    config = load_config(site_dir)
    out = site_dir / config.output
    output.check_output_dir(out, site_dir)
    render.find_theme(site_dir, config.theme)  # a missing theme fails before anything is read
    importer = None
    content_dir = site_dir / "content"
    if do_import:
        seed_path = find_seed(site_dir, config)
        if seed_path is not None:
            importer = content.Importer(content_dir, site_dir)
            importer.plan(read_seed(seed_path, site_dir))
    planned = importer.files if importer else {}
    if not (content_dir / "profile.yaml").exists() and content_dir / "profile.yaml" not in planned:
        raise InputError(Problem("content/profile.yaml", 0, "no content yet: put a seed in seeds/ "
                                                             "(or write content/profile.yaml by hand)"))
    site = load_site(content_dir, site_dir, planned)
    files, count = render_site(site, config, site_dir)
    # Everything is known to work: only now is anything written.
    report = None
    if importer:
        importer.write()
        report = importer.report
    stats = output.commit(out, files)
    return BuildResult(site=site, pages=count, stats=stats, seconds=time.perf_counter() - start,
                       out=out, report=report, warnings=exports.warnings(config))
