"""Schema steps, applied in order with sqlite-utils ``Migrations``.

Never edit a released step: add a new one. ``SCHEMA_VERSION`` is the number of
steps and is written to ``PRAGMA user_version`` after migrating.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from annotator.core.clock import new_id, utc_now
from annotator.core.resources import default_codebook
from annotator.store.corpus_index import create_corpus_index
from annotator.store.schema_counts import create_document_counts
from annotator.store.schema_team import create_adjudication_tables, create_team_tables

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
            id TEXT NOT NULL UNIQUE,
            document_id TEXT NOT NULL REFERENCES documents(id),
            coder_id TEXT NOT NULL REFERENCES coders(id),
            category_id TEXT NOT NULL REFERENCES categories(id),
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            memo TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ("end" > start),
            -- Clustered in text order: a document's annotations are read in one sweep.
            PRIMARY KEY (document_id, start, "end", id)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX documents_by_sha256 ON documents(sha256)")
    now = utc_now()
    db.table("project_meta").insert_all(
        [{"key": "project_id", "value": new_id()}, {"key": "created_at", "value": now}]
    )
    db.table("categories").insert_all(
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


@migrations(name="0002_attributes_and_registry")
def _attributes_and_registry(db: Database) -> None:
    db.execute(
        """CREATE TABLE actors (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE actor_aliases (
            actor_id TEXT NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (actor_id, alias)
        )"""
    )
    db.execute(
        """CREATE TABLE attributes (
            id TEXT PRIMARY KEY,
            category_id TEXT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            label TEXT NOT NULL,
            type TEXT NOT NULL
                CHECK (type IN ('choice', 'text', 'number', 'boolean', 'reference')),
            required INTEGER NOT NULL DEFAULT 0,
            description TEXT NOT NULL DEFAULT '',
            targets TEXT NOT NULL DEFAULT '[]',
            position INTEGER NOT NULL,
            UNIQUE (category_id, key)
        )"""
    )
    db.execute(
        """CREATE TABLE choices (
            id TEXT PRIMARY KEY,
            attribute_id TEXT NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            code REAL,
            colour TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL,
            UNIQUE (attribute_id, label)
        )"""
    )
    db.execute(
        """CREATE TABLE annotation_values (
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            attribute_id TEXT NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
            value_text TEXT,
            value_number REAL,
            choice_id TEXT REFERENCES choices(id) ON DELETE CASCADE,
            ref_annotation_id TEXT REFERENCES annotations(id) ON DELETE CASCADE,
            ref_actor_id TEXT REFERENCES actors(id) ON DELETE CASCADE,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (annotation_id, attribute_id)
        )"""
    )
    for column in ("choice_id", "ref_annotation_id", "ref_actor_id"):
        db.execute(f"CREATE INDEX values_by_{column} ON annotation_values({column})")
    db.execute("CREATE INDEX actor_aliases_by_alias ON actor_aliases(alias COLLATE NOCASE)")
    category_ids = {key: cid for cid, key in db.execute("SELECT id, key FROM categories")}
    for cat in default_codebook():
        if cat["key"] in category_ids:
            insert_attributes(db, category_ids[cat["key"]], cat.get("attributes", []))


def insert_attributes(db: Database, category_id: str, attributes: list[dict[str, Any]]) -> None:
    """Insert attribute definitions (as in the codebook JSON) for one category."""
    start = db.execute(
        "SELECT COALESCE(MAX(position) + 1, 0) FROM attributes WHERE category_id = ?",
        [category_id],
    ).fetchone()[0]
    for position, attr in enumerate(attributes, start):
        attribute_id = new_id()
        db.table("attributes").insert(
            {
                "id": attribute_id,
                "category_id": category_id,
                "key": attr["key"],
                "label": attr.get("label") or attr["key"],
                "type": attr["type"],
                "required": int(bool(attr.get("required", False))),
                "description": attr.get("description", ""),
                "targets": json.dumps(list(attr.get("targets", []))),
                "position": position,
            }
        )
        db.table("choices").insert_all(
            {
                "id": new_id(),
                "attribute_id": attribute_id,
                "label": choice["label"],
                "code": choice.get("code"),
                "colour": choice.get("colour", ""),
                "position": index,
            }
            for index, choice in enumerate(attr.get("choices", []))
        )


@migrations(name="0003_document_encoding_and_variables")
def _document_variables(db: Database) -> None:
    db.execute("ALTER TABLE documents ADD COLUMN encoding TEXT NOT NULL DEFAULT ''")
    db.execute(
        """CREATE TABLE variables (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            label TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'choice', 'boolean')),
            choices TEXT NOT NULL DEFAULT '[]',
            position INTEGER NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE document_values (
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            variable_id TEXT NOT NULL REFERENCES variables(id) ON DELETE CASCADE,
            value TEXT NOT NULL,
            PRIMARY KEY (document_id, variable_id)
        )"""
    )


@migrations(name="0004_types_checked_by_the_app", transactional=False)
def _types_checked_by_the_app(db: Database) -> None:
    """Drop the CHECK on the type of attributes and of document variables: the app
    checks a type name against its registry, so a new type needs no rebuild.

    SQLite cannot drop a CHECK in place: each table is rebuilt (SQLite's
    twelve-step ALTER procedure) with foreign keys off, so dropping the old
    table does not cascade to the choices and values that point at it. All
    of it is one transaction, undone if a choice or value was lost or points
    at nothing (rows that already did, in a file another tool wrote, stay as
    they were).
    """
    conn = db.conn
    enforced = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
    if conn.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise RuntimeError("foreign keys could not be turned off to rebuild tables")
    try:
        with db.atomic():
            dependants = _dependants(db)
            _rebuild(
                db,
                "attributes",
                """(
                    id TEXT PRIMARY KEY,
                    category_id TEXT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    label TEXT NOT NULL,
                    type TEXT NOT NULL,
                    required INTEGER NOT NULL DEFAULT 0,
                    description TEXT NOT NULL DEFAULT '',
                    targets TEXT NOT NULL DEFAULT '[]',
                    position INTEGER NOT NULL,
                    UNIQUE (category_id, key)
                )""",
            )
            _rebuild(
                db,
                "variables",
                """(
                    id TEXT PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    label TEXT NOT NULL,
                    type TEXT NOT NULL,
                    choices TEXT NOT NULL DEFAULT '[]',
                    position INTEGER NOT NULL
                )""",
            )
            if _dependants(db) != dependants:
                raise RuntimeError("rebuilding the tables would lose choices or values")
    finally:
        conn.execute(f"PRAGMA foreign_keys = {'ON' if enforced else 'OFF'}")


def _dependants(db: Database) -> list[tuple[int, int]]:
    """For each table that points at attributes or variables: its rows, and how
    many of them point at nothing."""
    return [
        db.execute(
            f"SELECT COUNT(*), COUNT(*) FILTER (WHERE {key} NOT IN (SELECT id FROM {parent}))"
            f" FROM {child}"
        ).fetchone()
        for child, key, parent in (
            ("choices", "attribute_id", "attributes"),
            ("annotation_values", "attribute_id", "attributes"),
            ("document_values", "variable_id", "variables"),
        )
    ]


def _rebuild(db: Database, table: str, definition: str) -> None:
    """Replace ``table`` by one made from ``definition``, keeping every row (and rowid)."""
    columns = ", ".join(c.name for c in db.table(table).columns)
    db.execute(f"CREATE TABLE {table}_rebuilt {definition}")
    db.execute(
        f"INSERT INTO {table}_rebuilt (rowid, {columns}) SELECT rowid, {columns} FROM {table}"
    )
    db.execute(f"DROP TABLE {table}")
    db.execute(f"ALTER TABLE {table}_rebuilt RENAME TO {table}")


@migrations(name="0005_document_counts")
def _document_counts(db: Database) -> None:
    """Each document's counts, kept by triggers (``store/schema_counts.py``)."""
    create_document_counts(db)


@migrations(name="0006_team_coding")
def _team_coding(db: Database) -> None:
    """Coder copies and merging (``store/schema_team.py``)."""
    create_team_tables(db)


@migrations(name="0007_adjudication")
def _adjudication(db: Database) -> None:
    """Decisions settling units into the adjudicated set (``store/schema_team.py``)."""
    create_adjudication_tables(db)


@migrations(name="0008_corpus_index")
def _corpus_index(db: Database) -> None:
    """A full-text index of every document's text for the corpus search, kept by
    triggers on documents (see ``store.corpus_index``)."""
    create_corpus_index(db)


@migrations(name="0009_segment_indexes")
def _segment_indexes(db: Database) -> None:
    """Annotations by category and coder, for the Coded Segments view's filters and
    the Statistics view's counts: the index is read instead of every annotation's
    row (which holds its quote and memo), an eighth of the work for 500,000."""
    db.execute("CREATE INDEX annotations_by_category ON annotations(category_id, coder_id)")
    # An annotation's document from its id alone: the key's own index (of UNIQUE)
    # is read with a look into the row each time, and a filter by a value counts
    # the annotations it finds by document (40,000 looks: 700 ms, this index 60 ms).
    db.execute("CREATE INDEX annotations_by_id ON annotations(id, document_id)")
    # The text values alone (most values are a choice or a link): the filter by text.
    db.execute(
        "CREATE INDEX values_by_text ON annotation_values(value_text, annotation_id)"
        " WHERE value_text IS NOT NULL"
    )
    # The annotations holding a choice, without a look into each value's row (the
    # older values_by_choice_id index leads to the row): the filters by a polarity
    # or an issue, and the stances' counts by polarity.
    db.execute(
        "CREATE INDEX values_by_choice ON annotation_values(choice_id, annotation_id)"
        " WHERE choice_id IS NOT NULL"
    )


SCHEMA_VERSION = len(migrations.pending(Database(memory=True)))


def migrate(db: Database) -> None:
    """Apply pending steps and record the version."""
    migrations.apply(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
