"""YAML in and out: the safe loader only, with line numbers for every error, stable dumps. PyYAML is
imported when first needed (20 to 35 ms): a build with nothing to do parses no YAML (see load_settings)."""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache

from . import store
from .errors import InputError, Problem


@lru_cache(maxsize=1)
def pyyaml():
    """PyYAML, and its safe loader and dumper: libyaml's where it has them."""
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader), getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(text: str, path: str) -> tuple[object, dict[str, int]]:
    """Parse YAML safely; return the data and the line of each top-level key."""
    yaml, loader_class, _ = pyyaml()
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[str, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key, _ in node.value:
                name = str(key.value)
                if name in lines:
                    raise InputError(Problem(path, key.start_mark.line + 1,
                                             f"the key '{name}' appears twice (first on line {lines[name]}); "
                                             "keep one", key.start_mark.column + 1))
                lines[name] = key.start_mark.line + 1
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = err.problem or "invalid YAML"
        if "could not determine a constructor" in what:
            what = f"the tag {what.split('tag', 1)[-1].strip()} is not allowed; content holds plain text, numbers and lists"
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise InputError(Problem(path, line, f"YAML syntax error: {what}", col)) from None
    except yaml.YAMLError as err:
        raise InputError(Problem(path, 0, f"YAML error: {err}")) from None
    finally:
        loader.dispose()


def load_settings(text: str, path: str) -> tuple[object, dict[str, int]]:
    """load() for a settings file (site.yaml, theme.yaml), parsed once: what it gave is kept in the user's
    cache (store.user_cache_dir) by the digest of the text, so that a build whose settings are as before
    imports no YAML library. Kept only when JSON gives it back the same (not dates, or keys that are not
    text), and only what parsed without a problem; writing one removes those written a week ago or more."""
    folder = store.user_cache_dir("settings")
    kept = folder / f"{store.digest(text)}.json" if folder is not None else None
    if kept is not None:
        try:
            found = json.loads(kept.read_bytes())
        except (OSError, ValueError):
            found = None
        if isinstance(found, list) and len(found) == 2 and isinstance(found[1], dict):
            return found[0], found[1]
    data, lines = load(text, path)
    if kept is not None:
        temporary = kept.with_name(f"{kept.name}.{os.getpid()}")
        try:
            encoded = json.dumps([data, lines], ensure_ascii=False, allow_nan=False)
            if json.loads(encoded) == [data, lines]:
                temporary.write_text(encoded, encoding="utf-8")
                os.replace(temporary, kept)
                store.prune(kept.parent, "", keep=kept.name)  # (settings of long ago: one file per text)
        except (TypeError, ValueError):  # (not JSON: parsed each time)
            pass
        except OSError:  # (nowhere to write it)
            temporary.unlink(missing_ok=True)
    return data, lines


WIDTH = 100


def dump(data: dict) -> str:
    """Block-style YAML in the dict's own key order; strings that look like other types stay quoted."""
    quick = quick_dump(data)
    if quick is not None:
        return quick
    yaml, _, dumper_class = pyyaml()
    return yaml.dump(data, Dumper=dumper_class, sort_keys=False, allow_unicode=True, width=WIDTH,
                     default_flow_style=False)


# What quick_dump writes itself: a flat mapping of plain keys to text, booleans, integers, None and lists
# of text, in libyaml's block style (PyYAML's Python representer takes 0.15 ms a paper file: 1.5 s of a
# 10,000-paper import). Text with a character libyaml would escape or break on (controls, tabs, line
# breaks, a BOM, characters beyond U+FFFF) goes to PyYAML, and so does anything else. (Written as the
# characters it refuses: the class of those it accepts took 10 ms to compile, 2% of a 50-paper build.)
SIMPLE_TEXT_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]")
KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")  # (libyaml writes a key of 128 characters or more as '? key')
STR_TAG = "tag:yaml.org,2002:str"


def quick_dump(data: dict) -> str | None:
    """``data`` as yaml.dump writes it (see dump), or None when it holds anything but the simple shapes."""
    if not data:
        return None
    out = []
    for key, value in data.items():
        if type(key) is not str or not plain_key(key):
            return None
        kind = type(value)
        if kind is str:
            text = scalar(value, len(key) + 1)
            if text is None:
                return None
            out += (key, ":", text, "\n")
        elif kind is bool:
            out += (key, ": true\n" if value else ": false\n")
        elif kind is int:
            out += (key, ": ", str(value), "\n")
        elif value is None:
            out += (key, ": null\n")
        elif kind is list:
            if not value:
                out += (key, ": []\n")
                continue
            out += (key, ":\n")
            for item in value:
                text = scalar(item, 1) if type(item) is str else None
                if text is None:
                    return None
                out += ("-", text, "\n")
        else:
            return None
    return "".join(out)


@lru_cache(maxsize=1)
def resolver():
    """PyYAML's resolver, and the first characters of the plain values it reads as more than text."""
    yaml = pyyaml()[0]
    found = yaml.resolver.Resolver()
    return found, frozenset(found.yaml_implicit_resolvers), yaml.ScalarNode


def resolves_to_text(value: str) -> bool:
    """Whether ``value`` written plain reads back as text (not true, null, 12, 1.5, 2021-04-29, ...)."""
    found, first, node = resolver()
    return value[:1] not in first or found.resolve(node, value, (True, False)) == STR_TAG


@lru_cache(maxsize=256)
def plain_key(key: str) -> bool:
    return bool(KEY_RE.fullmatch(key)) and resolves_to_text(key)


def plain_allowed(value: str) -> bool:
    """libyaml's analysis for a plain scalar in block context, for text with no line break, tab or
    control character: no space at either end, no indicator first, no ': ' or ' #' (or ':' at the end)."""
    first = value[0]
    return not (first == " " or value[-1] == " " or value.startswith(("---", "..."))
                or first in "#,[]{}&*!|>'\"%@`" or (first in "?-" and (len(value) == 1 or value[1] == " "))
                or ": " in value or value[-1] == ":" or " #" in value)


def scalar(value: str, column: int) -> str | None:
    """A text value as libyaml writes it after ``column`` characters (the key and ':', or '-'): plain when
    it reads back as text, else single-quoted; folded at single spaces once a line passes WIDTH (the
    space becomes a line break and an indent of two); None for text quick_dump leaves to PyYAML."""
    if SIMPLE_TEXT_RE.search(value):
        return None
    if not value:
        return " ''"
    if plain_allowed(value) and resolves_to_text(value):
        return " " + fold(value, column + 1, len(value))
    quoted = value.replace("'", "''")
    return " '" + fold(quoted, column + 2, len(quoted) - 1) + "'"


def fold(text: str, column: int, last: int) -> str:
    """``text`` written from ``column`` on, where a single space (not part of a longer run) at a position
    before ``last`` becomes a line break and an indent of two when the line has passed WIDTH, as libyaml's
    emitter folds (it breaks a quoted text at neither end: its first character is never past WIDTH here,
    as keys have at most 64 characters, and ``last`` keeps the end)."""
    size = len(text)
    if column + size <= WIDTH + 1:
        return text  # (no space comes after column WIDTH)
    out = []
    start = 0
    while True:
        at = text.find(" ", start + WIDTH + 1 - column)  # the first space past WIDTH
        while at >= 0 and (text[at - 1] == " " or text[at + 1:at + 2] == " "):
            while at < size and text[at] == " ":
                at += 1  # (a run of spaces is written as it is)
            at = text.find(" ", at)
        if at < 0 or at >= last:
            break
        out += (text[start:at], "\n  ")
        start, column = at + 1, 2
    out.append(text[start:])
    return "".join(out)
