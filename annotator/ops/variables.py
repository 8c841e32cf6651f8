"""Document variables: the project's definitions (label, type, choices).

Deleting a variable takes every document's value of it along; undo puts the
variable back under its own id and key, with those values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.core.model import Variable, VariableType
from annotator.ops.changes import Result, added, changed, removed
from annotator.store.project import Project

VARIABLE_FIELDS = ("label", "choices")


@dataclass(frozen=True)
class VariableRemoval:
    variable: Variable
    values: Mapping[str, str]  # document id → value


def variable_by_id(project: Project, variable_id: str) -> Variable:
    for variable in project.variables():
        if variable.id == variable_id:
            return variable
    raise KeyError(f"no document variable '{variable_id}'")


def add_variable(
    project: Project,
    label: str,
    type: VariableType | str = VariableType.TEXT,
    *,
    key: str = "",
    choices: Sequence[str] = (),
) -> Result[Variable]:
    with project._transaction():
        variable = project.add_variable(label, type, key=key, choices=tuple(choices))
    return Result(
        variable, added("variable", [variable.id]), lambda p: delete_variable(p, variable.id)
    )


def update_variable(project: Project, variable_id: str, **fields: object) -> Result[Variable]:
    """Change ``label`` or ``choices``; the key and type never change."""
    with project._transaction():
        before = variable_by_id(project, variable_id)
        project.update_variable(variable_id, **fields)
        after = variable_by_id(project, variable_id)
    previous = {name: getattr(before, name) for name in fields if name in VARIABLE_FIELDS}
    return Result(
        after,
        changed("variable", [variable_id]),
        lambda p: update_variable(p, variable_id, **previous),
    )


def delete_variable(project: Project, variable_id: str) -> Result[VariableRemoval]:
    """Delete a variable and every document's value of it."""
    with project._transaction():
        variable = variable_by_id(project, variable_id)
        values = project.variable_values(variable_id)
        project.delete_variable(variable_id)
    removal = VariableRemoval(variable, values)
    changes = removed("variable", [variable_id]) | changed("document", values)
    return Result(removal, changes, lambda p: restore_variable(p, removal))


def restore_variable(project: Project, removal: VariableRemoval) -> Result[Variable]:
    variable = removal.variable
    with project._transaction():
        project.restore_variable(variable, removal.values)
    changes = added("variable", [variable.id]) | changed("document", removal.values)
    return Result(variable, changes, lambda p: delete_variable(p, variable.id))
