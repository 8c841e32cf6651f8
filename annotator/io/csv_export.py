"""Export a project as CSV files for statisticians.

Files are UTF-8, RFC 4180 quoting, one row per record, in a fixed order, and
each is written to a temporary file first and then moved into place.
"""

from __future__ import annotations

import csv
import os
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


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write one CSV file atomically; return the number of data rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return count


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
    counts = {
        "documents.csv": write_csv(
            out / "documents.csv",
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
        "annotations.csv": write_csv(
            out / "annotations.csv",
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
    return counts
