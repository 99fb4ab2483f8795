"""Profile -> content/*.yaml: the import, a three-way merge that never loses a hand edit."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import merge, slugs, yamlio
from .errors import InputError, Problem
from .model import Profile, SeedPaper

PAPER_FIELDS = ("title", "date", "category", "authors", "authors_truncated", "organization", "has_code",
                "abstract")
PROFILE_FIELDS = ("name", "category", "metrics")
STATE_FILE = ".import-state.json"


@dataclass
class Report:
    """What an import did, for the one-line summary and ``-v``."""

    total: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    conflicts: list[merge.Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.total} papers: {len(self.added)} added, {len(self.updated)} updated, "
                f"{len(self.removed)} removed (kept), {len(self.conflicts)} conflicts")

    def details(self) -> list[str]:
        out = [f"added {s}" for s in self.added] + [f"updated {s}" for s in self.updated]
        out += [f"removed from the seed, kept and hidden: {s}" for s in self.removed]
        out += [f"back in the seed: {s}" for s in self.restored]
        return out + [str(c) for c in self.conflicts]


def seed_fields(paper: SeedPaper) -> dict:
    """The fields the seed owns, as they are stored in YAML (dates as ISO strings)."""
    return {"title": paper.title, "date": paper.date.isoformat(), "category": paper.category,
            "authors": list(paper.authors), "authors_truncated": paper.authors_truncated,
            "organization": paper.organization, "has_code": paper.has_code, "abstract": paper.abstract}


def profile_fields(profile: Profile) -> dict:
    m = profile.metrics
    metrics = {k: v for k, v in (("h_index", m.h_index), ("papers_claimed", m.papers_claimed),
                                 ("citations", m.citations), ("novelty_percent", m.novelty_percent),
                                 ("ai_score", m.ai_score)) if v is not None}
    return {"name": profile.name, "category": profile.category, "metrics": metrics}


def read_yaml_file(path: Path, rel: str) -> dict:
    """A content file's mapping (empty when missing); InputError when it is not a mapping."""
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(Problem(rel, 0, f"not valid UTF-8 (byte offset {err.start}); save the file as UTF-8"))
    data, _ = yamlio.load(text, rel)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(Problem(rel, 1, f"expected a mapping of fields (key: value), found a {type(data).__name__}"))
    return data


def ordered(data: dict, first) -> dict:
    """Seed fields in their usual order first, then the user's own keys as the user placed them."""
    out = {k: data[k] for k in first if k in data}
    out.update((k, v) for k, v in data.items() if k not in out)
    return out


class Importer:
    """Plans an import in memory; ``write`` applies it. Nothing is written when planning fails."""

    def __init__(self, content_dir: Path, site_dir: Path):
        self.dir = content_dir
        self.site_dir = site_dir
        self.files: dict[Path, str] = {}
        self.report = Report()

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.site_dir).as_posix()
        except ValueError:
            return str(path)

    def load_state(self) -> dict:
        path = self.dir / STATE_FILE
        if not path.exists():
            return {"papers": {}, "profile": None}
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            assert isinstance(state.get("papers"), dict)
            return state
        except (ValueError, AssertionError, AttributeError):
            self.report.warnings.append(f"{self.rel(path)}: unreadable import state, starting afresh "
                                        "(hand edits are kept; seed changes to edited files are reported)")
            return {"papers": {}, "profile": None}

    def plan(self, profile: Profile) -> Report:
        state = self.load_state()
        papers_dir = self.dir / "papers"
        problems: list[Problem] = []
        existing: dict[str, dict] = {}
        for path in sorted(papers_dir.glob("*.yaml")) if papers_dir.is_dir() else []:
            try:
                existing[path.stem] = read_yaml_file(path, self.rel(path))
            except InputError as err:
                problems += err.problems
        if problems:
            raise InputError(problems)

        incoming = [seed_fields(p) for p in profile.papers]
        known = {slug: base for slug, base in state["papers"].items()}
        untracked = {slug: {k: data.get(k) for k in PAPER_FIELDS} for slug, data in existing.items()
                     if slug not in known and not data.get("removed")}
        pairs = merge.match(known, incoming)
        rest = [i for i in range(len(incoming)) if i not in pairs]
        for i, slug in merge.match(untracked, [incoming[i] for i in rest]).items():
            pairs[rest[i]] = slug
        self.report.total = len(incoming)

        taken = set(existing) | set(known) | set(pairs.values())
        new_state: dict[str, dict] = {}
        order = sorted(range(len(incoming)), key=lambda i: (incoming[i]["date"], incoming[i]["title"],
                                                            incoming[i]["authors"], incoming[i]["abstract"]))
        self._warn_duplicates(profile)
        for i in order:
            theirs = incoming[i]
            slug = pairs.get(i)
            if slug is None:
                slug = slugs.unique(slugs.slugify(theirs["title"]), taken)
                taken.add(slug)
                self.report.added.append(slug)
            path = papers_dir / f"{slug}.yaml"
            ours = existing.get(slug, {})
            merged, conflicts = merge.three_way(known.get(slug), ours, theirs, PAPER_FIELDS, self.rel(path))
            if merged.pop("removed", None):
                self.report.restored.append(slug)
            self.report.conflicts += conflicts
            self._stage(path, ordered(merged, PAPER_FIELDS), slug, ours)
            new_state[slug] = theirs
        for slug in sorted(set(known) - set(new_state)):
            data = existing.get(slug)
            if data is not None:
                if not data.get("removed"):
                    self.report.removed.append(slug)
                    self._stage(papers_dir / f"{slug}.yaml", {**data, "removed": True}, None)
                new_state[slug] = known[slug]  # remembered, so the paper keeps its slug if it returns
        self._plan_profile(profile, state.get("profile"))
        self._stage_state({"version": 1, "profile": profile_fields(profile),
                           "papers": {k: new_state[k] for k in sorted(new_state)}})
        return self.report

    def _warn_duplicates(self, profile: Profile) -> None:
        seen: dict[str, SeedPaper] = {}
        for p in profile.papers:
            key = p.title.casefold()
            if key in seen:
                self.report.warnings.append(f"{profile.path}:{p.line}: the title '{p.title}' repeats the entry on "
                                            f"line {seen[key].line}; both are kept under distinct slugs")
            else:
                seen[key] = p

    def _plan_profile(self, profile: Profile, base: dict | None) -> None:
        path = self.dir / "profile.yaml"
        ours = read_yaml_file(path, self.rel(path))
        merged, conflicts = merge.three_way(base, ours, profile_fields(profile), PROFILE_FIELDS, self.rel(path))
        self.report.conflicts += conflicts
        self._stage(path, ordered(merged, PROFILE_FIELDS), None, ours)

    def _stage(self, path: Path, data: dict, slug: str | None, ours: dict | None = None) -> None:
        if ours is not None and path.exists() and ours == data:
            return  # same data: keep the user's file as written (key order, comments, quoting)
        text = yamlio.dump(data)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            self.files[path] = text
            if slug and old is not None and slug not in self.report.added:
                self.report.updated.append(slug)

    def _stage_state(self, state: dict) -> None:
        path = self.dir / STATE_FILE
        text = json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            self.files[path] = text

    def write(self) -> list[str]:
        """Write every changed file (temp file + rename, so a file is never half-written)."""
        # The state goes last: if the import is killed half-way, the next one still sees the old base.
        for path, text in sorted(self.files.items(), key=lambda kv: (kv[0].name == STATE_FILE, kv[0])):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
            self.report.written.append(self.rel(path))
        return self.report.written


def import_profile(profile: Profile, content_dir: Path, site_dir: Path, write: bool = True) -> Report:
    """Merge a parsed seed into ``content_dir``; returns the report (files written unless ``write`` is False)."""
    importer = Importer(content_dir, site_dir)
    report = importer.plan(profile)
    if write:
        importer.write()
    return report
