"""Themes: where a theme's folders are (a site's themes/ first, then the built-in ones), and what in them a
build reads: static files, and a digest of the templates. Light to import (no Jinja)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from . import store, yamlio
from .errors import InputError, Problem

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"


class Theme(NamedTuple):
    """A resolved theme: its name and the folders to search, most specific first."""

    name: str
    dirs: tuple[Path, ...]  # theme folders: the chosen one, then what it extends

    @property
    def template_dirs(self) -> list[Path]:
        return [d / "templates" for d in self.dirs if (d / "templates").is_dir()]

    @property
    def static_dirs(self) -> list[Path]:
        return [d / "static" for d in self.dirs if (d / "static").is_dir()]


def theme_roots(site_dir: Path) -> list[Path]:
    return [site_dir / "themes", BUILTIN_THEMES]


def available_themes(site_dir: Path) -> list[str]:
    return sorted({p.name for root in theme_roots(site_dir) if root.is_dir() for p in root.iterdir()
                   if (p / "templates").is_dir() or (p / "theme.yaml").is_file()})


def find_theme(site_dir: Path, name: str) -> Theme:
    """Resolve a theme and the themes it extends (``theme.yaml: extends: other``)."""
    dirs: list[Path] = []
    current = name
    while current:
        folder = next((root / current for root in theme_roots(site_dir) if (root / current).is_dir()), None)
        if folder is None:
            where = f"the theme '{current}'" + (f" (extended by '{dirs[-1].name}')" if dirs else "")
            raise InputError(Problem("site.yaml", 0, f"{where} does not exist; available themes: "
                                                     f"{', '.join(available_themes(site_dir)) or 'none'}"))
        if folder in dirs:
            raise InputError(Problem(f"{folder}/theme.yaml", 0, "themes extend each other in a loop"))
        dirs.append(folder)
        meta_path = folder / "theme.yaml"
        meta = {}
        if meta_path.is_file():
            meta, _ = yamlio.load_settings(meta_path.read_text(encoding="utf-8"), str(meta_path))
        current = (meta or {}).get("extends") or ""
    return Theme(name, tuple(dirs))


def static_files(theme: Theme) -> dict[str, bytes]:
    """The theme's static/ folders (the most specific theme wins), under static/."""
    files: dict[str, bytes] = {}
    for static_dir in reversed(theme.static_dirs):
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                files["static/" + path.relative_to(static_dir).as_posix()] = path.read_bytes()
    return files


def template_files(site_dir: Path, theme: Theme) -> str:
    """A digest of every template file the environment can see, and where it lies."""
    dirs = ([site_dir / "templates"] if (site_dir / "templates").is_dir() else []) + theme.template_dirs
    parts = []
    for folder in dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [str(path), path.read_bytes()]
    return store.digest(*parts)
