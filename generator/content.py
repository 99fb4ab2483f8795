"""Profile -> content/*.yaml: the import, a three-way merge that never loses a hand edit."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

from . import merge, slugs, yamlio
from .store import RACY_NS, STATE_FILE, holds
from .errors import InputError, Problem
from .output import digest
from .model import Profile, SeedPaper

PAPER_FIELDS = ("title", "date", "category", "authors", "authors_truncated", "organization", "has_code",
                "abstract")
PROFILE_FIELDS = ("name", "category", "metrics")


class Report:
    """What an import did, for the one-line summary and ``-v``. (This module's records are plain classes:
    it is imported at every build, and a dataclass takes a millisecond or more to make.)"""

    def __init__(self) -> None:
        self.total = 0
        self.added: list[str] = []
        self.updated: list[str] = []
        self.removed: list[str] = []
        self.restored: list[str] = []
        self.renamed: list[tuple[str, str]] = []
        self.pruned: list[str] | None = None
        self.changed: dict[str, list[str]] = {}
        self.conflicts: list[merge.Conflict] = []
        self.warnings: list[str] = []
        self.written: list[str] = []
        self.stamps: dict[str, tuple[int, int, int]] = {}  # written -> (inode, mtime_ns, size)
        self.deleted: list[str] = []

    def __eq__(self, other: object) -> bool:  # (two imports that did the same report the same)
        return isinstance(other, Report) and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]  (it changes as the import goes)

    def __repr__(self) -> str:
        return f"Report({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"

    def summary(self) -> str:
        line = (f"{self.total} papers: {len(self.added)} added, {len(self.updated)} updated, "
                f"{len(self.removed)} removed ({'kept' if self.pruned is None else 'pruned'}), "
                f"{len(self.conflicts)} conflicts")
        if self.pruned is not None:
            line += f"; pruned {len(self.pruned)} file{'s' if len(self.pruned) != 1 else ''}"
        return line

    def details(self) -> list[str]:
        """One line per file the import touched (or would touch), then the conflicts."""
        def f(slug: str) -> str:
            return f"content/papers/{slug}.yaml"
        out = [f"added {f(s)}" for s in self.added]
        out += [f"updated {f(s)}: {', '.join(self.changed.get(s, []))}" for s in self.updated]
        out += [f"removed from the seed, kept and hidden: {f(s)}"
                + (" (delete with --prune)" if self.pruned is None else "") for s in self.removed]
        out += [f"back in the seed: {f(s)}" for s in self.restored]
        out += [f"renamed {f(old)} -> {f(new)}: papers/{old}/index.html now redirects to papers/{new}/index.html"
                for old, new in self.renamed]
        out += [f"pruned (deleted) {f(s)}" for s in self.pruned or []]
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


def alias_list(data: dict) -> list[str]:
    """The ``aliases`` of a content file, as a list of strings (anything else is left to the loader)."""
    value = data.get("aliases")
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []


def seed_view(data: dict) -> dict:
    """A content file's seed-owned fields, dates as ISO strings as the seed gives them."""
    view = {k: data.get(k) for k in PAPER_FIELDS}
    if isinstance(view["date"], dt.date):
        view["date"] = view["date"].isoformat()
    return view


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def state_line(slug: str, base: dict) -> bytes:
    return f"{_json(slug)}: {_json(base)}".encode("utf-8")


def state_data(state: dict, lines: dict[str, bytes] | None = None, order: list[str] | None = None) -> bytes:
    """The import state as JSON in UTF-8, one line per paper (readable diffs, and fast to write at 10,000
    papers). ``lines``: each paper's line (state_line) when the caller has them already; ``order``: the
    papers' slugs, sorted, when the caller has them."""
    order = sorted(state["papers"]) if order is None else order
    if lines is None:
        lines = {slug: state_line(slug, state["papers"][slug]) for slug in order}
    rest = "".join(f",\n{_json(key)}: {_json(state[key])}" for key in sorted(state) if key != "papers")
    return b"".join([b'{"papers": {\n', b",\n".join([lines[slug] for slug in order]), b"\n}",
                     rest.encode("utf-8"), b"}\n"])


class Outcome:
    """What an import plan decided: where the next import can start from (see delta.py)."""

    def __init__(self, prints: list[str], state: dict[str, dict], lines: dict[str, bytes], hidden: set[str],
                 files: dict[str, dict], taken: set[str], pruned: bool, print_of: dict[str, str], profile: dict,
                 order: list[str] | None = None, titles: dict[str, int] | None = None, dupes: int = 0):
        self.prints = prints      # each seed entry's fingerprint, in seed order
        self.state = state        # slug -> the seed fields it was last imported from
        self.lines = lines        # slug -> its line of the state file
        self.hidden = hidden      # slugs the import hid (removed from the seed)
        self.files = files        # slug -> what content/papers/<slug>.yaml holds afterwards
        self.taken = taken        # slugs no new paper may take: files, remembered slugs, aliases
        self.pruned = pruned      # whether removed papers were pruned (their files deleted)
        self.print_of = print_of  # slug -> the fingerprint of its state entry
        self.profile = profile    # the profile's seed fields as imported
        self.order = order if order is not None else []  # the slugs of ``state``, sorted
        self.titles = titles if titles is not None else {}  # casefolded seed title -> how many entries have it
        self.dupes = dupes  # how many of those titles more than one entry has
        self.by_print: dict[str, str] | None = None  # print_of turned round (fingerprint -> slug), when known
        self.print_set: set[str] | None = None  # the set of ``prints``, when known


class Work:
    """An import plan in progress: what it read, and what it decided so far."""

    def __init__(self, existing: dict[str, dict], known: dict[str, dict], hidden_by_import: set[str],
                 taken: set[str], final: dict[str, dict], new_state: dict[str, dict], hidden: set[str],
                 print_of: dict[str, str]):
        self.existing = existing  # slug -> the paper file's fields
        self.known = known        # slug -> the seed fields it was last imported from
        self.hidden_by_import = hidden_by_import
        self.taken = taken
        self.final = final        # slug -> what its file will hold
        self.new_state = new_state
        self.hidden = hidden
        self.print_of = print_of


def untracked(existing: dict[str, dict], known: dict[str, dict]) -> dict[str, dict]:
    """Paper files no import wrote (added by hand), not hidden: a new seed entry may pair with one."""
    if not existing.keys() - known.keys():
        return {}  # (the usual case, found at C speed)
    return {slug: seed_view(data) for slug, data in existing.items() if slug not in known and not data.get("removed")}


class Importer:
    """Plans an import in memory; ``write`` applies it. Nothing is written when planning fails."""

    def __init__(self, content_dir: Path, site_dir: Path, parsed: dict[str, tuple] | None = None,
                 keep: bool = False):
        self.dir = content_dir
        self.site_dir = site_dir
        # Paper files parsed or written by an earlier import: path -> (mtime_ns, size, data, read at, digest of
        # what an import wrote, or "" when it was read).
        self.parsed = parsed if parsed is not None else {}
        self.files: dict[Path, str] = {}
        self.data: dict[Path, dict] = {}  # what each planned paper or profile file's YAML was made from
        self.deletions: list[Path] = []
        self.staged: list[tuple[Path, Path]] | None = None  # (temporary file, its place) once staged
        self.fresh: list[Path] = []  # paper files staged in new_papers (content/papers/ did not exist)
        self.new_papers = content_dir / ".papers.new"
        self.report = Report()
        self.keep = keep  # keep the plan's Outcome (for a quick import next: see delta.py)
        self.outcome: Outcome | None = None  # what a plan decided, for the next import to start from
        self.retired = None  # an output.Retired keeping the files write replaces, when the caller frees them later
        self.digests: dict[str, str] = {}  # path -> output.digest of the text staged for it
        self.titles: dict[str, int] = {}  # casefolded seed title -> how many entries have it (see Outcome)
        self.dupes = 0

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.site_dir).as_posix()
        except ValueError:
            return str(path)

    def load_state(self) -> dict:
        path = self.dir / STATE_FILE
        if not path.exists():
            return {"papers": {}, "profile": None, "removed": []}
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            state = None
        if isinstance(state, dict) and isinstance(state.get("papers"), dict) \
                and all(isinstance(base, dict) for base in state["papers"].values()):
            # States written before "removed" existed: every hidden paper was hidden by an import.
            if isinstance(state.setdefault("removed", sorted(state["papers"])), list):
                return state
        self.report.warnings.append(f"{self.rel(path)}: unreadable import state, starting afresh "
                                    "(hand edits are kept; seed changes to edited files are reported)")
        return {"papers": {}, "profile": None, "removed": []}

    def read_papers(self) -> dict[str, dict]:
        """Every content/papers/*.yaml by slug (dates as ISO strings); InputError lists every bad file."""
        papers_dir = self.dir / "papers"
        problems: list[Problem] = []
        existing: dict[str, dict] = {}
        for path in sorted(papers_dir.glob("*.yaml")) if papers_dir.is_dir() else []:
            try:
                st = path.stat()
            except OSError:
                continue
            known = self.parsed.get(str(path))
            # A file changed again within a clock tick of being read could keep its time and size: read it
            # again (and when an import wrote it, compare it with what it wrote instead of parsing it).
            if known and known[:2] == (st.st_mtime_ns, st.st_size):
                if st.st_mtime_ns + RACY_NS < known[3]:
                    existing[path.stem] = dict(known[2])
                    continue
                looked = time.time_ns()
                if known[4] and holds(str(path), st.st_size, known[4]):
                    self.parsed[str(path)] = (*known[:3], looked, known[4])
                    existing[path.stem] = dict(known[2])
                    continue
            read_at = time.time_ns()
            try:
                data = self.read_paper(path)
            except InputError as err:
                problems += err.problems
                continue
            self.parsed[str(path)] = (st.st_mtime_ns, st.st_size, data, read_at, "")
            existing[path.stem] = dict(data)
        if problems:
            raise InputError(problems)
        return existing

    def read_paper(self, path: Path) -> dict:
        """One paper file's fields, its date as an ISO string (as the seed gives it)."""
        data = read_yaml_file(path, self.rel(path))
        if isinstance(data.get("date"), dt.date):
            data["date"] = data["date"].isoformat()
        return data

    def plan(self, profile: Profile, prune: bool = False) -> Report:
        """Merge ``profile`` into the content files in memory (see README, Re-import)."""
        state = self.load_state()
        papers_dir = self.dir / "papers"
        existing = self.read_papers()
        on_disk = {slug: dict(data) for slug, data in existing.items()}
        incoming = dict(enumerate(seed_fields(p) for p in profile.papers))
        known = dict(state["papers"])
        hidden_by_import = set(state["removed"])
        self._follow_renames(known, existing, hidden_by_import)
        prints = [merge.fingerprint(f) for f in incoming.values()]
        pairs = self.pair(known, untracked(existing, known), incoming, prints)
        taken = set(existing) | set(known) | set(pairs.values())
        taken |= {alias for data in existing.values() for alias in alias_list(data)}
        work = Work(existing, known, hidden_by_import, taken, final={}, new_state={}, hidden=set(), print_of={})
        self.report.total = len(incoming)
        self._warn_duplicates(profile)
        self.merge_entries(work, incoming, prints, pairs)
        self.hide(work, sorted(set(known) - set(work.new_state)))
        for slug, data in sorted(existing.items()):
            work.final.setdefault(slug, data)
        if prune:
            self._prune(work.final, work.new_state, work.hidden)
        for slug, data in sorted(work.final.items()):
            self._stage(papers_dir / f"{slug}.yaml", data, on_disk.get(slug))
        lines = {slug: state_line(slug, base) for slug, base in work.new_state.items()}
        self.finish(profile, state.get("profile"), work, prints, lines, prune)
        return self.report

    def pair(self, known: dict[str, dict], untracked: dict[str, dict], incoming: dict[int, dict],
             prints: list[str]) -> dict[int, str]:
        """Seed entries (by index) paired with remembered slugs, then with paper files the import never wrote."""
        order = list(incoming)
        found = merge.match(known, list(incoming.values()), keys=[prints[i] for i in order])
        pairs = {order[k]: slug for k, slug in found.items()}
        rest = [i for i in order if i not in pairs]
        for k, slug in merge.match(untracked, [incoming[i] for i in rest], keys=[prints[i] for i in rest]).items():
            pairs[rest[k]] = slug
        return pairs

    def merge_entries(self, work: Work, incoming: dict[int, dict], prints: list[str], pairs: dict[int, str]) -> None:
        """Each seed entry merged into its paper file (a new slug for a new paper), oldest first."""
        papers_dir = self.dir / "papers"
        for i in sorted(incoming, key=lambda i: (incoming[i]["date"], prints[i])):
            theirs = incoming[i]
            slug = pairs.get(i)
            if slug is None:
                slug = slugs.unique(slugs.slugify(theirs["title"]), work.taken)
                work.taken.add(slug)
            path = papers_dir / f"{slug}.yaml"
            if slug not in work.existing:  # new, or its file was deleted: written afresh from the seed
                self.report.added.append(slug)
            ours = work.existing.get(slug, {})
            base = work.known.get(slug) if slug in work.existing else None
            merged, conflicts = merge.three_way(base, ours, theirs, PAPER_FIELDS, self.rel(path))
            if merged.get("removed") and slug in work.hidden_by_import:
                del merged["removed"]
                self.report.restored.append(slug)
            changed = [k for k in PAPER_FIELDS if slug in work.existing and ours.get(k) != merged.get(k)]
            if changed:
                self.report.updated.append(slug)
                self.report.changed[slug] = changed
            self.report.conflicts += conflicts
            work.final[slug] = ordered(merged, PAPER_FIELDS)
            work.new_state[slug] = theirs
            work.print_of[slug] = prints[i]

    def hide(self, work: Work, gone: list[str]) -> None:
        """Remembered papers no seed entry holds: hidden (``removed: true``) and remembered, so each keeps its
        slug if it returns; forgotten when its file is gone too."""
        for slug in gone:
            data = work.existing.get(slug)
            if data is None:  # neither in the seed nor on disk: forgotten
                work.new_state.pop(slug, None)
                work.print_of.pop(slug, None)
                continue
            if not data.get("removed"):
                self.report.removed.append(slug)
                data = {**data, "removed": True}
                work.hidden.add(slug)
            elif slug in work.hidden_by_import:
                work.hidden.add(slug)
            work.final[slug] = data
            work.new_state[slug] = work.known[slug]
            if slug not in work.print_of:
                work.print_of[slug] = merge.fingerprint(work.known[slug])

    def finish(self, profile: Profile, profile_base: dict | None, work: Work, prints: list[str],
               lines: dict[str, bytes], prune: bool, taken: set[str] | None = None, state: bytes | None = None,
               order: list[str] | None = None, same_profile: bool = False) -> None:
        """Plan the profile and the state file; keep the outcome for the next import (``taken``: the
        slugs no new paper may take next time, ``state``: the bytes the state file is known to hold,
        ``order``: the state's slugs sorted, each when the caller knows them). A caller that knows
        content/profile.yaml is as the import that made ``profile_base`` left it passes ``same_profile``
        when the seed's profile fields are still those: then the file stays as it is, with no conflict
        (the merge would take every field from the file)."""
        if not (same_profile and profile_fields(profile) == profile_base):
            self._plan_profile(profile, profile_base)
        order = sorted(work.new_state) if order is None else order
        self._stage_state({"version": 1, "profile": profile_fields(profile),
                           "papers": work.new_state, "removed": sorted(work.hidden)}, lines, state, order)
        if not self.keep:
            return  # at 10,000 papers the outcome is tens of MiB, and every worker process would inherit it
        final = work.final
        if taken is None:
            taken = set(final) | set(work.new_state) | {alias for data in final.values() for alias in alias_list(data)}
        self.outcome = Outcome(prints, work.new_state, lines, work.hidden, final, taken, prune, work.print_of,
                               profile_fields(profile), order, self.titles, self.dupes)

    def _follow_renames(self, known: dict[str, dict], existing: dict[str, dict], hidden: set[str]) -> None:
        """A remembered paper whose file vanished while an untracked file holds it: the file was renamed.

        Its state moves to the new slug and the old slug joins the file's ``aliases`` (a redirect page).
        """
        vanished = {slug: base for slug, base in known.items() if slug not in existing}
        fresh = sorted(slug for slug in existing if slug not in known)
        if not vanished or not fresh:
            return
        found = merge.match(vanished, [seed_view(existing[slug]) for slug in fresh])
        for i, old in sorted(found.items(), key=lambda kv: fresh[kv[0]]):
            new = fresh[i]
            known[new] = known.pop(old)
            if old in hidden:
                hidden.discard(old)
                hidden.add(new)
            aliases = [a for a in alias_list(existing[new]) if a != new]
            existing[new] = {**existing[new], "aliases": aliases + [old] if old not in aliases else aliases}
            self.report.renamed.append((old, new))

    def _prune(self, final: dict[str, dict], new_state: dict[str, dict], hidden: set[str]) -> None:
        """Delete every paper file marked ``removed: true``, and forget it."""
        self.report.pruned = []
        for slug in sorted(s for s, data in final.items() if data.get("removed") is True):
            del final[slug]
            new_state.pop(slug, None)
            hidden.discard(slug)
            path = self.dir / "papers" / f"{slug}.yaml"
            if path.exists():
                self.deletions.append(path)
            self.report.pruned.append(slug)

    def _warn_duplicates(self, profile: Profile) -> None:
        seen: dict[str, SeedPaper] = {}
        titles: dict[str, int] = {}
        for p in profile.papers:
            key = p.title.casefold()
            titles[key] = titles.get(key, 0) + 1
            if key in seen:
                self.report.warnings.append(f"{profile.path}:{p.line}: the title '{p.title}' repeats the entry on "
                                            f"line {seen[key].line}; both are kept under distinct slugs")
            else:
                seen[key] = p
        self.titles, self.dupes = titles, sum(n > 1 for n in titles.values())

    def _plan_profile(self, profile: Profile, base: dict | None) -> None:
        path = self.dir / "profile.yaml"
        ours = read_yaml_file(path, self.rel(path))
        merged, conflicts = merge.three_way(base if ours else None, ours, profile_fields(profile), PROFILE_FIELDS,
                                            self.rel(path))
        self.report.conflicts += conflicts
        self._stage(path, ordered(merged, PROFILE_FIELDS), ours if path.exists() else None)

    def _stage(self, path: Path, data: dict, before: dict | None) -> None:
        """Plan writing ``data`` when it differs from what the file holds (so its comments survive otherwise)."""
        if before is None or data != before:
            self.files[path] = yamlio.dump(data)
            self.data[path] = data

    def _stage_state(self, state: dict, lines: dict[str, bytes] | None = None, known: bytes | None = None,
                     order: list[str] | None = None) -> None:
        """Plan the state file (``known``: the bytes it holds, when the caller knows them)."""
        path = self.dir / STATE_FILE
        data = state_data(state, lines, order)
        old = known if known is not None else path.read_bytes() if path.exists() else None
        if old != data:
            self.files[path] = data  # type: ignore[assignment]
        self.state_bytes = data

    def stage(self) -> None:
        """Write every changed file under a temporary name beside its place; nothing the user sees changes.

        When content/papers/ does not exist yet, its files are written to one new folder that ``write``
        renames into place (one rename instead of one per paper).
        """
        if self.staged is not None:
            return
        self.staged = []
        papers_dir = self.dir / "papers"
        fresh = sorted(p for p in self.files if p.parent == papers_dir) if not papers_dir.exists() else []
        shutil.rmtree(self.new_papers, ignore_errors=True)  # left by an import killed before its rename
        try:
            if fresh:
                self.new_papers.mkdir(parents=True)
                for path in fresh:
                    (self.new_papers / path.name).write_text(self.files[path], encoding="utf-8")
                    self._note(path, self.files[path])
            for path, text in self.files.items():
                if fresh and path.parent == papers_dir:
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.tmp")
                self.staged.append((tmp, path))  # before writing: a failed write is removed too
                if isinstance(text, bytes):  # the state file, encoded once
                    tmp.write_bytes(text)
                else:
                    tmp.write_text(text, encoding="utf-8")
                    self._note(path, text)
        except BaseException:
            self.discard()
            raise
        self.fresh = fresh

    def _note(self, path: Path, text: str) -> None:
        """Keep a digest of what a file is written with: a file written too recently for its date to be
        trusted is compared with it later (the next build's fast path, the paper cache, delta.recheck)."""
        self.digests[str(path)] = digest(text.encode("utf-8"))

    def _wrote(self, path: Path, at: int) -> None:
        """Note a file as written, with its stamp taken right away (a watcher tells its own writes from a
        user's save that follows them by it); a paper file goes into ``parsed`` as the import made it (the
        next import reads it back and compares it while its date is too recent to trust, not parses it)."""
        rel = self.rel(path)
        self.report.written.append(rel)
        try:
            st = os.stat(path)
        except OSError:
            return
        self.report.stamps[rel] = (st.st_ino, st.st_mtime_ns, st.st_size)
        data, found = self.data.get(path), self.digests.get(str(path))
        if data is not None and found is not None and path.parent.name == "papers":
            self.parsed[str(path)] = (st.st_mtime_ns, st.st_size, data, at, found)

    def discard(self) -> None:
        """Remove whatever ``stage`` wrote (the import is abandoned)."""
        for tmp, _ in self.staged or []:
            tmp.unlink(missing_ok=True)
        shutil.rmtree(self.new_papers, ignore_errors=True)
        self.staged = None

    def write(self) -> list[str]:
        """Put every changed file in place (each whole, by rename), then prune; the state goes last, so an
        import killed half-way still finds the old base next time."""
        self.stage()
        at = time.time_ns()  # (the files were staged before: what they hold is known from here on)
        if self.fresh:
            os.replace(self.new_papers, self.dir / "papers")
            for path in self.fresh:
                self._wrote(path, at)
        for tmp, path in sorted(self.staged or [], key=lambda tp: (tp[1].name == STATE_FILE, tp[1])):
            if self.retired is not None and path.exists():
                self.retired.keep(path)
            tmp.replace(path)
            self._wrote(path, at)
        self.report.written.sort(key=lambda rel: (rel.endswith(STATE_FILE), rel))
        for path in sorted(self.deletions):
            path.unlink(missing_ok=True)
            self.report.deleted.append(self.rel(path))
        self.staged = None
        return self.report.written


def import_profile(profile: Profile, content_dir: Path, site_dir: Path, write: bool = True,
                   prune: bool = False) -> Report:
    """Merge a parsed seed into ``content_dir``; returns the report (files written unless ``write`` is False).

    With ``prune``, paper files marked ``removed: true`` are deleted and forgotten.
    """
    importer = Importer(content_dir, site_dir)
    report = importer.plan(profile, prune=prune)
    if write:
        importer.write()
    return report
