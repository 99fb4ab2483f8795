"""Abstracts and bios to HTML: markdown-it-py with raw HTML off, safe links only, math as MathML."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http:", "https:", "mailto:")
URL_RE = re.compile(r"https?://[^\s<>\"'`]+", re.I)
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")
# Something every text linkify-it's pretest accepts contains (a schema, '//', '@', 'localhost', 'www.', an
# IP-like '.1.' or a dot before a letter, where top-level domains start): texts without it skip that slow regex.
LINK_HINT_RE = re.compile(r"(?:https?|ftp|mailto):|//|@|localhost|www\.|\.\d{1,3}\.|\.[^\W\d_]", re.I)


def is_safe_url(url: str) -> bool:
    """Only http, https and mailto links, whatever the casing, entities or hidden characters."""
    cleaned = re.sub(r"[\x00-\x20\x7f-\x9f]+", "", html.unescape(url)).lower()
    return cleaned.startswith(SAFE_SCHEMES)


def _math(latex: str, options: dict) -> str:
    return _mathml(latex, "block" if options.get("display_mode") else "inline")


@lru_cache(maxsize=4096)
def _mathml(latex: str, display: str) -> str:
    """One formula as MathML (formulas repeat across abstracts: $k$, $O(n)$; each is converted once)."""
    from latex2mathml.converter import convert as latex_to_mathml  # imported when first needed

    try:
        mathml = latex_to_mathml(latex, display=display)
    except Exception:  # latex2mathml raises many kinds of errors on odd input: show the source instead
        return f"<code class=\"math-source\">{html.escape(latex)}</code>"
    if any(bad in mathml.lower() for bad in ("<script", "href", "javascript:")):
        return f"<code class=\"math-source\">{html.escape(latex)}</code>"
    return mathml


def _inline_math(latex: str, options: dict) -> str:
    return _math(latex, {**options, "display_mode": False})


def _block_math(latex: str, options: dict) -> str:
    return _math(latex, {**options, "display_mode": True})


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    return make_parser()


def make_parser(quick: bool = True) -> MarkdownIt:
    """The Markdown parser; ``quick``: linkify-it's slow regular expressions run only on texts that
    contain what every link contains (LINK_HINT_RE). Its pretest only decides which texts the linkify
    rule looks at, so the hint (which accepts more) replaces it, and its test runs only where the hint
    matches (test implies pretest implies the hint): the HTML is the same either way."""
    from markdown_it import MarkdownIt  # imported when first needed: a build with nothing to render skips it
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable("linkify")
    if quick:
        slow_test = md.linkify.test
        md.linkify.pretest = lambda text: bool(LINK_HINT_RE.search(text))
        md.linkify.test = lambda text: bool(LINK_HINT_RE.search(text)) and slow_test(text)
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True, renderer=_inline_math)
    md.add_render_rule("math_block", lambda self, tokens, idx, options, env:
                       f"<div class=\"math\">{_block_math(tokens[idx].content, {})}</div>\n")
    md.add_render_rule("math_block_label", lambda self, tokens, idx, options, env:
                       f"<div class=\"math\">{_block_math(tokens[idx].content, {})}</div>\n")
    return md


def render(text: str) -> str:
    """Markdown to safe HTML."""
    return parser().render(text or "")


@lru_cache(maxsize=256)  # a page asks for its abstract's plain text several times (description, og, JSON-LD)
def plain(text: str, limit: int = 0) -> str:
    """Text without markup, collapsed spaces, cut at a word near ``limit`` (for descriptions, snippets)."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if limit and len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit].rstrip(" ,;:.") + "…"
    return text


def urls(text: str) -> list[str]:
    """The http(s) URLs in a text, without trailing punctuation."""
    out = []
    for url in URL_RE.findall(text or ""):
        url = url.rstrip(".,;:!?")
        while url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        out.append(url)
    return out


def find_code_url(abstract: str, has_code: bool) -> str:
    """The code repository an abstract names: a known code host first, else any URL if the seed says Code."""
    found = urls(abstract)
    for url in found:
        if any(host in url.lower() for host in CODE_HOSTS):
            return url
    return found[0] if has_code and found else ""
