"""Errors meant for people: each problem names a file, a line and what to do."""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with an input file, located as ``path:line[:col]`` (sorted by those; a named tuple
    rather than a dataclass: it is made in a fraction of the time, at every start)."""

    path: str
    line: int
    message: str
    col: int = 0

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return f"{where}: {self.message}"


class InputError(Exception):
    """Bad input (seed, content, site.yaml, theme): exit code 2, never a traceback."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", 0, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
