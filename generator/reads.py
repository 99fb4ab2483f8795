"""Which leaf fields of which papers a page reads while it renders (watch), so that after a paper changed
in place only the pages that read what changed are rendered again: an abstract edit leaves the pages
that show the paper without its abstract (its neighbours', the coauthors list, the lists of its year,
category and coauthors) as they are."""

from __future__ import annotations

import contextlib

from .model import Paper

LEAF_FIELDS = frozenset({"abstract", "venue", "pdf", "code_url", "has_code", "organization",
                         "authors_truncated", "extra"})  # read only where the paper itself is shown
LEAF_BITS = {name: 1 << i for i, name in enumerate(sorted(LEAF_FIELDS))}
ALL_LEAVES = (1 << len(LEAF_BITS)) - 1


def leaves_changed(old: Paper, new: Paper) -> int:
    """The LEAF_BITS of the fields two versions of a paper differ in."""
    return sum(bit for name, bit in LEAF_BITS.items() if getattr(old, name) != getattr(new, name))


class Reads:
    """Which leaf fields of which papers (id -> LEAF_BITS) the page being rendered reads (watch records
    it, so that after an abstract edit the pages that show the paper without its abstract, such as the
    coauthors list or its neighbours' pages, are known to come out the same). ``now`` is None while
    nothing records."""

    def __init__(self) -> None:
        self.now: dict[int, int] | None = None

    def add(self, reads: dict[int, int]) -> None:
        """Count reads made before (a memoised value's) as made now."""
        now = self.now
        if now is not None:
            for key, bits in reads.items():
                now[key] = now.get(key, 0) | bits


READS = Reads()


def _recording_getattribute(self, name, _get=object.__getattribute__, _bits=LEAF_BITS, _reads=READS):
    bit = _bits.get(name)
    if bit is not None:
        now = _reads.now
        if now is not None:
            key = id(self)
            now[key] = now.get(key, 0) | bit
    return _get(self, name)


@contextlib.contextmanager
def recording():
    """While inside, every paper's leaf field reads are noted in READS.now (when it is a dict)."""
    Paper.__getattribute__ = _recording_getattribute  # type: ignore[method-assign]
    try:
        yield
    finally:
        del Paper.__getattribute__
        READS.now = None


def record(make):
    """``make()`` with the leaf reads it makes noted apart: (its value, those reads); they count as reads
    of whatever records around it too."""
    outer, READS.now = READS.now, {}
    try:
        value = make()
    finally:
        made, READS.now = READS.now, outer
    READS.add(made)  # type: ignore[arg-type]
    return value, made
