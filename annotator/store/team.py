"""Team coding in the project file: identity, assignments, coder copies, progress.

A coder copy is the lead's project written anew (SQLite's backup API), then cut
down to one coder's documents and own annotations, and vacuumed so that nothing
of the others' work stays in its free pages (blind coding). It keeps the lead's
``project_id`` and names its coder in ``project_meta`` (schema step 6).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.core.clock import utc_now
from annotator.core.team import Plan
from annotator.store.backups import copy_verified
from annotator.store.base import ProjectDatabase, StoreBase
from annotator.store.errors import ProjectError, plain_message
from annotator.store.team_read import chunks, lead_digests, marks

COPY_ROLE = "copy"
LEAD_ROLE = "lead"


@dataclass(frozen=True)
class TeamIdentity:
    project_id: str
    role: str  # "", "lead" or "copy"
    coder: str  # a copy's coder, else ""


@dataclass(frozen=True)
class CoderDocument:
    """One row of Team ▸ Coder Progress: a coder's work on one document."""

    coder: str
    document_id: str
    title: str
    assigned: bool
    sample: bool
    merged_at: str  # "" if never merged
    annotations: int  # the coder's annotations on it in the lead's project
    status: str  # the document's status in the coder's copy as merged, else ""


def copy_file_name(project_stem: str, coder: str) -> str:
    """``<project>-<coder>.annotator``, the coder's name made safe for a file name."""
    safe = re.sub(r"[^\w.-]+", "_", coder.strip(), flags=re.UNICODE).strip("._") or "coder"
    return f"{project_stem}-{safe}.annotator"


class TeamStore(StoreBase):
    def team_identity(self) -> TeamIdentity:
        meta = dict(
            self._query(
                "SELECT key, value FROM project_meta"
                " WHERE key IN ('project_id', 'team_role', 'team_coder')"
            )
        )
        return TeamIdentity(
            str(meta.get("project_id", "")),
            str(meta.get("team_role", "")),
            str(meta.get("team_coder", "")),
        )

    def copy_coder(self) -> str:
        """The coder a coder copy was prepared for ("" for any other project)."""
        identity = self.team_identity()
        return identity.coder if identity.role == COPY_ROLE else ""

    def record_assignments(self, plan: Plan, files: dict[str, str]) -> None:
        """The lead gave ``plan``'s documents to its coders now (``files``: coder ->
        the copy's file name); the project becomes a lead's project."""
        now = utc_now()
        with self._transaction():
            rows = [
                (coder, doc_id, now, int(doc_id in plan.sample))
                for coder in plan.coders
                for doc_id in plan.documents[coder]
            ]
            self.db.conn.executemany(
                "INSERT INTO team_documents (coder, document_id, assigned_at, sample)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (coder, document_id)"
                " DO UPDATE SET assigned_at = excluded.assigned_at, sample = excluded.sample",
                rows,
            )
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO project_meta (key, value) VALUES (?, ?)",
                [("team_role", LEAD_ROLE), ("team_plan", plan.record())]
                + [(f"team_copy:{coder}", name) for coder, name in files.items()],
            )
            # The coder's own annotations a copy carries are merged already: their
            # version now is the base a later merge compares with.
            for coder in plan.coders:
                self._record_carried(coder, plan.documents[coder], now)

    def _record_carried(self, coder: str, document_ids: Sequence[str], now: str) -> None:
        ids = [
            row[0]
            for chunk in chunks(list(document_ids))
            for row in self._query(
                "SELECT a.id FROM annotations a JOIN coders c ON c.id = a.coder_id"
                f" WHERE c.name = ? AND a.document_id IN ({marks(len(chunk))})",
                (coder, *chunk),
            )
        ]
        digests = lead_digests(self, ids)
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO merged_annotations (annotation_id, digest, merged_at)"
            " VALUES (?, ?, ?)",
            [(ident, digest, now) for ident, digest in digests.items()],
        )

    def coder_progress(self) -> list[CoderDocument]:
        """Per coder and document, assigned or merged: what the lead knows of it."""
        rows = self._query(
            "SELECT t.coder, t.document_id, d.title, t.assigned_at IS NOT NULL, t.sample,"
            " COALESCE(t.merged_at, ''), COALESCE(t.status, ''),"
            " (SELECT COUNT(*) FROM annotations a JOIN coders c ON c.id = a.coder_id"
            "  WHERE a.document_id = t.document_id AND c.name = t.coder)"
            " FROM team_documents t JOIN documents d ON d.id = t.document_id"
            " ORDER BY t.coder COLLATE NOCASE, d.position, d.id"
        )
        return [
            CoderDocument(coder, doc, title, bool(assigned), bool(sample), merged, count, status)
            for coder, doc, title, assigned, sample, merged, status, count in rows
        ]

    def merge_history(self) -> list[tuple[str, str, str, str]]:
        """``(merged_at, file, coder, counts JSON)`` of every merge, oldest first."""
        return [
            (row[0], row[1], row[2], row[3])
            for row in self._query(
                "SELECT merged_at, file, coder, counts FROM merge_log ORDER BY id"
            )
        ]

    def write_coder_copy(self, destination: Path, coder: str, document_ids: Sequence[str]) -> Path:
        """Write ``coder``'s copy to ``destination`` (which must not exist): this
        project's documents ``document_ids``, codebook, registry and variables, and of
        the annotations only the coder's own on those documents."""
        if destination.exists():
            raise ProjectError(f"“{destination}” exists already: it was not overwritten.")
        tmp = destination.with_name(destination.name + ".preparing")
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
        try:
            copy_verified(self.db.conn, tmp)
            _cut_down(tmp, coder, document_ids)
            if destination.exists():
                raise ProjectError(f"“{destination}” exists already: it was not overwritten.")
            tmp.replace(destination)
        except sqlite3.Error as exc:
            tmp.unlink(missing_ok=True)
            raise ProjectError(plain_message(exc)) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return destination


def connect_beside(path: Path) -> ProjectDatabase:
    """Another connection to a project this process has open and checked already (a
    worker thread merges through its own; the window's keeps reading, WAL)."""
    from annotator.store.connection import _configure

    conn = sqlite3.connect(str(path))
    _configure(conn)
    return ProjectDatabase(conn)


def _cut_down(path: Path, coder: str, document_ids: Sequence[str]) -> None:
    """Keep only ``coder``'s work on ``document_ids`` in the copy at ``path``."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TEMP TABLE kept_documents (id TEXT PRIMARY KEY)")
        conn.executemany("INSERT INTO kept_documents VALUES (?)", [(d,) for d in document_ids])
        conn.execute(
            "DELETE FROM annotation_values WHERE annotation_id IN (SELECT a.id FROM annotations a"
            " JOIN coders c ON c.id = a.coder_id WHERE c.name IS NOT ?"
            " OR a.document_id NOT IN (SELECT id FROM kept_documents))",
            (coder,),
        )
        conn.execute(
            "DELETE FROM annotations WHERE coder_id NOT IN (SELECT id FROM coders WHERE name = ?)"
            " OR document_id NOT IN (SELECT id FROM kept_documents)",
            (coder,),
        )
        conn.execute("DELETE FROM documents WHERE id NOT IN (SELECT id FROM kept_documents)")
        conn.execute(
            "DELETE FROM coders WHERE name IS NOT ?"
            " AND id NOT IN (SELECT coder_id FROM annotations)",
            (coder,),
        )
        for table in ("annotation_tombstones", "merged_annotations", "merge_log"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM team_documents WHERE coder IS NOT ?", (coder,))
        conn.execute("UPDATE team_documents SET merged_at = NULL, status = NULL")
        conn.execute("DELETE FROM project_meta WHERE key LIKE 'team_%'")
        conn.executemany(
            "INSERT OR REPLACE INTO project_meta (key, value) VALUES (?, ?)",
            [("team_role", COPY_ROLE), ("team_coder", coder), ("team_prepared_at", utc_now())],
        )
        conn.execute("UPDATE documents SET status = 'todo'")
        conn.execute("COMMIT")
        conn.execute("VACUUM")  # nothing of the others' work stays in free pages
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise ProjectError(f"The coder copy failed SQLite's check: {check}")
    finally:
        conn.close()
