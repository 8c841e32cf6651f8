"""Importing documents: files and folders in, one transaction per document, a report out.

The window and ``annotator import`` share this pipeline. A file's format
(``annotator.importing.formats``) says how it is read: most files are one
document, a table (``.csv``, ``.xlsx``) is one document per row. A bad file or
row never raises: it becomes a ``rejected`` outcome with a reason, and nothing
of it is written. A file is read whole before any of its documents is stored,
so a table that cannot be read as a whole imports nothing.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path

from annotator.importing.encodings import Decoded, decode_as, detect_encoding, read_bytes
from annotator.importing.formats import (
    FOLDER_EXTENSIONS,
    SUPPORTED_EXTENSIONS,
    format_of,
    is_plain_text,
    is_table,
)
from annotator.importing.model import (
    DOCUMENT_FIELDS,
    MAX_BYTES,
    FileOutcome,
    ImportInterrupted,
    ImportRejected,
    ImportReport,
    ReadOptions,
)
from annotator.importing.storing import column_targets, store_extracted
from annotator.importing.tables import sniff_delimiter
from annotator.store.project import Project

__all__ = [
    "DOCUMENT_FIELDS",
    "MAX_BYTES",
    "SUPPORTED_EXTENSIONS",
    "Decoded",
    "FileOutcome",
    "ImportInterrupted",
    "ImportRejected",
    "ImportReport",
    "collect_files",
    "decode_as",
    "detect_encoding",
    "import_documents",
    "import_one",
    "import_paths",
    "is_plain_text",
    "iter_import",
    "read_metadata_csv",
]

_FILE_COLUMNS = ("file_name", "filename", "file")


def _files_below(folder: Path, wanted: set[str], unreadable: dict[Path, str]) -> Iterator[Path]:
    """Every non-hidden file below ``folder`` with an extension in ``wanted``; a
    folder that cannot be listed goes into ``unreadable`` with the reason."""
    errors: list[OSError] = []
    for parent, folders, names in os.walk(folder, onerror=errors.append):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            child = Path(parent, name)
            if not name.startswith(".") and child.suffix.lower() in wanted and child.is_file():
                yield child
    for error in errors:
        reason = (error.strerror or str(error)).lower()
        unreadable[Path(error.filename) if error.filename else folder] = reason


def collect_files(
    paths: Iterable[Path],
    extensions: Iterable[str] | None = None,
    unreadable: list[FileOutcome] | None = None,
) -> list[Path]:
    """Files as given (any extension) plus, for folders, every non-hidden file below
    them whose extension is in ``extensions`` (default ``FOLDER_EXTENSIONS``: every
    format but the tables); sorted. A folder that cannot be listed (permission
    denied) becomes a ``rejected`` outcome in ``unreadable`` when a list is given."""
    wanted = {e.lower() for e in (FOLDER_EXTENSIONS if extensions is None else extensions)}
    found: set[Path] = set()
    skipped: dict[Path, str] = {}
    for path in map(Path, paths):
        if path.is_dir():
            found.update(_files_below(path, wanted, skipped))
        else:
            found.add(path)  # as given: a missing file is reported when imported
    if unreadable is not None:
        unreadable.extend(
            FileOutcome(
                folder,
                "rejected",
                f"the folder cannot be read ({reason}); nothing in it was imported",
            )
            for folder, reason in sorted(skipped.items())
        )
    return sorted(found)


def read_metadata_csv(path: Path) -> dict[str, dict[str, str]]:
    """File name → column → value, from a CSV with a ``file_name`` column.

    Column names are lower-cased; ``ValueError`` says what is wrong with a bad file.
    """
    try:
        raw = read_bytes(Path(path))  # a regular file, up to the import limit
    except ImportRejected as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            content = detect_encoding(Path(path)).text
        except ImportRejected as exc:
            raise ValueError(f"{Path(path).name}: {exc}") from None
    try:
        # As a table's columns are read: a semicolon or tab between them (European
        # spreadsheets), and a quoted cell may hold a line break.
        rows = list(
            csv.reader(io.StringIO(content, newline=""), delimiter=sniff_delimiter(content))
        )
    except csv.Error as exc:
        raise ValueError(f"{Path(path).name} is not a valid CSV file ({exc})") from None
    if not rows:
        raise ValueError(f"{Path(path).name} is empty")
    header = [name.strip().lower() for name in rows[0]]
    key = next((name for name in _FILE_COLUMNS if name in header), None)
    if key is None:
        raise ValueError(f"{Path(path).name} has no “file_name” column")
    if len(set(header)) != len(header):
        raise ValueError(f"{Path(path).name} has the same column twice")
    result: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise ValueError(f"{Path(path).name}, line {number}: more cells than columns")
        record = {name: value.strip() for name, value in zip(header, row, strict=False)}
        name = Path(record.pop(key, "").replace("\\", "/")).name
        if not name:
            raise ValueError(f"{Path(path).name}, line {number}: no file name")
        if name in result:
            raise ValueError(f"{Path(path).name}, line {number}: “{name}” appears twice")
        result[name] = record
    return result


def metadata_for(path: Path, table: dict[str, dict[str, str]]) -> dict[str, str] | None:
    """The metadata CSV row for a file: its exact name first, then ignoring case."""
    if path.name in table:
        return table[path.name]
    folded = {name.casefold(): row for name, row in table.items()}
    return folded.get(path.name.casefold())


def iter_import(
    project: Project,
    path: Path,
    *,
    encoding: str | None = None,
    text_column: str | None = None,
    metadata: dict[str, str] | None = None,
    allow_duplicates: bool = False,
    max_bytes: int = MAX_BYTES,
) -> Generator[FileOutcome, None, None]:
    """Import the documents of one file, each in its own transaction, yielding each
    outcome once it is stored; whoever stops iterating keeps what was stored.

    The file is read (and a table's columns checked) before the first document is
    stored: a file that cannot be read yields one ``rejected`` outcome. ``metadata``
    maps ``title``/``source``/``author``/``date`` and document-variable keys to
    values for every document of the file; other keys are ignored. ``text_column``
    names a table's text column (default: the one named ``text``).
    """
    path = Path(path)
    options = ReadOptions(encoding, text_column, max_bytes)
    try:
        documents = format_of(path).documents(path, options)
        # Two columns for one field or variable: the file, not each row, is refused.
        column_targets(next((d.columns for d in documents if d.columns), {}), project.variables())
    except ImportRejected as exc:
        yield FileOutcome(path, "rejected", str(exc))
        return
    if not documents:
        yield FileOutcome(path, "rejected", "the table has no rows below its header")
        return
    for extracted in documents:
        yield store_extracted(
            project, path, extracted, metadata=metadata, allow_duplicates=allow_duplicates
        )


def import_documents(
    project: Project,
    path: Path,
    *,
    encoding: str | None = None,
    text_column: str | None = None,
    metadata: dict[str, str] | None = None,
    allow_duplicates: bool = False,
    max_bytes: int = MAX_BYTES,
) -> list[FileOutcome]:
    """Every outcome of :func:`iter_import`: one per document (one per row of a table)."""
    return list(
        iter_import(
            project,
            path,
            encoding=encoding,
            text_column=text_column,
            metadata=metadata,
            allow_duplicates=allow_duplicates,
            max_bytes=max_bytes,
        )
    )


def import_one(
    project: Project,
    path: Path,
    *,
    encoding: str | None = None,
    metadata: dict[str, str] | None = None,
    allow_duplicates: bool = False,
    max_bytes: int = MAX_BYTES,
) -> FileOutcome:
    """Import a file that is one document, in one transaction; a bad file is an
    outcome, never an exception. A table (one document per row) is refused here:
    :func:`import_documents` and :func:`import_paths` import it.

    ``metadata`` maps ``title``/``source``/``author``/``date`` and document-variable
    keys to values; other keys are ignored. A variable value that does not fit its
    type rejects the file.
    """
    path = Path(path)
    if is_table(path):
        return FileOutcome(
            path,
            "rejected",
            "a table holds one document per row; import it with import_paths or 'annotator import'",
        )
    (outcome,) = import_documents(
        project,
        path,
        encoding=encoding,
        metadata=metadata,
        allow_duplicates=allow_duplicates,
        max_bytes=max_bytes,
    )
    return outcome


def import_paths(
    project: Project,
    paths: Iterable[Path],
    *,
    encoding: str | None = None,
    text_column: str | None = None,
    metadata_csv: Path | None = None,
    allow_duplicates: bool = False,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[int, int, Path], bool] | None = None,
) -> ImportReport:
    """Import files and folders (see :func:`collect_files`), one transaction per
    document; ``text_column`` names the text column of every table among them.

    ``progress(index, total, path)`` is called before each file; returning False
    cancels (what is imported stays). ``ValueError`` for a bad metadata CSV, before
    anything is imported. Ctrl+C (``KeyboardInterrupt``) becomes ``ImportInterrupted``
    carrying the report of what was imported before it.
    """
    table = read_metadata_csv(metadata_csv) if metadata_csv is not None else {}
    report = ImportReport([])
    if table:
        known = {*DOCUMENT_FIELDS, *(v.key for v in project.variables())}
        unknown = sorted({column for row in table.values() for column in row} - known)
        if unknown:
            report.notes.append(
                f"metadata columns ignored (not title, source, author, date or a document "
                f"variable): {', '.join(unknown)}"
            )
    files = collect_files(paths, unreadable=report.outcomes)
    used: set[str] = set()
    try:
        for index, path in enumerate(files):
            if progress is not None and progress(index, len(files), path) is False:
                report.cancelled = True
                break
            metadata = metadata_for(path, table)
            if metadata is not None:
                used.add(path.name.casefold())
            for outcome in iter_import(
                project,
                path,
                encoding=encoding,
                text_column=text_column,
                metadata=metadata,
                allow_duplicates=allow_duplicates,
                max_bytes=max_bytes,
            ):
                report.outcomes.append(outcome)
    except KeyboardInterrupt as exc:  # the document being stored is rolled back
        report.cancelled = True
        raise ImportInterrupted(report) from exc
    unmatched = sorted(name for name in table if name.casefold() not in used)
    if unmatched and not report.cancelled:
        report.notes.append(f"metadata rows that matched no file: {', '.join(unmatched)}")
    return report
