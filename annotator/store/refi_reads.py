"""What the REFI-QDA export reads: the project's rows as they are stored.

The REFI-QDA project file (``exporting/refi``) keeps an exact copy of the
project beside the standard's XML, so that Annotator can read its own export
back without losing anything. These reads give the stored rows of each table,
column by column as the file holds them (whatever columns a later schema step
adds), one document at a time for the tables that grow with the texts. Run them
inside ``Project.snapshot`` for one state of the project.
"""

from __future__ import annotations

from typing import Any

from annotator.core.text import sha256_text
from annotator.store.errors import DamagedDocumentError
from annotator.store.finding_backups import damaged_document_message
from annotator.store.project import Project

# Tables read whole: the project's definitions, small beside its texts.
DEFINITION_TABLES = (
    "project_meta",
    "coders",
    "categories",
    "attributes",
    "choices",
    "variables",
    "actors",
    "actor_aliases",
)

# How the lead settled the coders' disagreements (schema step 7): read whole as well,
# put back after the annotations they name.
SETTLEMENT_TABLES = ("adjudication_decisions", "adjudication_members")

# The file's own record of team work (assignments, deletions, merges; schema step 6):
# it belongs to this file and its coders' copies, not to the project's content, so the
# exact copy leaves it out and a project rebuilt from it starts with none.
TEAM_TABLES = ("team_documents", "annotation_tombstones", "merged_annotations", "merge_log")

Row = dict[str, Any]


class RefiReads:
    """Stored rows of one project, for the REFI-QDA export."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._columns: dict[str, list[str]] = {}
        self._order: dict[str, str] = {}

    def schema_version(self) -> int:
        version: int = self._project._query("PRAGMA user_version")[0][0]
        return version

    def _table(self, table: str) -> tuple[list[str], str]:
        if table not in self._columns:
            info = self._project._query(f"PRAGMA table_info({table})")
            self._columns[table] = [row[1] for row in info]
            keys = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
            self._order[table] = ", ".join(f'"{k}"' for k in keys) or "rowid"
        return self._columns[table], self._order[table]

    def _rows(self, table: str, where: str = "", params: tuple[object, ...] = ()) -> list[Row]:
        columns, order = self._table(table)
        wanted = [c for c in columns if not (table == "documents" and c == "text")]
        selected = ", ".join(f't."{c}"' for c in wanted)
        rows = self._project._query(
            f"SELECT {selected} FROM {table} t {where} ORDER BY {order}", params
        )
        return [dict(zip(wanted, row, strict=True)) for row in rows]

    def rows(self, table: str) -> list[Row]:
        """Every row of one of :data:`DEFINITION_TABLES` or :data:`SETTLEMENT_TABLES`,
        in key order."""
        if table not in DEFINITION_TABLES + SETTLEMENT_TABLES:
            raise ValueError(f"not a table read whole: {table}")
        if table == "project_meta":
            # A coder copy's role, coder and plan belong to the file (TEAM_TABLES).
            return self._rows(table, "WHERE t.key NOT LIKE 'team\\_%' ESCAPE '\\'")
        return self._rows(table)

    def documents(self) -> list[Row]:
        """Every document's row but its text, in project order."""
        rows = self._rows("documents")
        return sorted(rows, key=lambda r: (r["position"], r["id"]))

    def text(self, document_id: str) -> str:
        """The document's text, checked against its stored SHA-256 (not kept in memory)."""
        rows = self._project._query(
            "SELECT text, sha256, title FROM documents WHERE id = ?", (document_id,)
        )
        if not rows:
            raise KeyError(f"no document '{document_id}'")
        text, stored, title = rows[0]
        if not isinstance(text, str) or sha256_text(text) != stored:
            raise DamagedDocumentError(
                damaged_document_message(self._project.path, document_id, title, stored)
            )
        return text

    def document_values(self, document_id: str) -> list[Row]:
        return self._rows("document_values", "WHERE t.document_id = ?", (document_id,))

    def annotations(self, document_id: str) -> list[Row]:
        """The document's annotation rows, in text order."""
        return self._rows("annotations", "WHERE t.document_id = ?", (document_id,))

    def annotation_values(self, document_id: str) -> list[Row]:
        """The stored values of the document's annotations."""
        return self._rows(
            "annotation_values",
            "WHERE t.annotation_id IN (SELECT id FROM annotations WHERE document_id = ?)",
            (document_id,),
        )
