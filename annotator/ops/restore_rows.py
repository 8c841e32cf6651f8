"""Rebuilding a project from Annotator's own exact copy of another one (the
REFI-QDA export's ``annotator/project.json``): rows put back as stored. Runs on
a new project only, before anyone opens it, so it has nothing to undo."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.ops.changes import NOTHING, Result
from annotator.store.project import Project
from annotator.store.row_restore import Row, RowRestore


def clear_new_codebook(project: Project) -> Result[None]:
    RowRestore(project).clear_new_codebook()
    return Result(None, NOTHING)


def restore_rows(project: Project, table: str, rows: Sequence[Row]) -> Result[int]:
    """Put ``rows`` back into ``table``; the value is how many."""
    RowRestore(project).restore_rows(table, rows)
    return Result(len(rows), NOTHING)
