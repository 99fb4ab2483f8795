"""Synthetic profiles in the seed format (50, 1,000, 10,000 papers), deterministic from a seed number."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import replace
from pathlib import Path

from generator.model import Metrics, Profile, SeedPaper
from generator.seed import dump

SIZES = (50, 1_000, 10_000)
OWNER = "Amélie Lefèvre-Nguyễn"
FIRST_YEAR, LAST_YEAR = 2005, 2025
# Category codes with weights: a computer-vision researcher who strays into neighbouring fields.
CATEGORIES = {"CV": 40, "LG": 22, "CL": 10, "RO": 8, "AI": 6, "AS": 4, "IR": 4, "GR": 3, "NE": 3}
ORGANIZATIONS = ["meta-ai", "allen-ai", "google-research", "deepmind", "mit-csail", "cmu", "inria",
                 "eth-zurich", "tsinghua", "uc-berkeley", "max-planck", "université-paris-saclay"]
FIRST_NAMES = ["Amélie", "José", "Zoë", "Søren", "Łukasz", "François", "Chloé", "Björn", "Ana", "Wei",
               "Yuki", "Priya", "Oğuz", "Nikhila", "Ross", "Kaiming", "Jitendra", "Dévora", "Mateus",
               "Ewa", "Hélène", "Jürgen", "Ingrid", "Tomás", "Aleksandr", "Sofía", "Chen", "Mei", "Raúl",
               "Åsa", "Ilya", "Noémie", "Ðorđe", "Kristóf", "Zheng", "Emma", "Lucas", "Fatima", "Kwame"]
LAST_NAMES = ["Müller", "García", "Ødegaard", "Nguyễn", "Kowalski", "Dubois", "Gonçalves", "Şahin",
              "Lindqvist", "Zhang", "Tanaka", "Ramanathan", "Kirillov", "Malik", "Dvořák", "Žukauskas",
              "O'Neill", "van der Berg", "Fernández", "Björklund", "Papadopoulos", "Novák", "Schäfer",
              "Ivanović", "Hernández", "Kim", "Park", "Haddad", "Mensah", "Łukaszewicz", "Lefebvre",
              "Rossi", "Bianchi", "Andersen", "Jäger", "Okafor", "Sørensen", "Yılmaz", "Chen", "Wang"]
ADJECTIVES = ["Efficient", "Scalable", "Robust", "Self-Supervised", "Unified", "Sparse", "Dense",
              "Hierarchical", "Contrastive", "Generative", "Differentiable", "Probabilistic", "Few-Shot",
              "Zero-Shot", "Multimodal", "Open-Vocabulary", "Masked", "Recurrent", "Equivariant",
              "Lightweight", "Adaptive", "Interpretable", "Causal", "Federated", "Neural"]
NOUNS = ["Object Detection", "Instance Segmentation", "Pose Estimation", "Depth Prediction",
         "Image Retrieval", "Video Understanding", "Scene Graphs", "Point Clouds", "Speech Recognition",
         "Machine Translation", "Question Answering", "Visual Grounding", "Motion Planning",
         "Grasp Synthesis", "Representation Learning", "Optical Flow", "3D Reconstruction",
         "Image Captioning", "Action Recognition", "Domain Adaptation", "Anomaly Detection",
         "Text-to-Image Synthesis", "Language Modeling", "Reinforcement Learning", "Mesh Generation"]
METHODS = ["Transformers", "Diffusion Models", "Graph Networks", "Region Proposals", "Memory Banks",
           "Feature Pyramids", "Mixture of Experts", "Implicit Fields", "Attention Pooling",
           "Optimal Transport", "Neural Radiance Fields", "Vector Quantization", "Prompt Tuning",
           "State-Space Models", "Knowledge Distillation", "Curriculum Learning"]
PATTERNS = ["{adj} {noun} with {method}", "{method} for {adj} {noun}", "Towards {adj} {noun}",
            "{name}: {adj} {noun} at Scale", "Rethinking {noun} with {method}",
            "{name}: {method} Meet {noun}", "On the Limits of {method} for {noun}",
            "Learning {adj} {noun} from Unlabeled Video", "{adj} {method} Revisited",
            "Do {method} Help {noun}?", "{name}++: Faster {noun} via {adj} {method}"]
NAME_PARTS = ["Mask", "Seg", "Vi", "Lum", "Dino", "Pix", "Mo", "Flo", "Cor", "Ner", "Sam", "Ret",
              "Gra", "Vox", "Tem", "Aur", "Pol", "Kin", "Syn", "Hal"]
NAME_ENDS = ["Former", "Net", "ViT", "GAN", "Mo", "R-CNN", "CLIP", "Flow", "Diff", "Scope", "Lens", "Bench"]
SENTENCES = [
    "We present {name}, a simple framework for {noun_l} built on {method_l}.",
    "Existing approaches to {noun_l} rely on hand-designed components that scale poorly.",
    "Our method reduces the cost of inference from $O(n^2)$ to $O(n \\log n)$ without loss of accuracy.",
    "We minimise the objective $\\mathcal{{L}} = \\sum_i \\|x_i - \\hat{{x}}_i\\|^2$ end to end.",
    "Each sample is embedded as $z \\in \\mathbb{{R}}^{{d}}$ and compared with a cosine similarity.",
    "Experiments on {bench} show gains of {gain} points over the strongest baseline.",
    "The model transfers zero-shot to {count} new tasks and is competitive with fully supervised results.",
    "We study how {method_l} behave when the training set grows from thousands to billions of examples.",
    "Surprisingly, a {adj_l} variant with fewer parameters matches the accuracy of much larger models.",
    "Ablations show that the {adj_l} objective, not the architecture, explains most of the improvement.",
    "Code and models are available at https://github.com/{org}/{slug}.",
    "A project page with videos is at https://{slug}.github.io/ for the curious reader.",
    "We release a benchmark of {count} annotated scenes to foster research on {noun_l}.",
    "Our analysis bounds the error by $\\epsilon \\leq \\frac{{1}}{{\\sqrt{{k}}}}$ for $k$ samples.",
    "Results on {bench} set a new state of the art, improving AP by {gain}% with {count} fewer labels.",
    "Unlike prior work, {name} needs neither extra annotations nor a separate pre-training stage.",
    "We find that the choice of data augmentation matters more than the depth of the backbone.",
    "Training takes {count} GPU-hours, an order of magnitude less than comparable {method_l}.",
    "A careful study of failure cases reveals that most errors come from small and occluded objects.",
    "The approach is general and applies equally to images, videos and {noun_l} in the wild.",
    "We hope {name} will serve as a strong and simple baseline for future research on {noun_l}.",
]
BENCHES = ["COCO", "LVIS", "ImageNet-1k", "Kinetics-400", "ScanNet", "nuScenes", "SQuAD", "WMT'14",
           "ADE20K", "Cityscapes", "Ego4D", "LibriSpeech"]


def _unique_title(rng: random.Random, seen: set[str]) -> tuple[str, str]:
    """A title not seen before (compared by its words, case-folded) and the model name it uses."""
    while True:
        name = rng.choice(NAME_PARTS) + rng.choice(NAME_ENDS)
        title = rng.choice(PATTERNS).format(adj=rng.choice(ADJECTIVES), noun=rng.choice(NOUNS),
                                            method=rng.choice(METHODS), name=name)
        key = " ".join(re.findall(r"\w+", title.casefold()))
        if key in seen:
            title = f"{title} ({rng.choice(BENCHES)} {rng.randint(2, 99)})"
            key = " ".join(re.findall(r"\w+", title.casefold()))
        if key not in seen:
            seen.add(key)
            return title, name


def _authors(rng: random.Random) -> tuple[tuple[str, ...], bool, str]:
    """Up to three names (the owner in about half the papers), the et-al. flag, an organisation."""
    count = rng.choice((1, 2, 3, 3, 3))
    names: list[str] = []
    while len(names) < count:
        if rng.random() < 0.6:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        else:
            name = f"{rng.choice(FIRST_NAMES)[0]}. {rng.choice(LAST_NAMES)}"
        if name not in names:
            names.append(name)
    if rng.random() < 0.5:
        names[rng.randrange(count)] = OWNER
        names = list(dict.fromkeys(names))
    truncated = len(names) == 3 and rng.random() < 0.6
    org = rng.choice(ORGANIZATIONS) if rng.random() < 0.45 else ""
    return tuple(names), truncated, org


def _abstract(rng: random.Random, name: str, org: str) -> str:
    """One paragraph of seven to thirteen sentences; some with URLs, some with $math$."""
    words = {"name": name, "noun_l": rng.choice(NOUNS).lower(), "method_l": rng.choice(METHODS).lower(),
             "adj_l": rng.choice(ADJECTIVES).lower(), "bench": rng.choice(BENCHES),
             "gain": f"{rng.uniform(0.5, 9.9):.1f}", "count": rng.randint(3, 500),
             "org": org or "amelie-lab", "slug": re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")}
    picked = rng.sample(SENTENCES, rng.randint(7, 13))
    return " ".join(s.format(**words) for s in picked)


def _date(rng: random.Random) -> dt.date:
    """A date spread over FIRST_YEAR..LAST_YEAR, later years a little more likely."""
    year = FIRST_YEAR + int((LAST_YEAR - FIRST_YEAR + 1) * rng.random() ** 0.8)
    year = min(year, LAST_YEAR)
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def make_profile(papers: int, seed: int = 1) -> Profile:
    """A profile listing ``papers`` papers; the same (papers, seed) always gives the same profile."""
    rng = random.Random(f"scholarsite-bench:{papers}:{seed}")
    codes, weights = list(CATEGORIES), list(CATEGORIES.values())
    seen: set[str] = set()
    entries = []
    for _ in range(papers):
        title, name = _unique_title(rng, seen)
        authors, truncated, org = _authors(rng)
        entries.append(SeedPaper(line=0, category=rng.choices(codes, weights)[0], date=_date(rng), title=title,
                                 authors=authors, authors_truncated=truncated, organization=org,
                                 has_code=rng.random() < 0.3, abstract=_abstract(rng, name, org)))
    entries.sort(key=lambda p: (-p.date.toordinal(), p.title))
    metrics = Metrics(h_index=min(papers, 12 + papers // 40), papers_claimed=papers + papers // 5,
                      citations=papers * rng.randint(40, 400), novelty_percent=rng.randint(30, 90),
                      ai_score=rng.randint(20, 90))
    return Profile(name=OWNER, category="CV", metrics=metrics, papers=tuple(entries))


def edit_abstract(profile: Profile, index: int, revision: int) -> Profile:
    """The profile with one paper's abstract changed (a new sentence naming the revision)."""
    papers = list(profile.papers)
    paper = papers[index]
    base = paper.abstract.split(" Revision ")[0]
    papers[index] = replace(paper, abstract=f"{base} Revision {revision} clarifies the evaluation protocol.")
    return replace(profile, papers=tuple(papers))


def seed_text(profile: Profile) -> str:
    """The profile as seed text, exactly as the parser reads it."""
    return dump(profile) + "\n"


def write_site(folder: Path, profile: Profile, seed_name: str = "bench.txt") -> Path:
    """A site folder holding site.yaml and the profile as its one seed; returns the seed's path."""
    (folder / "seeds").mkdir(parents=True, exist_ok=True)
    config = folder / "site.yaml"
    if not config.exists():
        config.write_text(f"title: {OWNER}\nhighlight_author: {OWNER}\n", encoding="utf-8")
    path = folder / "seeds" / seed_name
    write_seed(path, profile)
    return path


def write_seed(path: Path, profile: Profile) -> None:
    """Write the seed only when its text changed (an unchanged seed keeps its timestamp)."""
    data = seed_text(profile).encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
