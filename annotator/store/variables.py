"""Document variables: project-defined, typed metadata on each document."""

from __future__ import annotations

import json

from annotator.core.clock import new_id
from annotator.core.model import Variable, VariableType
from annotator.core.types import VARIABLE_TYPES, variable_type
from annotator.store.base import StoreBase, known_type
from annotator.store.codebook import make_key


def check_variable_value(variable: Variable, value: str) -> str:
    """The value as stored, or ``ValueError`` saying why it does not fit the type."""
    return variable_type(variable.type).check(variable, value)


class VariableStore(StoreBase):
    def variables(self) -> list[Variable]:
        rows = self._query(
            "SELECT id, key, label, type, choices, position FROM variables ORDER BY position, key"
        )
        return [
            Variable(
                row[0],
                row[1],
                row[2],
                known_type(VARIABLE_TYPES, row[3]),
                tuple(json.loads(row[4])),
                row[5],
            )
            for row in rows
        ]

    def variable(self, key: str) -> Variable:
        for variable in self.variables():
            if variable.key == key:
                return variable
        raise KeyError(f"no document variable '{key}'")

    def add_variable(
        self,
        label: str,
        type: str = VariableType.TEXT,
        *,
        key: str = "",
        choices: tuple[str, ...] | list[str] = (),
    ) -> Variable:
        key = key or make_key(label)
        taken = {v.key for v in self.variables()}
        base, n = key, 2
        while key in taken:
            key, n = f"{base}_{n}", n + 1
        with self._transaction():
            position = self._query("SELECT COALESCE(MAX(position) + 1, 0) FROM variables")[0][0]
            self.db.table("variables").insert(
                {
                    "id": new_id(),
                    "key": key,
                    "label": label.strip() or key,
                    "type": variable_type(type).name,
                    "choices": json.dumps([c.strip() for c in choices if c.strip()]),
                    "position": position,
                }
            )
        return self.variable(key)

    def update_variable(self, variable_id: str, **fields: object) -> None:
        """Change ``label`` or ``choices``; the key and type never change."""
        unknown = set(fields) - {"label", "choices"}
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))} of a variable")
        row = dict(fields)
        if "choices" in row:
            row["choices"] = json.dumps(list(row["choices"]))  # type: ignore[call-overload]
        if row:
            with self._transaction():
                self.db.table("variables").update(variable_id, row)

    def delete_variable(self, variable_id: str) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM variables WHERE id = ?", (variable_id,))

    def document_variables(self, document_id: str) -> dict[str, str]:
        """The document's variable values by variable key."""
        return dict(
            self._query(
                "SELECT v.key, dv.value FROM document_values dv JOIN variables v"
                " ON v.id = dv.variable_id WHERE dv.document_id = ?",
                (document_id,),
            )
        )

    def all_document_variables(self) -> dict[str, dict[str, str]]:
        """Every document's variable values: document id → variable key → value."""
        result: dict[str, dict[str, str]] = {}
        for doc_id, key, value in self._query(
            "SELECT dv.document_id, v.key, dv.value FROM document_values dv JOIN variables v"
            " ON v.id = dv.variable_id"
        ):
            result.setdefault(doc_id, {})[key] = value
        return result

    def set_document_variables(
        self, document_id: str, values: dict[str, str | None], *, restore: bool = False
    ) -> None:
        """Set variables by key (empty or ``None`` clears one), all in one transaction.

        Every value is checked against its variable's type first; nothing is
        written if one does not fit. ``restore``: values the document held before (an
        undo) go back as they were, whatever the variable allows now.
        """
        variables = {v.key: v for v in self.variables()}
        checked: dict[str, str | None] = {}
        for key, value in values.items():
            if key not in variables:
                raise KeyError(f"no document variable '{key}'")
            text = (value or "").strip()
            if restore:
                checked[key] = value or None
                continue
            checked[key] = check_variable_value(variables[key], text) if text else None
        with self._transaction():
            for key, value in checked.items():
                variable_id = variables[key].id
                self.db.execute(
                    "DELETE FROM document_values WHERE document_id = ? AND variable_id = ?",
                    (document_id, variable_id),
                )
                if value is not None:
                    self.db.table("document_values").insert(
                        {"document_id": document_id, "variable_id": variable_id, "value": value}
                    )
