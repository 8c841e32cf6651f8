"""``annotator export``: the analysis export (CSV, Stata, SPSS, Excel) and the
REFI-QDA project or codebook, without the window; also the export the window
runs in a child process (``--progress=lines``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from annotator.command_messages import older_project
from annotator.core.progress import Progress
from annotator.store.errors import OlderProjectError, ProjectError

if TYPE_CHECKING:
    from annotator.exporting.model import ExportOptions
    from annotator.store.project import Project

T = TypeVar("T")


def export(argv: Sequence[str]) -> int:
    if _refi_format(argv) is not None:
        return _export_refi(argv)
    from annotator.exporting.model import FORMATS, PROFILES, ExportOptions, ExportRefused

    parser = argparse.ArgumentParser(
        prog="annotator export",
        description="Export a project's coded data for analysis: CSV files, summaries, "
        "an actor × issue network, a data dictionary and a manifest. On a terminal it "
        "shows how far it got; Ctrl+C cancels it and leaves the folder as it was.",
    )
    parser.add_argument("project", type=Path, help="the project file (.annotator)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the files to")
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="analysis",
        help="analysis: UTF-8, LF, text exact (default); excel: BOM, CRLF, formulas neutralised",
    )
    parser.add_argument("--coder", help="export only this coder's annotations")
    parser.add_argument(
        "--format",
        default="csv",
        help=f"comma-separated formats, any of {','.join(FORMATS)} (default: csv)",
    )
    parser.add_argument(
        "--actor-networks",
        action="store_true",
        help="also write the one-mode actor networks (actor_congruence, actor_conflict, "
        "CSV and GraphML), as the Discourse Network Analyzer makes them; with hundreds of "
        "registry actors they hold millions of edges",
    )
    parser.add_argument(  # for the window, which runs its exports this way
        "--progress", choices=("auto", "lines"), default="auto", help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    formats = tuple(dict.fromkeys(f.strip().lower() for f in args.format.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        named = f"unknown format {', '.join(map(repr, unknown))}; " if unknown else ""
        parser.error(f"--format: {named}choose from {', '.join(FORMATS)}")
    options = ExportOptions(
        profile=args.profile,
        coder=args.coder,
        formats=formats,
        actor_networks=args.actor_networks,
    )
    if args.progress == "lines":
        return _export_for_window(args.project, args.out, options)
    from annotator.exporting.analysis import export_for_analysis

    result = _on_a_terminal(
        args.project,
        lambda project, progress: export_for_analysis(project, args.out, options, progress),
        refused=ExportRefused,
        cannot=f"cannot export to {args.out}",
        cancelled=f"nothing in {args.out} was changed",
        first="reading the project",
    )
    if isinstance(result, int):
        return result
    for name, rows in result.files.items():
        print(f"{args.out / name}: {rows} rows")
    for fmt, why in result.skipped_formats.items():
        print(f"annotator: {fmt} skipped: {why}", file=sys.stderr)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


# -- REFI-QDA: `annotator export PROJECT --format qdpx|qdc --out FILE` -----------------------
REFI_FORMATS = ("qdpx", "qdc")


def _refi_format(argv: Sequence[str]) -> str | None:
    """The REFI-QDA format ``--format`` asks for, if it asks for one."""
    for index, arg in enumerate(argv):
        if arg == "--format" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--format="):
            value = arg.partition("=")[2]
        else:
            continue
        if value.strip().lower() in REFI_FORMATS:
            return value.strip().lower()
    return None


def _export_refi(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="annotator export",
        description="Export the project for other qualitative analysis tools (MAXQDA, NVivo, "
        "ATLAS.ti, QualCoder): --format qdpx writes a REFI-QDA project (texts, codes, "
        "coders, every annotation with its note); --format qdc the codebook alone.",
    )
    parser.add_argument("project", type=Path, help="the project file (.annotator)")
    parser.add_argument("--format", required=True, type=str.lower, choices=REFI_FORMATS)
    parser.add_argument("--out", type=Path, required=True, help="the file to write")
    args = parser.parse_args(argv)
    from annotator.exporting.refi import RefiResult, write_qdc, write_qdpx

    out = (
        args.out
        if args.out.suffix.lower() == f".{args.format}"
        else args.out.with_name(f"{args.out.name}.{args.format}")
    )

    def write(project: Project, progress: Progress) -> RefiResult:
        if args.format == "qdc":
            return write_qdc(project, out)
        return write_qdpx(project, out, progress)

    result = _on_a_terminal(
        args.project,
        write,
        refused=ValueError,
        cannot=f"cannot write {out}",
        cancelled=f"{out} was not changed",
    )
    if isinstance(result, int):
        return result
    what = (
        f"{result.codes} codes"
        if args.format == "qdc"
        else f"{result.documents} documents, {result.annotations} annotations, {result.codes} codes"
    )
    print(f"{out}: {what}")
    return 0


def _on_a_terminal(
    project_path: Path,
    work: Callable[[Project, Progress], T],
    *,
    refused: type[Exception],
    cannot: str,
    cancelled: str,
    first: str = "",
) -> T | int:
    """``work`` on the project opened read-only (an export never changes it, even one
    open in a window), with a progress line on a terminal. A failure is said on
    standard error and its exit code returned instead: 1 for a project that cannot
    be read, a ``refused`` export or a file that cannot be written (``cannot``: what
    could not be done), 130 for Ctrl+C (``cancelled``: what stayed as it was)."""
    from annotator.core.progress import Cancelled
    from annotator.exporting.folder import failure_text
    from annotator.store.project import open_project

    line = TerminalLine(sys.stderr) if _is_terminal(sys.stderr) else None
    try:
        try:
            if line is not None and first:
                line(0, 0, first)
            with open_project(project_path, read_only=True) as project:
                return work(project, Progress(line))
        finally:
            if line is not None:
                line.clear()
    except OlderProjectError as exc:
        return older_project(project_path, "export", exc)
    except (ProjectError, refused) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"annotator: {cannot}: {failure_text(exc)}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Cancelled):
        print(f"annotator: export cancelled; {cancelled}.", file=sys.stderr)
        return 130


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


class TerminalLine:
    """One line on a terminal that says how far the export got, rewritten in place
    (a carriage return and spaces: every terminal, Windows' console too)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.width = 0  # of the text on the line now

    def __call__(self, done: int, total: int, label: str) -> None:
        if total > 0:
            text = f"Exporting: {100 * done // total:3d}%  {label}"
        else:
            text = f"Exporting: {label}…"
        self._show(text)

    def clear(self) -> None:
        if self.width:
            self._show("")
            self.stream.write("\r")
            self.stream.flush()
            self.width = 0

    def _show(self, text: str) -> None:
        padding = " " * max(self.width - len(text), 0)
        # Counted before it is written: Ctrl+C while it is written still clears it.
        self.width = max(self.width, len(text))
        try:
            self.stream.write(f"\r{text}{padding}")
            self.stream.flush()
        except (OSError, ValueError, UnicodeError):
            return
        self.width = len(text)


def _export_for_window(project_path: Path, out: Path, options: ExportOptions) -> int:
    """``--progress=lines``: the export the window runs; it speaks the language of
    :mod:`annotator.qt.exporting.progress_lines` on standard output."""
    from annotator.core.progress import Cancelled, Progress
    from annotator.qt.exporting import progress_lines as lines

    report = lines.LineWriter(sys.stdout)
    report(0, 0, "reading the project")
    progress = Progress(report)
    lines.watch_stdin(progress)
    _run_in_the_background()
    from annotator.exporting.analysis import export_for_analysis
    from annotator.exporting.folder import failure_text
    from annotator.store.project import open_project

    try:
        with open_project(project_path, read_only=True) as project:
            result = export_for_analysis(project, out, options, progress)
    except (KeyboardInterrupt, Cancelled):
        report.send(lines.CANCELLED_LINE)
        return 130
    except OlderProjectError:
        report.send(lines.failed_line(f"{project_path.name} was saved by an older version."))
        return 1
    except (ProjectError, OSError, ValueError) as exc:
        report.send(lines.failed_line(failure_text(exc)))
        return 1
    report.send(lines.result_line(result))
    return 0


# How much the window's exports give way to other work (Unix niceness).
NICE = 5


def _run_in_the_background() -> None:
    """Leave the processor to the window first: the export can wait a moment."""
    if hasattr(os, "nice"):
        try:
            os.nice(NICE)
        except OSError:
            pass
