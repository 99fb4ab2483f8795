"""Property: any mix of seed edits and hand edits, imported step by step, loses no hand edit and no paper."""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import content
from generator.load import load_site
from generator.model import Metrics, Profile, SeedPaper

SEED_OPS = ("edit_abstract", "fix_title", "add", "remove", "reorder")
HAND_OPS = ("add_field", "change_title", "change_field", "rename_file")
DATES = (dt.date(2020, 5, 1), dt.date(2021, 7, 9))
LETTERS = "bcdfghjklmnpqrstvwxz"


@dataclass
class Model:
    """What the seed says now, and what the researcher did by hand, paper by paper (keyed by an id)."""

    seed: dict[int, dict] = field(default_factory=dict)       # live papers: id -> seed fields
    order: list[int] = field(default_factory=list)            # the seed's order
    slug: dict[int, str] = field(default_factory=dict)        # id -> the file it lives in
    gone: set[int] = field(default_factory=set)               # removed from the seed
    mine: dict[int, dict] = field(default_factory=dict)       # id -> fields set by hand (user's or seed's)
    old_slugs: dict[int, list[str]] = field(default_factory=dict)
    renamed_now: set[int] = field(default_factory=set)         # renamed since the last import
    counter: itertools.count = field(default_factory=itertools.count)

    def word(self) -> str:
        """A fresh word: no two papers share a word, as no two real papers share their whole wording."""
        n, out = next(self.counter), ""
        while True:
            out += LETTERS[n % len(LETTERS)]
            n //= len(LETTERS)
            if not n:
                return out + "o"

    def new_paper(self, pick: int) -> dict:
        return {"title": " ".join(self.word().capitalize() for _ in range(3)),
                "date": DATES[pick % 2].isoformat(), "category": "CV", "authors": ["Ann Author", "Bo Other"],
                "authors_truncated": False, "organization": "", "has_code": False,
                "abstract": " ".join(self.word() for _ in range(12)) + "."}

    def profile(self) -> Profile:
        papers = tuple(SeedPaper(line=n + 10, category=p["category"], date=dt.date.fromisoformat(p["date"]),
                                 title=p["title"], authors=tuple(p["authors"]), authors_truncated=False,
                                 organization="", has_code=False, abstract=p["abstract"])
                       for n, p in enumerate(self.seed[i] for i in self.order))
        return Profile(name="Ann Author", category="CV", metrics=Metrics(), papers=papers, path="seeds/me.txt")


def seed_edit(model: Model, op: str, a: int, b: int) -> None:
    live = model.order
    target = live[a % len(live)]
    paper = model.seed[target]
    if op == "edit_abstract":
        words = paper["abstract"].rstrip(".").split()
        words[b % len(words)] = model.word()
        paper["abstract"] = " ".join(words) + "."
    elif op == "fix_title":
        title = paper["title"]
        spot = 1 + b % (len(title) - 1)
        paper["title"] = title[:spot] + ("e" if title[spot] != "e" else "a") + title[spot + 1:]
    elif op == "add":
        new = max([*model.seed, *model.gone], default=-1) + 1
        model.seed[new] = model.new_paper(b)
        live.insert(b % (len(live) + 1), new)
    elif op == "remove" and len(live) > 1:
        live.remove(target)
        del model.seed[target]
        if target in model.slug:  # one added since the last import never had a file
            model.gone.add(target)
    elif op == "reorder":
        k = 1 + b % len(live)
        live[:] = live[k:] + live[:k][::-1]


def hand_edit(model: Model, papers: Path, op: str, a: int, b: int) -> None:
    imported = [i for i in model.order if i in model.slug]  # not one added since the last import
    if not imported:
        return
    target = imported[a % len(imported)]
    path = papers / f"{model.slug[target]}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mine = model.mine.setdefault(target, {})
    if op == "add_field":
        mine[f"note_{b % 3}"] = data[f"note_{b % 3}"] = f"hand note {b}"
    elif op == "change_title":
        mine["title"] = data["title"] = f"Hand Title {model.word()}"
    elif op == "change_field":
        mine["venue"] = data["venue"] = f"Venue {b}"
        if "note_0" in data:
            mine["note_0"] = data["note_0"] = f"changed note {b}"
    elif op == "rename_file":
        new = f"renamed-{model.word()}"
        if target not in model.renamed_now:  # a name no import ever saw has no URL to keep
            model.old_slugs.setdefault(target, []).append(model.slug[target])
            model.renamed_now.add(target)
        path.unlink()
        model.slug[target] = new
        path = papers / f"{new}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def check(model: Model, folder: Path, report: content.Report) -> None:
    papers = folder / "content" / "papers"
    files = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in papers.glob("*.yaml")}
    for slug in report.added:  # a new seed paper: find which one by its (unique) title
        [pid] = [i for i in model.order if i not in model.slug and model.seed[i]["title"] == files[slug]["title"]]
        model.slug[pid] = slug
    live = [slug for slug, data in files.items() if not data.get("removed")]
    assert sorted(live) == sorted(model.slug[i] for i in model.order), "each seed paper has exactly one live file"
    for pid in model.order:
        data = files[model.slug[pid]]
        expected = {**model.seed[pid], **model.mine.get(pid, {})}
        assert {k: data.get(k) for k in expected} == expected, f"paper {pid} in {model.slug[pid]}.yaml"
        assert data.get("aliases", []) == model.old_slugs.get(pid, [])
    for pid in model.gone:
        data = files[model.slug[pid]]
        assert data["removed"] is True
        assert {k: data.get(k) for k in model.mine.get(pid, {})} == model.mine.get(pid, {})
    loaded = load_site(folder / "content", folder)
    assert len(loaded.papers) == len(model.order)
    assert {a: p.slug for p in loaded.papers for a in p.aliases} == {
        old: model.slug[pid] for pid in model.order for old in model.old_slugs.get(pid, [])}


ops = st.one_of(st.tuples(st.sampled_from(SEED_OPS), st.integers(0, 50), st.integers(0, 50)),
                st.tuples(st.sampled_from(HAND_OPS), st.integers(0, 50), st.integers(0, 50)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.integers(1, 5), steps=st.lists(st.lists(ops, min_size=1, max_size=3), min_size=1, max_size=6))
def test_no_sequence_of_edits_loses_a_hand_edit_or_a_seed_paper(start, steps):
    model = Model()
    for n in range(start):
        model.seed[n] = model.new_paper(n)
        model.order.append(n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        check(model, folder, content.import_profile(model.profile(), folder / "content", folder))
        for step in steps:
            for op, a, b in step:
                if op in SEED_OPS:
                    seed_edit(model, op, a, b)
                else:
                    hand_edit(model, folder / "content" / "papers", op, a, b)
            report = content.import_profile(model.profile(), folder / "content", folder)
            model.renamed_now.clear()
            check(model, folder, report)
        assert content.import_profile(model.profile(), folder / "content", folder).written == []
