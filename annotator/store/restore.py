"""What undo needs from the store: the rows a deletion takes with it, read
beforehand, and putting deleted rows back exactly as they were (same ids,
keys and positions), so that later steps that refer to them work again."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping

from annotator.core.codebook import Attribute, Choice, Value
from annotator.core.model import Category, Variable
from annotator.store.base import StoreBase
from annotator.store.values import VALUE_COLUMNS, value_row


def _marks(ids: Collection[str]) -> str:
    return ", ".join("?" * len(ids))


class RestoreStore(StoreBase):
    # -- reading what a deletion takes with it ----------------------------------------
    def values_referring(
        self,
        *,
        attribute_ids: Collection[str] = (),
        choice_ids: Collection[str] = (),
        actor_ids: Collection[str] = (),
    ) -> list[tuple[str, Value]]:
        """``(annotation_id, value)`` of every value of these attributes, or that
        holds one of these choices or points to one of these actors."""
        where: list[str] = []
        params: list[str] = []
        for column, ids in (
            ("attribute_id", attribute_ids),
            ("choice_id", choice_ids),
            ("ref_actor_id", actor_ids),
        ):
            if ids:
                where.append(f"{column} IN ({_marks(ids)})")
                params.extend(ids)
        if not where:
            return []
        rows = self._query(
            f"SELECT annotation_id, {VALUE_COLUMNS} FROM annotation_values"
            f" WHERE {' OR '.join(where)}"
            " ORDER BY annotation_id, attribute_id",
            params,
        )
        return [(row[0], Value(*row[1:])) for row in rows]

    def annotation_documents(self, annotation_ids: Collection[str]) -> dict[str, str]:
        """Annotation id → its document's id (unknown ids are left out)."""
        if not annotation_ids:
            return {}
        ids = list(annotation_ids)
        return dict(
            self._query(f"SELECT id, document_id FROM annotations WHERE id IN ({_marks(ids)})", ids)
        )

    def category_annotation_ids(self, category_id: str) -> list[str]:
        """The ids of the annotations of this category, in document and text order."""
        return [
            row[0]
            for row in self._query(
                "SELECT id FROM annotations WHERE category_id = ?"
                ' ORDER BY document_id, start, "end", id',
                (category_id,),
            )
        ]

    def category_is_builtin(self, category_id: str) -> bool:
        rows = self._query("SELECT builtin FROM categories WHERE id = ?", (category_id,))
        return bool(rows and rows[0][0])

    def variable_values(self, variable_id: str) -> dict[str, str]:
        """Document id → the document's value of this variable."""
        return dict(
            self._query(
                "SELECT document_id, value FROM document_values WHERE variable_id = ?"
                " ORDER BY document_id",
                (variable_id,),
            )
        )

    # -- putting rows back ------------------------------------------------------------------
    def restore_values(self, rows: Iterable[tuple[str, Value]]) -> None:
        """Write these ``(annotation_id, value)`` rows as they are."""
        records = [value_row(annotation_id, value) for annotation_id, value in rows]
        if records:
            with self._transaction():
                self.db.table("annotation_values").insert_all(records, replace=True)

    def restore_category(self, category: Category, *, builtin: bool = False) -> None:
        """Insert a deleted category as it was (its attributes come back separately)."""
        with self._transaction():
            self.db.table("categories").insert(
                {
                    "id": category.id,
                    "key": category.key,
                    "label": category.label,
                    "colour": category.colour,
                    "hotkey": category.hotkey,
                    "description": category.description,
                    "position": category.position,
                    "builtin": int(builtin),
                }
            )

    def restore_attribute(self, attribute: Attribute) -> None:
        """Insert a deleted attribute as it was, with its choices."""
        with self._transaction():
            self.db.table("attributes").insert(
                {
                    "id": attribute.id,
                    "category_id": attribute.category_id,
                    "key": attribute.key,
                    "label": attribute.label,
                    "type": str(attribute.type),
                    "required": int(attribute.required),
                    "description": attribute.description,
                    "targets": json.dumps(list(attribute.targets)),
                    "position": attribute.position,
                }
            )
            for choice in attribute.choices:
                self.restore_choice(choice)

    def restore_choice(self, choice: Choice) -> None:
        with self._transaction():
            self.db.table("choices").insert(
                {
                    "id": choice.id,
                    "attribute_id": choice.attribute_id,
                    "label": choice.label,
                    "code": choice.code,
                    "colour": choice.colour,
                    "position": choice.position,
                }
            )

    def restore_variable(self, variable: Variable, values: Mapping[str, str]) -> None:
        """Insert a deleted document variable as it was, with every document's value."""
        with self._transaction():
            self.db.table("variables").insert(
                {
                    "id": variable.id,
                    "key": variable.key,
                    "label": variable.label,
                    "type": str(variable.type),
                    "choices": json.dumps(list(variable.choices)),
                    "position": variable.position,
                }
            )
            rows = [
                {"document_id": doc_id, "variable_id": variable.id, "value": value}
                for doc_id, value in values.items()
            ]
            if rows:
                self.db.table("document_values").insert_all(rows)
