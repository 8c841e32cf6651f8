"""Command line: ``annotator [PROJECT] [--coder NAME]`` opens the window;
``annotator export PROJECT --out DIR [--profile analysis|excel] [--coder NAME]
[--format csv,dta,sav,xlsx]`` writes the analysis export without one;
``annotator export PROJECT --format qdpx|qdc --out FILE`` writes a REFI-QDA
project or codebook; ``annotator import PROJECT FILES/FOLDERS…`` imports documents without one;
``annotator team prepare|merge …`` writes coder copies and merges coders' files;
``annotator import-qdpx FILE --out PROJECT`` makes a project of a REFI-QDA file;
``annotator team premerge PROJECT [--majority N]`` settles the units coders agree on;
``annotator search PROJECT QUERY [--regex] [--limit N] [--status S] [--source S] [--from D]
[--to D] [--var K=V]`` prints the hits of a corpus search;
``annotator --self-test`` checks the installation."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _version() -> str:
    from annotator import __version__

    return __version__


def _gui(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Code actors, claims and stances in texts. "
        "Other commands: 'annotator export PROJECT --out DIR', "
        "'annotator import PROJECT FILES...'.",
    )
    parser.add_argument(
        "project",
        nargs="?",
        type=Path,
        help="project file to open or create (default: the last one, or the sample project)",
    )
    parser.add_argument("--coder", help="coder name to record on annotations (skips the prompt)")
    parser.add_argument("--version", action="version", version=f"Annotator {_version()}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation (Qt, SQLite, resources, a project round trip), "
        "print a report and exit 0 if everything works",
    )
    args = parser.parse_args(argv)
    if args.self_test:
        return _self_test()
    from annotator.app import run_gui

    return run_gui(args.project, coder=args.coder)


def _self_test() -> int:
    """Run the self-test; anything it does not catch itself (a module left out of
    a bundle, say) is still a report and exit 1, never an error box that waits."""
    try:
        from annotator.selftest import main as self_test

        return self_test()
    except Exception:  # noqa: BLE001 (the report is the point)
        import traceback

        report = "self-test FAILED before its checks ran:\n" + traceback.format_exc()
        if sys.stdout is not None:
            print(report, flush=True)
        try:
            from annotator.core.logs import log_file

            log_file().with_name("self-test.txt").write_text(report, encoding="utf-8")
        except Exception:  # noqa: BLE001
            pass
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else ""
    if command == "export":
        from annotator.export_cli import export

        return export(argv[1:])
    if command == "import":
        from annotator.import_cli import import_documents

        return import_documents(argv[1:])
    if command == "import-qdpx":
        from annotator.import_cli import import_qdpx

        return import_qdpx(argv[1:])
    if command == "team":
        from annotator.team_cli import team

        return team(argv[1:])
    if command == "search":
        from annotator.search_cli import search

        return search(argv[1:])
    return _gui(argv)
