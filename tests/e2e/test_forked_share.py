"""A site with fewer pages than are worth worker processes: a forked process makes the search data and
renders the pages with math and pages from the back of the list, while the build renders from the front
(make.render_shared, forked.py). What it makes is what one process makes, and a mistake in a page it
renders is reported as one process reports it."""

from __future__ import annotations

import json
import os

import pytest

from watchkit import REAL_SEED, ROOT, assert_same_as_fresh, run_python


pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: nothing is forked")


def test_a_site_rendered_with_a_forked_share_is_the_site_one_process_renders(site_factory, tmp_path):
    site = site_factory(REAL_SEED.read_bytes(), "title: T\nbase_url: https://example.org/me/\n", REAL_SEED.name)
    code = ("import sys; from pathlib import Path; from generator import build as b; "
            "print(b.Builder(Path(sys.argv[1]), persistent=False).build().workers, "
            "*(name in sys.modules for name in ('generator.search', 'generator.stemmer', 'latex2mathml')))")
    printed = run_python(code, str(site))
    # (138 pages: this process and the forked one rendered them; the search modules and latex2mathml were
    # imported in the forked one only, where the search data was made and the pages with math rendered)
    assert printed.split() == ["2", "False", "False", "False"]
    for page in ("index.html", "papers/fast-and-accurate-model-scaling/index.html"):
        assert "<msqrt>" in (site / "output" / page).read_text(encoding="utf-8")
    assert_same_as_fresh(site, tmp_path)


MISTAKES = {"math": "{% if '$' in paper.abstract %}{{ 1 / 0 }}{% endif %}",  # (a page the forked process renders)
            "old": "{% if paper.date.year < 2016 %}{{ {}[paper.slug] }}{% endif %}"}  # (pages at the back)


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_mistake_in_a_page_of_the_forked_share_is_reported_as_one_process_reports_it(site_factory, mistake):
    """Where several pages fail, the one told is the first in the list's order, whichever process took it."""
    site = site_factory(REAL_SEED.read_bytes(), "title: T\n", REAL_SEED.name)
    (site / "templates").mkdir()
    paper = (ROOT / "themes/scholar/templates/paper.html").read_text(encoding="utf-8")
    broken = paper.replace("{% block main %}", "{% block main %}" + MISTAKES[mistake])
    (site / "templates" / "paper.html").write_text(broken, encoding="utf-8")
    code = ("import json, os, sys, time; from pathlib import Path\n"
            "from generator import build as b, errors, forked, make\n"
            "made = []; parent = os.getpid(); render = make.render_page\n"
            "def slowly(*args):\n"  # (the build's own process renders slowly: the forked one takes the last pages)
            "    if os.getpid() == parent: time.sleep(0.002)\n"
            "    return render(*args)\n"
            "make.render_page = slowly\n"
            "class Noted(forked.Forked):\n"
            "    def __init__(self, work, **how):\n"
            "        super().__init__(work, **how); made.append(self.forked)\n"
            "make.Forked = Noted; problems = []\n"
            "for enabled in (True, False):\n"
            "    forked.ENABLED = enabled\n"
            "    try: b.Builder(Path(sys.argv[1]), persistent=False).build()\n"
            "    except errors.InputError as err: problems.append([str(p) for p in err.problems])\n"
            "print(json.dumps([made, problems]))")
    made, problems = json.loads(run_python(code, str(site)))
    assert made == [True, False]  # (forked, then not)
    assert len(problems) == 2 and problems[0] == problems[1] and "paper.html" in problems[0][0]
    assert not (site / "output").exists()
