"""Slugs, site.yaml validation and markdown safety."""

from __future__ import annotations


import pytest

from generator import markup, slugs
from generator.config import load_config
from generator.errors import InputError
from watchkit import run_python


@pytest.mark.parametrize("title, slug", [
    ("Segment Anything", "segment-anything"),
    ("SAM 2: Segment Anything in Images and Videos", "sam-2-segment-anything-in-images-and-videos"),
    ("Piotr Dollár's Straße & Łódź", "piotr-dollar-s-strasse-and-lodz"),
    ("../../etc/passwd", "etc-passwd"),
    ("index", "index-paper"),
    ("CON", "con-paper"),
])
def test_slugify(title, slug):
    assert slugs.slugify(title) == slug
    assert slugs.is_valid(slug)


def test_slugs_are_bounded_and_never_empty():
    long = slugs.slugify("word " * 200)
    assert len(long) <= slugs.MAX_LENGTH and slugs.is_valid(long)
    empty = slugs.slugify("🙂 ??? 日本語")
    assert empty.startswith("paper-") and slugs.is_valid(empty)
    assert slugs.slugify("🙂 ??? 日本語") == empty  # deterministic
    assert slugs.unique("a", {"a", "a-2"}) == "a-3"


def test_config_unknown_key_suggests_the_closest(tmp_path):
    (tmp_path / "site.yaml").write_text("title: Me\nbase_ulr: https://x.org\n")
    with pytest.raises(InputError) as info:
        load_config(tmp_path)
    assert str(info.value) == "site.yaml:2: unknown key 'base_ulr'; did you mean 'base_url'?"


def test_config_types_and_base_url(tmp_path):
    (tmp_path / "site.yaml").write_text("title: [a, b]\nbase_url: ftp://x\n")
    with pytest.raises(InputError) as info:
        load_config(tmp_path)
    assert [p.line for p in info.value.problems] == [1, 2]
    (tmp_path / "site.yaml").write_text("base_url: https://example.org/~me\n")
    assert load_config(tmp_path).base_url == "https://example.org/~me/"


def test_config_yaml_syntax_error_has_line_and_column(tmp_path):
    (tmp_path / "site.yaml").write_text("title: Me\ntheme: [scholar\n")
    with pytest.raises(InputError) as info:
        load_config(tmp_path)
    assert str(info.value).startswith("site.yaml:3:1: YAML syntax error")


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)",
                                  "&#106;avascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
                                  "vbscript:msgbox(1)", "file:///etc/passwd"])
def test_markdown_drops_unsafe_links(link):
    html = markup.render(f"[click]({link})")
    assert "<a " not in html


def test_markdown_keeps_safe_links_and_escapes_html():
    html = markup.render("see https://example.org and [mail](mailto:a@b.org) <img src=x onerror=alert(1)> {{ 7*7 }}")
    assert '<a href="https://example.org">' in html and '<a href="mailto:a@b.org">' in html
    assert "<img" not in html and "&lt;img" in html and "{{ 7*7 }}" in html


def test_math_becomes_mathml_and_dollars_stay_money():
    assert "<math" in markup.render(r"about $O(\sqrt{s})$ more")
    assert "<math" not in markup.render("it costs $5 or $10")


def test_math_in_a_fresh_process_converts_and_latex2mathml_still_knows_its_version():
    """The converter is loaded without latex2mathml's __init__ (markup.latex_converter): formulas still
    become MathML, the package still answers __version__, and importlib.metadata is read only for that."""
    script = ("import sys; from generator import markup; html = markup.render(r'about $O(\\sqrt{s})$ more');"
              "print('<msqrt>' in html, 'importlib.metadata' in sys.modules);"
              "import latex2mathml, importlib.metadata as m;"
              "print(latex2mathml.__version__ == m.version('latex2mathml'))")
    assert run_python(script).split() == ["True", "False", "True"]


def test_math_in_a_fresh_process_does_not_import_the_web_client_and_saxutils_still_finds_it():
    """xml.sax.saxutils, which the converter imports, imports urllib.request (and http.client, email, ssl)
    for a function the converter does not call: it stands deferred (markup.Deferred) until first used."""
    script = ("import sys; from generator import markup; html = markup.render(r'about $O(\\sqrt{s})$ more');"
              "print('<msqrt>' in html, 'http.client' in sys.modules, 'urllib.request' in sys.modules);"
              "import xml.sax.saxutils as su; print(su.urllib.request.url2pathname('a%20b'));"
              "import urllib.request; print(urllib.request.Request('http://x.org/a').host, 'http.client' in sys.modules)")
    assert run_python(script).split() == ["True", "False", "False", "a", "b", "x.org", "True"]


def test_a_plain_abstract_is_rendered_without_importing_markdown_it():
    """Its import and setup are a tenth of a 50-paper build: links, math and stars between letters (the
    real seed's 'p*p ... 3*3') are rendered without it."""
    script = ("import sys; from generator import markup;"
              "html = markup.render('We present a plain abstract, e.g. this one, at https://x.org/a.');"
              "math = markup.render('We scale by $O(\\sqrt{s})$ with a p*p stem and 3*3 kernels.');"
              "print('<a href=' in html, '<math' in math and '<em>' in math, 'markdown_it' in sys.modules)")
    assert run_python(script).split() == ["True", "True", "False"]


def test_code_url():
    assert markup.find_code_url("Code is at https://github.com/a/b.", False) == "https://github.com/a/b"
    assert markup.find_code_url("See https://x.org/p.", True) == "https://x.org/p"
    assert markup.find_code_url("See https://x.org/p.", False) == ""
