"""What scholarsite keeps between builds besides the output: the cache folder's files
(.scholarsite-cache/, written best effort and dropped when the code changed), the import state's name, and
the digest they use. Light to import: a build with nothing to do needs no more than this, config.py,
themes.py and inputs.py."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import time
from pathlib import Path

from .output import digest as digest_of_file

CACHE_DIR = ".scholarsite-cache"
CACHE_FILE = "build.json"  # what each output was made from, and the inputs of the last build
PAPERS_FILE = "papers.json"  # parsed paper files (read only when a build has to load the content)
CONTENT_FILE = "content.json"  # content files as the import read them (read only when a build imports)
STATE_FILE = ".import-state.json"  # in content/: what the last import merged (see content.py)
RACY_NS = 2_000_000_000  # a file changed this close to a build may change again within one mtime tick
PACKAGE = Path(__file__).resolve().parent


def digest(*parts: str | bytes) -> str:
    """A digest of the parts, each followed by a NUL byte (text joined first: one update instead of two per
    part). SHA-256, cut to 128 bits: processors hash it in hardware, twice as fast as BLAKE2 here."""
    try:
        data = "\x00".join(parts).encode("utf-8", "surrogatepass")  # type: ignore[arg-type]
    except TypeError:  # some parts are bytes (megabytes at 10,000 papers: not copied)
        found = hashlib.sha256()
        for part in parts:
            found.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
            found.update(b"\x00")
        return found.hexdigest()[:32]
    found = hashlib.sha256(data)
    if parts:
        found.update(b"\x00")
    return found.hexdigest()[:32]


def holds(path: str, size: int, found: str) -> bool:
    """Whether a file holds exactly ``size`` bytes whose output.digest is ``found`` (how a file written or
    read too recently for its date to be trusted is checked again)."""
    data = file_bytes(path, size)
    return data is not None and digest_of_file(data) == found


def file_bytes(path: str, size: int) -> bytes | None:
    """A file's bytes when it holds exactly ``size`` of them, else None (no file objects: 10,000 files are
    read back this way after an import, twice as fast as with open())."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    chunks, got = [], 0
    try:
        while got <= size:
            chunk = os.read(fd, size + 1 - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return b"".join(chunks) if got == size else None


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The generator's code and the libraries that shape its output (their files' dates and sizes)."""
    folders = [PACKAGE]
    for name in ("jinja2", "markupsafe", "markdown_it", "mdit_py_plugins", "linkify_it", "latex2mathml", "yaml", "lunr"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folders.append(Path(spec.origin).parent)
    parts = []
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            st = path.stat()
            parts.append(f"{path}:{st.st_mtime_ns}:{st.st_size}")
    return digest(*parts)


def user_cache_dir(name: str) -> Path | None:
    """A folder of the user's cache for what is worth keeping across sites and clean builds, as Python keeps
    __pycache__ (``$XDG_CACHE_HOME/scholarsite/NAME-<code version>``: the code decides what is kept); None
    when there is no writable place. Its first use of a day removes the folders of other versions that no
    build used for a week (each version would otherwise leave its folder behind)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # (unset, or relative: the XDG spec says to ignore it)
        base = os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):  # (no home to expand)
            return None
    folder = Path(base) / "scholarsite" / f"{name}-{code_version()[:16]}"
    try:
        try:
            used = folder.stat().st_mtime
        except FileNotFoundError:
            folder.mkdir(parents=True, exist_ok=True)
            used = 0.0
        if not os.access(folder, os.W_OK):
            return None
        if time.time() - used > 86400:  # (once a day at most: this folder is marked used, see prune)
            os.utime(folder)
            prune(folder.parent, f"{name}-", keep=folder.name)
    except OSError:  # (a folder that cannot be reached or made, a name too long...)
        return None
    return folder


UNUSED_DAYS = 7


def prune(parent: Path, prefix: str, keep: str) -> None:
    """Remove what ``parent`` holds named ``prefix*`` but ``keep`` and not used for UNUSED_DAYS (by its
    modification time: a cache folder's is set when used, a kept file's when written)."""
    import shutil

    limit = time.time() - UNUSED_DAYS * 86400
    try:
        old = [p for p in parent.iterdir() if p.name.startswith(prefix) and p.name != keep
               and p.stat().st_mtime < limit]
    except OSError:
        return
    for path in old:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def load(site_dir: Path, name: str = CACHE_FILE) -> dict:
    """A cache file of a site, or an empty cache when it is missing, unreadable or from other code."""
    path = site_dir / CACHE_DIR / name
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("code") != code_version():
        return {}
    return data


def entries(site_dir: Path, name: str, field: str, length: int) -> dict[str, list]:
    """``data[field]`` of a cache file: path -> a list of ``length`` values; anything else is left out."""
    found = load(site_dir, name).get(field)
    if not isinstance(found, dict):
        return {}
    return {str(k): v for k, v in found.items() if isinstance(v, list) and len(v) == length}


def save(site_dir: Path, data: dict, name: str = CACHE_FILE) -> None:
    """Write a cache file (best effort: a cache that cannot be written only costs time)."""
    folder = site_dir / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# made by scholarsite: a build cache, safe to delete\n*\n", encoding="utf-8")
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({**data, "code": code_version()}, separators=(",", ":")), encoding="utf-8")
        tmp.replace(folder / name)
    except OSError:
        pass
