"""The re-import story: hand edits and seed changes meet, both survive, old URLs keep working."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

PAPER_START = re.compile(r"\n\n(?=[A-Z]{2}[A-Z][a-z]{2} \d{1,2}, \d{4}(?:Code)?\n)")
NEW_PAPER = """CVJun 1, 2026
Open-Vocabulary Widgets Are Just Fine

Ross Girshick, Ada Example

We show that widgets are fine, with code at https://example.org/widgets."""


def scholarsite(site: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=site, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def split_seed(text: str) -> tuple[str, list[str]]:
    """The seed's header and its paper blocks."""
    head, *blocks = PAPER_START.split(text.rstrip("\n"))
    return head, blocks


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def hand_edit(path: Path, **changes) -> None:
    path.write_text(yaml.safe_dump({**load(path), **changes}, sort_keys=False, allow_unicode=True), encoding="utf-8")


def page(site: Path, slug: str) -> str:
    return (site / "output" / "papers" / slug / "index.html").read_text(encoding="utf-8")


class Refs(HTMLParser):
    """Every href/src, the meta refresh target and the canonical link of a page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.refresh = self.canonical = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.links += [a[k] for k in ("href", "src") if a.get(k)]
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.refresh = re.fullmatch(r"0; *url=(.+)", a["content"]).group(1)
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]


def refs(path: Path) -> Refs:
    parser = Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(from_page: Path, link: str) -> Path:
    return (from_page.parent / unquote(urlsplit(link).path)).resolve()


def test_hand_edits_and_seed_changes_both_survive_a_reimport(site_factory, real_seed_text):
    site = site_factory(real_seed_text)
    scholarsite(site, "build")
    papers = site / "content" / "papers"

    # The researcher edits content/ by hand.
    hand_edit(papers / "segment-anything.yaml", venue="ICCV 2023", pdf="https://arxiv.org/pdf/2304.02643")
    hand_edit(papers / "mask-r-cnn.yaml", title="Mask R-CNN (Marr Prize)")
    hand_edit(papers / "fast-r-cnn.yaml", code_url="https://github.com/rbgirshick/fast-rcnn")
    hand_edit(site / "content" / "profile.yaml", bio="Works on **visual recognition**.",
              links=[{"name": "Scholar", "url": "https://scholar.example.org/rbg"}])

    # The profile changes: an abstract edited, a title fixed, a paper added, one removed, all reordered.
    head, blocks = split_seed(real_seed_text)
    blocks = [b for b in blocks if "\nLearning by Asking Questions\n" not in b]
    blocks = [b.replace("Learning to Segment Every Thing", "Learning to Segment Everything") for b in blocks]
    blocks = [b + " We also release the RetinaNet code." if "\nFocal Loss for Dense" in b else b for b in blocks]
    blocks = [NEW_PAPER] + blocks[::-1]
    (site / "seeds" / "me.txt").write_text(head + "\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")

    result = scholarsite(site, "import", "-v")
    lines = result.stdout.splitlines()
    assert lines[0] == "50 papers: 1 added, 2 updated, 1 removed (kept), 0 conflicts"
    assert sorted(lines[1:]) == sorted([
        "  added content/papers/open-vocabulary-widgets-are-just-fine.yaml",
        "  updated content/papers/focal-loss-for-dense-object-detection.yaml: abstract",
        "  updated content/papers/learning-to-segment-every-thing.yaml: title",
        "  removed from the seed, kept and hidden: content/papers/learning-by-asking-questions.yaml "
        "(delete with --prune)",
    ])

    # Every hand edit is still there.
    assert load(papers / "segment-anything.yaml")["venue"] == "ICCV 2023"
    assert load(papers / "segment-anything.yaml")["pdf"] == "https://arxiv.org/pdf/2304.02643"
    assert load(papers / "mask-r-cnn.yaml")["title"] == "Mask R-CNN (Marr Prize)"
    assert load(papers / "fast-r-cnn.yaml")["code_url"] == "https://github.com/rbgirshick/fast-rcnn"
    assert load(site / "content" / "profile.yaml")["bio"] == "Works on **visual recognition**."
    # Every seed change arrived, in the paper's own file (its slug, so its URL, did not change).
    assert load(papers / "learning-to-segment-every-thing.yaml")["title"] == "Learning to Segment Everything"
    assert load(papers / "focal-loss-for-dense-object-detection.yaml")["abstract"].endswith("RetinaNet code.")
    assert load(papers / "learning-by-asking-questions.yaml")["removed"] is True
    assert load(papers / "open-vocabulary-widgets-are-just-fine.yaml")["authors"] == ["Ross Girshick", "Ada Example"]
    assert len(list(papers.glob("*.yaml"))) == 51

    # Reordering alone, or importing again, changes nothing.
    again = scholarsite(site, "import")
    assert again.stdout.strip() == "50 papers: 0 added, 0 updated, 0 removed (kept), 0 conflicts"

    # The built pages show both.
    scholarsite(site, "build")
    sam = page(site, "segment-anything")
    assert "ICCV 2023" in sam and 'href="https://arxiv.org/pdf/2304.02643"' in sam
    assert "<h1>Mask R-CNN (Marr Prize)</h1>" in page(site, "mask-r-cnn")
    assert 'href="https://github.com/rbgirshick/fast-rcnn"' in page(site, "fast-r-cnn")
    assert "<h1>Learning to Segment Everything</h1>" in page(site, "learning-to-segment-every-thing")
    assert "We also release the RetinaNet code." in page(site, "focal-loss-for-dense-object-detection")
    assert "<h1>Open-Vocabulary Widgets Are Just Fine</h1>" in page(site, "open-vocabulary-widgets-are-just-fine")
    assert not (site / "output" / "papers" / "learning-by-asking-questions").exists()
    home = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert "<strong>visual recognition</strong>" in home
    assert html.escape("Mask R-CNN (Marr Prize)") in home and "Learning by Asking Questions" not in home


def test_renamed_file_leaves_a_redirect_and_prune_deletes_removed_papers(site_factory, real_seed_text):
    site = site_factory(real_seed_text)
    scholarsite(site, "build")
    papers = site / "content" / "papers"
    hand_edit(papers / "learning-to-segment-every-thing.yaml", venue="CVPR 2018")
    (papers / "learning-to-segment-every-thing.yaml").rename(papers / "segment-every-thing.yaml")  # git mv
    head, blocks = split_seed(real_seed_text)
    blocks = [b for b in blocks if "\nLearning by Asking Questions\n" not in b]
    (site / "seeds" / "me.txt").write_text(head + "\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")

    result = scholarsite(site, "import", "-v")
    assert result.stdout.splitlines()[0] == "49 papers: 0 added, 0 updated, 1 removed (kept), 0 conflicts"
    assert ("  renamed content/papers/learning-to-segment-every-thing.yaml -> content/papers/segment-every-thing.yaml:"
            " papers/learning-to-segment-every-thing/index.html now redirects to papers/segment-every-thing/index.html"
            in result.stdout.splitlines())
    moved = load(papers / "segment-every-thing.yaml")
    assert moved["aliases"] == ["learning-to-segment-every-thing"] and moved["venue"] == "CVPR 2018"
    assert not (papers / "learning-to-segment-every-thing.yaml").exists()

    scholarsite(site, "build")
    out = site / "output"
    old = out / "papers" / "learning-to-segment-every-thing" / "index.html"
    new = out / "papers" / "segment-every-thing" / "index.html"
    assert "<h1>Learning to Segment Every Thing</h1>" in new.read_text(encoding="utf-8")
    redirect = refs(old)
    assert resolve(old, redirect.refresh) == new.resolve()
    assert resolve(old, redirect.canonical) == new.resolve()
    assert [resolve(old, link) for link in redirect.links] == [new.resolve(), new.resolve()]
    for html_page in sorted(out.rglob("*.html")):  # every internal link of the site still points at a file
        for link in refs(html_page).links:
            if not urlsplit(link).scheme and urlsplit(link).path:
                assert resolve(html_page, link).is_file(), f"{html_page.relative_to(out)} -> {link}"

    pruned = scholarsite(site, "import", "--prune", "-v")
    assert pruned.stdout.splitlines()[0] == ("49 papers: 0 added, 0 updated, 0 removed (pruned), 0 conflicts; "
                                             "pruned 1 file")
    assert "  pruned (deleted) content/papers/learning-by-asking-questions.yaml" in pruned.stdout.splitlines()
    assert not (papers / "learning-by-asking-questions.yaml").exists()
    assert len(list(papers.glob("*.yaml"))) == 49
    assert scholarsite(site, "import").stdout.strip() == "49 papers: 0 added, 0 updated, 0 removed (kept), 0 conflicts"


def test_an_alias_that_clashes_is_an_input_error(site_factory, real_seed_text):
    site = site_factory(real_seed_text)
    scholarsite(site, "import")
    hand_edit(site / "content" / "papers" / "fast-r-cnn.yaml", aliases=["mask-r-cnn"])
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=site, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(r"content/papers/fast-r-cnn\.yaml:\d+: the alias 'mask-r-cnn' is the slug of "
                     r"content/papers/mask-r-cnn\.yaml", result.stderr)
    assert not (site / "output").exists()
