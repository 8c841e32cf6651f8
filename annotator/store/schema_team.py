"""Schema steps 6 and 7: the tables of team work (coder copies and merging) and of
adjudication (``store/schema.py`` registers the steps)."""

from __future__ import annotations

from sqlite_utils import Database


def create_team_tables(db: Database) -> None:
    """Coding as a team (store.team, store.team_merge): the lead's record of who was
    given which documents and each coder's status once merged, a tombstone for
    every annotation deleted (a trigger writes it, whatever deletes the row; the
    row coming back, as undo does, removes it), the version of each annotation
    last merged, and a log of merges. A coder copy and its lead's project share
    ``project_meta`` ``project_id``; a copy also names its coder (``team_coder``)
    and ``team_role`` is ``copy`` (``lead`` in the lead's project)."""
    db.execute(
        """CREATE TABLE team_documents (
            coder TEXT NOT NULL,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            assigned_at TEXT,
            sample INTEGER NOT NULL DEFAULT 0,
            merged_at TEXT,
            status TEXT,
            PRIMARY KEY (coder, document_id)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE annotation_tombstones (
            annotation_id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL,
            coder_id TEXT NOT NULL,
            deleted_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE merged_annotations (
            annotation_id TEXT PRIMARY KEY,
            digest TEXT NOT NULL,
            merged_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE merge_log (
            id INTEGER PRIMARY KEY,
            merged_at TEXT NOT NULL,
            file TEXT NOT NULL,
            coder TEXT NOT NULL,
            counts TEXT NOT NULL,
            report TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TRIGGER tombstone_annotation AFTER DELETE ON annotations BEGIN
            INSERT OR REPLACE INTO annotation_tombstones
                (annotation_id, document_id, coder_id, deleted_at)
            VALUES (OLD.id, OLD.document_id, OLD.coder_id,
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
        END"""
    )
    db.execute(
        """CREATE TRIGGER tombstone_cleared AFTER INSERT ON annotations BEGIN
            DELETE FROM annotation_tombstones WHERE annotation_id = NEW.id;
        END"""
    )


def create_adjudication_tables(db: Database) -> None:
    """Decisions that settle matched units of the coders' annotations into the
    adjudicated set (the annotations of the coder ``adjudicated``): one row a unit,
    with the coders' annotations it held and their ``updated_at`` when settled."""
    db.execute(
        """CREATE TABLE adjudication_decisions (
            unit_key TEXT PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            category TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN
                ('accepted', 'edited', 'merged', 'rejected', 'premerged')),
            coder TEXT NOT NULL DEFAULT '',
            values_coder TEXT NOT NULL DEFAULT '',
            result_annotation_id TEXT,
            settled_by TEXT NOT NULL,
            settled_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    db.execute(
        "CREATE INDEX adjudication_by_document ON adjudication_decisions(document_id, unit_key)"
    )
    db.execute(
        """CREATE TABLE adjudication_members (
            unit_key TEXT NOT NULL
                REFERENCES adjudication_decisions(unit_key) ON DELETE CASCADE,
            coder TEXT NOT NULL,
            annotation_id TEXT NOT NULL,
            modified_at TEXT NOT NULL,
            PRIMARY KEY (unit_key, coder)
        ) WITHOUT ROWID"""
    )
    db.execute(
        "CREATE INDEX adjudication_members_by_annotation ON adjudication_members(annotation_id)"
    )
