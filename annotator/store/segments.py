"""Coded segments across documents: every annotation of the project that a
:class:`SegmentFilter` lets through, in its order, read a page at a time.

A filter is applied once: the ids of its rows, in order, go into a temporary
table whose rowids are the rows' positions (counted once); a page is then the
rows between two rowids, joined with what the view shows of them. Nothing holds
all the rows in Python. The reads use a connection of their own, opened
read-only, so the temporary table never touches the project's connection (its
changes count, its transactions).
"""

from __future__ import annotations

import sqlite3
import time
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.core.codebook import Attribute, Codebook, Value
from annotator.core.segment_filter import (
    CATEGORY,
    CODER,
    DOCUMENT,
    INCOMPLETE,
    QUOTE,
    TEXT_ORDER,
    SegmentFilter,
)
from annotator.core.types import attribute_type
from annotator.store.side_log import uri

CONTEXT = 60  # characters of text either side of a quote
# A filter by text reads the documents a group at a time (2, 4, … up to GROUP); with
# ``first_rows`` it stops after FIRST_SECONDS of processor time at the latest.
GROUP = 32
FIRST_SECONDS = 0.05
_TEXT_ORDER = 'd.position, a.start, a."end", a.id'
_INCOMPLETE = "a.id IN (SELECT annotation_id FROM incomplete_annotations)"
# The value an attribute column shows, for sorting by it.
_SHOWN = (
    "(SELECT COALESCE(ch.label, ac.name, ra.quote, v.value_text, v.value_number)"
    " FROM annotation_values v LEFT JOIN choices ch ON ch.id = v.choice_id"
    " LEFT JOIN actors ac ON ac.id = v.ref_actor_id"
    " LEFT JOIN annotations ra ON ra.id = v.ref_annotation_id"
    " WHERE v.annotation_id = a.id AND v.attribute_id = ?)"
)
# The annotations whose text values hold a pattern (read from the values_by_text index).
_TEXT_VALUES = (
    "annotation_id FROM annotation_values"
    " WHERE value_text IS NOT NULL AND value_text LIKE ? ESCAPE '\\'"
)
# Annotations naming a registry actor or a choice, themselves or through one they refer to.
_NAMING = (
    "a.id IN (SELECT annotation_id FROM annotation_values WHERE {column} = ?"
    " UNION SELECT v.annotation_id FROM annotation_values v WHERE v.ref_annotation_id IN"
    " (SELECT annotation_id FROM annotation_values WHERE {column} = ?))"
)


@dataclass(frozen=True)
class Segment:
    """One row of the view."""

    position: int  # 0-based, in the filter's order
    annotation_id: str
    document_id: str
    document: str  # title
    category: str  # key
    start: int
    end: int
    before: str
    quote: str
    after: str
    coder: str
    incomplete: bool
    values: dict[str, str]  # attribute id → the value as shown


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where_clause(
    f: SegmentFilter, category_ids: Sequence[str], per_row: bool = False, text_values: str = ""
) -> tuple[str, list[object]]:
    """The SQL condition on the annotation ``a`` (its document's conditions are
    :func:`document_clause`'s) and its parameters; ``category_ids`` those of the
    filter's category keys. ``per_row``: for a few rows (a page, one document's),
    a choice is looked up in each row's values rather than listed whole.
    ``text_values``: a table of the ids of the annotations whose text values hold
    the filter's text, listed once beforehand (else they are listed in the query)."""
    parts: list[str] = []
    params: list[object] = []
    # Read by documents (a filter by text): the category index is not to be used.
    plus = "+" if text_values else ""
    if f.categories:
        parts.append(f"{plus}a.category_id IN ({', '.join('?' * len(category_ids))})")
        params.extend(category_ids)
    if f.coders:
        if not f.categories and not plus:  # every category: the category index is sought
            parts.append("a.category_id IN (SELECT id FROM categories)")
        names = ", ".join("?" * len(f.coders))
        parts.append(f"{plus}a.coder_id IN (SELECT id FROM coders WHERE name IN ({names}))")
        params.extend(f.coders)
    if f.actor:
        parts.append(_NAMING.format(column="ref_actor_id"))
        params += [f.actor, f.actor]
    if f.issue:
        parts.append(_NAMING.format(column="choice_id"))
        params += [f.issue, f.issue]
    for choice in f.choices:
        if f.actor or f.issue or per_row:  # few rows: look at each one's values
            parts.append(
                "EXISTS (SELECT 1 FROM annotation_values c WHERE c.annotation_id = a.id"
                " AND c.choice_id = ?)"
            )
        else:  # the annotations holding the choice, from their index
            parts.append(
                "a.id IN (SELECT annotation_id FROM annotation_values WHERE choice_id = ?)"
            )
        params.append(choice)
    if f.text:
        pattern = like_pattern(f.text)
        if text_values:
            parts.append(
                "(a.quote LIKE ? ESCAPE '\\' OR a.memo LIKE ? ESCAPE '\\'"
                f" OR a.id IN (SELECT annotation_id FROM {text_values}))"
            )
            params += [pattern] * 2
        else:
            parts.append(
                "(a.quote LIKE ? ESCAPE '\\' OR a.memo LIKE ? ESCAPE '\\' OR a.id IN (SELECT"
                f" {_TEXT_VALUES}))"
            )
            params += [pattern] * 3
    if f.incomplete is not None:
        parts.append(_INCOMPLETE if f.incomplete else f"NOT {_INCOMPLETE}")
    return (" AND ".join(parts) or "1"), params


def document_clause(f: SegmentFilter) -> tuple[str, list[object]]:
    """The condition on a document (of the ``documents`` table, unaliased)."""
    parts: list[str] = []
    params: list[object] = []

    def among(column: str, values: Sequence[str]) -> None:
        parts.append(f"{column} IN ({', '.join('?' * len(values))})")
        params.extend(values)

    if f.statuses:
        among("status", f.statuses)
    if f.sources:
        among("source", f.sources)
    if f.date_from:
        parts.append("date != '' AND date >= ?")
        params.append(f.date_from)
    if f.date_to:
        parts.append("date != '' AND substr(date, 1, length(?)) <= ?")
        params += [f.date_to, f.date_to]
    for variable_id, value in f.variables:
        parts.append(
            "EXISTS (SELECT 1 FROM document_values dv WHERE dv.document_id = documents.id"
            " AND dv.variable_id = ? AND dv.value = ?)"
        )
        params += [variable_id, value]
    return (" AND ".join(parts) or "1"), params


def order_clause(f: SegmentFilter) -> tuple[str, str, list[object]]:
    """The joins an order needs, its ORDER BY (ties in project order) and parameters."""
    direction = " DESC" if f.descending else ""
    fixed = {
        DOCUMENT: ("", "d.title COLLATE NOCASE"),
        CATEGORY: (" JOIN categories c ON c.id = a.category_id", "c.position"),
        QUOTE: ("", "a.quote COLLATE NOCASE"),
        CODER: (" JOIN coders k ON k.id = a.coder_id", "k.name COLLATE NOCASE"),
        INCOMPLETE: ("", _INCOMPLETE),
    }
    if f.sort == TEXT_ORDER:
        if not f.descending:
            return "", _TEXT_ORDER, []
        return "", 'd.position DESC, a.start DESC, a."end" DESC, a.id DESC', []
    if f.sort in fixed:
        join, column = fixed[f.sort]
        return join, f"{column}{direction}, {_TEXT_ORDER}", []
    return "", f"{_SHOWN}{direction}, {_TEXT_ORDER}", [f.sort]


def _found_once(f: SegmentFilter) -> bool:
    """Whether ``f`` asks of the text (a read of every quote of the documents it
    spans, dear to make again for each document a page spans)."""
    return bool(f.text)


def _few_ids(f: SegmentFilter) -> bool:
    """Whether ``f`` names a set of annotations to start from, most often far fewer
    than its documents hold: a registry actor's, an issue's, the incomplete ones."""
    return bool(f.actor or f.issue) or f.incomplete is True


def _count_index(f: SegmentFilter) -> str:
    """The index that counts the rows of ``f`` by document without a look into any
    annotation's row (which holds its quote and memo), when one holds all that the
    filter asks of an annotation: the category index (category, coder, and the key:
    document, offsets, id) for a filter by category or coder, the id index for one
    by values (and for one by an actor or issue, whose few rows are then read). A
    filter by text reads the rows."""
    if f.text:
        return ""
    if f.actor or f.issue:  # few ids: the rest of the filter asked of those rows alone
        return " INDEXED BY annotations_by_id"
    if f.categories or f.coders:
        return " INDEXED BY annotations_by_category"
    if f.actor or f.issue or f.choices or f.incomplete is not None:
        return " INDEXED BY annotations_by_id"
    return ""


class SegmentReader:
    """The rows of one filter at a time, over a read-only connection of its own.

    In project order (the default, and its reverse) the filter is counted once per
    document, and a page is read from the documents that hold it, each by the
    order of the annotations' key: nothing is sorted. Ordered by a column, the
    ids of every row go once into a temporary table whose rowids are the
    positions, and a page is the rows between two rowids. So does a filter by
    text in project order, a few documents at a time (:meth:`count_more`), so
    that its first rows can be shown before every quote is read.
    """

    def __init__(self, path: Path, codebook: Codebook) -> None:
        self._conn = sqlite3.connect(
            uri(Path(path)), uri=True, check_same_thread=False, isolation_level=None
        )
        self._conn.execute("PRAGMA busy_timeout = 5000")
        self._conn.execute("PRAGMA temp_store = MEMORY")
        self.codebook = codebook
        self.filter = SegmentFilter()
        self.count = 0
        self._built = False
        self._sorted = False  # rows in temp.segment_rows, else by document
        self._where: tuple[str, list[object]] = ("1", [])
        self._documents: list[str] = []  # the documents with rows, in the filter's order
        self._starts: list[int] = []  # the position of each one's first row
        # A filter by text: the documents not read yet (in its order), the query that
        # finds its rows, and how many documents the next read takes.
        self._pending: list[str] = []
        self._scan: tuple[str, list[object]] = ("1", [])
        self._direction = ""
        self._group = 2

    def close(self) -> None:
        self._conn.close()

    def set_codebook(self, codebook: Codebook) -> None:
        self.codebook = codebook

    def apply(self, f: SegmentFilter, first_rows: int | None = None) -> int:
        """Select and order the rows of ``f``; returns how many there are.

        The documents the filter lets through go first into a small temporary table,
        read from the index that holds what the document list shows of them (a
        document's own row holds its text), in project order.

        ``first_rows``: a filter by text in project order (which reads every quote of
        the documents it spans) may stop once it has found that many rows, or after
        FIRST_SECONDS, and return the rows counted so far: they are the first ones,
        and in their final positions; :meth:`count_more` counts on (``complete``
        says when every row is counted). Any other filter is counted whole."""
        conn = self._conn
        categories = [c.id for c in self.codebook.categories if c.key in f.categories]
        where, params = where_clause(f, categories)
        documents, document_params = document_clause(f)
        conn.execute("DROP TABLE IF EXISTS temp.segment_rows")
        conn.execute("DROP TABLE IF EXISTS temp.segment_documents")
        conn.execute("DROP TABLE IF EXISTS temp.segment_text_values")
        conn.execute("DROP TABLE IF EXISTS temp.segment_group")
        self._pending = []
        conn.execute(
            "CREATE TEMP TABLE segment_documents (position INTEGER, id TEXT, title TEXT,"
            " PRIMARY KEY (position, id)) WITHOUT ROWID"
        )
        conn.execute(
            "INSERT INTO temp.segment_documents SELECT position, id, title FROM documents"
            f" WHERE {documents}",
            document_params,
        )
        self._where = where_clause(f, categories, per_row=True)
        self._sorted = f.sort != TEXT_ORDER
        if self._sorted:
            join, order, order_params = order_clause(f)
            # CREATE … AS SELECT keeps the SELECT's order in the rowids.
            conn.execute(
                "CREATE TEMP TABLE segment_rows AS SELECT a.id AS id"
                " FROM temp.segment_documents d CROSS JOIN annotations a"
                f" ON a.document_id = d.id{join} WHERE {where} ORDER BY {order}",
                params + order_params,
            )
            self.count = int(conn.execute("SELECT COUNT(*) FROM temp.segment_rows").fetchone()[0])
        else:
            listed = [row[0] for row in conn.execute("SELECT id FROM temp.segment_documents")]
            if where == "1":  # every annotation: the counts the schema's triggers keep
                query = "SELECT document_id, annotations FROM document_counts"
            elif _found_once(f) and _few_ids(f):
                # A registry actor, an issue or incomplete names few annotations: those
                # are read first and tested for the text, in one statement.
                narrowed = documents != "1"
                conn.execute(
                    "CREATE TEMP TABLE segment_rows AS WITH found AS MATERIALIZED"
                    ' (SELECT a.id, a.document_id, a.start, a."end" FROM annotations a WHERE '
                    + ("a.document_id IN (SELECT id FROM temp.segment_documents) AND " * narrowed)
                    + f"{where}) SELECT a.id AS id FROM found a"
                    " JOIN temp.segment_documents d ON d.id = a.document_id"
                    f" ORDER BY {order_clause(f)[1]}",
                    params,
                )
                self._sorted = True
                self.count = int(
                    conn.execute("SELECT COUNT(*) FROM temp.segment_rows").fetchone()[0]
                )
                self.filter = f
                self._built = True
                return self.count
            elif _found_once(f):
                # A condition on the text is met once, a few documents at a time in the
                # filter's order: the rows it finds are appended, each document's in
                # text order, to a temporary table whose rowids are their positions, as
                # for another order (the quotes are not read again for each page).
                # With ``first_rows`` it stops once that many are found; count_more()
                # counts on.
                self._direction = " DESC" if f.descending else ""
                self._start_text_scan(f, categories, listed)
                self.count_more(FIRST_SECONDS if first_rows else None, first_rows)
                self.filter = f
                self._built = True
                return self.count
            else:
                narrowed = documents != "1"
                query = (
                    f"SELECT a.document_id, COUNT(*) FROM annotations a{_count_index(f)} WHERE "
                    + ("a.document_id IN (SELECT id FROM temp.segment_documents) AND " * narrowed)
                    + f"{where} GROUP BY a.document_id"
                )
            found = dict(conn.execute(query, params).fetchall())
            counted = [(doc, found[doc]) for doc in listed if found.get(doc)]
            if f.descending:
                counted.reverse()
            self._documents, self._starts = [], []
            total = 0
            for doc, n in counted:
                self._documents.append(doc)
                self._starts.append(total)
                total += n
            self.count = total
        self.filter = f
        self._built = True
        return self.count

    def refresh(self, first_rows: int | None = None) -> int:
        """The same filter read again (the project changed)."""
        return self.apply(self.filter, first_rows)

    @property
    def complete(self) -> bool:
        """Whether every row of the filter is counted."""
        return not self._pending

    def _start_text_scan(self, f: SegmentFilter, categories: list[str], listed: list[str]) -> None:
        conn = self._conn
        # The rows found, in the filter's order: their rowids are their positions.
        conn.execute("CREATE TEMP TABLE segment_rows (id TEXT)")
        conn.execute("CREATE TEMP TABLE segment_group (n INTEGER PRIMARY KEY, id TEXT)")
        # The annotations whose text values hold the text, listed once, not again
        # for each group of documents.
        conn.execute(
            "CREATE TEMP TABLE segment_text_values (annotation_id TEXT PRIMARY KEY) WITHOUT ROWID"
        )
        conn.execute(
            f"INSERT OR IGNORE INTO temp.segment_text_values SELECT {_TEXT_VALUES}",
            [like_pattern(f.text)],
        )
        self._scan = where_clause(
            f, categories, per_row=True, text_values="temp.segment_text_values"
        )
        self._sorted = True
        self._pending = list(reversed(listed)) if f.descending else listed
        self.count = 0
        self._group = 2

    def count_more(self, seconds: float | None = None, enough: int | None = None) -> int:
        """Count the rows of more documents of a filter by text (see :meth:`apply`):
        for about ``seconds`` of processor time, or until ``enough`` rows are
        counted, or (neither given) to the end. Returns the count so far; the rows
        counted keep their positions, the new ones follow them."""
        started = time.process_time()
        where, params = self._scan
        direction = self._direction
        order = f'g.n, a.start{direction}, a."end"{direction}, a.id{direction}'
        while self._pending:
            group, self._pending = self._pending[: self._group], self._pending[self._group :]
            self._group = min(self._group * 2, GROUP)
            self._conn.execute("DELETE FROM temp.segment_group")
            self._conn.executemany(
                "INSERT INTO temp.segment_group (id) VALUES (?)", [(doc,) for doc in group]
            )
            # Each document's rows by the annotations' key, the documents in order:
            # appended, nothing sorted.
            added = self._conn.execute(
                "INSERT INTO temp.segment_rows (id) SELECT a.id FROM temp.segment_group g"
                f" CROSS JOIN annotations a ON a.document_id = g.id WHERE {where}"
                f" ORDER BY {order}",
                params,
            ).rowcount
            self.count += max(added, 0)
            if enough is not None and self.count >= enough:
                break
            if seconds is not None and time.process_time() - started >= seconds:
                break
        return self.count

    def finish(self) -> int:
        """Count every row (of a filter by text stopped early); returns the count."""
        return self.count_more()

    def _ids(self, first: int, size: int) -> list[str]:
        """The ids at positions ``first`` … ``first + size - 1``, in order."""
        if self._sorted:
            return [
                row[0]
                for row in self._conn.execute(
                    "SELECT id FROM temp.segment_rows WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                    [first + 1, first + size],
                )
            ]
        where, params = self._where
        direction = " DESC" if self.filter.descending else ""
        order = f'a.start{direction}, a."end"{direction}, a.id{direction}'
        ids: list[str] = []
        number = bisect_right(self._starts, first) - 1
        skip = first - self._starts[number] if number >= 0 else 0
        number = max(number, 0)
        while len(ids) < size and number < len(self._documents):
            ids += [
                row[0]
                for row in self._conn.execute(
                    f"SELECT a.id FROM annotations a WHERE a.document_id = ? AND {where}"
                    f" ORDER BY {order} LIMIT ? OFFSET ?",
                    [self._documents[number], *params, size - len(ids), skip],
                )
            ]
            number, skip = number + 1, 0
        return ids

    def page(self, first: int, size: int) -> list[Segment]:
        """The rows at positions ``first`` … ``first + size - 1``."""
        if not self._built or size <= 0 or first >= self.count or first < 0:
            return []
        ids = self._ids(first, min(size, self.count - first))
        if not ids:
            return []
        rows = {
            row[0]: row
            for row in self._conn.execute(
                'SELECT a.id, a.document_id, d.title, c.key, a.start, a."end",'
                f" substr(d.text, max(1, a.start - {CONTEXT}), min(a.start, {CONTEXT + 1})),"
                f' a.quote, substr(d.text, a."end" + 1, {CONTEXT + 1}), k.name, {_INCOMPLETE}'
                " FROM annotations a JOIN documents d ON d.id = a.document_id"
                " JOIN categories c ON c.id = a.category_id JOIN coders k ON k.id = a.coder_id"
                f" WHERE a.id IN ({', '.join('?' * len(ids))})",
                ids,
            )
        }
        values = self._values(ids)
        return [
            Segment(
                first + number,
                ann,
                row[1],
                row[2],
                row[3],
                row[4],
                row[5],
                _words_before(row[6]),
                row[7],
                _words_after(row[8]),
                row[9],
                bool(row[10]),
                values.get(ann, {}),
            )
            for number, ann in enumerate(ids)
            if (row := rows.get(ann)) is not None
        ]

    def pages(self, size: int = 2000) -> Iterator[list[Segment]]:
        """Every row of the filter, a page at a time."""
        self.finish()
        for first in range(0, self.count, size):
            yield self.page(first, size)

    def _values(self, ids: list[str]) -> dict[str, dict[str, str]]:
        if not ids:
            return {}
        shown: dict[str, dict[str, str]] = {}
        codebook = self.codebook
        query = (
            "SELECT v.annotation_id, v.attribute_id, v.value_text, v.value_number,"
            " v.choice_id, v.ref_annotation_id, v.ref_actor_id, ac.name, ra.quote,"
            " (SELECT x.name FROM annotation_values rv JOIN actors x ON x.id = rv.ref_actor_id"
            "  WHERE rv.annotation_id = v.ref_annotation_id LIMIT 1)"
            " FROM annotation_values v LEFT JOIN actors ac ON ac.id = v.ref_actor_id"
            " LEFT JOIN annotations ra ON ra.id = v.ref_annotation_id"
            f" WHERE v.annotation_id IN ({', '.join('?' * len(ids))})"
        )
        for row in self._conn.execute(query, ids):
            ann, attribute_id, text, number, choice, ref_ann, ref_actor = row[:7]
            actor_name, ref_quote, ref_actor_name = row[7:]
            try:
                attribute = codebook.attribute_by_id(attribute_id)
            except KeyError:
                continue
            value = Value(attribute_id, text, number, choice, ref_ann, ref_actor)
            shown.setdefault(ann, {})[attribute_id] = _shown(
                attribute, value, codebook, actor_name, ref_quote, ref_actor_name
            )
        return shown

    def position_of(self, annotation_id: str) -> int:
        """The row of an annotation in the current filter, or -1."""
        if not self._built:
            return -1
        if self._sorted:
            row = self._conn.execute(
                "SELECT rowid - 1 FROM temp.segment_rows WHERE id = ?", [annotation_id]
            ).fetchone()
            return int(row[0]) if row else -1
        where, params = self._where
        found = self._conn.execute(
            f'SELECT a.document_id, a.start, a."end" FROM annotations a WHERE a.id = ? AND {where}',
            [annotation_id, *params],
        ).fetchone()
        if found is None or found[0] not in self._documents:
            return -1
        doc, start, end = found
        before = "<" if not self.filter.descending else ">"
        n = self._conn.execute(
            f"SELECT COUNT(*) FROM annotations a WHERE a.document_id = ? AND {where}"
            f' AND (a.start, a."end", a.id) {before} (?, ?, ?)',
            [doc, *params, start, end, annotation_id],
        ).fetchone()[0]
        return self._starts[self._documents.index(doc)] + int(n)


def _line(text: str | None) -> str:
    return " ".join((text or "").split())


def _words_before(text: str | None) -> str:
    """The ``CONTEXT`` characters before a quote (read with one more), without a word
    cut at their start (a script without spaces is cut where it is)."""
    text = text or ""
    if len(text) <= CONTEXT:
        return _line(text)
    cut = text[1:]
    if not text[0].isspace() and not cut[0].isspace():
        parts = cut.split(maxsplit=1)
        cut = parts[1] if len(parts) == 2 else cut
    return _line(cut)


def _words_after(text: str | None) -> str:
    """The ``CONTEXT`` characters after a quote (read with one more), without a word
    cut at their end."""
    text = text or ""
    if len(text) <= CONTEXT:
        return _line(text)
    cut = text[:CONTEXT]
    if not text[CONTEXT].isspace() and not cut[-1].isspace():
        parts = cut.rsplit(maxsplit=1)
        cut = parts[0] if len(parts) == 2 else cut
    return _line(cut)


def _shown(
    attribute: Attribute,
    value: Value,
    codebook: Codebook,
    actor_name: str | None,
    ref_quote: str | None,
    ref_actor_name: str | None,
) -> str:
    if value.choice_id is not None:
        choice = codebook.choice(value.choice_id)
        return choice.label if choice is not None else ""
    if value.actor_id is not None:
        return actor_name or ""
    if value.annotation_id is not None:
        return ref_actor_name or _line(ref_quote)
    return attribute_type(attribute.type).shown(value)


def attribute_columns(codebook: Codebook) -> list[Attribute]:
    """The attributes the view shows as columns, category by category."""
    return [a for c in codebook.categories for a in codebook.attributes_of(c.key)]
