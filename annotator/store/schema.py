"""Schema steps, applied in order with sqlite-utils ``Migrations``.

Never edit a released step: add a new one. ``SCHEMA_VERSION`` is the number of
steps and is written to ``PRAGMA user_version`` after migrating.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from annotator.core.clock import new_id, utc_now
from annotator.core.resources import default_codebook

APPLICATION_ID = 0x414E4E54  # "ANNT"

migrations = Migrations("annotator")


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    db.execute(
        """CREATE TABLE project_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE coders (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE categories (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            label TEXT NOT NULL,
            colour TEXT NOT NULL,
            hotkey TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL,
            builtin INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL DEFAULT '',
            file_name TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            char_count INTEGER NOT NULL,
            imported_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'todo'
                CHECK (status IN ('todo', 'in_progress', 'done')),
            position INTEGER NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id),
            coder_id TEXT NOT NULL REFERENCES coders(id),
            category_id TEXT NOT NULL REFERENCES categories(id),
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            memo TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ("end" > start)
        )"""
    )
    db.execute("CREATE INDEX annotations_by_document ON annotations(document_id, start)")
    db.execute("CREATE INDEX documents_by_sha256 ON documents(sha256)")
    now = utc_now()
    db["project_meta"].insert_all(
        [{"key": "project_id", "value": new_id()}, {"key": "created_at", "value": now}]
    )
    db["categories"].insert_all(
        {
            "id": new_id(),
            "key": cat["key"],
            "label": cat["label"],
            "colour": cat["colour"],
            "hotkey": cat.get("hotkey", ""),
            "description": cat.get("description", ""),
            "position": position,
            "builtin": 1,
        }
        for position, cat in enumerate(default_codebook())
    )


SCHEMA_VERSION = len(migrations.pending(Database(memory=True)))


def migrate(db: Database) -> None:
    """Apply pending steps and record the version."""
    migrations.apply(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
