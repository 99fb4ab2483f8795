"""A Hugo site with scholarsite's page set, made from the same profile (for the benchmark).

It holds what scholarsite's build writes, made the way a Hugo user would make it:

* a page per paper (``papers/<slug>/``: Google Scholar ``citation_*``, OpenGraph and JSON-LD tags, authors
  with each coauthor linked to their page, category, organisation, code link, the abstract, the BibTeX
  entry, newer/older links, related papers through ``[related]``, breadcrumbs) and its ``cite.bib`` (a
  custom output format);
* three taxonomies, each with a page per term and a list of the terms with counts: ``years``,
  ``categories`` (term pages named by content files: the code and its name, each with an RSS feed) and
  ``coauthors`` (every author but the owner, under the same names);
* a home page of the newest 500 papers grouped by year (with abstracts, profile, metrics and a chart of
  papers per year), the RSS feed of the newest 20 (``feed.xml``), ``publications.bib`` and
  ``publications.json`` (CSL-JSON) of every paper, ``search-data.json`` (every paper's title, authors,
  year, category and abstract, for lunr.js in the browser), ``sitemap.xml``, ``robots.txt``,
  ``search.html``, ``404.html`` and the theme's style sheet and scripts.

The BibTeX entries and their keys, the CSL-JSON items (but their abstracts) and the title words related
papers are found by are made here with scholarsite's own functions and passed in front matter (as Hugo
users write ``keywords``); Hugo finds and lays out everything else. The math in abstracts stays TeX
(Hugo 0.111 has no math rendering; scholarsite writes MathML).
"""

from __future__ import annotations

import json
from pathlib import Path

from generator import bibtex, exports, slugs
from generator.markup import find_code_url
from generator.model import Paper, Profile, category_name, name_key, sort_papers
from generator.pages import HOME_LIMIT
from generator.views import MAX_POSTING, RELATED_LIMIT, title_terms

THEME_STATIC = Path(__file__).resolve().parent.parent / "themes" / "scholar" / "static"
COPIED_STATIC = ("style.css", "favicon.svg", "theme.js", "cite.js", "filters.js", "lunr.min.js", "lunr.LICENSE.txt")

CONFIG = """\
baseURL = "/"
languageCode = "en"
title = {title}
relativeURLs = true
buildFuture = true
enableRobotsTXT = true
rssLimit = 20
disableKinds = ["section"]

[taxonomies]
  year = "years"
  category = "categories"
  coauthor = "coauthors"

# Related papers as scholarsite finds them (generator.views.related): shared coauthors weigh 2, shared title
# words 1 (here a category too), newer papers included, and a coauthor, word or category shared by too many
# papers (more than views.MAX_POSTING) says little and is dropped from the index.
[related]
  includeNewer = true
  threshold = 0
  [[related.indices]]
    name = "coauthors"
    weight = 2
    cardinalityThreshold = {cardinality}
  [[related.indices]]
    name = "keywords"
    weight = 1
    cardinalityThreshold = {cardinality}
  [[related.indices]]
    name = "categories"
    weight = 1
    cardinalityThreshold = {cardinality}

[mediaTypes."text/x-bibtex"]
  suffixes = ["bib"]

[outputFormats.RSS]
  baseName = "feed"
[outputFormats.Cite]
  mediaType = "text/x-bibtex"
  baseName = "cite"
  isPlainText = true
  notAlternative = true
[outputFormats.BibTeX]
  mediaType = "text/x-bibtex"
  baseName = "publications"
  isPlainText = true
  notAlternative = true
[outputFormats.CSL]
  mediaType = "application/json"
  baseName = "publications"
  isPlainText = true
  notAlternative = true
[outputFormats.SearchData]
  mediaType = "application/json"
  baseName = "search-data"
  isPlainText = true
  notAlternative = true

[outputs]
  home = ["HTML", "RSS", "BibTeX", "CSL", "SearchData"]
  page = ["HTML", "Cite"]
  taxonomy = ["HTML"]
  term = ["HTML"]

[params]
  owner = {title}
  field = {field}
  relatedLimit = {related}
  homeLimit = {home}
  [params.metrics]
{metrics}
"""

# The templates: baseof (head, header, footer) for every HTML page; single (a paper) and its cite.bib; the
# term and term-list pages of each taxonomy; the home page and its BibTeX, CSL-JSON and search data;
# search.html (a content page kept out of lists) and 404.html. RSS, sitemap.xml and robots.txt use Hugo's
# internal templates.
LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="{{ "static/favicon.svg" | relURL }}" type="image/svg+xml">
{{ with site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" \
title="{{ site.Title }}: papers" href="{{ .RelPermalink }}">{{ end }}
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ block "description" . }}{{ site.Params.owner }}: \
{{ len site.RegularPages }} papers in {{ site.Params.field }}.{{ end }}">
<meta name="color-scheme" content="light dark">
{{ hugo.Generator }}
<link rel="stylesheet" href="{{ "static/style.css" | relURL }}">
<script src="{{ "static/theme.js" | relURL }}"></script>
{{ block "head" . }}{{ end }}
<script src="{{ "static/search.js" | relURL }}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="site-title" href="{{ "index.html" | relURL }}">{{ site.Title }}</a>
    <nav aria-label="Site">
      <ul class="nav-list">
        <li><a href="{{ "index.html" | relURL }}#papers">Papers</a></li>
        <li><a href="{{ "years/" | relURL }}">Years</a></li>
        <li><a href="{{ "categories/" | relURL }}">Categories</a></li>
        <li><a href="{{ "coauthors/" | relURL }}">Coauthors</a></li>
        <li><a href="{{ "search.html" | relURL }}">Search</a></li>
      </ul>
    </nav>
    <button type="button" id="scheme-toggle" class="scheme-toggle" aria-pressed="false" hidden>\
<span class="scheme-icon" aria-hidden="true"></span>Dark mode</button>
    <form class="search-box" role="search" action="{{ "search.html" | relURL }}" method="get">
      <label class="visually-hidden" for="site-search">Search papers</label>
      <input id="site-search" class="search-input" type="search" name="q" placeholder="Search papers" \
autocomplete="off">
    </form>
  </div>
</header>
<main id="main" class="wrap">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <div class="wrap">
    <p>{{ site.Params.owner }} · built with Hugo · <a href="{{ "search.html" | relURL }}">search</a></p>
  </div>
</footer>
</body>
</html>
""",
    "partials/plural.html": """\
{{- lang.FormatNumber 0 .n }} {{ .word }}{{ if ne .n 1 }}s{{ end -}}
""",
    # Authors in order, the owner in <strong>; with "link", each coauthor links to their term page.
    "partials/authors.html": """\
{{- $owner := lower site.Params.owner -}}
{{- $link := .link -}}
{{- with .page -}}
{{- range $i, $a := .Params.authors }}{{ if $i }}, {{ end }}\
{{ if eq (lower $a) $owner }}<strong class="owner">{{ $a }}</strong>\
{{ else if $link }}<a class="coauthor" href="{{ printf "coauthors/%s/" (urlize $a) | relURL }}">{{ $a }}</a>\
{{ else }}{{ $a }}{{ end }}{{ end }}\
{{ if .Params.authors_truncated }} <span class="et-al" title="The profile lists only the first \
{{ len .Params.authors }} authors">et al.</span>{{ end -}}
{{- end -}}
""",
    # A paper in a list (home, years, categories, coauthors); the home page shows the abstracts too. Made once
    # per paper (partialCached, by address), as scholarsite makes each list item once.
    "partials/item.html": """\
{{- with .page -}}
<li class="paper-item" data-category="{{ .Params.category }}" data-code="{{ if .Params.has_code }}yes\
{{ else }}no{{ end }}">
  <a class="paper-title" href="{{ .RelPermalink }}">{{ .Title }}</a>
  <div class="paper-meta">
    <span class="authors">{{ partial "authors.html" (dict "page" . "link" false) }}</span>
    <span class="sep" aria-hidden="true">·</span>
    <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time>
    <span class="badge" title="{{ .Params.category_name }}">{{ .Params.category }}</span>
    {{ if .Params.has_code }}<span class="badge badge-code">Code</span>{{ end }}
  </div>
  {{- if $.abstract }}
  <details class="paper-abstract">
    <summary>Abstract<span class="visually-hidden"> of “{{ .Title }}”</span></summary>
    {{ .Content }}
  </details>
  {{- end }}
</li>
{{- end -}}
""",
    "partials/list.html": """\
<ol class="paper-list">
{{ range . }}{{ partialCached "item.html" (dict "page" .) .RelPermalink }}
{{ end }}</ol>
""",
    "partials/meta-paper.html": """\
{{- $desc := .Plain | htmlUnescape | truncate 160 -}}
<meta name="citation_title" content="{{ .Title }}">
{{ range .Params.authors }}<meta name="citation_author" content="{{ . }}">
{{ end -}}
<meta name="citation_publication_date" content="{{ .Date.Format "2006/01/02" }}">
<meta name="citation_abstract_html_url" content="{{ .Permalink }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:type" content="article">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:description" content="{{ $desc }}">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="article:published_time" content="{{ .Date.Format "2006-01-02" }}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="{{ .Title }}">
<meta name="twitter:description" content="{{ $desc }}">
{{- $authors := slice }}{{ range .Params.authors }}{{ $authors = $authors | append (dict "@type" "Person" "name" .) }}\
{{ end }}
{{- $ld := dict "@context" "https://schema.org" "@type" "ScholarlyArticle" "headline" .Title "name" .Title \
"author" $authors "datePublished" (.Date.Format "2006-01-02") "abstract" (.Plain | htmlUnescape) \
"about" .Params.category_name "url" .Permalink "mainEntityOfPage" .Permalink }}
{{- with .Params.organization }}{{ $ld = merge $ld (dict "sourceOrganization" (dict "@type" "Organization" \
"name" .)) }}{{ end }}
{{- with .Params.code_url }}{{ $ld = merge $ld (dict "isBasedOn" .) }}{{ end }}
<script type="application/ld+json">{{ $ld | jsonify | safeJS }}</script>
<script src="{{ "static/cite.js" | relURL }}" defer></script>
""",
    "_default/single.html": """\
{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "description" }}{{ .Plain | htmlUnescape | truncate 160 }}{{ end }}
{{ define "head" }}{{ partial "meta-paper.html" . }}{{ end }}
{{ define "main" }}
<nav class="breadcrumbs" aria-label="Breadcrumb">
  <ol>
    <li><a href="{{ "index.html" | relURL }}">Home</a></li>
    <li><a href="{{ printf "years/%d/" .Date.Year | relURL }}">{{ .Date.Year }}</a></li>
    <li><span aria-current="page">{{ .Title | truncate 60 }}</span></li>
  </ol>
</nav>
<article class="paper">
  <h1>{{ .Title }}</h1>
  <p class="paper-authors">{{ partial "authors.html" (dict "page" . "link" true) }}</p>
  <dl class="paper-facts">
    <div><dt>Date</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}\
</time></dd></div>
    <div><dt>Category</dt><dd><a class="badge" href="{{ printf "categories/%s/" (urlize .Params.category) \
| relURL }}">{{ .Params.category }}</a> {{ .Params.category_name }}</dd></div>
    {{ with .Params.organization }}<div><dt>Organisation</dt><dd>{{ . }}</dd></div>{{ end }}
    {{ if or .Params.has_code .Params.code_url }}<div><dt>Code</dt><dd>{{ with .Params.code_url }}\
<a class="badge badge-code" href="{{ . }}">Code</a> <a class="code-url" href="{{ . }}">{{ . }}</a>\
{{ else }}<span class="badge badge-code">Code</span> available{{ end }}</dd></div>{{ end }}
  </dl>
  <section class="abstract" aria-labelledby="abstract-heading">
    <h2 id="abstract-heading">Abstract</h2>
    {{ .Content }}
  </section>
  {{- $names := delimit .Params.authors ", " }}{{ if .Params.authors_truncated }}\
{{ $names = print $names ", et al" }}{{ end }}
  <section class="cite" aria-labelledby="cite-heading">
    <h2 id="cite-heading">Cite</h2>
    <p class="cite-reference" id="cite-reference">{{ $names }}{{ if not (strings.HasSuffix $names ".") }}.{{ end }} \
{{ .Date.Year }}. {{ .Title }}{{ if not (strings.HasSuffix .Title ".") }}.{{ end }}</p>
    <pre class="cite-bibtex"><code id="cite-bibtex">{{ .Params.bibtex }}</code></pre>
    <p class="cite-actions">
      <button type="button" class="cite-copy" data-copy="cite-bibtex" hidden>Copy BibTeX</button>
      <button type="button" class="cite-copy" data-copy="cite-reference" hidden>Copy reference</button>
      {{ with .OutputFormats.Get "cite" }}<a href="{{ .RelPermalink }}">cite.bib</a> ·{{ end }}
      <a href="{{ "publications.bib" | relURL }}">all papers (BibTeX)</a> ·
      <a href="{{ "publications.json" | relURL }}">all papers (CSL-JSON)</a>
      <span class="cite-status" role="status" aria-live="polite"></span>
    </p>
  </section>
</article>
<nav class="pager" aria-label="More papers">
{{ with .Next }}<a class="pager-newer" rel="prev" href="{{ .RelPermalink }}"><span>Newer</span> \
{{ .Title }}</a>{{ end }}
{{ with .Prev }}<a class="pager-older" rel="next" href="{{ .RelPermalink }}"><span>Older</span> \
{{ .Title }}</a>{{ end }}
</nav>
{{ with first site.Params.relatedLimit (site.RegularPages.Related .) }}
<section class="related" aria-labelledby="related-heading">
  <h2 id="related-heading">Related papers</h2>
  <ul class="related-list">
    {{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="count">{{ .Date.Year }}</span></li>
    {{ end }}
  </ul>
</section>
{{ end }}
{{ end }}
""",
    "_default/single.cite.bib": "{{ .Params.bibtex }}",
    "index.html": """\
{{ define "head" }}
{{- $desc := printf "%s: %d papers in %s." site.Params.owner (len site.RegularPages) site.Params.field }}
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:type" content="profile">
<meta property="og:title" content="{{ site.Title }}">
<meta property="og:description" content="{{ $desc }}">
<meta property="og:site_name" content="{{ site.Title }}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="{{ site.Title }}">
<meta name="twitter:description" content="{{ $desc }}">
{{ range site.Taxonomies.categories.Alphabetical }}{{ $name := .Page.Title }}\
{{ with .Page.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" \
title="{{ site.Title }}: papers in {{ $name }}" href="{{ .RelPermalink }}">
{{ end }}{{ end }}
<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "Person" \
"name" site.Params.owner "knowsAbout" site.Params.field | jsonify | safeJS }}</script>
{{ end }}
{{ define "main" }}
{{- $all := site.RegularPages }}{{ $shown := first site.Params.homeLimit $all }}
<section class="profile" aria-labelledby="profile-name">
  <h1 id="profile-name">{{ site.Params.owner }}</h1>
  <p class="field">{{ site.Params.field }}</p>
  {{- with site.Params.metrics }}
  <h2 class="visually-hidden" id="metrics-heading">Metrics</h2>
  <ul class="metrics" aria-labelledby="metrics-heading">
    {{ with .h_index }}<li class="metric"><span class="metric-value">{{ . }}</span> \
<span class="metric-label">h-index</span></li>{{ end }}
    {{ with .citations }}<li class="metric"><span class="metric-value">{{ lang.FormatNumber 0 . }}</span> \
<span class="metric-label">citations</span></li>{{ end }}
    {{ with .papers_claimed }}<li class="metric"><span class="metric-value">{{ lang.FormatNumber 0 . }}</span> \
<span class="metric-label">papers (claimed)</span></li>{{ end }}
    {{ with .novelty_percent }}<li class="metric"><span class="metric-value">{{ . }}%</span> \
<span class="metric-label">novelty</span></li>{{ end }}
    {{ with .ai_score }}<li class="metric"><span class="metric-value">{{ . }}</span> \
<span class="metric-label">AI score</span></li>{{ end }}
  </ul>
  <p class="listed-note">As the profile states them.
  {{ with .papers_claimed }}{{ if ne (int .) (len $all) }}The profile claims {{ lang.FormatNumber 0 . }} papers; \
{{ lang.FormatNumber 0 (len $all) }} of them are listed here.{{ else }}{{ partial "plural.html" \
(dict "n" (len $all) "word" "paper") }} listed.{{ end }}{{ end }}
  </p>
  {{- end }}
</section>
{{ with where $all "Params.featured" true }}
<section class="featured" aria-labelledby="featured-heading">
  <h2 id="featured-heading">Featured</h2>
  <ul class="featured-list">
    {{ range . }}<li class="featured-item"><a class="featured-title" href="{{ .RelPermalink }}">{{ .Title }}</a>
    <p class="paper-meta">{{ partial "authors.html" (dict "page" . "link" false) }}</p></li>
    {{ end }}
  </ul>
</section>
{{ end }}
{{- $years := site.Taxonomies.years.Alphabetical.Reverse }}{{ $most := 1 }}
{{- range $years }}{{ if gt .Count $most }}{{ $most = .Count }}{{ end }}{{ end }}
<section class="activity" aria-labelledby="chart-heading">
  <h2 id="chart-heading">Papers per year</h2>
  <figure class="chart">
    <svg class="year-chart" width="100%" height="{{ mul (len $years) 22 }}" aria-labelledby="chart-title">
      <title id="chart-title">Papers per year</title>
      {{ range $i, $y := $years }}<text class="chart-year" x="0" y="{{ add (mul $i 22) 15 }}">{{ .Name }}</text>
      {{ end }}
      <svg x="3.4em" width="76%" height="{{ mul (len $years) 22 }}" overflow="visible">
      {{ range $i, $y := $years }}{{ $top := mul $i 22 }}{{ $percent := div (mul .Count 100.0) $most }}
        <a href="{{ .Page.RelPermalink }}" aria-label="{{ .Name }}: {{ partial "plural.html" \
(dict "n" .Count "word" "paper") }}">
          <rect class="chart-bar" x="0" y="{{ add $top 3 }}" width="{{ $percent }}%" height="16" rx="2"/>
          <text class="chart-count" x="{{ $percent }}%" dx="6" y="{{ add $top 15 }}">{{ .Count }}</text>
        </a>
      {{ end }}
      </svg>
    </svg>
    <table class="visually-hidden">
      <caption>Papers per year</caption>
      <thead><tr><th scope="col">Year</th><th scope="col">Papers</th></tr></thead>
      <tbody>
      {{ range $years }}<tr><th scope="row">{{ .Name }}</th><td>{{ .Count }}</td></tr>
      {{ end }}
      </tbody>
    </table>
  </figure>
</section>
<section id="papers" aria-labelledby="papers-heading">
  <h2 id="papers-heading">Papers</h2>
  {{ if lt (len $shown) (len $all) }}<p class="listed-note">The newest {{ lang.FormatNumber 0 (len $shown) }} of \
{{ lang.FormatNumber 0 (len $all) }} papers; every paper is on the page of its \
<a href="{{ "years/" | relURL }}">year</a>.</p>{{ end }}
  <form class="paper-filters" id="paper-filters" hidden>
    <div class="filter">
      <label for="filter-category">Category</label>
      <select id="filter-category">
        <option value="">All categories</option>
        {{ range site.Taxonomies.categories.Alphabetical }}<option value="{{ .Page.Params.code }}">\
{{ .Page.Params.code }}: {{ .Page.Title }} ({{ .Count }})</option>
        {{ end }}
      </select>
    </div>
    <div class="filter filter-check">
      <input type="checkbox" id="filter-code">
      <label for="filter-code">Only papers with code</label>
    </div>
    <p id="filter-status" class="filter-status" role="status" aria-live="polite"></p>
  </form>
  {{- $groups := $shown.GroupByDate "2006" }}
  <nav class="year-jump" aria-label="Years">
    {{ range $groups }}<a href="#y{{ .Key }}">{{ .Key }}</a>{{ end }}
  </nav>
  {{ range $groups }}
  <section class="year-group" aria-labelledby="y{{ .Key }}">
    <h3 id="y{{ .Key }}"><a href="{{ printf "years/%s/" .Key | relURL }}">{{ .Key }}</a> \
<span class="count">{{ partial "plural.html" (dict "n" (len .Pages) "word" "paper") }}</span></h3>
    <ol class="paper-list">
      {{ range .Pages }}{{ partialCached "item.html" (dict "page" . "abstract" true) .RelPermalink "abstract" }}
      {{ end }}
    </ol>
  </section>
  {{ end }}
</section>
<script src="{{ "static/filters.js" | relURL }}" defer></script>
{{ end }}
""",
    "index.bibtex.bib": """\
{{- range $i, $p := site.RegularPages }}{{ if $i }}
{{ end }}{{ $p.Params.bibtex }}{{ end -}}
""",
    "index.csl.json": """\
[
{{- range $i, $p := site.RegularPages }}{{ if $i }},{{ end }}
{{ merge $p.Params.csl (dict "abstract" ($p.Plain | htmlUnescape)) | jsonify }}{{ end }}
]
""",
    "index.searchdata.json": """\
[
{{- range $i, $p := site.RegularPages }}{{ if $i }},{{ end }}
{{ dict "title" $p.Title "authors" (delimit $p.Params.authors ", ") "year" $p.Date.Year \
"category" $p.Params.category "code" $p.Params.has_code "abstract" ($p.Plain | htmlUnescape) \
"url" $p.RelPermalink | jsonify }}{{ end }}
]
""",
    "years/term.html": """\
{{ define "title" }}Papers from {{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<nav class="breadcrumbs" aria-label="Breadcrumb">
  <ol>
    <li><a href="{{ "index.html" | relURL }}">Home</a></li>
    <li><a href="{{ .Parent.RelPermalink }}">Years</a></li>
    <li><span aria-current="page">{{ .Title }}</span></li>
  </ol>
</nav>
<h1>Papers from {{ .Title }}</h1>
<p class="count">{{ partial "plural.html" (dict "n" (len .Pages) "word" "paper") }}</p>
{{ partial "list.html" .Pages }}
{{- $years := .Parent.Pages.ByTitle }}
<nav class="pager" aria-label="Other years">
  {{ with $years.Prev . }}<a class="pager-newer" href="{{ .RelPermalink }}"><span>Newer</span> {{ .Title }}</a>{{ end }}
  {{ with $years.Next . }}<a class="pager-older" href="{{ .RelPermalink }}"><span>Older</span> {{ .Title }}</a>{{ end }}
</nav>
{{ end }}
""",
    "years/terms.html": """\
{{ define "title" }}Papers by year · {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>Papers by year</h1>
<ul class="year-archive">
  {{ range .Data.Terms.Alphabetical.Reverse }}<li><a href="{{ .Page.RelPermalink }}">{{ .Name }}</a> \
<span class="count">{{ partial "plural.html" (dict "n" .Count "word" "paper") }}</span></li>
  {{ end }}
</ul>
{{ end }}
""",
    "categories/term.html": """\
{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<nav class="breadcrumbs" aria-label="Breadcrumb">
  <ol>
    <li><a href="{{ "index.html" | relURL }}">Home</a></li>
    <li><a href="{{ .Parent.RelPermalink }}">Categories</a></li>
    <li><span aria-current="page">{{ .Params.code }}</span></li>
  </ol>
</nav>
<h1>{{ .Title }}</h1>
<p class="count"><span class="badge">{{ .Params.code }}</span> \
{{ partial "plural.html" (dict "n" (len .Pages) "word" "paper") }}</p>
{{ partial "list.html" .Pages }}
{{ end }}
""",
    "categories/terms.html": """\
{{ define "title" }}Categories · {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>Categories</h1>
<ul class="year-archive category-archive">
  {{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}"><span class="badge">\
{{ .Page.Params.code }}</span> {{ .Page.Title }}</a> <span class="count">{{ partial "plural.html" \
(dict "n" .Count "word" "paper") }}</span></li>
  {{ end }}
</ul>
{{ end }}
""",
    "coauthors/term.html": """\
{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<nav class="breadcrumbs" aria-label="Breadcrumb">
  <ol>
    <li><a href="{{ "index.html" | relURL }}">Home</a></li>
    <li><a href="{{ .Parent.RelPermalink }}">Coauthors</a></li>
    <li><span aria-current="page">{{ .Title }}</span></li>
  </ol>
</nav>
<h1>{{ .Title }}</h1>
<p class="count">{{ partial "plural.html" (dict "n" (len .Pages) "word" "paper") }} with {{ site.Params.owner }}</p>
{{ partial "list.html" .Pages }}
{{ end }}
""",
    "coauthors/terms.html": """\
{{ define "title" }}Coauthors · {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>Coauthors</h1>
<p class="count">{{ partial "plural.html" (dict "n" (len .Data.Terms) "word" "coauthor") }}, most shared papers \
first. Author lists the profile truncated (“et al.”) name only their first authors.</p>
<table class="coauthor-table">
  <thead><tr><th scope="col">Name</th><th scope="col" class="num">Shared papers</th></tr></thead>
  <tbody>
    {{ range .Data.Terms.ByCount }}<tr><td><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></td>\
<td class="num">{{ .Count }}</td></tr>
    {{ end }}
  </tbody>
</table>
{{ end }}
""",
    "_default/search.html": """\
{{ define "title" }}Search · {{ site.Title }}{{ end }}
{{ define "head" }}<script src="{{ "static/lunr.min.js" | relURL }}" defer></script>{{ end }}
{{ define "main" }}
<h1>Search</h1>
<form class="search-page-form" role="search" action="search.html" method="get" \
data-index="{{ (site.Home.OutputFormats.Get "searchdata").RelPermalink }}">
  <label for="search-page-input">Search titles, authors and abstracts</label>
  <div class="search-row">
    <input id="search-page-input" class="search-page-input" type="search" name="q" autocomplete="off">
    <button type="submit">Search</button>
  </div>
  <fieldset class="search-filters">
    <legend>Filters</legend>
    {{- $years := site.Taxonomies.years.Alphabetical }}
    <label>From <select id="search-from" name="from">
      <option value="">any year</option>
      {{- range $years }}
      <option value="{{ .Name }}">{{ .Name }}</option>
      {{- end }}
    </select></label>
    <label>to <select id="search-to" name="to">
      <option value="">any year</option>
      {{- range $years.Reverse }}
      <option value="{{ .Name }}">{{ .Name }}</option>
      {{- end }}
    </select></label>
    <label>Category <select id="search-category" name="cat">
      <option value="">all</option>
      {{- range site.Taxonomies.categories.Alphabetical }}
      <option value="{{ .Page.Params.code }}">{{ .Page.Title }} ({{ .Count }})</option>
      {{- end }}
    </select></label>
    <label><input id="search-code" type="checkbox" name="code" value="1"> has code</label>
  </fieldset>
</form>
<p id="search-status" class="search-status" role="status" aria-live="polite"></p>
<ol id="search-results" class="paper-list search-results"></ol>
<noscript><p>Search needs JavaScript. Every paper is also listed on the <a href="{{ "index.html" | relURL }}#papers">\
home page</a>.</p></noscript>
{{ end }}
""",
    "404.html": """\
{{ define "title" }}Page not found · {{ site.Title }}{{ end }}
{{ define "description" }}This page does not exist.{{ end }}
{{ define "head" }}<meta name="robots" content="noindex">{{ end }}
{{ define "main" }}
<h1>Page not found</h1>
<p>There is no page at this address. The <a href="{{ "index.html" | relURL }}#papers">home page</a> lists the \
newest papers, and <a href="{{ "search.html" | relURL }}">search</a> finds them by title, author or abstract.</p>
{{ end }}
""",
}

# The search page's script, the usual Hugo + lunr.js way: fetch the JSON of every paper, index it in the
# browser, show the matches (the other scripts and the style sheet are the scholar theme's own).
SEARCH_JS = """\
(function () {
  "use strict";
  var form = document.querySelector(".search-page-form");
  if (!form || !window.fetch) return;
  var input = document.getElementById("search-page-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var field = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (docs) {
    var index = lunr(function () {
      this.ref("id");
      this.field("title", {boost: 10});
      this.field("authors", {boost: 5});
      this.field("abstract");
      this.field("year");
      this.field("category");
      docs.forEach(function (doc, i) { doc.id = i; this.add(doc); }, this);
    });
    function run() {
      var q = input.value.trim();
      list.textContent = "";
      if (!q) { status.textContent = ""; return; }
      var from = +field("search-from").value || 0, to = +field("search-to").value || 9999;
      var cat = field("search-category").value, code = field("search-code").checked;
      var hits;
      try { hits = index.search(q); } catch (err) { status.textContent = "Could not search: " + err.message; return; }
      hits = hits.map(function (h) { return docs[+h.ref]; }).filter(function (d) {
        return d.year >= from && d.year <= to && (!cat || d.category === cat) && (!code || d.code);
      });
      status.textContent = hits.length + (hits.length === 1 ? " paper" : " papers");
      hits.slice(0, 100).forEach(function (d) {
        var li = document.createElement("li"), a = document.createElement("a"), meta = document.createElement("div");
        li.className = "paper-item";
        a.className = "paper-title";
        a.href = d.url;
        a.textContent = d.title;
        meta.className = "paper-meta";
        meta.textContent = d.authors + " · " + d.year + " · " + d.category;
        li.appendChild(a);
        li.appendChild(meta);
        list.appendChild(li);
      });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    input.addEventListener("input", run);
    run();
  });
})();
"""

SEARCH_PAGE = {"title": "Search", "url": "/search.html", "layout": "search", "outputs": ["HTML"],
               "_build": {"list": "never"}}


def write_if_changed(path: Path, text: str | bytes) -> bool:
    """Write only when the bytes differ; True when written."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def front_matter(data: dict, body: str = "") -> str:
    """A Hugo content file: JSON front matter (safe for any title) and a Markdown body."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n\n" + body + ("\n" if body else "")


def papers_of(profile: Profile) -> tuple[Paper, ...]:
    """The profile's papers as scholarsite has them after a first import (slugs given oldest first, the code
    link found in the abstract), newest first."""
    taken: set[str] = set()
    out = []
    for p in sorted(profile.papers, key=lambda p: (p.date, p.title)):
        slug = slugs.unique(slugs.slugify(p.title), taken)
        taken.add(slug)
        out.append(Paper(slug=slug, title=p.title, date=p.date, category=p.category, authors=p.authors,
                         authors_truncated=p.authors_truncated, organization=p.organization, has_code=p.has_code,
                         abstract=p.abstract, code_url=find_code_url(p.abstract, p.has_code)))
    return sort_papers(out)


def coauthors_of(paper: Paper, owner: str) -> list[str]:
    """The paper's authors but the owner, each once (as scholarsite's coauthor pages count them)."""
    owner_key, seen, out = name_key(owner), set(), []
    for name in paper.authors:
        key = name_key(name)
        if key and key != owner_key and key not in seen:
            seen.add(key)
            out.append(name)
    return out


def page_text(paper: Paper, key: str, owner: str) -> str:
    """A paper's content file: its fields, taxonomies, BibTeX entry and CSL-JSON item; the abstract as body."""
    csl = exports.csl_item(paper, key, exports.link(paper, ""))
    del csl["abstract"]  # (the template adds the page's own plain text)
    front = {"title": paper.title, "date": paper.date.isoformat(), "years": [str(paper.year)],
             "categories": [paper.category], "coauthors": coauthors_of(paper, owner),
             "authors": list(paper.authors), "authors_truncated": paper.authors_truncated,
             "category": paper.category, "category_name": paper.category_name,
             "organization": paper.organization, "has_code": paper.has_code, "code_url": paper.code_url,
             "featured": paper.featured, "keywords": sorted(title_terms(paper.title)),
             "bibtex": exports.bibtex_entry(paper, key, ""), "csl": csl}
    return front_matter(front, paper.abstract)


def metrics_toml(profile: Profile) -> str:
    values = {name: getattr(profile.metrics, name) for name in
              ("h_index", "citations", "papers_claimed", "novelty_percent", "ai_score")}
    return "".join(f"    {name} = {value}\n" for name, value in values.items() if value is not None)


def cardinality(papers: int) -> int:
    """Hugo's cardinalityThreshold (a percentage of the papers) for postings of MAX_POSTING papers; 0: keep all."""
    percent = -(-MAX_POSTING * 100 // papers) if papers else 100
    return 0 if percent >= 100 else percent


def write_site(folder: Path, profile: Profile) -> int:
    """Make (or bring up to date) the Hugo site in ``folder``; returns how many files were written."""
    title = json.dumps(profile.name, ensure_ascii=False)
    written = write_if_changed(folder / "config.toml", CONFIG.format(
        title=title, field=json.dumps(category_name(profile.category), ensure_ascii=False),
        related=RELATED_LIMIT, home=HOME_LIMIT, metrics=metrics_toml(profile),
        cardinality=cardinality(len(profile.papers))))
    for name, text in LAYOUTS.items():
        written += write_if_changed(folder / "layouts" / name, text)
    for stale in (folder / "layouts").rglob("*"):  # (an older version's templates would still be looked up)
        if stale.is_file() and stale.relative_to(folder / "layouts").as_posix() not in LAYOUTS:
            stale.unlink()
    for name in COPIED_STATIC:
        written += write_if_changed(folder / "static" / "static" / name, (THEME_STATIC / name).read_bytes())
    written += write_if_changed(folder / "static" / "static" / "search.js", SEARCH_JS)
    content = folder / "content"
    written += write_if_changed(content / "search.md", front_matter(SEARCH_PAGE))
    written += write_if_changed(content / "years" / "_index.md", front_matter({"title": "Papers by year"}))
    written += write_if_changed(content / "coauthors" / "_index.md", front_matter({"title": "Coauthors"}))
    # Each category's term page is named by a content file (code and name) and has an RSS feed too.
    written += write_if_changed(content / "categories" / "_index.md", front_matter(
        {"title": "Categories", "outputs": ["HTML"], "cascade": {"outputs": ["HTML", "RSS"]}}))
    papers = papers_of(profile)
    codes = sorted({p.category for p in papers})
    wanted_terms = {code.lower() for code in codes}  # (Hugo's path of a term: an arXiv code, lower-cased)
    for code in codes:
        written += write_if_changed(content / "categories" / code.lower() / "_index.md",
                          front_matter({"title": category_name(code), "code": code}))
    for stale in (content / "categories").glob("*/_index.md"):
        if stale.parent.name not in wanted_terms:
            stale.unlink()
    keys = bibtex.keys(papers)
    return written + write_papers(content / "papers", {p.slug: page_text(p, keys[p.slug], profile.name)
                                                         for p in papers})


def write_papers(folder: Path, texts: dict[str, str]) -> int:
    """``folder``/<slug>.md for each paper (slug -> text), written when changed; the others removed. How many
    were written."""
    written = sum(write_if_changed(folder / f"{slug}.md", text) for slug, text in texts.items())
    for stale in folder.glob("*.md"):
        if stale.stem not in texts:
            stale.unlink()
    return written
