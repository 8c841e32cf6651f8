"""The adjudicated set's records: the coders' spans as matching reads them, and the
decisions that settle units (schema step ``0008_adjudication``).

The adjudicated annotations themselves are ordinary annotations of the coder
``adjudicated``; :meth:`AdjudicationStore.record_settlement` writes them together
with their decisions, in one transaction, and
:meth:`AdjudicationStore.withdraw_settlement` takes both away again (undo).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from annotator.core.adjudication import ADJUDICATED, Decision, DecisionKind, Member
from annotator.core.agreement.units import CodedSpan
from annotator.core.codebook import Value
from annotator.core.model import Annotation
from annotator.store.base import StoreBase

_DECISION_COLUMNS = (
    "unit_key, document_id, category, decision, coder, values_coder, result_annotation_id,"
    " settled_by, settled_at"
)
# A referenced annotation compares as the registry actor it resolves to, else as its span.
_SPAN_VALUES = """
SELECT v.annotation_id, at.key, v.value_text, v.value_number, v.choice_id, v.ref_actor_id,
       v.ref_annotation_id, r.start, r."end", rc.key,
       (SELECT rv.ref_actor_id FROM annotation_values rv
         WHERE rv.annotation_id = v.ref_annotation_id AND rv.ref_actor_id IS NOT NULL
         ORDER BY rv.attribute_id LIMIT 1)
FROM annotation_values v
JOIN annotations a ON a.id = v.annotation_id
JOIN attributes at ON at.id = v.attribute_id
LEFT JOIN annotations r ON r.id = v.ref_annotation_id
LEFT JOIN categories rc ON rc.id = r.category_id
WHERE a.coder_id != ?"""


class CodedSpans:
    """The coders' spans (the adjudicated set left out) and each one's ``updated_at``."""

    def __init__(self, spans: list[CodedSpan], modified: dict[str, str]) -> None:
        self.spans = spans
        self.modified = modified


class AdjudicationStore(StoreBase):
    if TYPE_CHECKING:  # the project's value part provides it

        def _write_values(self, annotation_id: str, values: Iterable[Value]) -> None: ...

    def _adjudicated_coder_id(self) -> str:
        rows = self._query("SELECT id FROM coders WHERE name = ?", (ADJUDICATED,))
        return str(rows[0][0]) if rows else ""

    def coded_spans(self, document_id: str | None = None) -> CodedSpans:
        """Every coder's annotations (of one document) as spans to match, with their
        values in comparable form: a choice by its id, a registry actor as
        ``("actor", id)``, a referenced annotation as the actor it resolves to or else
        ``("span", category, start, end)``."""
        skip = self._adjudicated_coder_id()
        where = " AND a.document_id = ?" if document_id is not None else ""
        params: tuple[str, ...] = (skip,) if document_id is None else (skip, document_id)
        values: dict[str, dict[str, object]] = {}
        for row in self._query(_SPAN_VALUES + where, params):
            ident, key, text, number, choice, actor, ref, r_start, r_end, r_cat, r_actor = row
            value: object
            if actor is not None:
                value = ("actor", actor)
            elif ref is not None:
                value = ("actor", r_actor) if r_actor else ("span", r_cat, r_start, r_end)
            elif choice is not None:
                value = ("choice", choice)
            elif number is not None:
                value = number
            else:
                value = text
            values.setdefault(ident, {})[key] = value
        rows = self._query(
            'SELECT a.id, co.name, a.document_id, ca.key, a.start, a."end", a.updated_at'
            " FROM annotations a JOIN coders co ON co.id = a.coder_id"
            " JOIN categories ca ON ca.id = a.category_id WHERE a.coder_id != ?" + where,
            params,
        )
        empty: dict[str, object] = {}
        spans = [
            CodedSpan(ident, coder, doc, category, start, end, values.get(ident, empty))
            for ident, coder, doc, category, start, end, _updated in rows
        ]
        return CodedSpans(spans, {row[0]: row[6] for row in rows})

    def adjudication_documents(self) -> list[str]:
        """The documents with units to adjudicate: coded by two or more coders (the
        adjudicated set left out), or holding a decision; in no particular order."""
        skip = self._adjudicated_coder_id()
        coders = self._query(
            "SELECT c.id FROM coders c WHERE c.id != ? AND EXISTS"
            " (SELECT 1 FROM annotations a WHERE a.coder_id = c.id)",
            (skip,),
        )
        found = {
            row[0] for row in self._query("SELECT DISTINCT document_id FROM adjudication_decisions")
        }
        if len(coders) >= 2:
            found |= {
                row[0]
                for row in self._query(
                    "SELECT document_id FROM annotations WHERE coder_id != ?"
                    " GROUP BY document_id HAVING COUNT(DISTINCT coder_id) >= 2",
                    (skip,),
                )
            }
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
        with self._transaction():
            self.db.table("annotations").insert_all(
                (
                    {
                        "id": a.id,
                        "document_id": a.document_id,
                        "coder_id": a.coder_id,
                        "category_id": a.category_id,
                        "start": a.start,
                        "end": a.end,
                        "quote": a.quote,
                        "memo": a.memo,
                        "created_at": a.created_at,
                        "updated_at": a.updated_at,
                    }
                    for a in annotations
                ),
                batch_size=500,
            )
            for annotation in annotations:  # after all of them: a value may point at another
                self._write_values(annotation.id, values.get(annotation.id, ()))
            self.db.table("adjudication_decisions").insert_all(
                (
                    {
                        "unit_key": d.unit_key,
                        "document_id": d.document_id,
                        "category": d.category,
                        "decision": d.kind.value,
                        "coder": d.coder,
                        "values_coder": d.values_coder,
                        "result_annotation_id": d.result_id,
                        "settled_by": d.settled_by,
                        "settled_at": d.settled_at,
                    }
                    for d in decisions
                ),
                batch_size=500,
            )
            self.db.table("adjudication_members").insert_all(
                (
                    {
                        "unit_key": d.unit_key,
                        "coder": m.coder,
                        "annotation_id": m.annotation_id,
                        "modified_at": m.modified_at,
                    }
                    for d in decisions
                    for m in d.members
                ),
                batch_size=500,
            )

    def withdraw_settlement(self, annotation_ids: Sequence[str], unit_keys: Sequence[str]) -> None:
        """Remove adjudicated annotations (with their values and the values pointing
        at them) and decisions, in one transaction: the undo of a settlement."""
        with self._transaction():
            for start in range(0, len(unit_keys), 500):
                keys = list(unit_keys[start : start + 500])
                marks = ", ".join("?" * len(keys))
                self.db.execute(
                    f"DELETE FROM adjudication_members WHERE unit_key IN ({marks})", keys
                )
                self.db.execute(
                    f"DELETE FROM adjudication_decisions WHERE unit_key IN ({marks})", keys
                )
            for start in range(0, len(annotation_ids), 500):
                ids = list(annotation_ids[start : start + 500])
                marks = ", ".join("?" * len(ids))
                self.db.execute(
                    f"DELETE FROM annotation_values WHERE ref_annotation_id IN ({marks})", ids
                )
                self.db.execute(
                    f"DELETE FROM annotation_values WHERE annotation_id IN ({marks})", ids
                )
                self.db.execute(f"DELETE FROM annotations WHERE id IN ({marks})", ids)
