"""The adjudicated set's records: the coders' spans as matching reads them, and the
decisions that settle units (schema step ``0007_adjudication``).

The adjudicated annotations themselves are ordinary annotations of the coder
``adjudicated``; :meth:`AdjudicationStore.record_settlement` writes them together
with their decisions, in one transaction, and
:meth:`AdjudicationStore.withdraw_settlement` takes both away again (undo).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from annotator.core.adjudication import ADJUDICATED, Decision, DecisionKind, Member
from annotator.core.agreement.units import CodedSpan
from annotator.core.codebook import Value
from annotator.core.model import Annotation
from annotator.store.base import StoreBase
from annotator.store.errors import ProjectError, damaged_message, plain_message
from annotator.store.team_read import chunks, marks
from annotator.store.values import value_row

_DECISION_COLUMNS = (
    "unit_key, document_id, category, decision, coder, values_coder, result_annotation_id,"
    " settled_by, settled_at"
)
_VALUES_SQL = (
    "SELECT v.annotation_id, v.attribute_id, v.value_text, v.value_number, v.choice_id,"
    " v.ref_actor_id, v.ref_annotation_id FROM annotation_values v"
)
_SPANS_SQL = (
    'SELECT id, coder_id, document_id, category_id, start, "end", updated_at FROM annotations'
)


class CodedSpans:
    """The coders' spans (the adjudicated set left out) and each one's ``updated_at``."""

    def __init__(
        self,
        spans: list[CodedSpan],
        modified: dict[str, str],
        values: dict[str, dict[str, Value]] | None = None,
    ) -> None:
        self.spans = spans
        self.modified = modified
        self.values = values or {}  # annotation id → attribute id → value, as stored


class AdjudicationStore(StoreBase):
    @contextmanager
    def _outermost(self) -> Iterator[None]:
        """A transaction, or, inside one already, part of it without a savepoint: in a
        savepoint SQLite runs the schema's count triggers about ten times slower, and
        a failure here fails the caller's transaction as a whole anyway."""
        if self.db.conn.in_transaction:
            try:
                yield
            except sqlite3.Error as exc:
                raise ProjectError(plain_message(exc)) from exc
            return
        with self._transaction():
            yield

    def _adjudicated_coder_id(self) -> str:
        rows = self._query("SELECT id FROM coders WHERE name = ?", (ADJUDICATED,))
        return str(rows[0][0]) if rows else ""

    def coded_spans(self, document_id: str | None = None) -> CodedSpans:
        """Every coder's annotations (of one document) as spans to match, with their
        values in comparable form: a choice as ``("choice", id)``, a registry actor as
        ``("actor", id)``, a referenced annotation as the actor it resolves to (its own
        registry reference) or else ``("span", category, start, end)``."""
        skip = self._adjudicated_coder_id()
        coders = dict(self._query("SELECT id, name FROM coders"))
        categories = dict(self._query("SELECT id, key FROM categories"))
        attributes = dict(self._query("SELECT id, key FROM attributes"))
        if document_id is None:
            rows = self._query(_SPANS_SQL)
            value_rows = self._query(_VALUES_SQL)
        else:
            rows = self._query(_SPANS_SQL + " WHERE document_id = ?", (document_id,))
            value_rows = self._query(
                _VALUES_SQL + " JOIN annotations a ON a.id = v.annotation_id"
                " WHERE a.document_id = ?",
                (document_id,),
            )
        rows = [row for row in rows if row[1] != skip]
        refs = {row[6] for row in value_rows if row[6] is not None}
        targets = self._reference_targets(refs, categories) if refs else {}
        values: dict[str, dict[str, object]] = {}
        stored: dict[str, dict[str, Value]] = {}
        for ident, attribute, text, number, choice, actor, ref in value_rows:
            stored.setdefault(ident, {})[attribute] = Value(
                attribute, text, number, choice, ref, actor
            )
            value: object
            if actor is not None:
                value = ("actor", actor)
            elif ref is not None:
                value = targets.get(ref, ("span", "", -1, -1))
            elif choice is not None:
                value = ("choice", choice)
            elif number is not None:
                value = number
            else:
                value = text
            values.setdefault(ident, {})[attributes.get(attribute, attribute)] = value
        empty: dict[str, object] = {}
        try:
            spans = [
                CodedSpan(
                    ident,
                    coders[coder],
                    doc,
                    categories[category],
                    start,
                    end,
                    values.get(ident, empty),
                )
                for ident, coder, doc, category, start, end, _updated in rows
            ]
        except KeyError as exc:
            raise ProjectError(damaged_message(f"inconsistent rows: {exc!r}")) from exc
        return CodedSpans(spans, {row[0]: row[6] for row in rows}, stored)

    def _reference_targets(
        self, refs: set[str], categories: dict[str, str]
    ) -> dict[str, tuple[object, ...]]:
        """What each referenced annotation compares as: the registry actor it names,
        else its category and span."""
        found: dict[str, tuple[object, ...]] = {}
        for part in chunks(list(refs)):
            places = marks(len(part))
            for ident, category, begin, end in self._query(
                f'SELECT id, category_id, start, "end" FROM annotations WHERE id IN ({places})',
                part,
            ):
                found[ident] = ("span", categories.get(category, ""), begin, end)
            for ident, actor in self._query(
                "SELECT annotation_id, MIN(ref_actor_id) FROM annotation_values"
                f" WHERE annotation_id IN ({places}) AND ref_actor_id IS NOT NULL"
                " GROUP BY annotation_id",
                part,
            ):
                found[ident] = ("actor", actor)
        return found

    def assigned_coders(self, document_id: str | None = None) -> dict[str, frozenset[str]]:
        """Document id → the coders the lead gave it (Team ▸ Prepare Coder Copies):
        coders of the document whether or not they coded anything in it, as the
        agreement report counts them (a unit one of them did not mark lacks theirs)."""
        sql = "SELECT document_id, coder FROM team_documents WHERE assigned_at IS NOT NULL"
        rows = (
            self._query(sql + " AND document_id = ?", (document_id,))
            if document_id is not None
            else self._query(sql)
        )
        found: dict[str, set[str]] = {}
        for document, coder in rows:
            if coder != ADJUDICATED:
                found.setdefault(document, set()).add(coder)
        return {document: frozenset(coders) for document, coders in found.items()}

    def adjudication_documents(self) -> list[str]:
        """The documents with units to adjudicate: coded by two or more coders (the
        adjudicated set left out; a coder given the document counts, as in
        :meth:`assigned_coders`), or holding a decision; in no particular order."""
        skip = self._adjudicated_coder_id()
        found = {
            row[0] for row in self._query("SELECT DISTINCT document_id FROM adjudication_decisions")
        }
        assigned = self.assigned_coders()
        names = dict(self._query("SELECT id, name FROM coders"))
        for document, coders, one in self._query(
            "SELECT document_id, COUNT(DISTINCT coder_id), MIN(coder_id) FROM annotations"
            " WHERE coder_id != ? GROUP BY document_id",
            (skip,),
        ):
            if coders >= 2 or len(assigned.get(document, frozenset()) | {names[one]}) >= 2:
                found.add(document)
        return list(found)

    def decisions(self, document_id: str | None = None) -> list[Decision]:
        """The recorded decisions (of one document), in document then unit order."""
        where = " WHERE document_id = ?" if document_id is not None else ""
        params = (document_id,) if document_id is not None else ()
        members: dict[str, list[Member]] = {}
        member_sql = "SELECT m.unit_key, m.coder, m.annotation_id, m.modified_at"
        member_sql += " FROM adjudication_members m"
        if document_id is not None:
            member_sql += " JOIN adjudication_decisions d ON d.unit_key = m.unit_key"
            member_sql += " WHERE d.document_id = ?"
        for key, coder, ident, modified in self._query(member_sql + " ORDER BY 1, 2", params):
            members.setdefault(key, []).append(Member(coder, ident, modified))
        rows = self._query(
            f"SELECT {_DECISION_COLUMNS} FROM adjudication_decisions{where}"
            " ORDER BY document_id, unit_key",
            params,
        )
        return [
            Decision(
                key,
                doc,
                cat,
                DecisionKind(kind),
                coder,
                vcoder,
                result,
                by,
                at,
                tuple(members.get(key, ())),
            )
            for key, doc, cat, kind, coder, vcoder, result, by, at in rows
        ]

    def decision_for_annotation(self, annotation_id: str) -> Decision | None:
        """The decision of the unit a coder's annotation was settled in, if any."""
        rows = self._query(
            "SELECT d.document_id, d.unit_key FROM adjudication_members m"
            " JOIN adjudication_decisions d ON d.unit_key = m.unit_key"
            " WHERE m.annotation_id = ? LIMIT 1",
            (annotation_id,),
        )
        if not rows:
            return None
        return next(d for d in self.decisions(rows[0][0]) if d.unit_key == rows[0][1])

    def record_settlement(
        self,
        annotations: Sequence[Annotation],
        values: Mapping[str, Sequence[Value]],
        decisions: Sequence[Decision],
    ) -> None:
        """Write the adjudicated annotations (exactly as given: redo puts back the same
        ids), their values, and the decisions, in one transaction."""
        conn = self.db.conn
        rows = [
            tuple(value_row(a.id, v).values())
            for a in annotations
            for v in values.get(a.id, ())
            if not v.is_empty()
        ]
        with self._outermost():
            # The values before their annotations (foreign keys checked at commit): the
            # schema's count triggers then find each annotation complete as it comes,
            # instead of listing it incomplete and taking it off again value by value.
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.executemany(
                "INSERT INTO annotation_values (annotation_id, attribute_id, value_text,"
                " value_number, choice_id, ref_annotation_id, ref_actor_id, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                sorted(rows),
            )
            conn.executemany(
                'INSERT INTO annotations (document_id, start, "end", id, coder_id, category_id,'
                " quote, memo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                sorted(  # in the table's key order: each page is written once
                    (a.document_id, a.start, a.end, a.id, a.coder_id, a.category_id)
                    + (a.quote, a.memo, a.created_at, a.updated_at)
                    for a in annotations
                ),
            )
            conn.executemany(
                f"INSERT INTO adjudication_decisions ({_DECISION_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                sorted(  # in key order, as the annotations: each page written once
                    (
                        d.unit_key,
                        d.document_id,
                        d.category,
                        d.kind.value,
                        d.coder,
                        d.values_coder,
                        d.result_id,
                        d.settled_by,
                        d.settled_at,
                    )
                    for d in decisions
                ),
            )
            conn.executemany(
                "INSERT INTO adjudication_members (unit_key, coder, annotation_id, modified_at)"
                " VALUES (?, ?, ?, ?)",
                sorted(
                    (d.unit_key, m.coder, m.annotation_id, m.modified_at)
                    for d in decisions
                    for m in d.members
                ),
            )

    def withdraw_settlement(self, annotation_ids: Sequence[str], unit_keys: Sequence[str]) -> None:
        """Remove adjudicated annotations (with their values and the values pointing
        at them) and decisions, in one transaction: the undo of a settlement."""
        with self._outermost():
            for part in chunks(list(unit_keys)):
                keys, places = list(part), marks(len(part))
                for table in ("adjudication_members", "adjudication_decisions"):
                    self.db.execute(f"DELETE FROM {table} WHERE unit_key IN ({places})", keys)
            for part in chunks(list(annotation_ids)):
                ids, places = list(part), marks(len(part))
                for column in ("ref_annotation_id", "annotation_id"):
                    self.db.execute(
                        f"DELETE FROM annotation_values WHERE {column} IN ({places})", ids
                    )
                self.db.execute(f"DELETE FROM annotations WHERE id IN ({places})", ids)
