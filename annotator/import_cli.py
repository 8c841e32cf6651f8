"""``annotator import`` (documents into a project) and ``annotator import-qdpx``
(a REFI-QDA file into a new project), without the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.store.errors import ProjectError

if TYPE_CHECKING:
    from annotator.importing.model import ImportReport
    from annotator.store.project import Project


def import_documents(argv: Sequence[str]) -> int:
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


def import_qdpx(argv: Sequence[str]) -> int:
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
