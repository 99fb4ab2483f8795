"""The papers-per-year bar chart, as numbers a template draws into inline SVG. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Paper

ROW_HEIGHT = 24  # px per year
BAR_HEIGHT = 16
MAX_BAR_PERCENT = 85  # of the bar area; the rest is room for the count after the longest bar


@dataclass(frozen=True)
class Bar:
    """One year: its count, and the bar's geometry (y in px, width in % of the bar area)."""

    year: int
    count: int
    y: int
    percent: float

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4


@dataclass(frozen=True)
class Chart:
    """Every year from the newest to the oldest paper (years without papers included), newest first."""

    bars: tuple[Bar, ...]
    height: int
    bar_height: int
    total: int
    most: int


def papers_per_year(years: list[tuple[int, list[Paper]]]) -> Chart | None:
    """A chart of ``years`` (newest first, as Site.years() gives them); None when there are no papers."""
    if not years:
        return None
    counts = {year: len(papers) for year, papers in years}
    most = max(counts.values())
    newest, oldest = years[0][0], years[-1][0]
    bars = []
    for row, year in enumerate(range(newest, oldest - 1, -1)):
        count = counts.get(year, 0)
        percent = round(MAX_BAR_PERCENT * count / most, 2)
        bars.append(Bar(year, count, row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2, percent))
    return Chart(tuple(bars), len(bars) * ROW_HEIGHT, BAR_HEIGHT, sum(counts.values()), most)
