"""One-file import for scripts, and the sample corpus. The pipeline itself is
``annotator.importing.pipeline``; the limit, the rejection error and the result
types live in ``annotator.importing.model`` (re-exported here for scripts)."""

from __future__ import annotations

import csv
from pathlib import Path

from annotator.core.resources import sample_docs_dir
from annotator.importing.model import MAX_BYTES, ImportRejected, ImportResult
from annotator.importing.pipeline import import_one
from annotator.store.project import Project

__all__ = [
    "MAX_BYTES",
    "ImportRejected",
    "ImportResult",
    "import_file",
    "import_sample_documents",
]


def import_file(
    project: Project,
    path: str | Path,
    *,
    title: str = "",
    source: str = "",
    author: str = "",
    date: str = "",
) -> ImportResult:
    """Import one file that is one document, of any supported format but the tables
    (``.csv``, ``.xlsx``: ``import_paths`` imports their rows); an identical text
    already present is not added twice. A file that cannot be a document raises
    ``ImportRejected`` naming the file and the reason."""
    path = Path(path)
    metadata = {"title": title, "source": source, "author": author, "date": date}
    outcome = import_one(project, path, metadata={k: v for k, v in metadata.items() if v})
    if outcome.status == "rejected" or outcome.document is None:
        raise ImportRejected(f"{path.name}: {outcome.reason}")
    return ImportResult(path, outcome.document, duplicate=outcome.status == "duplicate")


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
