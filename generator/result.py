"""What a build returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .content import Report
    from .model import Site
    from .output import WriteStats


@dataclass
class BuildResult:
    site: Site | None  # None when nothing had changed and the content was not even loaded
    pages: int
    stats: WriteStats
    seconds: float
    out: Path
    report: Report | None = None
    warnings: list[str] = field(default_factory=list)
    rendered: int = 0        # pages rendered this time (the others were unchanged and kept)
    imported: bool = False   # whether the seed was merged (skipped when seed and content did not change)
    workers: int = 1         # processes that rendered pages
