"""Reading and editing the codebook: categories, attributes, choices."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from annotator.core.clock import new_id
from annotator.core.codebook import Attribute, Choice, Codebook
from annotator.core.model import Category
from annotator.core.types import ATTRIBUTE_TYPES, attribute_type
from annotator.store.base import StoreBase, known_type
from annotator.store.schema import insert_attributes

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def make_key(label: str) -> str:
    """A column-safe key from a label: ``"Policy field"`` → ``policy_field``. Letters
    outside a–z (Korean, Greek, ß…) cannot be in it: a label that has some ends in a
    short digest of itself, so that two such labels (“출처”, “날짜”) keep apart."""
    folded = label.strip().lower()
    key = re.sub(r"[^a-z0-9]+", "_", folded).strip("_")
    if any(c.isalnum() and not c.isascii() for c in folded):
        digest = hashlib.blake2b(folded.encode("utf-8"), digest_size=3).hexdigest()
        key = f"{key}_{digest}" if key else digest
    return key if key and key[0].isalpha() else f"x_{key}" if key else "unnamed"


class CodebookStore(StoreBase):
    # -- reading ----------------------------------------------------------------
    def categories(self) -> list[Category]:
        rows = self._query(
            "SELECT id, key, label, colour, hotkey, description, position"
            " FROM categories ORDER BY position, key"
        )
        return [Category(*row) for row in rows]

    def category(self, key: str) -> Category:
        for category in self.categories():
            if category.key == key:
                return category
        raise KeyError(f"no category '{key}' in this project")

    def codebook(self) -> Codebook:
        choices: dict[str, list[Choice]] = {}
        for row in self._query(
            "SELECT id, attribute_id, label, code, colour, position FROM choices"
            " ORDER BY position, label"
        ):
            choices.setdefault(row[1], []).append(Choice(*row))
        attributes = [
            Attribute(
                id=row[0],
                category_id=row[1],
                key=row[2],
                label=row[3],
                type=known_type(ATTRIBUTE_TYPES, row[4]),
                required=bool(row[5]),
                description=row[6],
                position=row[7],
                targets=tuple(json.loads(row[8])),
                choices=tuple(choices.get(row[0], ())),
            )
            for row in self._query(
                "SELECT t.id, t.category_id, t.key, t.label, t.type, t.required, t.description,"
                " t.position, t.targets FROM attributes t JOIN categories c"
                " ON c.id = t.category_id ORDER BY c.position, t.position, t.key"
            )
        ]
        return Codebook(tuple(self.categories()), tuple(attributes))

    # -- usage counts (to warn before deleting) ---------------------------------
    def category_usage(self, category_id: str) -> int:
        return self._count("SELECT COUNT(*) FROM annotations WHERE category_id = ?", (category_id,))

    def category_links(self, category_id: str) -> int:
        """Values of other categories' annotations that point at this one's (deleting
        the category removes them)."""
        return self._count(
            "SELECT COUNT(*) FROM annotation_values v"
            " JOIN annotations target ON target.id = v.ref_annotation_id"
            " JOIN annotations owner ON owner.id = v.annotation_id"
            " WHERE target.category_id = ? AND owner.category_id != ?",
            (category_id, category_id),
        )

    def attribute_usage(self, attribute_id: str) -> int:
        """Annotations holding a value of the attribute, or one of its choices as
        another attribute's value (one that takes them: a stance's target and the
        claims' issues); deleting the attribute removes those values."""
        return self._count(
            "SELECT COUNT(DISTINCT annotation_id) FROM annotation_values WHERE attribute_id = ?"
            " OR choice_id IN (SELECT id FROM choices WHERE attribute_id = ?)",
            (attribute_id, attribute_id),
        )

    def choice_usage(self, choice_id: str) -> int:
        return self._count(
            "SELECT COUNT(*) FROM annotation_values WHERE choice_id = ?", (choice_id,)
        )

    # -- categories ---------------------------------------------------------------
    def add_category(
        self, label: str, colour: str, *, key: str = "", hotkey: str = "", description: str = ""
    ) -> Category:
        key = key or make_key(label)
        if not _KEY.match(key):
            raise ValueError(f"“{key}” is not a valid key (lower-case letters, digits, _).")
        existing = {c.key for c in self.categories()}
        base, n = key, 2
        while key in existing:
            key, n = f"{base}_{n}", n + 1
        with self._transaction():
            position = self._query("SELECT COALESCE(MAX(position) + 1, 0) FROM categories")[0][0]
            category_id = new_id()
            self.db.table("categories").insert(
                {
                    "id": category_id,
                    "key": key,
                    "label": label.strip() or key,
                    "colour": colour,
                    "hotkey": hotkey,
                    "description": description,
                    "position": position,
                    "builtin": 0,
                }
            )
        return self.category(key)

    def update_category(self, category_id: str, **fields: str) -> None:
        """Change ``label``, ``colour``, ``hotkey`` or ``description``; the key never changes."""
        allowed = {"label", "colour", "hotkey", "description"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))} of a category")
        if fields:
            with self._transaction():
                self.db.table("categories").update(category_id, fields)

    def delete_category(self, category_id: str) -> int:
        """Delete a category and every annotation of it; returns how many went."""
        with self._transaction():
            ids = [
                r[0]
                for r in self._query(
                    "SELECT id FROM annotations WHERE category_id = ?", (category_id,)
                )
            ]
            self.db.execute("DELETE FROM annotations WHERE category_id = ?", (category_id,))
            self.db.execute("DELETE FROM categories WHERE id = ?", (category_id,))
        return len(ids)

    def reorder(self, table: str, ids: list[str]) -> None:
        """Set the order of categories, attributes or choices to ``ids``."""
        if table not in ("categories", "attributes", "choices"):
            raise ValueError(table)
        with self._transaction():
            for position, ident in enumerate(ids):
                self.db.execute(f"UPDATE {table} SET position = ? WHERE id = ?", (position, ident))

    # -- attributes -----------------------------------------------------------------
    def add_attribute(
        self,
        category_id: str,
        label: str,
        type: str,
        *,
        key: str = "",
        required: bool = False,
        description: str = "",
        targets: tuple[str, ...] | list[str] = (),
        choices: list[dict[str, Any]] | None = None,
    ) -> Attribute:
        key = key or make_key(label)
        taken = {
            r[0]
            for r in self._query("SELECT key FROM attributes WHERE category_id = ?", (category_id,))
        }
        base, n = key, 2
        while key in taken:
            key, n = f"{base}_{n}", n + 1
        definition = {
            "key": key,
            "label": label.strip() or key,
            "type": attribute_type(type).name,
            "required": required,
            "description": description,
            "targets": list(targets),
            "choices": choices or [],
        }
        with self._transaction():
            insert_attributes(self.db, category_id, [definition])
        codebook = self.codebook()
        return next(a for a in codebook.attributes if a.category_id == category_id and a.key == key)

    def update_attribute(self, attribute_id: str, **fields: object) -> None:
        """Change ``label``, ``required``, ``description`` or ``targets``."""
        allowed = {"label", "required", "description", "targets"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))} of an attribute")
        row = dict(fields)
        if "targets" in row:
            targets = row["targets"]
            if not isinstance(targets, Iterable):
                raise TypeError(f"'{type(targets).__name__}' object is not iterable")
            row["targets"] = json.dumps(list(targets))
        if "required" in row:
            row["required"] = int(bool(row["required"]))
        if row:
            with self._transaction():
                self.db.table("attributes").update(attribute_id, row)

    def delete_attribute(self, attribute_id: str) -> int:
        """Delete an attribute and its values; returns how many values went."""
        used = self.attribute_usage(attribute_id)
        with self._transaction():
            self.db.execute("DELETE FROM attributes WHERE id = ?", (attribute_id,))
        return used

    # -- choices ------------------------------------------------------------------------
    def add_choice(
        self, attribute_id: str, label: str, *, code: float | None = None, colour: str = ""
    ) -> Choice:
        label = label.strip()
        if not label:
            raise ValueError("A choice needs a label.")
        with self._transaction():
            position = self._query(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM choices WHERE attribute_id = ?",
                (attribute_id,),
            )[0][0]
            choice = Choice(new_id(), attribute_id, label, code, colour, position)
            self.db.table("choices").insert(
                {
                    "id": choice.id,
                    "attribute_id": attribute_id,
                    "label": label,
                    "code": code,
                    "colour": colour,
                    "position": position,
                }
            )
        return choice

    def update_choice(self, choice_id: str, **fields: object) -> None:
        """Change ``label``, ``code`` or ``colour``."""
        unknown = set(fields) - {"label", "code", "colour"}
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))} of a choice")
        if fields:
            with self._transaction():
                self.db.table("choices").update(choice_id, fields)

    def delete_choice(self, choice_id: str) -> int:
        """Delete a choice; values that used it are cleared. Returns how many."""
        used = self.choice_usage(choice_id)
        with self._transaction():
            self.db.execute("DELETE FROM choices WHERE id = ?", (choice_id,))
        return used
