"""The smallest Hugo site of the same papers: a page per paper, a page per year and the home page, nothing
else (no coauthor or category pages, no cite.bib, feeds, exports or search data). The benchmark builds it
beside hugo_site's full one as a floor: what Hugo takes for the pages alone."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.hugo_site import front_matter, papers_of, write_if_changed, write_papers
from generator.model import Paper, Profile

CONFIG = """\
baseURL = "/"
title = {title}
relativeURLs = true
buildFuture = true
disableKinds = ["RSS", "sitemap", "robotsTXT", "404", "section"]
[taxonomies]
  year = "years"
[params]
  owner = {title}
"""

# One page per paper, a page per year (the "years" taxonomy) and the list of years, a home page listing all.
LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
</head>
<body>
<header><a href="{{ "index.html" | relURL }}">{{ .Site.Title }}</a>
<nav><a href="{{ "years/index.html" | relURL }}">Years</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ .Site.Params.owner }}</footer>
</body>
</html>
""",
    "partials/authors.html": """\
{{- $owner := .Site.Params.owner -}}
{{- range $i, $a := .Params.authors }}{{ if $i }}, {{ end }}{{ if eq $a $owner }}<strong>{{ $a }}</strong>\
{{ else }}{{ $a }}{{ end }}{{ end }}{{ if .Params.authors_truncated }} <span class="et-al">et al.</span>{{ end -}}
""",
    "partials/item.html": """\
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<div>{{ partial "authors.html" . }} · <time datetime="{{ .Date.Format "2006-01-02" }}">\
{{ .Date.Format "January 2, 2006" }}</time> <span title="{{ .Params.category_name }}">{{ .Params.category }}</span>\
{{ if .Params.has_code }} <span>Code</span>{{ end }}</div></li>
""",
    "index.html": """\
{{ define "main" }}
<h1>{{ .Site.Params.owner }}</h1>
<p>{{ len .Site.RegularPages }} papers listed.</p>
{{ range .Site.RegularPages.GroupByDate "2006" }}
<section><h2><a href="{{ printf "years/%s/index.html" .Key | relURL }}">{{ .Key }}</a> {{ len .Pages }} papers</h2>
<ol>{{ range .Pages }}{{ partial "item.html" . }}{{ end }}</ol></section>
{{ end }}
{{ end }}
""",
    "_default/single.html": """\
{{ define "title" }}{{ .Title }} · {{ .Site.Title }}{{ end }}
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p>{{ partial "authors.html" . }}</p>
<dl><dt>Date</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time></dd>
<dt>Category</dt><dd>{{ .Params.category }} {{ .Params.category_name }}</dd>
{{ with .Params.organization }}<dt>Organisation</dt><dd>{{ . }}</dd>{{ end }}</dl>
<section><h2>Abstract</h2>{{ .Content }}</section>
</article>
<nav>{{ with .NextInSection }}<a href="{{ .RelPermalink }}">Newer: {{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">Older: {{ .Title }}</a>{{ end }}</nav>
{{ end }}
""",
    "_default/term.html": """\
{{ define "title" }}Papers from {{ .Title }} · {{ .Site.Title }}{{ end }}
{{ define "main" }}
<h1>Papers from {{ .Title }}</h1>
<p>{{ len .Pages }} papers</p>
<ol>{{ range .Pages }}{{ partial "item.html" . }}{{ end }}</ol>
{{ end }}
""",
    "_default/taxonomy.html": """\
{{ define "title" }}Years · {{ .Site.Title }}{{ end }}
{{ define "main" }}
<h1>Years</h1>
<ul>{{ range .Data.Terms.ByTerm.Reverse }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> \
{{ .Count }} papers</li>{{ end }}</ul>
{{ end }}
""",
}


def page_text(paper: Paper) -> str:
    """A paper's content file: its fields, and the abstract as Markdown."""
    return front_matter({"title": paper.title, "date": paper.date.isoformat(), "years": [str(paper.year)],
                   "authors": list(paper.authors), "authors_truncated": paper.authors_truncated,
                   "category": paper.category, "category_name": paper.category_name,
                   "organization": paper.organization, "has_code": paper.has_code}, paper.abstract)


def write_site(folder: Path, profile: Profile) -> int:
    """Make (or bring up to date) the Hugo site in ``folder``; returns how many files were written."""
    written = write_if_changed(folder / "config.toml", CONFIG.format(title=json.dumps(profile.name, ensure_ascii=False)))
    for name, text in LAYOUTS.items():
        written += write_if_changed(folder / "layouts" / name, text)
    return written + write_papers(folder / "content" / "papers", {p.slug: page_text(p) for p in papers_of(profile)})
