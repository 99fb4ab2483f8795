"""Re-import only the seed entries an edit touched (the watch loop at 10,000 papers).

The result is the full import's (content.Importer.plan): the same files, state and report. It applies
only while nothing but the seed changed since the import it starts from (a ``Memo``): every content file
and the import state are as that import left them. Otherwise the caller runs the full import.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from . import merge
from .content import STATE_FILE, Importer, Work, seed_fields, state_line, untracked
from .errors import InputError
from .output import digest
from .seed import Reading
from .store import RACY_NS

MAX_RACY = 64  # at most this many files written too recently to trust their dates are read again instead


class Memo:
    """An import that was written, and the content folder it left: path -> (mtime_ns, size), and for each
    paper file the time (ns) at which what the import holds for it was known to be what the file held
    (read then, or written just before)."""

    def __init__(self, reading: Reading, importer: Importer, listing: dict[str, tuple[int, int]],
                 checked: dict[str, int], recent: set[str] | None = None, digests: dict[str, str] | None = None):
        self.reading = reading
        self.importer = importer
        self.listing = listing
        self.checked = checked
        # The paper files that may have been written too recently to trust their dates: those the import
        # wrote and those found so before (None: any file; see unchanged). Files outside it are not looked at.
        self.recent = recent
        self.still: set[str] | None = None  # what unchanged() found too recent, for the next memo's ``recent``
        self.digests = digests if digests is not None else {}  # paper file -> SHA-256 of what an import wrote


def recheck(memo: Memo, now_ns: int, busy=lambda: False) -> int | None:
    """While idle: read again the paper files too recent to trust by their dates once they are 2 s old,
    and trust those that hold what the import wrote (an import of 10,000 papers writes them all at once:
    else the next edit could not merge only what it touched). Returns when (ns) files will next be old
    enough, or None."""
    if memo.recent is None:
        memo.recent = too_recent(memo.listing, memo.checked, memo.importer.dir / "papers")
    due = None
    for path in sorted(memo.recent):
        if busy():
            return now_ns  # (again as soon as it can)
        mtime_size = memo.listing.get(path)
        if mtime_size is None or mtime_size[0] + RACY_NS < memo.checked.get(path, 0):
            memo.recent.discard(path)  # gone, or old enough
            continue
        if now_ns <= mtime_size[0] + RACY_NS:
            due = min(due or now_ns + RACY_NS, mtime_size[0] + RACY_NS + 1)
            continue
        known = memo.digests.get(path)
        if known is None:
            continue  # (nothing to compare with: it is read again by the next full import)
        read_at = time.time_ns()
        try:
            st = os.stat(path)
            data = Path(path).read_bytes()
        except OSError:
            continue
        if (st.st_mtime_ns, st.st_size) == mtime_size and digest(data) == known:
            memo.checked[path] = read_at
            memo.recent.discard(path)
    return due


def unchanged(memo: Memo, listing: dict[str, tuple[int, int]]) -> bool:
    """Whether content/ is as the memo's import left it: the same files with the same dates and sizes and
    the same state file; a paper file modified within 2 s of when it was checked (it could have changed
    again within one tick of its date, keeping date and size) is read again and compared."""
    importer = memo.importer
    if listing != memo.listing or importer.outcome is None or importer.outcome.pruned:
        return False
    try:
        if (importer.dir / STATE_FILE).read_bytes() != importer.state_bytes:
            return False
    except OSError:
        return False
    checked = memo.checked
    # A file found old enough before, and not written since (its date is the same), is old enough now.
    candidates = listing.keys() if memo.recent is None else memo.recent & listing.keys()
    racy = too_recent(listing, checked, importer.dir / "papers", candidates)
    if len(racy) > MAX_RACY:
        return False
    memo.still = racy
    for name in racy:
        path = Path(name)
        read_at = time.time_ns()
        try:
            if importer.read_paper(path) != importer.outcome.files.get(path.stem):
                return False
        except (InputError, OSError):
            return False
        memo.checked[name] = read_at  # the copy is current as of now: trusted by date and size once 2 s old
    return True


def too_recent(listing: dict[str, tuple[int, int]], checked: dict[str, int], papers_dir: Path,
               candidates=None) -> set[str]:
    """The paper files (of ``candidates``, or all) modified within 2 s of when they were checked: they could
    have changed again within one tick of their date."""
    folder = str(papers_dir)
    return {path for path in (listing if candidates is None else candidates)
            if listing[path][0] + RACY_NS >= checked.get(path, 0) and os.path.dirname(path) == folder}


def checked_times(importer: Importer, written: set[str], at: int, before: Memo | None) -> dict[str, int]:
    """The ``checked`` times after ``importer`` wrote ``written`` (paths) at ``at``: a written file then; a
    file the import did not read again (a quick import) when the memo it started from checked it; a file
    the full import read when it read it (``importer.parsed``)."""
    if importer.outcome is None:
        return {}
    prefix = os.path.join(importer.dir, "papers", "")
    files = importer.outcome.files
    same = before is not None and before.importer.outcome is not None
    if same and before.importer.outcome.files.keys() == files.keys():  # type: ignore[union-attr]
        out = dict(before.checked)  # type: ignore[union-attr]  # the same paper files: their times, but for those written now
        out.update((name, at) for name in written if name in out)
        return out
    names = [f"{prefix}{slug}.yaml" for slug in files]
    if before is not None:
        old = before.checked
        out = {name: old.get(name, 0) for name in names}
    else:
        parsed = importer.parsed
        out = {name: parsed[name][3] if name in parsed else 0 for name in names}
    out.update((name, at) for name in written if name in out)
    return out


def plan(memo: Memo, reading: Reading, fresh: Importer) -> bool:
    """Plan importing ``reading`` (read against ``memo.reading``) into ``fresh``, an unused Importer, by
    merging only the entries that changed; False when this cannot give the full import's result."""
    old = memo.importer.outcome
    assert old is not None
    if reading.profile.path != memo.reading.profile.path:
        return False
    by_print = old.by_print if old.by_print is not None else {fp: slug for slug, fp in old.print_of.items()}
    if len(by_print) != len(old.print_of):
        return False  # two remembered papers share their seed fields: pairing them is the full import's
    papers = reading.profile.papers
    spliced = reading.spliced
    if spliced is not None:  # the papers the edit touched lie between two runs the readings share
        first, count, last = spliced
        parsed = range(first, first + count)
        prints = [*old.prints[:first], *[merge.fingerprint(seed_fields(papers[i])) for i in parsed],
                  *old.prints[last:]]
    else:
        parsed = [i for i, j in enumerate(reading.same) if j is None]  # type: ignore[assignment]
        prints = [old.prints[j] if j is not None else merge.fingerprint(seed_fields(p))
                  for p, j in zip(papers, reading.same)]
    now = set(prints)
    if len(now) != len(prints):
        return False
    before = old.print_set if old.print_set is not None else set(old.prints)
    # Entries reused from the reading before hold one of its fingerprints: only the others can be new.
    incoming = {i: seed_fields(papers[i]) for i in parsed if prints[i] not in before}
    # Step 1 of the pairing (identical seed fields) for the entries that changed: a paper back in the seed.
    pairs = {i: by_print[prints[i]] for i in incoming if prints[i] in by_print}
    # The remembered slugs step 1 leaves (no entry of the seed has their fields) meet the other entries.
    gone = by_print.keys() - now
    left = {slug: old.state[slug] for slug, fp in old.print_of.items() if fp in gone} if gone else {}
    rest = {i: fields for i, fields in incoming.items() if i not in pairs}
    pairs.update(fresh.pair(left, untracked(old.files, old.state), rest, prints))
    work = Work(old.files, old.state, old.hidden, set(old.taken), final=dict(old.files),
                new_state=dict(old.state), hidden=set(), print_of=dict(old.print_of))
    fresh.report.total = len(prints)
    titles = dict(old.titles) if spliced is not None and old.titles else None
    if titles is not None:  # the titles' counts, but for the entries the edit replaced
        dupes = old.dupes
        for p, step in [*((p, -1) for p in memo.reading.profile.papers[first:last]),
                        *((papers[i], 1) for i in parsed)]:
            key = p.title.casefold()
            had = titles.get(key, 0)
            titles[key] = had + step
            dupes += (had + step > 1) - (had > 1)
            if not titles[key]:
                del titles[key]
        fresh.titles, fresh.dupes = titles, dupes
    if titles is None or dupes:
        fresh._warn_duplicates(reading.profile)  # (warns of every repeated title, in the seed's order)
    fresh.merge_entries(work, incoming, prints, pairs)
    fresh.hide(work, sorted(set(left) - set(pairs.values())))
    changed = sorted({*pairs.values(), *left, *(work.final.keys() - old.files.keys())})
    for slug in changed:
        fresh._stage(fresh.dir / "papers" / f"{slug}.yaml", work.final[slug], old.files.get(slug))
    lines = dict(old.lines)
    for slug in changed:
        if slug in work.new_state and work.new_state[slug] is not old.state.get(slug):
            lines[slug] = state_line(slug, work.new_state[slug])
    # No file, remembered slug or alias went away: what is taken now is what was, plus the new slugs.
    order = old.order if work.new_state.keys() == old.state.keys() else None
    fresh.finish(reading.profile, old.profile, work, prints, lines, prune=False, taken=work.taken,
                 state=memo.importer.state_bytes, order=order,  # (unchanged() saw the file hold those bytes)
                 same_profile=True)  # (and content/profile.yaml as that import left it)
    if fresh.outcome is not None:  # what the next quick import would otherwise make again from 10,000 entries
        flipped = dict(by_print)
        for slug in changed:
            if slug in old.print_of and flipped.get(old.print_of[slug]) == slug:
                del flipped[old.print_of[slug]]
        flipped.update((work.print_of[slug], slug) for slug in changed if slug in work.print_of)
        fresh.outcome.by_print = flipped if len(flipped) == len(work.print_of) else None
        fresh.outcome.print_set = now
    return True
