"""The command line: thin commands that parse arguments and call the library."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from . import __version__
from .config import CONFIG_FILE
from .errors import InputError
from .oneshot import build  # (the rest of the builder is imported only when a build has work to do)


def find_site(start: Path) -> Path:
    """The folder holding site.yaml: ``start`` or the nearest parent; else ``start`` itself."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return start


def cmd_import(args) -> int:
    from .pipeline import run_import
    report = run_import(args.site, write=True, prune=args.prune)
    if report is None:
        print("no seed in seeds/: nothing to import", file=sys.stderr)
        return 0
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary())
    if args.verbose:
        for line in report.details():
            print(f"  {line}")
    return 0


def cmd_build(args) -> int:
    result = build(args.site, do_import=not args.no_import)
    if result.report:
        for warning in result.report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(result.report.summary())
        if args.verbose:
            for line in result.report.details():
                print(f"  {line}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    out = result.out
    s = result.stats
    print(f"built {result.pages} pages ({s.written} written, {s.unchanged} unchanged, {s.removed} removed) "
          f"in {result.seconds * 1000:.0f} ms")
    print(f"open {(out / 'index.html').as_uri()}")
    return 0


def cmd_check(args) -> int:
    from .check import check
    print(check(args.site))
    return 0


def cmd_watch(args) -> int:
    from .watch import run
    return run(args.site, poll=args.poll, verbose=args.verbose)


def cmd_serve(args) -> int:
    from .serve import run
    return run(args.site, port=args.port, poll=args.poll, verbose=args.verbose)


def port_number(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535 (0: any free port), not '{text}'")
    return int(text)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="scholarsite", description="Build a researcher's homepage from a profile seed.")
    top.add_argument("--version", action="version", version=f"scholarsite {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--site", type=Path, default=None,
                       help="the site folder (holding site.yaml); default: this folder or the nearest parent with one")
        p.add_argument("-v", "--verbose", action="store_true", help="say what changed, file by file")
        p.set_defaults(func=func)
        return p

    i = command("import", cmd_import, "Merge seeds/*.txt into content/ (hand edits are kept).")
    i.add_argument("--prune", action="store_true",
                   help="delete the paper files marked 'removed: true' (papers no longer in the seed)")
    b = command("build", cmd_build, "Import the seed, then render the whole site into output/.")
    b.add_argument("--no-import", action="store_true", help="build from content/ as it is, without reading the seed")
    command("check", cmd_check, "Validate site.yaml, the seed, content and templates without writing anything "
                                "(exit 2 on any problem).")


    w = command("watch", cmd_watch, "Build, then rebuild what changed whenever seeds/, content/, templates or site.yaml change.")
    w.add_argument("--poll", action="store_true", help="check for changes by polling instead of the system's watcher")
    s = command("serve", cmd_serve, "Watch, and serve the site on 127.0.0.1 with live reload.")
    s.add_argument("--port", type=port_number, default=8000, help="the port to listen on (default 8000; a free one when taken)")
    s.add_argument("--poll", action="store_true", help="check for changes by polling instead of the system's watcher")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.site = args.site.resolve() if args.site else find_site(Path.cwd())
    try:
        return args.func(args)
    except InputError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        count = len(err.problems)
        print(f"scholarsite: {count} problem{'s' if count != 1 else ''}; nothing was changed", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as err:  # the system refused (a full disk, a read-only folder): not a bug
        where = f" ({err.filename})" if err.filename else ""
        print(f"scholarsite: {err.strerror or err}{where}; the build stopped before changing content/ and "
              "output/ (a build stopped while moving files is finished by the next one)", file=sys.stderr)
        return 1
    except Exception:  # an internal error: report it as a bug, with the traceback
        import traceback  # (only then: 4 ms of every start)
        traceback.print_exc()
        print("error: internal error in scholarsite (the traceback above is a bug; please report it)", file=sys.stderr)
        return 1


def run() -> None:
    """The program (``scholarsite``, ``python -m generator``): main(), then exit with its code.

    Before Python exits, what the command made is frozen out of the cycle collector: the memory goes back
    to the system all at once, instead of Python's exit walking every object left (its last collections
    took 0.05 s of the real seed's 0.4 s build, and 0.45 s after a 10,000-paper build)."""
    code = main()
    gc.freeze()
    sys.exit(code)

