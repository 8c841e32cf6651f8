"""Importing documents: files and folders in, one transaction per file, a report out.

The window and ``annotator import`` share this pipeline. A bad file never
raises: it becomes a ``rejected`` outcome with a reason, and nothing of it is
written.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.core.model import Document
from annotator.core.text import canonicalise, sha256_text
from annotator.importing.encodings import Decoded, decode_as, detect_encoding
from annotator.importing.model import MAX_BYTES, FileOutcome, ImportRejected, ImportReport
from annotator.importing.readers import SUPPORTED_EXTENSIONS, is_plain_text, read_document
from annotator.store.errors import ProjectError
from annotator.store.project import Project
from annotator.store.variables import check_variable_value

__all__ = [
    "MAX_BYTES",
    "SUPPORTED_EXTENSIONS",
    "Decoded",
    "FileOutcome",
    "ImportRejected",
    "ImportReport",
    "collect_files",
    "decode_as",
    "detect_encoding",
    "import_one",
    "import_paths",
    "is_plain_text",
    "read_metadata_csv",
]

# Metadata CSV columns stored on the document itself.
DOCUMENT_FIELDS = ("title", "source", "author", "date")
_FILE_COLUMNS = ("file_name", "filename", "file")


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def collect_files(paths: Iterable[Path], extensions: Iterable[str] | None = None) -> list[Path]:
    """Files as given (any extension) plus, for folders, every non-hidden file below
    them whose extension is in ``extensions`` (default ``SUPPORTED_EXTENSIONS``); sorted."""
    wanted = {e.lower() for e in (SUPPORTED_EXTENSIONS if extensions is None else extensions)}
    found: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            found.update(
                child
                for child in path.rglob("*")
                if child.suffix.lower() in wanted and not _hidden(child, path) and child.is_file()
            )
        else:
            found.add(path)  # as given: a missing file is reported when imported
    return sorted(found)


def read_metadata_csv(path: Path) -> dict[str, dict[str, str]]:
    """File name → column → value, from a CSV with a ``file_name`` column.

    Column names are lower-cased; ``ValueError`` says what is wrong with a bad file.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            content = detect_encoding(Path(path)).text
        except ImportRejected as exc:
            raise ValueError(f"{Path(path).name}: {exc}") from None
    try:
        rows = list(csv.reader(content.splitlines()))
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


def _describe(document: Document) -> str:
    name = f" ({document.file_name})" if document.file_name else ""
    return f"same text as “{document.title}”{name}"


def import_one(
    project: Project,
    path: Path,
    *,
    encoding: str | None = None,
    metadata: dict[str, str] | None = None,
    allow_duplicates: bool = False,
    max_bytes: int = MAX_BYTES,
) -> FileOutcome:
    """Import one file in one transaction; a bad file is an outcome, never an exception.

    ``metadata`` maps ``title``/``source``/``author``/``date`` and document-variable
    keys to values; other keys are ignored. A variable value that does not fit its
    type rejects the file.
    """
    path = Path(path)
    try:
        extracted = read_document(path, encoding, max_bytes)
        text = canonicalise(extracted.text)
        if "\x00" in text:  # any format: a NUL cannot be coded or exported
            raise ImportRejected("the text contains NUL characters (the file looks damaged)")
        if not text.strip():
            raise ImportRejected("the file is empty (no text)")
        if not allow_duplicates:
            existing = project.find_document_by_sha256(sha256_text(text))
            if existing is not None:
                return FileOutcome(
                    path, "duplicate", _describe(existing), existing, extracted.encoding
                )
        metadata = metadata or {}
        variables = {v.key: v for v in project.variables()}
        values: dict[str, str | None] = {}
        for key, value in metadata.items():
            if key in variables and value.strip():
                try:
                    values[key] = check_variable_value(variables[key], value)
                except ValueError as exc:
                    raise ImportRejected(f"metadata: {exc}") from None
        fields = {k: metadata.get(k, "").strip() for k in DOCUMENT_FIELDS}
        title = fields.pop("title") or extracted.title.strip() or path.stem
        document = project.import_text(  # the document and its variables, or nothing
            text,
            title=title[:300],
            file_name=path.name,
            encoding=extracted.encoding,
            variables=values,
            **fields,
        )
    except ImportRejected as exc:
        return FileOutcome(path, "rejected", str(exc))
    except (ProjectError, ValueError, KeyError) as exc:
        return FileOutcome(path, "rejected", f"could not be stored ({exc})")
    return FileOutcome(path, "imported", "", document, extracted.encoding)


def import_paths(
    project: Project,
    paths: Iterable[Path],
    *,
    encoding: str | None = None,
    metadata_csv: Path | None = None,
    allow_duplicates: bool = False,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[int, int, Path], bool] | None = None,
) -> ImportReport:
    """Import files and folders (see :func:`collect_files`), one transaction each.

    ``progress(index, total, path)`` is called before each file; returning False
    cancels (what is imported stays). ``ValueError`` for a bad metadata CSV, before
    anything is imported.
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
    files = collect_files(paths)
    used: set[str] = set()
    for index, path in enumerate(files):
        if progress is not None and progress(index, len(files), path) is False:
            report.cancelled = True
            break
        metadata = metadata_for(path, table)
        if metadata is not None:
            used.add(path.name.casefold())
        report.outcomes.append(
            import_one(
                project,
                path,
                encoding=encoding,
                metadata=metadata,
                allow_duplicates=allow_duplicates,
                max_bytes=max_bytes,
            )
        )
    unmatched = sorted(name for name in table if name.casefold() not in used)
    if unmatched and not report.cancelled:
        report.notes.append(f"metadata rows that matched no file: {', '.join(unmatched)}")
    return report
