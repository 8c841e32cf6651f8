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


def where_clause(f: SegmentFilter) -> tuple[str, list[object]]:
    """The SQL condition (over ``a`` annotations, ``d`` documents, ``c`` categories,
    ``k`` coders) and its parameters."""
    parts: list[str] = []
    params: list[object] = []

    def among(column: str, values: Sequence[str]) -> None:
        parts.append(f"{column} IN ({', '.join('?' * len(values))})")
        params.extend(values)

    if f.categories:
        among("c.key", f.categories)
    if f.coders:
        among("k.name", f.coders)
    for choice in f.choices:
        parts.append("a.id IN (SELECT annotation_id FROM annotation_values WHERE choice_id = ?)")
        params.append(choice)
    if f.actor:
        parts.append(_NAMING.format(column="ref_actor_id"))
        params += [f.actor, f.actor]
    if f.issue:
        parts.append(_NAMING.format(column="choice_id"))
        params += [f.issue, f.issue]
    if f.text:
        pattern = like_pattern(f.text)
        parts.append(
            "(a.quote LIKE ? ESCAPE '\\' OR a.memo LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1"
            " FROM annotation_values t WHERE t.annotation_id = a.id"
            " AND t.value_text LIKE ? ESCAPE '\\'))"
        )
        params += [pattern] * 3
    if f.incomplete is not None:
        parts.append(_INCOMPLETE if f.incomplete else f"NOT {_INCOMPLETE}")
    if f.statuses:
        among("d.status", f.statuses)
    if f.sources:
        among("d.source", f.sources)
    if f.date_from:
        parts.append("d.date != '' AND d.date >= ?")
        params.append(f.date_from)
    if f.date_to:
        parts.append("d.date != '' AND substr(d.date, 1, length(?)) <= ?")
        params += [f.date_to, f.date_to]
    for variable_id, value in f.variables:
        parts.append(
            "EXISTS (SELECT 1 FROM document_values dv WHERE dv.document_id = d.id"
            " AND dv.variable_id = ? AND dv.value = ?)"
        )
        params += [variable_id, value]
    return (" AND ".join(parts) or "1"), params


def order_clause(f: SegmentFilter) -> tuple[str, list[object]]:
    """The ORDER BY of a filter's column (ties in project order)."""
    direction = " DESC" if f.descending else ""
    fixed = {
        DOCUMENT: "d.title COLLATE NOCASE",
        CATEGORY: "c.position",
        QUOTE: "a.quote COLLATE NOCASE",
        CODER: "k.name COLLATE NOCASE",
        INCOMPLETE: _INCOMPLETE,
    }
    if f.sort == TEXT_ORDER:
        if not f.descending:
            return _TEXT_ORDER, []
        return 'd.position DESC, a.start DESC, a."end" DESC, a.id DESC', []
    if f.sort in fixed:
        return f"{fixed[f.sort]}{direction}, {_TEXT_ORDER}", []
    return f"{_SHOWN}{direction}, {_TEXT_ORDER}", [f.sort]


_FROM = (
    " FROM annotations a JOIN documents d ON d.id = a.document_id"
    " JOIN categories c ON c.id = a.category_id JOIN coders k ON k.id = a.coder_id"
)


class SegmentReader:
    """The rows of one filter at a time, over a read-only connection of its own."""

    def __init__(self, path: Path, codebook: Codebook) -> None:
        self._conn = sqlite3.connect(uri(Path(path)), uri=True, check_same_thread=False)
        self._conn.execute("PRAGMA busy_timeout = 5000")
        self._conn.execute("PRAGMA temp_store = MEMORY")
        self.codebook = codebook
        self.filter = SegmentFilter()
        self.count = 0
        self._built = False

    def close(self) -> None:
        self._conn.close()

    def set_codebook(self, codebook: Codebook) -> None:
        self.codebook = codebook

    def apply(self, f: SegmentFilter) -> int:
        """Select and order the rows of ``f``; returns how many there are."""
        where, params = where_clause(f)
        order, order_params = order_clause(f)
        conn = self._conn
        conn.execute("DROP TABLE IF EXISTS temp.segment_rows")
        # CREATE … AS SELECT keeps the SELECT's order in the rowids (DDL: the sqlite3
        # module opens no transaction for it).
        conn.execute(
            f"CREATE TEMP TABLE segment_rows AS SELECT a.id AS id{_FROM} WHERE {where}"
            f" ORDER BY {order}",
            params + order_params,
        )
        self.count = conn.execute("SELECT COUNT(*) FROM temp.segment_rows").fetchone()[0]
        self.filter = f
        self._built = True
        return int(self.count)

    def refresh(self) -> int:
        """The same filter read again (the project changed)."""
        return self.apply(self.filter)

    def page(self, first: int, size: int) -> list[Segment]:
        """The rows at positions ``first`` … ``first + size - 1``."""
        if not self._built or size <= 0:
            return []
        rows = self._conn.execute(
            'SELECT r.rowid - 1, a.id, a.document_id, d.title, c.key, a.start, a."end",'
            f" substr(d.text, max(1, a.start + 1 - {CONTEXT}), min(a.start, {CONTEXT})),"
            f' a.quote, substr(d.text, a."end" + 1, {CONTEXT}), k.name, {_INCOMPLETE}'
            " FROM temp.segment_rows r JOIN annotations a ON a.id = r.id"
            " JOIN documents d ON d.id = a.document_id JOIN categories c ON c.id = a.category_id"
            " JOIN coders k ON k.id = a.coder_id WHERE r.rowid BETWEEN ? AND ? ORDER BY r.rowid",
            [first + 1, first + size],
        ).fetchall()
        values = self._values([row[1] for row in rows])
        return [
            Segment(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                row[5],
                row[6],
                _line(row[7]),
                row[8],
                _line(row[9]),
                row[10],
                bool(row[11]),
                values.get(row[1], {}),
            )
            for row in rows
        ]

    def pages(self, size: int = 2000) -> Iterator[list[Segment]]:
        """Every row of the filter, a page at a time."""
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
        row = self._conn.execute(
            "SELECT rowid - 1 FROM temp.segment_rows WHERE id = ?", [annotation_id]
        ).fetchone()
        return int(row[0]) if row else -1


def _line(text: str | None) -> str:
    return " ".join((text or "").split())


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
