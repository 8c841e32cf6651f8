"""Editing the codebook: categories, attributes and choices, all undoable.

A deletion takes with it what depends on the deleted item (a category's
annotations, an attribute's values, the values that held a choice); its result
holds all of that, and undo puts it back under the same ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from annotator.core.codebook import Attribute, Choice, Value
from annotator.core.model import Category
from annotator.ops import values
from annotator.ops.changes import Changes, Kind, Result, added, changed, combined, removed
from annotator.store.project import Deletion, Project

CATEGORY_FIELDS = ("label", "colour", "hotkey", "description")
ATTRIBUTE_FIELDS = ("label", "required", "description", "targets")
CHOICE_FIELDS = ("label", "code", "colour")
Table = Literal["categories", "attributes", "choices"]
_KINDS: dict[str, Kind] = {"categories": "category", "attributes": "attribute", "choices": "choice"}

ValueRows = tuple[tuple[str, Value], ...]  # (annotation_id, value)


@dataclass(frozen=True)
class CategoryRemoval:
    """A deleted category with all it took along."""

    category: Category
    builtin: bool
    attributes: tuple[Attribute, ...]  # with their choices
    deletions: tuple[Deletion, ...]  # its annotations, their values and the links to them
    values: ValueRows  # values of other annotations that held one of its choices


@dataclass(frozen=True)
class AttributeRemoval:
    attribute: Attribute  # with its choices
    values: ValueRows  # its values, and values elsewhere that held one of its choices


@dataclass(frozen=True)
class ChoiceRemoval:
    choice: Choice
    values: ValueRows  # the values that held it


# -- looking items up by id ---------------------------------------------------------------
def category_by_id(project: Project, category_id: str) -> Category:
    for category in project.categories():
        if category.id == category_id:
            return category
    raise KeyError(f"no category '{category_id}' in this project")


def attribute_by_id(project: Project, attribute_id: str) -> Attribute:
    for attribute in project.codebook().attributes:
        if attribute.id == attribute_id:
            return attribute
    raise KeyError(f"no attribute '{attribute_id}' in this project")


def choice_by_id(project: Project, choice_id: str) -> Choice:
    choice = project.codebook().choice(choice_id)
    if choice is None:
        raise KeyError(f"no choice '{choice_id}' in this project")
    return choice


def _previous(
    record: object, names: Sequence[str], fields: Mapping[str, object]
) -> dict[str, object]:
    return {name: getattr(record, name) for name in fields if name in names}


def _values_changed(project: Project, rows: ValueRows | Sequence[str]) -> Changes:
    ids = {row if isinstance(row, str) else row[0] for row in rows}
    return changed("values", ids) | changed("document", project.annotation_documents(ids).values())


# -- categories -------------------------------------------------------------------------------
def add_category(
    project: Project,
    label: str,
    colour: str,
    *,
    key: str = "",
    hotkey: str = "",
    description: str = "",
) -> Result[Category]:
    with project._transaction():
        category = project.add_category(
            label, colour, key=key, hotkey=hotkey, description=description
        )
    return Result(
        category, added("category", [category.id]), lambda p: delete_category(p, category.id)
    )


def update_category(project: Project, category_id: str, **fields: str) -> Result[Category]:
    """Change ``label``, ``colour``, ``hotkey`` or ``description``; the key never changes."""
    with project._transaction():
        before = category_by_id(project, category_id)
        project.update_category(category_id, **fields)
        after = category_by_id(project, category_id)
    previous = {k: str(v) for k, v in _previous(before, CATEGORY_FIELDS, fields).items()}
    return Result(
        after,
        changed("category", [category_id]),
        lambda p: update_category(p, category_id, **previous),
    )


def delete_category(project: Project, category_id: str) -> Result[CategoryRemoval]:
    """Delete a category, its attributes and every annotation of it."""
    with project._transaction():
        category = category_by_id(project, category_id)
        builtin = project.category_is_builtin(category_id)
        attributes = tuple(a for a in project.codebook().attributes if a.category_id == category_id)
        deletions = tuple(project.delete_annotations(project.category_annotation_ids(category_id)))
        choice_ids = [c.id for a in attributes for c in a.choices]
        held = tuple(project.values_referring(choice_ids=choice_ids))
        project.delete_category(category_id)
        gone = {d.annotation.id for d in deletions}
        owners = {o for d in deletions for o, _ in d.incoming if o not in gone}
        values = _values_changed(project, [*owners, *(row[0] for row in held)])
    removal = CategoryRemoval(category, builtin, attributes, deletions, held)
    changes = (
        removed("category", [category_id])
        | removed("attribute", [a.id for a in attributes])
        | removed("choice", choice_ids)
        | removed("annotation", gone)
        | changed("document", {d.annotation.document_id for d in deletions})
        | values
    )
    return Result(removal, changes, lambda p: restore_category(p, removal))


def restore_category(project: Project, removal: CategoryRemoval) -> Result[Category]:
    """Undo :func:`delete_category`: the category, its attributes, annotations and values."""
    category = removal.category
    deletions = list(removal.deletions)
    with project._transaction():
        project.restore_category(category, builtin=removal.builtin)
        for attribute in removal.attributes:
            project.restore_attribute(attribute)
        project.restore_deletions(deletions)
        project.restore_values(removal.values)
        gone = {d.annotation.id for d in deletions}
        owners = {o for d in deletions for o, _ in d.incoming if o not in gone}
        values = _values_changed(project, [*owners, *(row[0] for row in removal.values)])
    changes = (
        added("category", [category.id])
        | added("attribute", [a.id for a in removal.attributes])
        | added("choice", [c.id for a in removal.attributes for c in a.choices])
        | added("annotation", gone)
        | changed("document", {d.annotation.document_id for d in deletions})
        | values
    ).with_records(
        annotations=[d.annotation for d in deletions],
        annotation_values={
            d.annotation.id: {v.attribute_id: v for v in d.values} for d in deletions
        },
    )
    return Result(category, changes, lambda p: delete_category(p, category.id))


def reorder(project: Project, table: Table, ids: Sequence[str]) -> Result[list[str]]:
    """Put these categories, attributes or choices (siblings) in this order; the
    value is their order before."""
    if table not in _KINDS:
        raise ValueError(table)
    with project._transaction():
        codebook = project.codebook()
        listing = {
            "categories": [c.id for c in codebook.categories],
            "attributes": [a.id for a in codebook.attributes],
            "choices": [c.id for a in codebook.attributes for c in a.choices],
        }[table]
        wanted = set(ids)
        previous = [ident for ident in listing if ident in wanted]
        project.reorder(table, list(ids))
    return Result(previous, changed(_KINDS[table], ids), lambda p: reorder(p, table, previous))


# -- attributes ----------------------------------------------------------------------------------
def add_attribute(
    project: Project,
    category_id: str,
    label: str,
    type: str,
    *,
    key: str = "",
    required: bool = False,
    description: str = "",
    targets: Sequence[str] = (),
    choices: Sequence[Mapping[str, object]] = (),
) -> Result[Attribute]:
    with project._transaction():
        attribute = project.add_attribute(
            category_id,
            label,
            type,
            key=key,
            required=required,
            description=description,
            targets=tuple(targets),
            choices=[dict(choice) for choice in choices],
        )
    changes = added("attribute", [attribute.id]) | added(
        "choice", [c.id for c in attribute.choices]
    )
    return Result(attribute, changes, lambda p: delete_attribute(p, attribute.id))


def update_attribute(project: Project, attribute_id: str, **fields: object) -> Result[Attribute]:
    """Change ``label``, ``required``, ``description`` or ``targets``."""
    with project._transaction():
        before = attribute_by_id(project, attribute_id)
        project.update_attribute(attribute_id, **fields)
        after = attribute_by_id(project, attribute_id)
    previous = _previous(before, ATTRIBUTE_FIELDS, fields)
    return Result(
        after,
        changed("attribute", [attribute_id]),
        lambda p: update_attribute(p, attribute_id, **previous),
    )


def delete_attribute(project: Project, attribute_id: str) -> Result[AttributeRemoval]:
    """Delete an attribute, its choices and its values."""
    with project._transaction():
        attribute = attribute_by_id(project, attribute_id)
        choice_ids = [c.id for c in attribute.choices]
        held = tuple(project.values_referring(attribute_ids=[attribute_id], choice_ids=choice_ids))
        project.delete_attribute(attribute_id)
        values = _values_changed(project, held)
    removal = AttributeRemoval(attribute, held)
    changes = removed("attribute", [attribute_id]) | removed("choice", choice_ids) | values
    return Result(removal, changes, lambda p: restore_attribute(p, removal))


def restore_attribute(project: Project, removal: AttributeRemoval) -> Result[Attribute]:
    attribute = removal.attribute
    with project._transaction():
        project.restore_attribute(attribute)
        project.restore_values(removal.values)
        values = _values_changed(project, removal.values)
    changes = (
        added("attribute", [attribute.id])
        | added("choice", [c.id for c in attribute.choices])
        | values
    )
    return Result(attribute, changes, lambda p: delete_attribute(p, attribute.id))


# -- choices ------------------------------------------------------------------------------------
def add_choice(
    project: Project, attribute_id: str, label: str, *, code: float | None = None, colour: str = ""
) -> Result[Choice]:
    with project._transaction():
        choice = project.add_choice(attribute_id, label, code=code, colour=colour)
    return Result(choice, added("choice", [choice.id]), lambda p: delete_choice(p, choice.id))


def add_choice_as_value(
    project: Project, source_id: str, label: str, annotation_id: str, attribute_id: str
) -> Result[Choice]:
    """Add a choice to attribute ``source_id`` (an Issue list, say) and make it the
    value of an annotation's attribute that takes those choices, in one step."""
    with project._transaction():
        choice = add_choice(project, source_id, label)
        value = values.set_value(
            project, annotation_id, Value(attribute_id, choice_id=choice.value.id)
        )
    return combined(choice.value, [choice, value])


def update_choice(project: Project, choice_id: str, **fields: object) -> Result[Choice]:
    """Change ``label``, ``code`` or ``colour``."""
    with project._transaction():
        before = choice_by_id(project, choice_id)
        project.update_choice(choice_id, **fields)
        after = choice_by_id(project, choice_id)
    previous = _previous(before, CHOICE_FIELDS, fields)
    return Result(
        after, changed("choice", [choice_id]), lambda p: update_choice(p, choice_id, **previous)
    )


def delete_choice(project: Project, choice_id: str) -> Result[ChoiceRemoval]:
    """Delete a choice; the values that held it are cleared (undo restores them)."""
    with project._transaction():
        choice = choice_by_id(project, choice_id)
        held = tuple(project.values_referring(choice_ids=[choice_id]))
        project.delete_choice(choice_id)
        values = _values_changed(project, held)
    removal = ChoiceRemoval(choice, held)
    return Result(
        removal, removed("choice", [choice_id]) | values, lambda p: restore_choice(p, removal)
    )


def restore_choice(project: Project, removal: ChoiceRemoval) -> Result[Choice]:
    choice = removal.choice
    with project._transaction():
        project.restore_choice(choice)
        project.restore_values(removal.values)
        values = _values_changed(project, removal.values)
    return Result(
        choice, added("choice", [choice.id]) | values, lambda p: delete_choice(p, choice.id)
    )
