"""The site's data: a profile and its papers, as frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# arXiv archive suffixes -> the names arXiv gives them.
CATEGORY_NAMES = {
    "AI": "Artificial Intelligence",
    "AR": "Hardware Architecture",
    "AS": "Audio and Speech Processing",
    "CC": "Computational Complexity",
    "CE": "Computational Engineering, Finance, and Science",
    "CG": "Computational Geometry",
    "CL": "Computation and Language",
    "CR": "Cryptography and Security",
    "CV": "Computer Vision and Pattern Recognition",
    "CY": "Computers and Society",
    "DB": "Databases",
    "DC": "Distributed, Parallel, and Cluster Computing",
    "DL": "Digital Libraries",
    "DM": "Discrete Mathematics",
    "DS": "Data Structures and Algorithms",
    "ET": "Emerging Technologies",
    "FL": "Formal Languages and Automata Theory",
    "GL": "General Literature",
    "GR": "Graphics",
    "GT": "Computer Science and Game Theory",
    "HC": "Human-Computer Interaction",
    "IR": "Information Retrieval",
    "IT": "Information Theory",
    "IV": "Image and Video Processing",
    "LG": "Machine Learning",
    "LO": "Logic in Computer Science",
    "MA": "Multiagent Systems",
    "ML": "Machine Learning (Statistics)",
    "MM": "Multimedia",
    "MS": "Mathematical Software",
    "NA": "Numerical Analysis",
    "NE": "Neural and Evolutionary Computing",
    "NI": "Networking and Internet Architecture",
    "OS": "Operating Systems",
    "PF": "Performance",
    "PL": "Programming Languages",
    "RO": "Robotics",
    "SC": "Symbolic Computation",
    "SD": "Sound",
    "SE": "Software Engineering",
    "SI": "Social and Information Networks",
    "SP": "Signal Processing",
    "SY": "Systems and Control",
}


def category_name(code: str) -> str:
    """The full name of a category code, or the code itself when unknown."""
    return CATEGORY_NAMES.get(code, code)


@dataclass(frozen=True)
class Metrics:
    """The profile's claims, kept exactly as stated (any may be absent)."""

    h_index: int | None = None
    papers_claimed: int | None = None
    citations: int | None = None
    novelty_percent: int | None = None
    ai_score: int | None = None


@dataclass(frozen=True)
class SeedPaper:
    """A paper as the seed states it, with the line it starts on."""

    line: int
    category: str
    date: dt.date
    title: str
    authors: tuple[str, ...]
    authors_truncated: bool
    organization: str
    has_code: bool
    abstract: str


@dataclass(frozen=True)
class Profile:
    """A parsed seed: who, the claimed metrics, the listed papers."""

    name: str
    category: str
    metrics: Metrics
    papers: tuple[SeedPaper, ...]
    path: str = ""


@dataclass(frozen=True)
class Paper:
    """A paper as the site shows it, loaded from content/papers/<slug>.yaml."""

    slug: str
    title: str
    date: dt.date
    category: str
    authors: tuple[str, ...]
    authors_truncated: bool
    organization: str
    has_code: bool
    abstract: str
    code_url: str = ""
    venue: str = ""
    pdf: str = ""
    featured: bool = False
    aliases: tuple[str, ...] = ()         # old slugs whose URLs redirect to this paper
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def category_name(self) -> str:
        return category_name(self.category)

    @property
    def url(self) -> str:
        return f"papers/{self.slug}/index.html"


@dataclass(frozen=True)
class Site:
    """Everything a build renders: the owner and the papers, newest first."""

    name: str
    category: str
    metrics: Metrics
    papers: tuple[Paper, ...]
    bio: str = ""
    affiliation: str = ""
    links: tuple[tuple[str, str], ...] = ()
    as_of: dt.date | None = None  # when the metrics were taken (profile.yaml ``as_of``); never the build's clock

    def years(self) -> list[tuple[int, list[Paper]]]:
        """Papers grouped by year, newest year first."""
        groups: dict[int, list[Paper]] = {}
        for paper in self.papers:
            groups.setdefault(paper.year, []).append(paper)
        return sorted(groups.items(), reverse=True)

    def categories(self) -> list[tuple[str, list[Paper]]]:
        """Papers grouped by category code, largest group first."""
        groups: dict[str, list[Paper]] = {}
        for paper in self.papers:
            groups.setdefault(paper.category, []).append(paper)
        return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def sort_papers(papers) -> tuple[Paper, ...]:
    """Newest first; ties broken by title then slug so the order never depends on input order."""
    return tuple(sorted(papers, key=lambda p: (-p.date.toordinal(), p.title.casefold(), p.slug)))


class CategoryNames:
    """The full name and page of a category with a ``code`` and a ``slug``."""

    code: str
    slug: str

    @property
    def name(self) -> str:
        return category_name(self.code)

    @property
    def url(self) -> str:
        return f"categories/{self.slug}/index.html"


@dataclass(frozen=True)
class Category(CategoryNames):
    """A category code, its full name, a URL-safe slug and its papers (newest first)."""

    code: str
    slug: str
    papers: tuple[Paper, ...]


@dataclass(frozen=True)
class CategoryLink(CategoryNames):
    """A category as menus and filters show it: code, slug and how many papers (not the papers)."""

    code: str
    slug: str
    count: int


@dataclass(frozen=True)
class Coauthor:
    """Someone the owner wrote with: a display name, a unique slug and the shared papers."""

    name: str
    slug: str
    papers: tuple[Paper, ...]

    @property
    def url(self) -> str:
        return f"coauthors/{self.slug}/index.html"


def name_key(name: str) -> str:
    """How two spellings of an author are recognised as one person: spaces collapsed, case folded."""
    return " ".join(name.split()).casefold()
