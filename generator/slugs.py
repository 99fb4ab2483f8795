"""Stable, safe slugs: lowercase ASCII [a-z0-9-], bounded, never empty, never reserved."""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_LENGTH = 60
# Letters NFKD does not decompose into ASCII.
SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe",
                         "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "&": " and "})
RESERVED = {"index", "search", "con", "prn", "aux", "nul", "static", "feeds", "assets",
            *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def slugify(title: str) -> str:
    """A URL-safe slug of a title; titles with no Latin letters get a short hash."""
    text = unicodedata.normalize("NFKD", title.translate(SPECIAL))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > MAX_LENGTH:
        cut = slug[:MAX_LENGTH + 1].rfind("-")
        slug = slug[:cut if cut >= MAX_LENGTH // 2 else MAX_LENGTH].strip("-")
    if not slug:
        slug = "paper-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    if slug in RESERVED:
        slug += "-paper"
    return slug


def unique(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... whichever is not taken yet."""
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


def is_valid(slug: str) -> bool:
    """True for slugs this tool would write: safe as one path segment on any OS."""
    return bool(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)) and len(slug) <= MAX_LENGTH + 8 \
        and slug not in RESERVED
