"""Command line: ``annotator [PROJECT] [--coder NAME]`` opens the window;
``annotator export PROJECT --out DIR`` writes CSV without one."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from annotator.store.errors import ProjectError


def _version() -> str:
    from annotator import __version__

    return __version__


def _export(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="annotator export", description="Export a project's coded data as CSV files."
    )
    parser.add_argument("project", type=Path, help="the project file (.annotator)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the CSV files to")
    args = parser.parse_args(argv)
    from annotator.io.csv_export import export_csv
    from annotator.store.project import open_project

    try:
        with open_project(args.project) as project:
            counts = export_csv(project, args.out)
    except ProjectError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"annotator: cannot write to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for name, rows in counts.items():
        print(f"{args.out / name}: {rows} rows")
    return 0


def _gui(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Code actors, claims and stances in texts. "
        "Other commands: 'annotator export PROJECT --out DIR'.",
    )
    parser.add_argument(
        "project",
        nargs="?",
        type=Path,
        help="project file to open or create (default: the last one, or the sample project)",
    )
    parser.add_argument("--coder", help="coder name to record on annotations (skips the prompt)")
    parser.add_argument("--version", action="version", version=f"Annotator {_version()}")
    args = parser.parse_args(argv)
    from annotator.app import run_gui

    return run_gui(args.project, coder=args.coder)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "export":
        return _export(argv[1:])
    return _gui(argv)
