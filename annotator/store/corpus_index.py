"""The corpus index: an SQLite FTS5 index of every document's text (schema step 7).

``corpus_text`` is a contentless FTS5 table of word tokens (``unicode61``, case and
diacritics folded) with ``detail=none``: for each word it lists the documents that
hold it, nothing more. A search narrows the documents to those holding every word
of its query (a prefix for ``secur*`` and for Korean words, which carry particles),
then reads those texts (``store.corpus_search``) to find the hits, their offsets
and context. Why this index (measured on the corpus benchmark, 500 documents, 5 M
characters, bench/README.md):

* it costs 0.08 s of processor time at import for the 5 M characters, against
  0.38 s for the ``trigram`` tokenizer: about an eighth of the import's own work
  (0.6 s, most of an import's time being the writes to disk), where trigrams
  would take 60 %;
* it adds about a tenth of the text's size to the file; ``detail=full``
  (positions, for the index's own phrase queries) would add about a quarter, and
  trigrams with positions 140 %. Positions would not spare reading the texts, as
  hits need code-point offsets, which FTS5 does not give;
* Korean, Japanese and Chinese are found inside words (``한국`` in ``대한국민은``),
  which a word index cannot look up: a query word in those scripts is not
  narrowed by it (the query's other words are), and the search reads every text
  (in the filters): ~30 ms of processor time for 5 M characters, within the
  100 ms target. A second, ``trigram`` table over only the runs of those scripts
  would be small (0.04 MB) but cost ~90 ms of processor time at import (another
  11 % of it), need the runs picked out of each text by Python when a document is
  written (the triggers, plain SQL kept whatever writes the file, cannot), and
  miss queries of one or two characters all the same (bench/README.md).

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
    (one statement each; about 0.1 s for 5 M characters)."""
    db.execute(
        f"""CREATE TABLE {NUMBERS_TABLE} (
            n INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL UNIQUE
        )"""
    )
    db.execute(
        f"CREATE VIRTUAL TABLE {INDEX_TABLE} USING fts5("
        "text, content='', tokenize='unicode61 remove_diacritics 2', detail=none,"
        " columnsize=0)"
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
