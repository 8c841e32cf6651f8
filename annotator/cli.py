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
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from annotator.store.errors import OlderProjectError, ProjectError

if TYPE_CHECKING:
    from annotator.exporting.model import ExportOptions
    from annotator.importing.model import ImportReport
    from annotator.store.project import Project


def _version() -> str:
    from annotator import __version__

    return __version__


def _export(argv: Sequence[str]) -> int:
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
    parser.add_argument(  # for the window, which runs its exports this way
        "--progress", choices=("auto", "lines"), default="auto", help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    formats = tuple(dict.fromkeys(f.strip().lower() for f in args.format.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        named = f"unknown format {', '.join(map(repr, unknown))}; " if unknown else ""
        parser.error(f"--format: {named}choose from {', '.join(FORMATS)}")
    options = ExportOptions(profile=args.profile, coder=args.coder, formats=formats)
    if args.progress == "lines":
        return _export_for_window(args.project, args.out, options)
    from annotator.core.progress import Cancelled, Progress
    from annotator.exporting.analysis import export_for_analysis
    from annotator.exporting.folder import failure_text
    from annotator.store.project import open_project

    line = TerminalLine(sys.stderr) if _is_terminal(sys.stderr) else None
    try:
        try:
            if line is not None:
                line(0, 0, "reading the project")
            # Read-only: an export never changes the project, even one open in a window.
            with open_project(args.project, read_only=True) as project:
                result = export_for_analysis(project, args.out, options, Progress(line))
        finally:
            if line is not None:
                line.clear()
    except OlderProjectError as exc:
        unchanged = " The file was not changed." if exc.unchanged else ""
        print(
            f"annotator: {args.project.name} was saved by an older version of Annotator. "
            f"Open it in Annotator once to upgrade it (a backup is kept), then export.{unchanged}",
            file=sys.stderr,
        )
        return 1
    except (ProjectError, ExportRefused) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"annotator: cannot export to {args.out}: {failure_text(exc)}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Cancelled):
        print(f"annotator: export cancelled; nothing in {args.out} was changed.", file=sys.stderr)
        return 130
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
    from annotator.core.progress import Cancelled, Progress
    from annotator.exporting.folder import failure_text
    from annotator.exporting.refi import write_qdc, write_qdpx
    from annotator.store.project import open_project

    out = (
        args.out
        if args.out.suffix.lower() == f".{args.format}"
        else args.out.with_name(f"{args.out.name}.{args.format}")
    )
    line = TerminalLine(sys.stderr) if _is_terminal(sys.stderr) else None
    try:
        try:
            with open_project(args.project, read_only=True) as project:
                if args.format == "qdc":
                    result = write_qdc(project, out)
                else:
                    result = write_qdpx(project, out, Progress(line))
        finally:
            if line is not None:
                line.clear()
    except OlderProjectError:
        print(
            f"annotator: {args.project.name} was saved by an older version of Annotator. "
            "Open it in Annotator once to upgrade it (a backup is kept), then export.",
            file=sys.stderr,
        )
        return 1
    except (ProjectError, ValueError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"annotator: cannot write {out}: {failure_text(exc)}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Cancelled):
        print(f"annotator: export cancelled; {out} was not changed.", file=sys.stderr)
        return 130
    what = (
        f"{result.codes} codes"
        if args.format == "qdc"
        else f"{result.documents} documents, {result.annotations} annotations, {result.codes} codes"
    )
    print(f"{out}: {what}")
    return 0


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


def _import(argv: Sequence[str]) -> int:
    from annotator.importing.formats import SUPPORTED_EXTENSIONS, TABLE_EXTENSIONS

    tables = ", ".join(TABLE_EXTENSIONS)
    parser = argparse.ArgumentParser(
        prog="annotator import",
        description=f"Import documents ({', '.join(SUPPORTED_EXTENSIONS)}) into a project, "
        f"creating the project file if it does not exist. A table ({tables}) holds one "
        "document per row: its text column is the one --text-column names, else the one "
        "named 'text'; its other columns become metadata and document variables. Folders "
        f"are searched recursively for every format but the tables ({tables} files are "
        "imported when named). Exits non-zero only when nothing could be imported.",
    )
    parser.add_argument("project", type=Path, help="the project file (.annotator)")
    parser.add_argument("paths", nargs="+", type=Path, help="files and folders to import")
    parser.add_argument(
        "--encoding", help="text encoding of plain-text files (default: detect each file's)"
    )
    parser.add_argument(
        "--metadata",
        type=Path,
        help="CSV with a file_name column and title, source, author, date or "
        "document-variable columns",
    )
    parser.add_argument(
        "--text-column",
        metavar="NAME",
        help="the column of each table that holds the texts (default: the one named 'text')",
    )
    parser.add_argument(
        "--allow-duplicates", action="store_true", help="import texts already in the project"
    )
    args = parser.parse_args(argv)
    from annotator.importing.encodings import encoding_name
    from annotator.importing.pipeline import (
        ImportInterrupted,
        ImportRejected,
        import_paths,
        read_metadata_csv,
    )
    from annotator.store.project import open_project

    try:
        if args.encoding:
            encoding_name(args.encoding)
        if args.metadata is not None:
            read_metadata_csv(args.metadata)  # refuse a bad file before creating anything
    except (ImportRejected, ValueError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("annotator: import interrupted; nothing was imported.", file=sys.stderr)
        return 130
    from annotator.qt.safety.lock_file import ProjectLock

    Path(args.project).parent.mkdir(parents=True, exist_ok=True)
    lock = ProjectLock(Path(args.project))
    holder = lock.acquire()
    if holder is not None:  # a window is working on it: importing behind its back is unsafe
        print(
            f"annotator: {Path(args.project).name} is open in {holder.describe()}; "
            "close it there (or import from its File menu), then try again.",
            file=sys.stderr,
        )
        return 1
    stored = -1  # after Ctrl+C: the documents the import added, as the project counts them
    importing = False
    try:
        with open_project(args.project, create=True) as project:
            before = {d.id for d in project.documents(counts=False)}
            importing = True
            try:
                report = import_paths(
                    project,
                    args.paths,
                    encoding=args.encoding,
                    text_column=args.text_column,
                    metadata_csv=args.metadata,
                    allow_duplicates=args.allow_duplicates,
                )
            except ImportInterrupted as exc:
                report = exc.report
                stored = _complete_report(report, project, before)
    except ProjectError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # a bad metadata CSV
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # opening the project, or a second Ctrl+C
        done = "the documents imported before it stay" if importing else "nothing was imported"
        print(f"annotator: import interrupted; {done}.", file=sys.stderr)
        return 130
    finally:
        lock.release()
    for line in report.lines():
        print(line)
    for note in report.notes:
        print(f"note: {note}")
    for outcome in report.outcomes:
        if warning := outcome.doubtful_encoding():
            print(f"warning: {warning}", file=sys.stderr)
    if not report.outcomes:
        print("annotator: no files to import", file=sys.stderr)
    imported = report.count("imported")
    print(
        f"{imported} imported, {report.count('duplicate')} duplicates skipped, "
        f"{report.count('rejected')} rejected"
    )
    if stored >= 0:
        print(
            f"annotator: import interrupted (Ctrl+C): {stored} document"
            f"{'s were' if stored != 1 else ' was'} imported before it and stay in the "
            "project; the files not listed above were not imported.",
            file=sys.stderr,
        )
        return 130
    # A file already in the project counts as done: re-running an import succeeds.
    return 0 if imported or report.count("duplicate") else 1


def _complete_report(report: ImportReport, project: Project, before: set[str]) -> int:
    """After Ctrl+C: add to ``report`` the document it may lack (stored, but
    interrupted before its outcome was reported); the number of documents added."""
    from annotator.importing.model import FileOutcome

    reported = {o.document.id for o in report.outcomes if o.document is not None}
    added = [d for d in project.documents(counts=False) if d.id not in before]
    for document in added:
        if document.id not in reported:
            path = Path(document.file_name or document.title)
            report.outcomes.append(FileOutcome(path, "imported", "", document, document.encoding))
    return len(added)


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


def _import_qdpx(argv: Sequence[str]) -> int:
    """``annotator import-qdpx FILE --out PROJECT``: a REFI-QDA file into a new project."""
    parser = argparse.ArgumentParser(
        prog="annotator import-qdpx",
        description="Import a REFI-QDA project (.qdpx, from MAXQDA, NVivo, ATLAS.ti, "
        "QualCoder or Annotator) or codebook (.qdc) into a new project file: sources become "
        "documents, codes categories, coded selections annotations, users coders. Prints "
        "what was imported and what was left out. An Annotator .qdpx is rebuilt exactly.",
    )
    parser.add_argument("file", type=Path, help="the .qdpx or .qdc file")
    parser.add_argument(
        "--out", type=Path, required=True, help="the new project file (.annotator) to create"
    )
    parser.add_argument(
        "--nested",
        choices=("choices", "categories"),
        default="choices",
        help="codes nested below a top-level code become choices of its 'Sub-code' "
        "attribute (default) or categories of their own",
    )
    args = parser.parse_args(argv)
    from annotator.importing.model import ImportRejected
    from annotator.importing.refi import import_refi
    from annotator.store.errors import ProjectError

    out = args.out if args.out.suffix else args.out.with_suffix(".annotator")
    try:
        report = import_refi(args.file, out, nested=args.nested)
    except ImportRejected as exc:
        print(f"annotator: {args.file.name}: {exc}; nothing was imported.", file=sys.stderr)
        return 1
    except (ProjectError, OSError) as exc:
        print(f"annotator: {exc}; nothing was imported.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: import interrupted; nothing was imported.", file=sys.stderr)
        return 130
    for line in report.lines():
        print(line)
    return 0


def _search(argv: Sequence[str]) -> int:
    from annotator.core.corpus_query import QueryError, flat
    from annotator.core.model import DocumentStatus
    from annotator.store.corpus_search import SearchFilters
    from annotator.store.project import open_project

    parser = argparse.ArgumentParser(
        prog="annotator search",
        description='Search every document of a project: words, "phrases" and prefixes '
        "(secur*) in any case, or a Python regular expression with --regex. Prints one "
        "tab-separated line a hit: document title, start and end (code points), the hit "
        "in its context as before[hit]after, and the categories already coded there; "
        "then, on standard error, how many hits in how many documents.",
    )
    parser.add_argument("project", type=Path, help="the project file (.annotator)")
    parser.add_argument("query", help="what to look for")
    parser.add_argument("--regex", action="store_true", help="QUERY is a regular expression")
    parser.add_argument(
        "--limit", type=int, default=1000, metavar="N", help="print at most N hits (0: all)"
    )
    statuses = [s.value for s in DocumentStatus]
    parser.add_argument(
        "--status",
        action="append",
        default=[],
        choices=statuses,
        metavar="STATUS",
        help=f"only documents of this status ({', '.join(statuses)}); may be repeated",
    )
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="SOURCE",
        help="only documents of this source; may be repeated",
    )
    parser.add_argument(
        "--from",
        dest="date_from",
        default="",
        metavar="DATE",
        help="only documents dated from DATE (YYYY, YYYY-MM or YYYY-MM-DD)",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        default="",
        metavar="DATE",
        help="only documents dated up to DATE (2024-03: to its last day)",
    )
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="only documents whose variable KEY has VALUE; may be repeated",
    )
    args = parser.parse_args(argv)
    variables = []
    for pair in args.var:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip():
            parser.error(f"--var takes KEY=VALUE, not “{pair}”")
        variables.append((key.strip(), value))
    filters = SearchFilters(
        statuses=tuple(args.status),
        sources=tuple(args.source),
        date_from=args.date_from,
        date_to=args.date_to,
        variables=tuple(variables),
    )
    try:
        with open_project(args.project, read_only=True) as project:
            result = project.search(
                args.query,
                regex=args.regex,
                limit=args.limit or None,
                time_limit=None,
                filters=filters,
            )
    except OlderProjectError as exc:
        unchanged = " The file was not changed." if exc.unchanged else ""
        print(
            f"annotator: {args.project.name} was saved by an older version of Annotator. "
            f"Open it in Annotator once to upgrade it (a backup is kept), then search.{unchanged}",
            file=sys.stderr,
        )
        return 1
    except (ProjectError, QueryError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    for doc in result.documents:
        for hit in doc.hits:
            print(f"{flat(doc.title)}\t{hit.start}\t{hit.end}\t{hit.line()}\t{','.join(hit.coded)}")
    shown = "" if result.shown == result.total else f" (first {result.shown} printed)"
    print(
        f"{result.total} hit{'' if result.total == 1 else 's'} in {len(result.documents)} "
        f"document{'' if len(result.documents) == 1 else 's'}{shown}",
        file=sys.stderr,
    )
    if result.stopped:  # a regular expression that ran too long in one document
        print(f"annotator: {result.stopped}", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "export":
        return _export(argv[1:])
    if argv and argv[0] == "import":
        return _import(argv[1:])
    if argv and argv[0] == "team":
        from annotator.team_cli import team

        return team(argv[1:])
    if argv and argv[0] == "import-qdpx":
        return _import_qdpx(argv[1:])
    if argv and argv[0] == "search":
        return _search(argv[1:])
    return _gui(argv)
