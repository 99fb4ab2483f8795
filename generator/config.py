"""site.yaml -> SiteConfig: typed, with every error naming the key and the fix."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from . import yamlio
from .errors import InputError, Problem

CONFIG_FILE = "site.yaml"


class SiteConfig(NamedTuple):
    """Settings of one site; every key is optional. (A named tuple, not a dataclass: a build with nothing
    to do imports no dataclasses, and with them inspect: 10 to 20 ms.)"""

    title: str = ""             # the site's title; default: the profile's name
    description: str = ""       # one sentence for search engines; default: built from the profile
    base_url: str = ""          # where the site is published, e.g. https://example.org/~me/ (for absolute links)
    theme: str = "scholar"      # a folder under themes/ (the site's own, then the built-in ones)
    highlight_author: str = ""  # the name to highlight in author lists; default: the profile's name
    language: str = "en"        # the pages' lang attribute
    seed: str = ""              # the seed file, relative to the site; default: the one file in seeds/
    output: str = "output"      # where the site is built, relative to the site folder
    feed_length: int = 20       # how many of the newest papers each Atom feed lists

    def warnings(self) -> list[str]:
        """What a build should tell the user about these settings."""
        return [] if self.base_url else [NO_BASE_URL]


KEYS = list(SiteConfig._fields)
NO_BASE_URL = ("site.yaml has no 'base_url': canonical links, og:url, citation_abstract_html_url, "
               "sitemap.xml and the feeds' self links are left out; set 'base_url: https://...' to add them")


def load_config(site_dir: Path) -> SiteConfig:
    """Read and validate ``site.yaml``; a missing file means all defaults."""
    path = site_dir / CONFIG_FILE
    if not path.exists():
        return SiteConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(Problem(CONFIG_FILE, 0, f"not valid UTF-8 (byte offset {err.start})")) from None
    data, lines = yamlio.load_settings(text, CONFIG_FILE)
    if data is None:
        return SiteConfig()
    if not isinstance(data, dict):
        raise InputError(Problem(CONFIG_FILE, 1, "expected settings as 'key: value' lines"))
    problems: list[Problem] = []
    values: dict = {}
    for key, value in data.items():
        line = lines.get(str(key), 1)
        if key not in KEYS:
            import difflib  # (only for a mistake)
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(KEYS)}"
            problems.append(Problem(CONFIG_FILE, line, f"unknown key '{key}'; {hint}"))
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            problems.append(Problem(CONFIG_FILE, line, f"'{key}' must be text, found {value!r}"))
            continue
        values[key] = str(value).strip()
    base = values.get("base_url", "")
    if base:
        if not re.match(r"^https?://[^\s/]+", base):
            problems.append(Problem(CONFIG_FILE, lines["base_url"], "'base_url' must be an absolute http(s) URL "
                                                                    f"like 'https://example.org/', found '{base}'"))
        elif not base.endswith("/"):
            values["base_url"] = base + "/"
    for key in ("seed", "output"):
        if key in values and (not values[key] or "\x00" in values[key]):
            problems.append(Problem(CONFIG_FILE, lines[key], f"'{key}' must be a path"))
    if "theme" in values and not re.fullmatch(r"[A-Za-z0-9_.-]+", values["theme"]):
        problems.append(Problem(CONFIG_FILE, lines["theme"], f"'theme' must be a theme folder name, "
                                                             f"found '{values['theme']}'"))
    if "feed_length" in values:
        length = values["feed_length"]
        if not re.fullmatch(r"[0-9]+", length) or int(length) < 1:
            problems.append(Problem(CONFIG_FILE, lines["feed_length"], "'feed_length' must be a whole number "
                                                                       f"of papers, 1 or more, found '{length}'"))
        else:
            values["feed_length"] = int(length)
    if problems:
        raise InputError(problems)
    return SiteConfig(**values)


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
