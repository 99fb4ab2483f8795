"""content/*.yaml -> Site: validates every field and reports every problem with its line."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from . import slugs, yamlio
from .errors import InputError, Problem
from .markup import find_code_url
from .model import Metrics, Paper, Site, sort_papers

PAPER_REQUIRED = {"title": str, "date": "date", "category": str, "authors": list, "abstract": str}
PAPER_OPTIONAL = {"authors_truncated": bool, "organization": str, "has_code": bool, "code_url": str,
                  "venue": str, "pdf": str, "featured": bool, "removed": bool, "aliases": list}
METRIC_KEYS = ("h_index", "papers_claimed", "citations", "novelty_percent", "ai_score")


class Fields:
    """Typed access to one YAML mapping that records problems instead of raising at the first."""

    def __init__(self, data: dict, lines: dict[str, int], rel: str, problems: list[Problem]):
        self.data, self.lines, self.rel, self.problems = data, lines, rel, problems

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.rel, self.lines.get(key, 1), message))

    def get(self, key: str, kind, required: bool = False):
        if key not in self.data or self.data[key] is None:
            if required:
                self.problem(key, f"the field '{key}' is missing; every paper needs "
                                  f"{', '.join(PAPER_REQUIRED)}")
            return None
        value = self.data[key]
        if kind is str:
            if isinstance(value, bool):
                self.problem(key, f"'{key}' must be text, found {value!r} (YAML reads an unquoted yes, no, on, off, "
                                  f"true or false as a yes/no value); put the text in quotes, e.g. {key}: 'yes'")
                return None
            if not isinstance(value, (str, int, float)):
                self.problem(key, f"'{key}' must be text, found {value!r}")
                return None
            return str(value)
        if kind is bool:
            if not isinstance(value, bool):
                self.problem(key, f"'{key}' must be true or false, found {value!r}")
                return None
            return value
        if kind == "date":
            if isinstance(value, dt.date):
                return value
            try:
                return dt.date.fromisoformat(str(value))
            except ValueError:
                self.problem(key, f"'{key}' must be a date like '2023-04-05', found {value!r}")
                return None
        if kind is list:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                                      for v in value):
                self.problem(key, f"'{key}' must be a list of names (one '- Name' per line), found {value!r}")
                return None
            return [str(v) for v in value]
        raise AssertionError(kind)


def read(path: Path, rel: str, problems: list[Problem], overlay: dict[Path, str] | None = None
         ) -> tuple[dict, dict[str, int]] | None:
    if isinstance(overlay, Parsed) and path in overlay.data:
        return dict(overlay.data[path]), {}
    try:
        text = overlay[path] if overlay and path in overlay else path.read_text(encoding="utf-8")
        data, lines = yamlio.load(text, rel)
    except UnicodeDecodeError as err:
        problems.append(Problem(rel, 0, f"not valid UTF-8 (byte offset {err.start}); save the file as UTF-8"))
        return None
    except InputError as err:
        problems.extend(err.problems)
        return None
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "expected a mapping of fields (key: value)"))
        return None
    return data, lines


def load_paper(path: Path, rel: str, problems: list[Problem], overlay: dict[Path, str] | None = None,
               alias_lines: dict[str, tuple[str, int]] | None = None) -> Paper | None:
    """One paper file; None when it has problems (recorded) or is marked removed.

    ``alias_lines`` receives slug -> (file, line of 'aliases') for the cross-paper alias check.
    """
    got = read(path, rel, problems, overlay)
    if got is None:
        return None
    f = Fields(*got, rel, problems)
    before = len(problems)
    values = {key: f.get(key, kind, required=True) for key, kind in PAPER_REQUIRED.items()}
    values.update({key: f.get(key, kind) for key, kind in PAPER_OPTIONAL.items()})
    slug = path.stem
    if not slugs.is_valid(slug):
        problems.append(Problem(rel, 0, f"the file name '{path.name}' is not a valid slug: use lowercase "
                                        f"letters, digits and single hyphens, e.g. '{slugs.slugify(slug)}.yaml'"))
    if values["title"] is not None and not values["title"].strip():
        f.problem("title", "'title' is empty")
    for alias in values["aliases"] or []:
        if not slugs.is_valid(alias):
            f.problem("aliases", f"the alias '{alias}' is not a valid slug: use lowercase letters, digits and "
                                 f"single hyphens, e.g. '{slugs.slugify(alias)}'")
        elif alias == slug:
            f.problem("aliases", f"the alias '{alias}' is this paper's own slug; remove it from 'aliases'")
    if alias_lines is not None and values["aliases"]:
        alias_lines[slug] = (rel, f.lines.get("aliases", 1))
    if len(problems) > before or values.pop("removed"):
        return None
    extra = {k: v for k, v in got[0].items() if k not in PAPER_REQUIRED and k not in PAPER_OPTIONAL}
    return Paper(
        slug=slug, title=values["title"], date=values["date"], category=values["category"],
        authors=tuple(values["authors"]), authors_truncated=bool(values["authors_truncated"]),
        organization=values["organization"] or "", has_code=bool(values["has_code"]),
        abstract=values["abstract"],
        code_url=values["code_url"] or find_code_url(values["abstract"], bool(values["has_code"])),
        venue=values["venue"] or "", pdf=values["pdf"] or "", featured=bool(values["featured"]), extra=extra,
        aliases=tuple(sorted(set(values["aliases"] or ()))))


class Parsed(dict):
    """An overlay of planned files (path -> YAML text) that also holds the data each text was made from
    (path -> dict), so the load need not parse what the import has just written."""

    def __init__(self, texts: dict[Path, str], data: dict[Path, dict]):
        super().__init__(texts)
        self.data = data


def load_site(content_dir: Path, site_dir: Path, overlay: dict[Path, str] | None = None, cache=None) -> Site:
    """Every content file into a Site; InputError lists every problem found.

    ``overlay`` holds files an import has planned but not written yet (path -> text). ``cache`` (with
    ``get(path) -> (hit, paper)``, ``read(path)`` and ``put(path, paper)``) skips parsing unchanged papers.
    """
    overlay = overlay or {}
    problems: list[Problem] = []

    def rel(p: Path) -> str:
        try:
            return p.relative_to(site_dir).as_posix()
        except ValueError:
            return str(p)

    profile_path = content_dir / "profile.yaml"
    if not profile_path.exists() and profile_path not in overlay:
        raise InputError(Problem(rel(profile_path), 0, "missing; run 'scholarsite import' to create it from the seed"))
    got = read(profile_path, rel(profile_path), problems, overlay)
    name = category = bio = affiliation = ""
    as_of = None
    metrics, links = Metrics(), []
    if got:
        f = Fields(*got, rel(profile_path), problems)
        name = f.get("name", str) or ""
        if not name:
            f.problem("name", "the profile needs a 'name'")
        category = f.get("category", str) or ""
        bio = f.get("bio", str) or ""
        affiliation = f.get("affiliation", str) or ""
        as_of = f.get("as_of", "date")
        metrics = _metrics(f)
        links = _links(f)
    papers = []
    paper_dir = content_dir / "papers"
    # By name (all in one folder): 10,000 Path objects hashed into sets cost more than the rest of a load.
    planned = {p.name: p for p in overlay if p.parent == paper_dir and p.suffix == ".yaml"}
    names = set(planned)
    if paper_dir.is_dir():
        with os.scandir(paper_dir) as entries:
            names.update(entry.name for entry in entries if entry.name.endswith(".yaml"))
    alias_lines: dict[str, tuple[str, int]] = {}
    prefix = os.path.join(paper_dir, "")
    for file_name in sorted(names):
        if cache is not None and file_name not in planned:
            hit, paper = cache.get(prefix + file_name)  # a string: no Path for a file that did not change
            if not hit:
                path = paper_dir / file_name
                before = len(problems)
                paper = load_paper(path, rel(path), problems, cache.read(path), alias_lines)
                if len(problems) == before:
                    cache.put(path, paper)
            if paper:
                papers.append(paper)
            continue
        path = planned.get(file_name) or paper_dir / file_name
        if isinstance(overlay, Parsed) and file_name in planned and path in overlay.data:
            found_here: list[Problem] = []
            lines_here: dict[str, tuple[str, int]] = {}
            paper = load_paper(path, rel(path), found_here, overlay, lines_here)
            if found_here or lines_here:  # parse the text after all: problems and aliases need line numbers
                paper = load_paper(path, rel(path), problems, dict(overlay), alias_lines)
        else:
            paper = load_paper(path, rel(path), problems, overlay, alias_lines)
        if paper:
            papers.append(paper)
    problems += alias_clashes(papers, alias_lines)
    if problems:
        raise InputError(problems)
    return Site(name=name, category=category, metrics=metrics, papers=sort_papers(papers), bio=bio,
                affiliation=affiliation, links=tuple(links), as_of=as_of)


def alias_clashes(papers: list[Paper], alias_lines: dict[str, tuple[str, int]]) -> list[Problem]:
    """Each old URL (an alias) must lead to exactly one paper, and never hide a paper's own page."""
    slug_files = {p.slug: f"content/papers/{p.slug}.yaml" for p in papers}
    alias_files: dict[str, str] = {}
    problems = []
    for paper in papers:
        rel, line = alias_lines.get(paper.slug, (f"content/papers/{paper.slug}.yaml", 0))  # 0: a cached paper
        for alias in paper.aliases:
            if alias in slug_files:
                problems.append(Problem(rel, line, f"the alias '{alias}' is the slug of {slug_files[alias]}, whose "
                                                   f"page is papers/{alias}/index.html; remove the alias or rename "
                                                   "that file"))
            elif alias in alias_files:
                problems.append(Problem(rel, line, f"the alias '{alias}' is also an alias in {alias_files[alias]}; "
                                                   "an old URL can lead to one paper only: keep it in one file"))
            else:
                alias_files[alias] = rel
    return problems


def _metrics(f: Fields) -> Metrics:
    raw = f.data.get("metrics") or {}
    if not isinstance(raw, dict):
        f.problem("metrics", "'metrics' must be a mapping like 'h_index: 15'")
        return Metrics()
    values = {}
    for key, value in raw.items():
        if key not in METRIC_KEYS:
            f.problem("metrics", f"unknown metric '{key}'; known: {', '.join(METRIC_KEYS)}")
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            f.problem("metrics", f"metric '{key}' must be a whole number, found {value!r}")
        else:
            values[key] = value
    return Metrics(**values)


def _links(f: Fields) -> list[tuple[str, str]]:
    raw = f.data.get("links") or []
    if isinstance(raw, dict):
        raw = [{"name": k, "url": v} for k, v in raw.items()]
    out = []
    if not isinstance(raw, list):
        f.problem("links", "'links' must be a list of '- name: ..., url: ...' entries")
        return out
    for item in raw:
        if not (isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("url"), str)):
            f.problem("links", f"each link needs a 'name' and a 'url', found {item!r}")
            continue
        out.append((item["name"], item["url"]))
    return out

