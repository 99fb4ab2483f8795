"""Seed text -> Profile. Pure: reads bytes, returns data or raises InputError with every problem."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from .errors import InputError, Problem
from .model import Metrics, Profile, SeedPaper

# The seed's month names are English whatever the machine's locale (calendar's follow it, and importing it
# takes 2 ms)
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
MONTH_ABBR = tuple(name[:3] for name in MONTH_NAMES)
MONTHS = {**{name: i for i, name in enumerate(MONTH_ABBR, 1)}, **{name: i for i, name in enumerate(MONTH_NAMES, 1)}}
MONTHS["Sept"] = 9

# "CVApr 5, 2023" or "CVNov 18, 2021Code": category, month, day, year, code flag.
ENTRY_RE = re.compile(
    r"^(?P<cat>[A-Z]{2,5}?)(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2}),\s*(?P<year>\d{1,4})(?P<code>\s*Code)?$"
)
# Looser: looks like an entry header but something in it is off (used to report, not to accept).
ENTRY_LIKE_RE = re.compile(r"^[A-Z]{2,5}[A-Z][a-z]{2,8}\.?\s*\d")
CATEGORY_RE = re.compile(r"^[A-Z]{2,5}$")
METRICS = [
    ("h_index", re.compile(r"^h-index\s*(?P<n>.*)$", re.I), "h-index15"),
    ("papers_claimed", re.compile(r"^(?P<n>.*?)\s*papers$"), "76papers"),
    ("citations", re.compile(r"^(?P<n>.*?)\s*citations$", re.I), "420,444citations"),
    ("novelty_percent", re.compile(r"^novelty\s*(?P<n>.*?)\s*%?$", re.I), "Novelty56%"),
    ("ai_score", re.compile(r"^ai\s*score\s*(?P<n>.*)$", re.I), "AI Score49"),
]
LISTED_RE = re.compile(r"^(?P<n>[\d,]+)\s+Papers$")
NUMBER_RE = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")
AUTHORS_RE = re.compile(r"^(?P<names>.*?)(?P<etal>\s*\bet al\.?)?(?:\s*·\s*(?P<org>.*))?$")


def decode(data: bytes, path: str) -> str:
    """UTF-8 text with BOM and CR/CRLF line ends removed; says where a binary or bad byte is."""
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise InputError(Problem(path, 0, f"this is a binary file, not seed text (NUL byte at offset {offset}); "
                                          "save the profile as UTF-8 text"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(Problem(path, line, f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset "
                                             f"{err.start}); save the file as UTF-8")) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _number(text: str) -> int | None:
    text = text.strip()
    if not NUMBER_RE.match(text):
        return None
    return int(text.replace(",", ""))


def _blocks(lines: list[str], start: int, stop: int | None = None) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines in lines[start:stop], each line with its 1-based number."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for i in range(start, len(lines) if stop is None else stop):
        line = lines[i].strip()
        if line:
            current.append((i + 1, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parse_date(month: str, day: str, year: str) -> dt.date | str:
    """A date, or the reason it is not one."""
    if month not in MONTHS:
        return f"unknown month '{month}'"
    if not 1000 <= int(year) <= 9999:
        return f"the year {year} is not a four-digit year"
    try:
        return dt.date(int(year), MONTHS[month], int(day))
    except ValueError:
        return f"{month} {int(day)}, {year} is not a real date"


def _parse_header(blocks, path, problems):
    """Name, category and metrics from the blocks before the first entry; returns (fields, index)."""
    name, category, values = "", "", {}
    i = 0
    for i, block in enumerate(blocks):
        if ENTRY_LIKE_RE.match(block[0][1]):
            return name, category, values, i
        for lineno, text in block:
            if not name:
                name = text
                continue
            if not category and CATEGORY_RE.match(text):
                category = text
                continue
            if LISTED_RE.match(text):
                continue
            for key, regex, example in METRICS:
                m = regex.match(text)
                if m:
                    number = _number(m.group("n"))
                    if number is None:
                        problems.append(Problem(path, lineno, f"expected a metric line like '{example}', "
                                                              f"found '{text}'"))
                    elif key in values:
                        problems.append(Problem(path, lineno, f"'{text}' repeats a metric already given"))
                    else:
                        values[key] = number
                    break
            else:
                problems.append(Problem(path, lineno, "expected a profile line (category like 'CV', 'h-index15', "
                                                      f"'76papers', '420,444citations', 'Novelty56%', 'AI Score49'), "
                                                      f"found '{text}'"))
    return name, category, values, len(blocks)


def _parse_authors(text: str) -> tuple[tuple[str, ...], bool, str]:
    m = AUTHORS_RE.match(text)
    assert m  # the pattern matches any string
    names = tuple(n.strip() for n in m.group("names").split(",") if n.strip())
    return names, bool(m.group("etal")), (m.group("org") or "").strip()


def _parse_entry(blocks, i, path, problems) -> tuple[SeedPaper | None, int]:
    """The entry starting at blocks[i]; returns it (or None after reporting) and the next block index."""
    head = blocks[i]
    lineno, text = head[0]
    nxt = i + 1
    m = ENTRY_RE.match(text)
    if not m:
        problems.append(Problem(path, lineno, f"expected a category and date like 'CVApr 5, 2023', found '{text}'"))
        return None, _skip(blocks, nxt)
    date = parse_date(m.group("month"), m.group("day"), m.group("year"))
    if isinstance(date, str):
        found = text[len(m.group("cat")):].removesuffix("Code").strip()
        problems.append(Problem(path, lineno, f"expected a date like 'Apr 5, 2023', found '{found}' ({date})"))
        return None, _skip(blocks, nxt)
    if len(head) < 2:
        problems.append(Problem(path, lineno + 1, f"expected the paper's title on the line after '{text}', "
                                                  "found a blank line"))
        return None, _skip(blocks, nxt)
    if len(head) > 2:
        problems.append(Problem(path, head[2][0], "expected a blank line after the title, found "
                                                  f"'{head[2][1][:60]}'"))
        return None, _skip(blocks, nxt)
    title = head[1][1]
    rest = []
    while nxt < len(blocks) and len(rest) < 2 and not ENTRY_LIKE_RE.match(blocks[nxt][0][1]):
        rest.append(blocks[nxt])
        nxt += 1
    if len(rest) < 2:
        last = rest[-1][-1][0] if rest else head[-1][0]
        missing = "the authors line and the abstract" if not rest else "the abstract"
        problems.append(Problem(path, last, f"truncated entry '{title[:60]}': expected {missing} "
                                            "after it, each after a blank line"))
        return None, nxt
    authors_block, abstract_block = rest
    if len(authors_block) > 1:
        problems.append(Problem(path, authors_block[1][0], "expected one line of authors followed by a blank "
                                                           f"line, found a second line '{authors_block[1][1][:60]}'"))
        return None, _skip(blocks, nxt)
    authors, truncated, org = _parse_authors(authors_block[0][1])
    if not authors:
        problems.append(Problem(path, authors_block[0][0], "expected authors like 'A. Author, B. Author et al.', "
                                                           f"found '{authors_block[0][1][:60]}'"))
        return None, _skip(blocks, nxt)
    abstract = "\n".join(line for _, line in abstract_block)
    paper = SeedPaper(line=lineno, category=m.group("cat"), date=date, title=title, authors=authors,
                      authors_truncated=truncated, organization=org, has_code=bool(m.group("code")),
                      abstract=abstract)
    return paper, nxt


def _skip(blocks, i: int) -> int:
    """Index of the next block that starts an entry (to resume after a problem)."""
    while i < len(blocks) and not ENTRY_LIKE_RE.match(blocks[i][0][1]):
        i += 1
    return i


class Reading:
    """A seed as last parsed, kept so that its next version parses in time proportional to the edit."""

    def __init__(self, lines: list[str], profile: Profile, ends: list[int], same: list[int | None],
                 data: bytes | None = None, spliced: tuple[int, int, int] | None = None):
        self.lines = lines
        self.profile = profile
        self.ends = ends  # per paper: the index of the line after its abstract (a blank line, or the end)
        self.same = same  # per paper: its index in the reading before when reused (only its line may differ)
        self.data = data  # the bytes read (without CR), for the next reading to decode only what changed
        # (first, count, last): the papers are the reading before's [:first], ``count`` parsed again, its [last:]
        self.spliced = spliced


def parse(data: bytes | str, path: str = "<seed>") -> Profile:
    """Parse a seed; raise InputError listing every problem found."""
    return read(data, path).profile


def read(data: bytes | str, path: str = "<seed>", before: Reading | None = None) -> Reading:
    """Parse a seed into a Reading; with ``before`` (the same seed's last good reading), only the entries
    an edit touched are parsed again and the others are reused (the result is the same as a full parse)."""
    if isinstance(data, bytes) and before is not None and before.data is not None and before.profile.path == path:
        found = _changed_lines(before, data)
        if found is not None:
            lines, head, tail = found
            again = _read_edit(before, lines, path, head, tail)
            if again is not None:
                again.data = data
                return again
    text = decode(data, path) if isinstance(data, bytes) else data.lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.replace("\r", "\n").split("\n")
    if before is not None and before.profile.path == path:
        again = _read_edit(before, lines, path)
        if again is not None:
            again.data = data if isinstance(data, bytes) and b"\r" not in data else None
            return again
    reading = _read_all(lines, path)
    reading.data = data if isinstance(data, bytes) and b"\r" not in data else None
    return reading


CHUNK = 1 << 16  # bytes compared at a time while looking for where two versions of a seed differ


def _shared_bytes(a: bytes, b: bytes, way: int, limit: int | None = None) -> int:
    """How many first (``way`` 1) or last (-1) bytes two byte strings share, at most ``limit``: compared a
    chunk at a time (in C, no copy of the whole), then within the first chunk that differs."""
    limit = min(len(a), len(b)) if limit is None else limit
    done = 0
    while done < limit:
        size = min(CHUNK, limit - done)
        if way > 0:
            x, y = a[done:done + size], b[done:done + size]
        else:
            x, y = a[len(a) - done - size:len(a) - done], b[len(b) - done - size:len(b) - done]
        if x != y:
            return done + (_common_prefix(x, y) if way > 0 else _common_prefix(x[::-1], y[::-1]))
        done += size
    return done


def _changed_lines(before: Reading, data: bytes) -> tuple[list[str], int, int] | None:
    """The lines of ``data`` made from the reading before's and the bytes that changed (decoded alone),
    with how many first and last lines the two share; None when that is not sure to give what decoding
    it all gives (a CR anywhere, a change in the first line, bytes that are not text)."""
    old = before.data
    assert old is not None
    if b"\r" in data:
        return None
    head = _shared_bytes(old, data, 1)
    if head == len(old) == len(data):
        return before.lines, len(before.lines), 0
    tail = _shared_bytes(old, data, -1, min(len(old), len(data)) - head)
    start = old.rfind(b"\n", 0, head) + 1  # where the first changed line starts, in both
    if start == 0:
        return None  # the first line (a byte order mark, the name): decoded in full
    old_end, new_end = old.find(b"\n", len(old) - tail), data.find(b"\n", len(data) - tail)
    old_end = len(old) if old_end < 0 else old_end
    new_end = len(data) if new_end < 0 else new_end
    window = data[start:new_end]
    if b"\x00" in window:
        return None
    try:
        middle = window.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return None
    first = old.count(b"\n", 0, start)  # the index of the first changed line
    last = first + old.count(b"\n", start, old_end)  # ... and of the last, in the reading before
    lines = before.lines
    return [*lines[:first], *middle, *lines[last + 1:]], first, len(lines) - last - 1


def _read_all(lines: list[str], path: str) -> Reading:
    blocks = _blocks(lines, 0)
    problems: list[Problem] = []
    if not blocks:
        raise InputError(Problem(path, 1, "the seed is empty; expected the researcher's name on the first line"))
    name, category, values, i = _parse_header(blocks, path, problems)
    if not name:
        problems.append(Problem(path, 1, "expected the researcher's name on the first line"))
    papers, ends = _parse_entries(blocks, i, path, problems)
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.line))
    profile = Profile(name=name, category=category, metrics=Metrics(**values), papers=tuple(papers), path=path)
    return Reading(lines, profile, ends, [None] * len(papers))


def _parse_entries(blocks, i: int, path: str, problems: list[Problem]) -> tuple[list[SeedPaper], list[int]]:
    papers: list[SeedPaper] = []
    ends: list[int] = []
    while i < len(blocks):
        paper, nxt = _parse_entry(blocks, i, path, problems)
        if paper:
            papers.append(paper)
            ends.append(blocks[nxt - 1][-1][0])  # the last line's number is the next line's index
        i = nxt
    return papers, ends


def _common_prefix(a: list[str] | bytes, b: list[str] | bytes) -> int:
    """How many first lines two lists (or bytes two byte strings) share (compared in slices, in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:  # invariant: a[:low] == b[:low]
        mid = (low + high + 1) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _read_edit(before: Reading, lines: list[str], path: str, head: int | None = None,
               tail: int | None = None) -> Reading | None:
    """The new reading when the edit lies between two entries both readings share; None otherwise (then
    the whole seed is parsed, which also reports every problem). ``head``, ``tail``: how many first and
    last lines the readings share, when the caller knows (at most that many)."""
    old = before.lines
    if head is None:
        head = _common_prefix(old, lines)
    if head >= len(old) and len(old) == len(lines):
        count = len(before.ends)
        return Reading(lines, before.profile, before.ends, list(range(count)), spliced=(count, 0, count))
    if tail is None:
        tail = _common_prefix(old[head:][::-1], lines[head:][::-1])
    old_stop = len(old) - tail  # old[head:old_stop] became lines[head:len(lines) - tail]
    papers, ends = before.profile.papers, before.ends
    # Entries kept before the edit: they end (at a blank line or the end) before the first changed line.
    first = 0
    while first < len(papers) and ends[first] < head:
        first += 1
    if first == 0:
        return None  # the edit touches the header or the first entry
    # Entries kept after the edit: the blank line before each lies after the last changed line.
    last = len(papers)
    while last > first and papers[last - 1].line - 2 >= old_stop:
        last -= 1
    shift = len(lines) - len(old)
    start = ends[first - 1]
    stop = (papers[last].line - 2 if last < len(papers) else len(old)) + shift
    problems: list[Problem] = []
    middle, middle_ends = _parse_entries(_blocks(lines, start, stop), 0, path, problems)
    if problems:
        return None
    after = papers[last:]
    if shift:
        after = tuple(dataclasses.replace(p, line=p.line + shift) for p in after)
    profile = dataclasses.replace(before.profile, papers=(*papers[:first], *middle, *after))
    same = [*range(first), *[None] * len(middle), *range(last, len(papers))]
    return Reading(lines, profile, [*ends[:first], *middle_ends, *[e + shift for e in ends[last:]]], same,
                   spliced=(first, len(middle), last))


def dump(profile: Profile) -> str:
    """Seed text for a profile: the inverse of ``parse`` (used by tests and the benchmark corpus)."""
    m = profile.metrics
    head = [profile.name, "", profile.category] if profile.category else [profile.name, ""]
    for value, fmt in ((m.h_index, "h-index{}"), (m.papers_claimed, "{}papers"),
                       (m.citations, "{:,}citations"), (m.novelty_percent, "Novelty{}%"),
                       (m.ai_score, "AI Score{}")):
        if value is not None:
            head.append(fmt.format(value))
    out = head + ["", f"{len(profile.papers)} Papers", ""]
    for p in profile.papers:
        date = f"{MONTH_ABBR[p.date.month - 1]} {p.date.day}, {p.date.year}"
        authors = ", ".join(p.authors) + (" et al." if p.authors_truncated else "")
        if p.organization:
            authors += f" · {p.organization}"
        out += [f"{p.category}{date}{'Code' if p.has_code else ''}", p.title, "", authors, "", p.abstract, ""]
    return "\n".join(out)
