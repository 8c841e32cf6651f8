"""Schema step 5's counts: each document's count of annotations and of incomplete
ones, and the list of incomplete annotations, kept by triggers as every write
happens, whatever writes it (``store/schema.py`` registers the step)."""

from __future__ import annotations

from sqlite_utils import Database


def _lacks_required(row: str) -> str:
    """Is annotation ``row`` (a table alias, or NEW) incomplete: does its category have a
    required attribute it has no value for? (The rule of core.completeness, in SQL.)"""
    return f"""EXISTS (
    SELECT 1 FROM attributes t WHERE t.category_id = {row}.category_id AND t.required = 1
    AND NOT EXISTS (
        SELECT 1 FROM annotation_values v WHERE v.annotation_id = {row}.id AND v.attribute_id = t.id
    )
)"""


LACKS_REQUIRED = _lacks_required("a")
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
            WHERE a.id = {annotation} AND {LACKS_REQUIRED};
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
            WHERE a.category_id = {category} AND {LACKS_REQUIRED};
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
            WHERE a.category_id = {category} AND NOT {LACKS_REQUIRED}
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
COUNT_TRIGGERS = (
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
            AND NOT {LACKS_REQUIRED}
        );
        DELETE FROM incomplete_annotations WHERE annotation_id = NEW.annotation_id
            AND NOT EXISTS (
                SELECT 1 FROM annotations a WHERE a.id = NEW.annotation_id AND {LACKS_REQUIRED}
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


def create_document_counts(db: Database) -> None:
    """Each document's count of annotations and of incomplete ones, kept by triggers
    (see ``COUNT_TRIGGERS``), so that the document list never reads every value.

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
        f" SELECT a.id, a.document_id FROM annotations a WHERE {LACKS_REQUIRED}"
    )
    db.execute(
        "INSERT INTO document_counts (document_id, annotations, incomplete) SELECT d.id,"
        " (SELECT COUNT(*) FROM annotations a WHERE a.document_id = d.id),"
        " (SELECT COUNT(*) FROM incomplete_annotations i WHERE i.document_id = d.id)"
        " FROM documents d"
    )
    for trigger in COUNT_TRIGGERS:
        db.execute(trigger)
    # The document list reads these columns of every document in project order: from
    # the table, each row's text (stored before most of them) would be read as well.
    db.execute(
        "CREATE INDEX documents_listed ON documents(position, id, title, source, author, date,"
        " file_name, sha256, char_count, imported_at, status, encoding)"
    )
