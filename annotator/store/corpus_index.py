"""The corpus index: an SQLite FTS5 index of every document's text (schema step 7).

``corpus_text`` is a contentless FTS5 table with the ``trigram`` tokenizer and
``detail=none``: for each three-character piece of text (any case) it lists the
documents that hold it, nothing more. A search narrows the documents to those
holding every piece of its words, then reads those texts (``store.corpus_search``)
to find the hits, their offsets and context. Why this index (measured on the
corpus benchmark, 500 documents, 5 M characters):

* ``trigram`` finds Korean, Japanese and Chinese without spaces, where a word index
  (``unicode61``) sees ``한국은`` or a whole Japanese sentence as one token;
* ``detail=none`` adds about 5 % to the text's size, ``detail=full`` (positions,
  needed for the index's own phrase queries) about 150 %; the positions would not
  spare reading the texts, as hits need code-point offsets, which FTS5 does not
  give;
* a word of one or two characters has no trigram: the search reads every document
  (in the filters) for it, which takes milliseconds.

``corpus_documents`` numbers the documents for the index (the FTS rowid), so that
the index never depends on ``documents``' own rowids, which VACUUM may change.
Triggers keep both as documents come and go, whatever writes them (a document's
text never changes), inside the writer's own transaction.
"""

from __future__ import annotations

from sqlite_utils import Database

INDEX_TABLE = "corpus_text"
NUMBERS_TABLE = "corpus_documents"

CORPUS_TRIGGERS = (
    f"""CREATE TRIGGER corpus_document_added AFTER INSERT ON documents BEGIN
        INSERT INTO {NUMBERS_TABLE} (document_id) VALUES (NEW.id);
        INSERT INTO {INDEX_TABLE} (rowid, text)
            SELECT n, NEW.text FROM {NUMBERS_TABLE} WHERE document_id = NEW.id;
    END""",
    f"""CREATE TRIGGER corpus_document_removed AFTER DELETE ON documents BEGIN
        INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}, rowid, text)
            SELECT 'delete', n, OLD.text FROM {NUMBERS_TABLE} WHERE document_id = OLD.id;
        DELETE FROM {NUMBERS_TABLE} WHERE document_id = OLD.id;
    END""",
    # Never done by the app (a document's text and id never change): indexed afresh.
    f"""CREATE TRIGGER corpus_document_changed AFTER UPDATE OF id, text ON documents BEGIN
        INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}, rowid, text)
            SELECT 'delete', n, OLD.text FROM {NUMBERS_TABLE} WHERE document_id = OLD.id;
        UPDATE {NUMBERS_TABLE} SET document_id = NEW.id WHERE document_id = OLD.id;
        INSERT INTO {INDEX_TABLE} (rowid, text)
            SELECT n, NEW.text FROM {NUMBERS_TABLE} WHERE document_id = NEW.id;
    END""",
)


def create_corpus_index(db: Database) -> None:
    """Create the index and its triggers and index every document already stored
    (one statement each; about 0.15 s for 5 M characters)."""
    db.execute(
        f"""CREATE TABLE {NUMBERS_TABLE} (
            n INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL UNIQUE
        )"""
    )
    db.execute(
        f"CREATE VIRTUAL TABLE {INDEX_TABLE} USING fts5("
        "text, content='', tokenize='trigram', detail=none)"
    )
    db.execute(
        f"INSERT INTO {NUMBERS_TABLE} (document_id) SELECT id FROM documents ORDER BY position, id"
    )
    db.execute(
        f"INSERT INTO {INDEX_TABLE} (rowid, text) SELECT c.n, d.text"
        f" FROM {NUMBERS_TABLE} c JOIN documents d ON d.id = c.document_id"
    )
    for trigger in CORPUS_TRIGGERS:
        db.execute(trigger)


def has_corpus_index(db: Database) -> bool:
    return db.execute(
        "SELECT 1 FROM sqlite_master WHERE name IN (?, ?)", (INDEX_TABLE, NUMBERS_TABLE)
    ).fetchall() == [(1,), (1,)]
