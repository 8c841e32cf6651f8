"""Export a project as CSV files for statisticians.

Files are UTF-8, RFC 4180 quoting, LF line ends, one row per record, in a
fixed order; all are written to a staging folder first and then moved into place.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.store.errors import ProjectError
from annotator.store.project import Project

DOCUMENT_COLUMNS = (
    "document_id",
    "title",
    "source",
    "author",
    "date",
    "file_name",
    "status",
    "char_count",
    "sha256",
    "imported_at",
    "annotation_count",
)
Table = tuple[Sequence[str], Iterable[Sequence[object]]]

ANNOTATION_COLUMNS = (
    "annotation_id",
    "document_id",
    "document_title",
    "coder",
    "category",
    "start",
    "end",
    "quote",
    "memo",
    "created_at",
    "updated_at",
)


def _write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
        handle.flush()
        os.fsync(handle.fileno())
    return count


def write_files(out_dir: Path, tables: dict[str, Table]) -> dict[str, int]:
    """Write every file to a staging folder, then move them all into ``out_dir``.

    Nothing in ``out_dir`` changes unless every file was written completely.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir))
    try:
        counts = {
            name: _write_rows(staging / name, header, rows)
            for name, (header, rows) in tables.items()
        }
        for name in tables:
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return counts


def export_csv(project: Project, out_dir: str | Path) -> dict[str, int]:
    """Write ``documents.csv`` and ``annotations.csv`` into ``out_dir``.

    Returns the number of rows written per file name.
    """
    out = Path(out_dir)
    documents = project.documents()
    titles = {doc.id: doc.title for doc in documents}
    texts = {doc.id: project.document_text(doc.id) for doc in documents}
    annotations = project.annotations()
    for ann in annotations:
        if texts[ann.document_id][ann.start : ann.end] != ann.quote:
            raise ProjectError(
                f"Annotation {ann.id} no longer matches its document text; export stopped."
            )
    tables: dict[str, Table] = {
        "documents.csv": (
            DOCUMENT_COLUMNS,
            (
                (
                    d.id,
                    d.title,
                    d.source,
                    d.author,
                    d.date,
                    d.file_name,
                    d.status.value,
                    d.char_count,
                    d.sha256,
                    d.imported_at,
                    d.annotation_count,
                )
                for d in documents
            ),
        ),
        "annotations.csv": (
            ANNOTATION_COLUMNS,
            (
                (
                    a.id,
                    a.document_id,
                    titles[a.document_id],
                    a.coder,
                    a.category,
                    a.start,
                    a.end,
                    a.quote,
                    a.memo,
                    a.created_at,
                    a.updated_at,
                )
                for a in annotations
            ),
        ),
    }
    return write_files(out, tables)
