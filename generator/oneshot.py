"""A build run once (``scholarsite build``, ``make site``): it looks at what it reads first, with no more
imported than that takes (inputs.py), and stops there when nothing changed since the last build; only
then is the builder imported (Jinja, markdown-it, the importer...), starting from that look."""

from __future__ import annotations

from pathlib import Path

from .inputs import Inputs
from .result import BuildResult


def build(site_dir: Path, do_import: bool = True) -> BuildResult:
    """Import the seed (when there is one), then render the site into the output folder.

    Work whose inputs did not change since the last build (the import, parsing paper files, rendering a
    page) is skipped using .scholarsite-cache/; the output is always the same as a build from scratch.
    """
    inputs = Inputs(site_dir, do_import=do_import)
    look = inputs.look_at(fork=True)
    result = inputs.unchanged(look)
    if result is not None:
        inputs.save_state()
        return result
    from .build import Builder

    inputs.looked = look
    builder = Builder(site_dir, do_import=do_import, start=inputs)
    result = builder.build()
    builder.save()
    return result
