"""What a build returns."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .content import Report
    from .model import Site
    from .output import WriteStats


class BuildResult:
    """What a build did. (A plain class: this module is imported at every start, and a dataclass takes a
    millisecond to make; so are the builder's other records of its work.)"""

    def __init__(self, site: Site | None, pages: int, stats: WriteStats, seconds: float, out: Path,
                 report: Report | None = None, warnings: list[str] | None = None, rendered: int = 0,
                 imported: bool = False, workers: int = 1):
        self.site = site  # None when nothing had changed and the content was not even loaded
        self.pages = pages
        self.stats = stats
        self.seconds = seconds
        self.out = out
        self.report = report
        self.warnings = warnings if warnings is not None else []
        self.rendered = rendered  # pages rendered this time (the others were unchanged and kept)
        self.imported = imported  # whether the seed was merged (skipped when seed and content did not change)
        self.workers = workers  # processes that rendered pages
