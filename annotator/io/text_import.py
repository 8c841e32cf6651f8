"""Import plain-text files into a project."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from annotator.core.model import Document
from annotator.core.resources import sample_docs_dir
from annotator.core.text import TextDecodeError, canonicalise, decode_bytes, sha256_text
from annotator.store.project import Project

MAX_BYTES = 50 * 1024 * 1024


class ImportRejected(Exception):
    """A file could not be imported; the message says why, for the user."""


@dataclass(frozen=True)
class ImportResult:
    path: Path
    document: Document
    duplicate: bool  # True when an identical text was already in the project


def read_text_file(path: Path) -> str:
    """Read and decode a text file, refusing what cannot be a document."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportRejected(f"{path.name}: the file is larger than {MAX_BYTES // 2**20} MB")
        data = path.read_bytes()
    except PermissionError as exc:
        raise ImportRejected(f"{path.name}: permission denied") from exc
    except IsADirectoryError as exc:
        raise ImportRejected(f"{path.name}: is a folder, not a file") from exc
    except OSError as exc:
        raise ImportRejected(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    try:
        text, _encoding = decode_bytes(data)
    except TextDecodeError as exc:
        raise ImportRejected(f"{path.name}: {exc}") from exc
    if not text.strip():
        raise ImportRejected(f"{path.name}: the file is empty")
    return text


def import_file(
    project: Project,
    path: str | Path,
    *,
    title: str = "",
    source: str = "",
    author: str = "",
    date: str = "",
) -> ImportResult:
    """Import one text file; an identical text already present is not added twice."""
    path = Path(path)
    text = read_text_file(path)
    existing = project.find_document_by_sha256(sha256_text(canonicalise(text)))
    if existing is not None:
        return ImportResult(path, existing, duplicate=True)
    if not title:
        title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    document = project.import_text(
        text, title=title[:300], source=source, author=author, date=date, file_name=path.name
    )
    return ImportResult(path, document, duplicate=False)


def import_sample_documents(project: Project) -> list[ImportResult]:
    """Import the sample corpus shipped with the app, with its manifest's metadata."""
    folder = sample_docs_dir()
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        import_file(
            project,
            folder / row["file_name"],
            title=row["title"],
            source=row["source"],
            author=row["author"],
            date=row["date"],
        )
        for row in rows
    ]
