"""Abstracts and bios to HTML: markdown-it-py with raw HTML off, safe links only, math as MathML."""

from __future__ import annotations

import html
import importlib.util
import re
import sys
import types
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http:", "https:", "mailto:")
URL_RE = re.compile(r"https?://[^\s<>\"'`]+", re.I)
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")
# Something every text linkify-it's pretest accepts contains (a schema, '//', '@', 'localhost', 'www.', an
# IP-like '.1.' or a dot before a letter, where top-level domains start): texts without it skip that slow regex.
LINK_HINT = r"(?:https?|ftp|mailto):|//|@|localhost|www\.|\.\d{1,3}\.|\.[^\W\d_]"
LINK_HINT_RE = re.compile(LINK_HINT, re.I)
# A character of each match of LINK_HINT_RE but 'localhost' (the colon of a schema, the dot of 'www.'), found
# ten times sooner: each branch starts with a character, not a letter under re.I (which sre tries branch
# by branch at every character, about 100 µs in a 1,000-character abstract).
HINT_MARK_RE = re.compile(r":(?<=(?i:https):)|:(?<=(?i:http):)|:(?<=(?i:ftp):)|:(?<=(?i:mailto):)|//|@"
                          r"|\.(?<=(?i:www)\.)|\.\d{1,3}\.|\.[^\W\d_]")
# What LINK_HINT looks for but a dot before letters: a word with none of it, and one letter after each
# dot, holds nothing linkify-it links (a fuzzy link needs a top-level domain, and none has one letter).
LINKABLE_RE = re.compile(r"(?:https?|ftp|mailto):|//|@|localhost|www\.|\.\d{1,3}\.", re.I)


def link_hints(text: str):
    """Matches in each word of ``text`` (between spaces) that holds a match of LINK_HINT_RE, in order: at
    least one in each such word, and none in others (a match holds no space). HINT_MARK_RE's, unless the
    text may hold 'localhost' (lower() maps every character re.I matches its letters with to them)."""
    return (LINK_HINT_RE if "localho" in text.lower() else HINT_MARK_RE).finditer(text)


def link_hint(text: str) -> bool:
    """Whether LINK_HINT_RE finds something in ``text`` (sooner, see link_hints)."""
    return next(link_hints(text), None) is not None


def has_any(text: str, chars: str) -> bool:
    """Whether ``text`` has one of ``chars`` (a handful of them: ten times sooner than a character set's
    regular expression, which sre tests character by character)."""
    return any(c in text for c in chars)


DOT_LETTERS_RE = re.compile(r"\.([^\W\d_]+)")
# A word that is one plain web address, maybe with a full stop or comma after it: linkify links the address
# (its normalizers give it back unchanged, see PLAIN_URL_RE) and leaves the mark as text (a property test).
LABEL = r"[a-z0-9]{1,16}(?:-[a-z0-9]{1,16})?"  # (a host's label, short and with no '--': up to 4 and a TLD)
SIMPLE_LINK_RE = re.compile(rf"(https?://{LABEL}(?:\.{LABEL}){{0,3}}\.[a-z]{{2,6}}(?:/[A-Za-z0-9_-]+)*/?)([.,;!?]?)")
# A web address markdown-it's normalizeLink and normalizeLinkText give back unchanged (no punycode, nothing
# to percent-encode or decode): tests/unit/test_linkify_pretest.py checks it.
PLAIN_URL_RE = re.compile(r"https?://(?!.*xn--)[a-z0-9][a-z0-9.-]*(?::[0-9]{1,5})?(?:/[A-Za-z0-9/_.~-]*)?")


def may_link(text: str) -> bool:
    """False for a text linkify-it finds no link in for sure: it has none of LINKABLE_RE's marks, and
    each dot before letters has one letter only ('e.g.', 'w.r.t.'; a fuzzy link needs a top-level domain,
    and none has one letter). Its test compiles large regular expressions the first time (50 ms)."""
    return bool(LINKABLE_RE.search(text)) or any(len(m.group(1)) > 1 for m in DOT_LETTERS_RE.finditer(text))


def is_safe_url(url: str) -> bool:
    """Only http, https and mailto links, whatever the casing, entities or hidden characters."""
    cleaned = re.sub(r"[\x00-\x20\x7f-\x9f]+", "", html.unescape(url)).lower()
    return cleaned.startswith(SAFE_SCHEMES)


def _math(latex: str, options: dict) -> str:
    return _mathml(latex, "block" if options.get("display_mode") else "inline")


@lru_cache(maxsize=4096)
def _mathml(latex: str, display: str) -> str:
    """One formula as MathML (formulas repeat across abstracts: $k$, $O(n)$; each is converted once)."""
    try:
        mathml = latex_converter()(latex, display=display)
    except Exception:  # latex2mathml raises many kinds of errors on odd input: show the source instead
        return f"<code class=\"math-source\">{html.escape(latex)}</code>"
    if any(bad in mathml.lower() for bad in ("<script", "href", "javascript:")):
        return f"<code class=\"math-source\">{html.escape(latex)}</code>"
    return mathml


@lru_cache(maxsize=1)
def latex_converter() -> Callable[..., str]:
    """latex2mathml's convert, imported when first needed, without two imports it makes and does not
    use. The package's __init__ only sets __version__ from the installed metadata (importing
    importlib.metadata for that takes 20 ms): the package is set up without running it, and reads its
    version when asked. Its converter takes ``unescape`` from xml.sax.saxutils, which imports
    urllib.request (and with it http.client, email and ssl: 15 ms) for a function the converter does not
    call: urllib.request is imported when first used (Deferred). Should the package's modules ever need
    more of its __init__, the import fails and the package is imported as usual."""
    if "latex2mathml" not in sys.modules:
        spec = importlib.util.find_spec("latex2mathml")
        if spec is not None and spec.submodule_search_locations:
            package = importlib.util.module_from_spec(spec)
            package.__getattr__ = _latex2mathml_version  # type: ignore[attr-defined]
            sys.modules["latex2mathml"] = package
    with Deferred.standing_in("urllib.request"):
        try:
            from latex2mathml.converter import convert
        except ImportError:
            for name in [name for name in sys.modules if name.partition(".")[0] == "latex2mathml"]:
                del sys.modules[name]
            from latex2mathml.converter import convert
    return convert


class Deferred(types.ModuleType):
    """A stand-in for a module, imported for real when any of its attributes is first asked for."""

    def __getattr__(self, name: str):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)

    @classmethod
    @contextmanager
    def standing_in(cls, name: str):
        """Within the block, an import of ``name`` (not imported yet) gets a stand-in; after it, the next
        import of it imports it."""
        if name in sys.modules:
            yield
            return
        parent, _, child = name.rpartition(".")
        stand_in = sys.modules[name] = cls(name)
        setattr(importlib.import_module(parent), child, stand_in)  # (what an import sets, for 'parent.child')
        try:
            yield
        finally:
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


def _latex2mathml_version(name: str) -> str:
    if name != "__version__":
        raise AttributeError(f"module 'latex2mathml' has no attribute {name!r}")
    from importlib import metadata

    return metadata.version("latex2mathml")


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
    rule looks at, so the hint (which accepts more) replaces it, and its test runs only where a link may
    be (test implies may_link): the HTML is the same either way."""
    from markdown_it import MarkdownIt  # imported when first needed: a build with nothing to render skips it
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable("linkify")
    if quick:
        slow_test = md.linkify.test
        md.linkify.pretest = link_hint
        md.linkify.test = lambda text: may_link(text) and slow_test(text)
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    if quick:  # a plain web address comes out of markdown-it's URL normalizers as it went in
        link, text = md.normalizeLink, md.normalizeLinkText
        md.normalizeLink = lambda url: url if PLAIN_URL_RE.fullmatch(url) else link(url)  # type: ignore[method-assign]
        md.normalizeLinkText = lambda url: url if PLAIN_URL_RE.fullmatch(url) else text(url)  # type: ignore
    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True, renderer=_inline_math)
    md.add_render_rule("math_block", lambda self, tokens, idx, options, env:
                       f"<div class=\"math\">{_block_math(tokens[idx].content, {})}</div>\n")
    md.add_render_rule("math_block_label", lambda self, tokens, idx, options, env:
                       f"<div class=\"math\">{_block_math(tokens[idx].content, {})}</div>\n")
    return md


def render(text: str) -> str:
    """Markdown to safe HTML."""
    if text:
        quick = quick_render(text)
        if quick is not None:
            return quick
    return parser().render(text or "")


# Outside math, what any inline rule but text and linkify could act on (escapes, code, emphasis, links,
# images, autolinks, entities, line breaks): a paragraph without these is text, links and math.
NOT_PLAIN = "\\`*_[]<&\n\r\x00"
BLOCK_BREAK = "\n\r\x00"  # anywhere, math included: more than one line, or NUL
# Of those marks, the ones that act only in company (see inert): '<' starts an autolink only up to a '>' with
# no space, control character or '<' between; '&' an entity only as '&#...' or '&name;'; an underscore run
# between letters or digits neither opens nor closes emphasis (CommonMark's rule for '_').
ACTIVE = "\\[]"
AUTOLINK_LIKE_RE = re.compile(r"<[^<>\x00-\x20]*>")
ENTITY_LIKE_RE = re.compile(r"&(?:#|[a-z][a-z0-9]*;)", re.I)
INTRAWORD_RE = re.compile(r"(?<=[^\W_])_+(?=[^\W_])")
# A single star between ASCII letters or digits ('p*p', '3*3') both opens and closes emphasis (CommonMark's
# flanking rules): when every star of the paragraph is one, they pair up in order, and an odd last one is text.
INTRAWORD_STAR_RE = re.compile(r"(?<=[A-Za-z0-9])\*(?=[A-Za-z0-9])")
# markdown-it's isWhiteSpace (what dollarmath asks of the characters beside a dollar) as a set of characters:
# importing it would import all of markdown-it (tests/unit/test_linkify_pretest.py checks that they agree).
MD_WHITESPACE = frozenset("\t\n\x0b\x0c\r \xa0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B))))


def quick_render(text: str) -> str | None:
    """What ``parser().render(text)`` makes, for the usual abstract (one paragraph of text, links, ``$math$``
    and stars between letters), without running markdown-it over all of it; None for anything else (then
    markdown-it renders it). Math is found as dollarmath's inline rule finds it (math_spans); the text
    between is escaped as markdown-it escapes text, and a piece where a link may be is rendered by
    markdown-it's own inline parser (it is parsed the same alone as in the paragraph: links start after the
    last token). Stars between letters or digits become emphasis in pairs (emphasis_stars)."""
    if not text[0].isalpha() or text[-1].isspace() or has_any(text, BLOCK_BREAK):
        return None  # (one line that starts like no block but a paragraph, and ends with no space)
    spans = math_spans(text)
    bounds = [*spans, (len(text), len(text), False, "")]
    pieces = []
    at = 0
    for start, stop, _, _ in bounds:
        pieces.append(text[at:start])
        at = stop
    stars = emphasis_stars(pieces)
    parts: list[str] = []
    for piece, (start, _, double, latex) in zip(pieces, bounds):
        if piece:
            if has_any(piece, NOT_PLAIN) and not inert(piece, text, stars):
                return None
            if link_hint(piece):
                if "$" in piece:
                    return None  # (a link could take the dollar in: markdown-it decides)
                linked = links(piece, before_math=start < len(text))
                if linked is None:
                    return None
                parts.append(linked)
            else:
                parts.append(escape(piece))
            if stars and "*" in piece:
                parts[-1] = re.sub(r"\*", lambda _: next(stars), parts[-1])
        if latex:
            tag = "div" if double else "span"
            parts.append(f'<{tag} class="math inline">{_mathml(latex.strip(), "inline")}</{tag}>')
    return "<p>" + "".join(parts) + "</p>\n"


def emphasis_stars(pieces: list[str]):
    """What each star of the paragraph's text (``pieces``: the text between math) becomes, in order, when
    every one is a single star between ASCII letters or digits and no word with a star may hold a link:
    ``<em>`` and ``</em>`` in turn (each such star may open and close emphasis, and a closer takes the
    nearest opener), an odd last one staying a star; None otherwise (inert decides)."""
    count = sum(piece.count("*") for piece in pieces)
    if count < 2 or count != sum(len(INTRAWORD_STAR_RE.findall(piece)) for piece in pieces):
        return None
    if any(link_hint(word) for piece in pieces if "*" in piece for word in piece.split(" ") if "*" in word):
        return None  # (linkify, which a star splits the text for, decides)
    return iter(["<em>", "</em>"] * (count // 2) + ["*"] * (count % 2))


def inert(piece: str, text: str, stars=None) -> bool:
    """Whether every mark of NOT_PLAIN in ``piece`` (text between math in ``text``) is one markdown-it
    leaves as text: a backtick or star when all of the paragraph's form one run (a code span needs a
    closing run, emphasis a second delimiter run); '<' and '&' when nothing in the paragraph looks like an
    autolink or an entity; an underscore between letters or digits, or inside a word that is a plain web
    address (SIMPLE_LINK_RE: linkify takes the word whole). Stars are left to quick_render when
    ``stars`` (see emphasis_stars). No escapes, brackets or line breaks."""
    if has_any(piece, ACTIVE):
        return False
    for mark in "`" if stars else "`*":
        if mark in piece and mark * text.count(mark) not in text:
            return False
    if "<" in piece and AUTOLINK_LIKE_RE.search(text) or "&" in piece and ENTITY_LIKE_RE.search(text):
        return False
    return "_" not in piece or all("_" not in INTRAWORD_RE.sub("", word) or SIMPLE_LINK_RE.fullmatch(word)
                                   for word in piece.split(" "))


def escape(text: str) -> str:
    """Text as markdown-it escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    return text.replace(">", "&gt;").replace('"', "&quot;")


def links(piece: str, before_math: bool) -> str | None:
    """A piece of paragraph text where links may be, rendered as markdown-it renders it: a link holds no
    space, so each word with the hint of one goes through markdown-it's inline parser on its own (linkify
    looks no further back than a space); None when a word that may hold a link touches math (in the
    paragraph the link could go on into it, and where it ends depends on what follows), and when a word's
    link is found by linkify-it's match but not by its test: markdown-it tests each text token once and
    then links whatever match finds, so such a word is linked beside an address that passes the test
    ('We.com<' beside 'a@b.io') and not beside a link of the inline rule ('x.org<' beside 'https://a.io',
    which begins a token of its own)."""
    out = []
    at = 0  # where the text not yet rendered starts (after a word, at a space)
    for hint in link_hints(piece):
        if hint.start() < at:
            continue  # (in the word just rendered)
        begin = piece.rfind(" ", 0, hint.start()) + 1
        end = piece.find(" ", hint.end())
        end = len(piece) if end < 0 else end
        if before_math and end == len(piece):
            return None
        word = piece[begin:end]
        simple = SIMPLE_LINK_RE.fullmatch(word)
        if simple:  # the usual 'https://github.com/a/b.': what linkify makes of it, without its expressions
            url = simple.group(1)
            out += [escape(piece[at:begin]), f'<a href="{url}">{url}</a>', simple.group(2)]
        elif not may_link(word):
            out.append(escape(piece[at:end]))  # 'e.g.,' 'w.r.t.': no top-level domain has one letter
        else:
            md = parser()
            if not md.linkify.test(word) and md.linkify.match(word):
                return None
            out += [escape(piece[at:begin]), md.renderer.render(md.parseInline(word), md.options, {})]
        at = end
    out.append(escape(piece[at:]))
    return "".join(out)


def math_spans(src: str) -> list[tuple[int, int, bool, str]]:
    """(start, stop, double, latex) of each span of inline math, as mdit_py_plugins' dollarmath rule
    (allow_space=False, allow_digits=False, double_inline=True) takes them when markdown-it's inline parser
    tries it at every dollar it reaches (one it rejects is text, and the next is tried)."""
    if "$" not in src:
        return []

    def escaped(at: int) -> bool:  # dollarmath's is_escaped, index for index
        backslashes = 0
        while at >= 0:
            at -= 1
            if src[at] == "\\":
                backslashes += 1
            else:
                break
        return bool(backslashes) and backslashes % 2 != 0

    spans = []
    pos = 0
    while (p := src.find("$", pos)) >= 0:
        pos = p + 1
        if p + 1 >= len(src) or src[p + 1] in MD_WHITESPACE or src[p - 1].isdigit() or escaped(p):
            continue
        double = src[p + 1] == "$"
        end, look = -1, p + 1 + double
        while (found := src.find("$", look)) >= 0:
            look = found + 1
            if escaped(found):
                continue
            if double:
                if found + 1 >= len(src):
                    break  # (dollarmath gives up at the end of the text)
                if src[found + 1] != "$":
                    continue
                found += 1
            end = found
            break
        if end < 0 or src[end - 1] in MD_WHITESPACE or (end + 1 < len(src) and src[end + 1].isdigit()):
            continue
        latex = src[p + 2:end - 1] if double else src[p + 1:end]
        if latex:
            spans.append((p, end + 1, double, latex))
            pos = end + 1
    return spans


@lru_cache(maxsize=256)  # a page asks for its abstract's plain text several times (description, og, JSON-LD)
def plain(text: str, limit: int = 0) -> str:
    """Text without markup, collapsed spaces, cut at a word near ``limit`` (for descriptions, snippets)."""
    text = " ".join((text or "").split())  # (str.split splits where \\s+ matches)
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
