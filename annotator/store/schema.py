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


def _lacks_required(row: str) -> str:
    """Is annotation ``row`` (a table alias, or NEW) incomplete: does its category have a
    required attribute it has no value for? (The rule of core.completeness, in SQL.)"""
    return f"""EXISTS (
    SELECT 1 FROM attributes t WHERE t.category_id = {row}.category_id AND t.required = 1
    AND NOT EXISTS (
        SELECT 1 FROM annotation_values v WHERE v.annotation_id = {row}.id AND v.attribute_id = t.id
    )
)"""


_LACKS_REQUIRED = _lacks_required("a")
_IS_LISTED = "EXISTS (SELECT 1 FROM incomplete_annotations i WHERE i.annotation_id = {})"


def _recount_annotation(annotation: str) -> str:
    """Trigger statements that decide afresh whether one annotation is incomplete."""
    listed_in = "(SELECT document_id FROM incomplete_annotations WHERE annotation_id = {})"
    return f"""
        UPDATE document_counts SET incomplete = incomplete - 1
            WHERE document_id = {listed_in.format(annotation)};
        DELETE FROM incomplete_annotations WHERE annotation_id = {annotation};
        INSERT INTO incomplete_annotations (annotation_id, document_id)
            SELECT a.id, a.document_id FROM annotations a
            WHERE a.id = {annotation} AND {_LACKS_REQUIRED};
        UPDATE document_counts SET incomplete = incomplete + 1
            WHERE document_id = {listed_in.format(annotation)};"""


_RECOUNT_DOCUMENTS = """
        UPDATE document_counts SET incomplete = (
            SELECT COUNT(*) FROM incomplete_annotations i
            WHERE i.document_id = document_counts.document_id
        );"""


def _recount_category(category: str) -> str:
    """Trigger statements that decide afresh which annotations of one category are
    incomplete, then each document's count (a scan of the annotations)."""
    return f"""
        DELETE FROM incomplete_annotations WHERE annotation_id IN (
            SELECT i.annotation_id FROM incomplete_annotations i
            CROSS JOIN annotations a ON a.id = i.annotation_id
            WHERE a.category_id = {category}
        );
        INSERT INTO incomplete_annotations (annotation_id, document_id)
            SELECT a.id, a.document_id FROM annotations a
            WHERE a.category_id = {category} AND {_LACKS_REQUIRED};
        {_RECOUNT_DOCUMENTS}"""


def _now_required(attribute: str) -> str:
    """Trigger statements for an attribute that became required: its category's
    annotations without a value for it are incomplete (if they were not already)."""
    return f"""
        INSERT INTO incomplete_annotations (annotation_id, document_id)
            SELECT a.id, a.document_id FROM annotations a
            WHERE a.category_id = {attribute}.category_id AND NOT EXISTS (
                SELECT 1 FROM annotation_values v
                WHERE v.annotation_id = a.id AND v.attribute_id = {attribute}.id
            ) AND NOT {_IS_LISTED.format("a.id")};
        {_RECOUNT_DOCUMENTS}"""


def _no_longer_required(category: str) -> str:
    """Trigger statements for a category that lost a required attribute: of its
    incomplete annotations (only those), the ones now complete are not."""
    return f"""
        DELETE FROM incomplete_annotations WHERE annotation_id IN (
            SELECT i.annotation_id FROM incomplete_annotations i
            CROSS JOIN annotations a ON a.id = i.annotation_id
            WHERE a.category_id = {category} AND NOT {_LACKS_REQUIRED}
        );
        {_RECOUNT_DOCUMENTS}"""


def _annotation_added(new: str) -> str:
    """Trigger statements for an annotation that came (``new``: NEW). Every document
    has its row of counts (the migration made them, ``counts_document_added`` adds
    one for each new document)."""
    return f"""
        INSERT OR REPLACE INTO incomplete_annotations (annotation_id, document_id)
            SELECT {new}.id, {new}.document_id WHERE {_lacks_required(new)};
        UPDATE document_counts SET annotations = annotations + 1,
            incomplete = incomplete + {_IS_LISTED.format(f"{new}.id")}
            WHERE document_id = {new}.document_id;"""


def _annotation_removed(old: str) -> str:
    """Trigger statements for an annotation that went (``old``: OLD)."""
    return f"""
        UPDATE document_counts SET annotations = annotations - 1,
            incomplete = incomplete - {_IS_LISTED.format(f"{old}.id")}
            WHERE document_id = {old}.document_id;
        DELETE FROM incomplete_annotations WHERE annotation_id = {old}.id;"""


# The counts are kept by SQLite itself, on every write by any path (the store, the
# raw SQL of importers and benchmarks, foreign-key cascades from a deleted
# annotation, actor, choice or attribute), in the writer's own transaction. One
# trigger a row written, each moving its document's counts by what that row changed.
_COUNT_TRIGGERS = (
    """CREATE TRIGGER counts_document_added AFTER INSERT ON documents BEGIN
        INSERT INTO document_counts (document_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    END""",
    f"""CREATE TRIGGER counts_annotation_added AFTER INSERT ON annotations BEGIN
        {_annotation_added("NEW")}
    END""",
    # An annotation's own values went just before (the cascade runs first).
    f"""CREATE TRIGGER counts_annotation_removed AFTER DELETE ON annotations BEGIN
        {_annotation_removed("OLD")}
    END""",
    f"""CREATE TRIGGER counts_annotation_moved
    AFTER UPDATE OF id, document_id, category_id ON annotations BEGIN
        {_annotation_removed("OLD")}
        {_annotation_added("NEW")}
    END""",
    # A value added can only complete its annotation (REPLACE keeps the attribute).
    f"""CREATE TRIGGER counts_value_added AFTER INSERT ON annotation_values
    WHEN {_IS_LISTED.format("NEW.annotation_id")} BEGIN
        UPDATE document_counts SET incomplete = incomplete - 1 WHERE document_id = (
            SELECT a.document_id FROM annotations a
            WHERE a.id = NEW.annotation_id AND {_IS_LISTED.format("a.id")}
            AND NOT {_LACKS_REQUIRED}
        );
        DELETE FROM incomplete_annotations WHERE annotation_id = NEW.annotation_id
            AND NOT EXISTS (
                SELECT 1 FROM annotations a WHERE a.id = NEW.annotation_id AND {_LACKS_REQUIRED}
            );
    END""",
    # A value removed leaves its annotation incomplete if its attribute is required.
    f"""CREATE TRIGGER counts_value_removed AFTER DELETE ON annotation_values
    WHEN EXISTS (SELECT 1 FROM attributes WHERE id = OLD.attribute_id AND required = 1)
    BEGIN
        UPDATE document_counts SET incomplete = incomplete + 1 WHERE document_id = (
            SELECT a.document_id FROM annotations a WHERE a.id = OLD.annotation_id
            AND NOT {_IS_LISTED.format("a.id")} AND EXISTS (
                SELECT 1 FROM attributes t WHERE t.id = OLD.attribute_id
                AND t.category_id = a.category_id AND t.required = 1
            )
        );
        INSERT INTO incomplete_annotations (annotation_id, document_id)
            SELECT a.id, a.document_id FROM annotations a WHERE a.id = OLD.annotation_id
            AND NOT {_IS_LISTED.format("a.id")} AND EXISTS (
                SELECT 1 FROM attributes t WHERE t.id = OLD.attribute_id
                AND t.category_id = a.category_id AND t.required = 1
            );
    END""",
    f"""CREATE TRIGGER counts_value_moved
    AFTER UPDATE OF annotation_id, attribute_id ON annotation_values BEGIN
        {_recount_annotation("OLD.annotation_id")}
        {_recount_annotation("NEW.annotation_id")}
    END""",
    f"""CREATE TRIGGER counts_attribute_added AFTER INSERT ON attributes
    WHEN NEW.required = 1 BEGIN
        {_now_required("NEW")}
    END""",
    # Not when its category went: the category's annotations went before it.
    f"""CREATE TRIGGER counts_attribute_removed AFTER DELETE ON attributes
    WHEN OLD.required = 1 AND EXISTS (SELECT 1 FROM categories WHERE id = OLD.category_id)
    BEGIN
        {_no_longer_required("OLD.category_id")}
    END""",
    f"""CREATE TRIGGER counts_attribute_required AFTER UPDATE OF required ON attributes
    WHEN NEW.required = 1 AND OLD.required IS NOT 1
        AND NEW.id IS OLD.id AND NEW.category_id IS OLD.category_id BEGIN
        {_now_required("NEW")}
    END""",
    f"""CREATE TRIGGER counts_attribute_optional AFTER UPDATE OF required ON attributes
    WHEN OLD.required = 1 AND NEW.required IS NOT 1
        AND NEW.id IS OLD.id AND NEW.category_id IS OLD.category_id BEGIN
        {_no_longer_required("NEW.category_id")}
    END""",
    # Never done by the app: decided afresh for both categories.
    f"""CREATE TRIGGER counts_attribute_moved AFTER UPDATE OF id, category_id ON attributes
    WHEN (OLD.required = 1 OR NEW.required = 1)
        AND (NEW.id IS NOT OLD.id OR NEW.category_id IS NOT OLD.category_id) BEGIN
        {_recount_category("OLD.category_id")}
        {_recount_category("NEW.category_id")}
    END""",
)


@migrations(name="0005_document_counts")
def _document_counts(db: Database) -> None:
    """Each document's count of annotations and of incomplete ones, kept by triggers
    (see ``_COUNT_TRIGGERS``), so that the document list never reads every value.

    ``incomplete_annotations`` lists the incomplete annotations, so that a value
    written or removed moves its document's count by one without a recount; both
    tables are filled from scratch here, then the triggers keep them. The index
    ``documents_listed`` holds what the list shows of each document. A later step
    that rebuilds ``documents``, ``annotations``, ``annotation_values`` or
    ``attributes`` must create their triggers again (dropping a table drops them).
    """
    db.execute(
        """CREATE TABLE document_counts (
            document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            annotations INTEGER NOT NULL DEFAULT 0,
            incomplete INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE incomplete_annotations (
            annotation_id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX incomplete_by_document ON incomplete_annotations(document_id)")
    db.execute(
        "INSERT INTO incomplete_annotations (annotation_id, document_id)"
        f" SELECT a.id, a.document_id FROM annotations a WHERE {_LACKS_REQUIRED}"
    )
    db.execute(
        "INSERT INTO document_counts (document_id, annotations, incomplete) SELECT d.id,"
        " (SELECT COUNT(*) FROM annotations a WHERE a.document_id = d.id),"
        " (SELECT COUNT(*) FROM incomplete_annotations i WHERE i.document_id = d.id)"
        " FROM documents d"
    )
    for trigger in _COUNT_TRIGGERS:
        db.execute(trigger)
    # The document list reads these columns of every document in project order: from
    # the table, each row's text (stored before most of them) would be read as well.
    db.execute(
        "CREATE INDEX documents_listed ON documents(position, id, title, source, author, date,"
        " file_name, sha256, char_count, imported_at, status, encoding)"
    )


@migrations(name="0006_team_coding")
def _team_coding(db: Database) -> None:
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


@migrations(name="0007_adjudication")
def _adjudication(db: Database) -> None:
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
