"""Writing output/: path safety, write-if-changed, and removal of files a build no longer makes."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import InputError, Problem

MANIFEST = ".scholarsite-manifest.json"


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def safe_relpath(path: str) -> str:
    """A normalised relative POSIX path inside the output folder, or ValueError."""
    p = PurePosixPath(path)
    if p.is_absolute() or not p.parts or any(part in ("", ".", "..") for part in p.parts) or "\\" in path \
            or "\x00" in path:
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
    return p.as_posix()


def check_output_dir(out: Path, site_dir: Path) -> None:
    """Refuse an output folder that is the site, holds the site, is a link, or is someone else's folder."""
    site = site_dir.resolve()
    if out.is_symlink():
        raise InputError(Problem("site.yaml", 0, f"the output folder {out} is a symbolic link; "
                                                 "point 'output' at a real folder"))
    target = out.resolve()
    if target == site or target in site.parents:
        raise InputError(Problem("site.yaml", 0, f"the output folder {out} is the site folder or contains it; "
                                                 "choose a folder inside the site, like 'output'"))
    for name in ("content", "seeds", "themes", "templates"):
        if target == site / name or (site / name) in target.parents:
            raise InputError(Problem("site.yaml", 0, f"the output folder {out} is inside the site's {name}/; "
                                                     "choose a folder of its own, like 'output'"))
    if target.is_dir() and not (target / MANIFEST).exists() and any(target.iterdir()):
        raise InputError(Problem("site.yaml", 0, f"the output folder {out} is not empty and was not made by "
                                                 "scholarsite; empty it or choose another 'output'"))


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.get("files", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def write_file(target: Path, data: bytes) -> None:
    """Write through a temporary file and a rename, so no reader sees a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def commit(out: Path, files: dict[str, bytes], kept: dict[str, str] | None = None) -> WriteStats:
    """Make ``out`` hold exactly ``files``: rewrite only what changed, remove what is gone.

    ``kept`` names files (path -> digest) the caller knows ``out`` already holds unchanged: they stay.
    """
    paths = {safe_relpath(p): data for p, data in files.items()}
    old = read_manifest(out)
    new = {p: digest(data) for p, data in paths.items()}
    stats = WriteStats()
    for rel, known in (kept or {}).items():
        if old.get(rel) != known:
            raise ValueError(f"{rel!r} is kept, but the manifest does not list it with that digest")
        if rel not in new:
            new[rel] = known
            stats.unchanged += 1
    out.mkdir(parents=True, exist_ok=True)
    for rel in sorted(paths):
        target = out / rel
        if old.get(rel) == new[rel] and target.is_file() and target.stat().st_size == len(paths[rel]):
            stats.unchanged += 1
            continue
        write_file(target, paths[rel])
        stats.written += 1
    for rel in sorted(set(old) - set(new)):
        try:
            target = out / safe_relpath(rel)
        except ValueError:
            continue
        if target.is_file() and not target.is_symlink():
            target.unlink()
            stats.removed += 1
            _prune_dirs(target.parent, out)
    if new == old and (out / MANIFEST).is_file():
        return stats  # the manifest already says exactly this
    manifest = json.dumps({"files": new}, indent=0, sort_keys=True).encode("utf-8") + b"\n"
    if (out / MANIFEST).is_file() and (out / MANIFEST).read_bytes() == manifest:
        return stats
    write_file(out / MANIFEST, manifest)
    return stats


def _prune_dirs(folder: Path, out: Path) -> None:
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
