"""The Jinja environment: theme lookup chain, StrictUndefined, autoescape always on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import markup, views
from .jsontext import script_json
from .errors import Problem
from .model import category_name
from .store import user_cache_dir
from .themes import Theme

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def long_date(value: dt.date) -> str:
    """'April 5, 2023', in English whatever the locale."""
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


class SafeBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled-template cache, where a cache that cannot be read or written only costs time."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged or foreign cache file: compile the template again
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template_cache_dir() -> Path | None:
    """Where compiled templates and their dependencies are kept, per user like Python's __pycache__ (a
    template is compiled again when its source changes; one folder per scholarsite code version, as the
    compiler's options are code); None when there is no writable place."""
    return user_cache_dir("templates")


def bytecode_cache() -> jinja2.BytecodeCache | None:
    folder = template_cache_dir()
    return SafeBytecodeCache(str(folder)) if folder else None


class Fragments:
    """HTML many pages repeat (a paper's entry in every list that shows it), made once: in a template,
    ``{% call fragment(paper, root, highlight) %}...{% endcall %}`` stands for the block's output, made the
    first time this very object (the first argument) is seen with equal other arguments (so an edited
    paper is made again). What else a block reads must be the same on every page of a build;
    ``next_build(key)`` keeps the fragments of the build before while ``key`` (the settings and the
    profile) stays the same. A views.PaperMemo keeps them."""

    def __init__(self) -> None:
        self.key = ""
        self.made = views.PaperMemo()

    def next_build(self, key: str) -> None:
        if key != self.key:
            self.made, self.key = views.PaperMemo(), key
        self.made.next_build()

    def __call__(self, first, *rest, caller):
        return self.made.get("fragment", lambda *_: caller(), first, *rest)

    def each(self, papers, macro, *rest) -> Markup:
        """``macro(paper, *rest)`` for each paper, each followed by a newline, each made once as the call
        block above makes it (a list of 4,000 papers is then joined, not rendered entry by entry)."""
        code = getattr(getattr(macro, "_func", None), "__code__", None)  # the same while its template is
        which = id(code) if code is not None else id(macro)
        get = self.made.get

        def make(paper, _which, *args) -> str:
            return str(macro(paper, *args))
        parts = [get("fragment", make, paper, which, *rest) for paper in papers]
        return Markup("\n".join(parts) + "\n" if parts else "")


def environment(theme: Theme, site_dir: Path) -> jinja2.Environment:
    """Templates from the site's own ``templates/`` first, then the theme chain."""
    search = [site_dir / "templates"] if (site_dir / "templates").is_dir() else []
    search += theme.template_dirs
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=bytecode_cache(),
    )
    env.filters["markdown"] = lambda text: Markup(markup.render(text))
    env.filters["plain"] = markup.plain
    env.filters["long_date"] = long_date
    env.filters["category_name"] = category_name
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["script_json"] = lambda value: Markup(script_json(value))
    env.globals["fragment"] = Fragments()
    env.globals["fragments"] = env.globals["fragment"].each
    return env


def template_problem(err: Exception, fallback: str, env: jinja2.Environment | None = None) -> Problem:
    """Where a template error happened, as a Problem (a missing template lists the ones there are)."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return Problem(err.filename or err.name or fallback, err.lineno or 0, f"template syntax error: {err.message}")
    if isinstance(err, jinja2.TemplateNotFound):
        known = sorted(t for t in env.list_templates() if t.endswith(".html")) if env else []
        listing = f"; available: {', '.join(known)}" if known else ""
        return Problem(fallback, 0, f"template '{err.name}' not found in the theme or the site's templates/{listing}")
    tb = err.__traceback__
    line, filename = 0, fallback
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith((".html", ".xml", ".js", ".txt")):
            filename, line = code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return Problem(filename, line, f"template error: {type(err).__name__}: {err}")
