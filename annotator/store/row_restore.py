"""Putting a project's stored rows back exactly as another copy of it held them:
Annotator's own REFI-QDA export (``annotator/project.json``) read into a new
project. Only the tables that copy holds, in an order their references allow;
the schema's triggers keep the derived tables (counts, incomplete annotations)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.store.project import Project
from annotator.store.refi_reads import DEFINITION_TABLES, SETTLEMENT_TABLES

# Tables in the order rows may be inserted (each refers only to those before it):
# the tables the REFI-QDA export's exact copy reads whole, the documents' own, then
# the decisions that name annotations.
RESTORABLE = (
    *DEFINITION_TABLES,
    "documents",
    "document_values",
    "annotations",
    "annotation_values",
    *SETTLEMENT_TABLES,
)
# What a new project holds before anything is put back: its default codebook.
_NEW_PROJECT_ROWS = ("choices", "attributes", "categories")

Row = dict[str, Any]


class RowRestore:
    """Rows put back into a new project (see the module doc)."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def clear_new_codebook(self) -> None:
        """Remove a new project's default codebook, which the rows replace."""
        with self._project._transaction():
            for table in _NEW_PROJECT_ROWS:
                self._project.db.execute(f"DELETE FROM {table}")

    def restore_rows(self, table: str, rows: Sequence[Row]) -> None:
        """Insert ``rows`` (column → stored value) into ``table`` as they are;
        a row that exists (``project_meta``'s own keys) keeps the new project's."""
        if table not in RESTORABLE:
            raise ValueError(f"rows of “{table}” cannot be restored")
        if not rows:
            return
        with self._project._transaction():
            self._project.db.table(table).insert_all(
                [dict(row) for row in rows], batch_size=500, ignore=table == "project_meta"
            )
