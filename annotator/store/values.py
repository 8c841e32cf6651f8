"""Attribute values on annotations, and which annotations still lack one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotator.core.clock import utc_now
from annotator.core.codebook import Codebook, Value
from annotator.core.types import Target, Where, attribute_type
from annotator.store.base import StoreBase

VALUE_COLUMNS = "attribute_id, value_text, value_number, choice_id, ref_annotation_id, ref_actor_id"


def value_row(annotation_id: str, value: Value) -> dict[str, object]:
    return {
        "annotation_id": annotation_id,
        "attribute_id": value.attribute_id,
        "value_text": value.text,
        "value_number": value.number,
        "choice_id": value.choice_id,
        "ref_annotation_id": value.annotation_id,
        "ref_actor_id": value.actor_id,
        "updated_at": utc_now(),
    }


class ValueStore(StoreBase):
    if TYPE_CHECKING:  # the project's codebook part provides it

        def codebook(self) -> Codebook: ...

    def values(self, annotation_id: str) -> dict[str, Value]:
        """The annotation's values by attribute id."""
        rows = self._query(
            f"SELECT {VALUE_COLUMNS} FROM annotation_values WHERE annotation_id = ?",
            (annotation_id,),
        )
        return {row[0]: Value(*row) for row in rows}

    def values_for_document(self, document_id: str | None = None) -> dict[str, dict[str, Value]]:
        """Values of every annotation (of one document), by annotation id then attribute id."""
        sql = f"SELECT v.annotation_id, {VALUE_COLUMNS} FROM annotation_values v"
        params: tuple[str, ...] = ()
        if document_id is not None:
            sql += " JOIN annotations a ON a.id = v.annotation_id WHERE a.document_id = ?"
            params = (document_id,)
        result: dict[str, dict[str, Value]] = {}
        for row in self._query(sql, params):
            result.setdefault(row[0], {})[row[1]] = Value(*row[1:])
        return result

    def _write_values(self, annotation_id: str, values: Iterable[Value]) -> None:
        rows = [value_row(annotation_id, v) for v in values if not v.is_empty()]
        if rows:
            self.db.table("annotation_values").insert_all(rows, replace=True)

    def set_value(
        self,
        annotation_id: str,
        value: Value,
        *,
        updated_at: str | None = None,
        restore: bool = False,
    ) -> Value | None:
        """Set (or, with an empty value, clear) one attribute; returns the previous value.

        The annotation's ``updated_at`` becomes now, or ``updated_at`` when given
        (undo puts back the time the annotation had before). The value must fit
        the attribute's type, unless ``restore`` puts back one the store held
        before (undo: a file written elsewhere may hold values the types refuse).
        """
        self._check_values(annotation_id, [value], types=not restore)
        previous = self.values(annotation_id).get(value.attribute_id)
        with self._transaction():
            self.db.execute(
                "DELETE FROM annotation_values WHERE annotation_id = ? AND attribute_id = ?",
                (annotation_id, value.attribute_id),
            )
            self._write_values(annotation_id, [value])
            self.db.execute(
                "UPDATE annotations SET updated_at = ? WHERE id = ?",
                (updated_at or utc_now(), annotation_id),
            )
        return previous

    def set_memo(self, annotation_id: str, memo: str, *, updated_at: str | None = None) -> str:
        """Replace the annotation's memo; returns the previous memo (``updated_at``
        as in :meth:`set_value`)."""
        rows = self._query("SELECT memo FROM annotations WHERE id = ?", (annotation_id,))
        if not rows:
            raise KeyError(f"no annotation '{annotation_id}'")
        with self._transaction():
            self.db.execute(
                "UPDATE annotations SET memo = ?, updated_at = ? WHERE id = ?",
                (memo, updated_at or utc_now(), annotation_id),
            )
        previous: str = rows[0][0]  # memo TEXT NOT NULL
        return previous

    def _check_values(
        self, annotation_id: str, values: Iterable[Value], *, types: bool = True
    ) -> None:
        """Refuse (``ValueError``, naming the attribute) a value that does not fit its
        attribute: one of another category, or (``types``) one its type does not accept."""
        values = list(values)
        if not values:
            return
        rows = self._query(
            "SELECT a.document_id, a.category_id FROM annotations a WHERE a.id = ?",
            (annotation_id,),
        )
        codebook = self.codebook()
        for value in values:
            attribute = next((a for a in codebook.attributes if a.id == value.attribute_id), None)
            if not rows or attribute is None or attribute.category_id != rows[0][1]:
                raise ValueError("That attribute does not belong to the annotation's category.")
            if value.is_empty() or not types:  # clearing is always allowed
                continue
            where = Where(codebook, annotation_id, rows[0][0], self._target, self._actor_exists)
            attribute_type(attribute.type).check(attribute, value, where)

    def _target(self, annotation_id: str) -> Target | None:
        rows = self._query(
            "SELECT c.key, a.document_id FROM annotations a JOIN categories c"
            " ON c.id = a.category_id WHERE a.id = ?",
            (annotation_id,),
        )
        return Target(*rows[0]) if rows else None

    def _actor_exists(self, actor_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM actors WHERE id = ?", (actor_id,)))

    def incomplete_ids(self, document_id: str | None = None) -> set[str]:
        """Annotations (of one document) that lack a value for a required attribute:
        the rule of core.completeness, which the schema's triggers apply to every
        write (``incomplete_annotations``, store.schema step 5)."""
        if document_id is None:
            return {
                row[0] for row in self._query("SELECT annotation_id FROM incomplete_annotations")
            }
        return {
            row[0]
            for row in self._query(
                "SELECT annotation_id FROM incomplete_annotations WHERE document_id = ?",
                (document_id,),
            )
        }

    def incoming_references(self, annotation_id: str) -> list[tuple[str, Value]]:
        """``(annotation_id, value)`` of every value that points at this annotation."""
        rows = self._query(
            f"SELECT annotation_id, {VALUE_COLUMNS} FROM annotation_values"
            " WHERE ref_annotation_id = ?",
            (annotation_id,),
        )
        return [(row[0], Value(*row[1:])) for row in rows]
