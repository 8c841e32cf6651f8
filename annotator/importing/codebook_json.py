"""Share a codebook between projects as JSON (the shape of resources/codebook.json).

:func:`export_codebook` writes the project's codebook; :func:`import_codebook`
merges such a file into a project by key: categories by key, attributes by
category and key, choices by label. It adds what is missing, updates what
differs, takes over the file's order, and never deletes anything. The whole file
is checked before anything changes, and the merge is one transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from annotator.core.codebook import Attribute, Choice, Codebook
from annotator.core.model import Category
from annotator.importing.codebook_spec import (
    FORMAT,
    VERSION,
    AttributeSpec,
    CategorySpec,
    ChoiceSpec,
    read_codebook_file,
)
from annotator.ops import codebook as codebook_ops
from annotator.ops.changes import Result, combined
from annotator.store.errors import ProjectError, plain_message
from annotator.store.project import Project

DEFAULT_COLOUR = "#9ca3af"
T = TypeVar("T")

__all__ = ["FORMAT", "VERSION", "ImportSummary", "export_codebook", "import_codebook"]


@dataclass(frozen=True)
class ImportSummary:
    """What :func:`import_codebook` changed."""

    categories_added: int = 0
    categories_updated: int = 0
    attributes_added: int = 0
    attributes_updated: int = 0
    choices_added: int = 0
    choices_updated: int = 0
    reordered: bool = False  # the file's order was taken over somewhere

    @property
    def changed(self) -> bool:
        return self.reordered or any(
            (
                self.categories_added,
                self.categories_updated,
                self.attributes_added,
                self.attributes_updated,
                self.choices_added,
                self.choices_updated,
            )
        )

    def __str__(self) -> str:
        def counts(categories: int, attributes: int, choices: int) -> str:
            words = (
                (categories, "category", "categories"),
                (attributes, "attribute", "attributes"),
                (choices, "choice", "choices"),
            )
            return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in words if n)

        added = counts(self.categories_added, self.attributes_added, self.choices_added)
        updated = counts(self.categories_updated, self.attributes_updated, self.choices_updated)
        parts = [f"added {added}" if added else "", f"updated {updated}" if updated else ""]
        if self.reordered:
            parts.append("took over the file's order")
        text = "; ".join(p for p in parts if p)
        return f"{text[0].upper()}{text[1:]}." if text else "The codebook was already up to date."


# -- export ---------------------------------------------------------------------------
def _code(code: float | None) -> int | float | None:
    if code is None:
        return None
    return int(code) if float(code).is_integer() else float(code)


def codebook_document(codebook: Codebook) -> dict[str, Any]:
    """The codebook as the JSON document :func:`export_codebook` writes."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "categories": [
            {
                "key": category.key,
                "label": category.label,
                "colour": category.colour,
                "hotkey": category.hotkey,
                "description": category.description,
                "attributes": [
                    {
                        "key": a.key,
                        "label": a.label,
                        "type": str(a.type),
                        "required": a.required,
                        "description": a.description,
                        "targets": list(a.targets),
                        "choices": [
                            {"label": c.label, "code": _code(c.code), "colour": c.colour}
                            for c in a.choices
                        ],
                    }
                    for a in codebook.attributes_of(category.key)
                ],
            }
            for category in codebook.categories
        ],
    }


def export_codebook(project: Project, path: str | Path) -> Path:
    """Write the project's codebook to ``path`` (UTF-8 JSON), replacing it only
    once the new file is complete."""
    path = Path(path)
    text = json.dumps(codebook_document(project.codebook()), indent=2, ensure_ascii=False)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# -- import ---------------------------------------------------------------------------
def merged_order(current: list[str], wanted: list[str]) -> list[str]:
    """``wanted`` in its order, with ids only ``current`` has kept after the item
    they followed (or at the start if nothing in ``wanted`` came before them)."""
    in_wanted = set(wanted)
    leading: list[str] = []
    after: dict[str, list[str]] = {}
    anchor: str | None = None
    for ident in current:
        if ident in in_wanted:
            anchor = ident
        elif anchor is None:
            leading.append(ident)
        else:
            after.setdefault(anchor, []).append(ident)
    result = list(leading)
    for ident in wanted:
        result.append(ident)
        result.extend(after.get(ident, ()))
    return result


def _changes(current: object, wanted: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in wanted.items() if getattr(current, name) != value}


def _check_types(project: Project, categories: tuple[CategorySpec, ...]) -> None:
    codebook = project.codebook()
    for category in categories:
        for spec in category.attributes:
            existing = codebook.attribute(category.key, spec.key)
            if existing is not None and existing.type != spec.type:
                raise ValueError(
                    f"The attribute “{category.key}.{spec.key}” is a {str(existing.type)}"
                    f" attribute in this project but a {str(spec.type)} attribute in the file;"
                    " its type cannot change. Nothing was imported."
                )


class _Merge:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.counts = dict.fromkeys(
            (
                "categories_added",
                "categories_updated",
                "attributes_added",
                "attributes_updated",
                "choices_added",
                "choices_updated",
            ),
            0,
        )
        self.reordered = False
        self.results: list[Result[Any]] = []  # every change made, in order (for undo)

    def _did(self, result: Result[T]) -> T:
        self.results.append(result)
        return result.value

    def category(self, spec: CategorySpec, existing: Category | None) -> Category:
        if existing is None:
            self.counts["categories_added"] += 1
            return self._did(
                codebook_ops.add_category(
                    self.project,
                    spec.fields.get("label", spec.key),
                    spec.fields.get("colour", DEFAULT_COLOUR),
                    key=spec.key,
                    hotkey=spec.fields.get("hotkey", ""),
                    description=spec.fields.get("description", ""),
                )
            )
        changes = _changes(existing, spec.fields)
        if changes:
            self.counts["categories_updated"] += 1
            self._did(codebook_ops.update_category(self.project, existing.id, **changes))
        return existing

    def attribute(self, spec: AttributeSpec, existing: Attribute | None, category_id: str) -> None:
        if existing is None:
            self.counts["attributes_added"] += 1
            self.counts["choices_added"] += len(spec.choices)
            self._did(
                codebook_ops.add_attribute(
                    self.project,
                    category_id,
                    spec.fields.get("label", spec.key),
                    spec.type,
                    key=spec.key,
                    required=spec.fields.get("required", False),
                    description=spec.fields.get("description", ""),
                    targets=spec.fields.get("targets", ()),
                    choices=[{"label": c.label, **c.fields} for c in spec.choices],
                )
            )
            return
        changes = _changes(existing, spec.fields)
        if changes:
            self.counts["attributes_updated"] += 1
            self._did(codebook_ops.update_attribute(self.project, existing.id, **changes))
        by_label = {c.label.strip(): c for c in existing.choices}
        for choice in spec.choices:
            self.choice(choice, by_label.get(choice.label), existing.id)

    def choice(self, spec: ChoiceSpec, existing: Choice | None, attribute_id: str) -> None:
        if existing is None:
            self.counts["choices_added"] += 1
            self._did(
                codebook_ops.add_choice(
                    self.project,
                    attribute_id,
                    spec.label,
                    code=spec.fields.get("code"),
                    colour=spec.fields.get("colour", ""),
                )
            )
            return
        changes = _changes(existing, spec.fields)
        if changes:
            self.counts["choices_updated"] += 1
            self._did(codebook_ops.update_choice(self.project, existing.id, **changes))

    def reorder(self, table: codebook_ops.Table, current: list[str], wanted: list[str]) -> None:
        order = merged_order(current, wanted)
        if order != current:
            self.reordered = True
            self._did(codebook_ops.reorder(self.project, table, order))

    def order(self, categories: tuple[CategorySpec, ...]) -> None:
        """Take over the file's order of categories, attributes and choices."""
        codebook = self.project.codebook()
        by_key = {c.key: c for c in codebook.categories}
        self.reorder(
            "categories",
            [c.id for c in codebook.categories],
            [by_key[c.key].id for c in categories],
        )
        for category in categories:
            attributes = {a.key: a for a in codebook.attributes_of(category.key)}
            self.reorder(
                "attributes",
                [a.id for a in attributes.values()],
                [attributes[a.key].id for a in category.attributes],
            )
            for spec in category.attributes:
                choices = {c.label.strip(): c.id for c in attributes[spec.key].choices}
                self.reorder(
                    "choices", list(choices.values()), [choices[c.label] for c in spec.choices]
                )

    def summary(self) -> ImportSummary:
        return ImportSummary(**self.counts, reordered=self.reordered)


def import_codebook(project: Project, path: str | Path) -> ImportSummary:
    """Merge the codebook file at ``path`` into ``project`` (see the module doc).

    A file that is not a codebook, comes from a newer version, holds invalid
    values or would change an attribute's type raises ``ValueError`` and changes
    nothing.
    """
    return merge_codebook(project, path).value


def merge_codebook(project: Project, path: str | Path) -> Result[ImportSummary]:
    """:func:`import_codebook` as an operation: what it changed, and its undo."""
    spec = read_codebook_file(path)
    _check_types(project, spec.categories)
    merge = _Merge(project)
    try:
        with project.db.atomic():  # the store's own transactions nest as savepoints
            codebook = project.codebook()
            current = {c.key: c for c in codebook.categories}
            for category_spec in spec.categories:
                category = merge.category(category_spec, current.get(category_spec.key))
                for attribute_spec in category_spec.attributes:
                    existing = codebook.attribute(category_spec.key, attribute_spec.key)
                    merge.attribute(attribute_spec, existing, category.id)
            merge.order(spec.categories)
    except sqlite3.Error as exc:
        raise ProjectError(plain_message(exc)) from exc
    return combined(merge.summary(), merge.results)
