"""The project a coder gets on first start: the sample documents, ready to code."""

from __future__ import annotations

from pathlib import Path

from annotator.importing.text_import import import_sample_documents
from annotator.store.project import Project, create_project, open_project


def open_or_create(path: Path, *, with_samples: bool = False) -> Project:
    """Open ``path``; if it does not exist, create it (with the samples if asked)."""
    if path.exists():
        return open_project(path)
    project = create_project(path)
    if with_samples:
        try:
            import_sample_documents(project)
        except BaseException:
            project.close()
            raise
    return project
