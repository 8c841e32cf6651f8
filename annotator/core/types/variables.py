"""Document-variable types: one definition per type.

A definition says how a value typed in (or read from an import's metadata)
is checked and stored (as text), its label in the variable dialog, the hint
its field shows, and its export column in ``documents.csv``. Adding a type is
adding a definition here, listed in ``VARIABLE_TYPES``; the document dialog
offers a line for it unless ``qt/documents`` gives it a field of its own.
"""

from __future__ import annotations

from annotator.core.model import Variable, VariableType
from annotator.core.types.columns import (
    DATE,
    INTEGER,
    NO_WORDS,
    NUMBER,
    STRING,
    YES_NO,
    YES_WORDS,
    ColumnPlan,
    lookup,
)
from annotator.core.types.dates import DATE_FORMS, check_date


class VariableKind:
    """The behaviour every type shares; a type overrides what differs."""

    name: str = ""
    label: str = ""  # in the variable dialog's list of types
    hint: str = ""  # placeholder of its field
    has_choice_list = False  # the variable lists its allowed values

    def check(self, variable: Variable, value: str) -> str:
        """The value as stored, or ``ValueError`` saying why it does not fit the type."""
        return value.strip()

    def column(self, variable: Variable, what: str) -> ColumnPlan:
        """Its column in documents.csv (``what`` names it in the description)."""
        return ColumnPlan("", STRING, what)


class TextVariable(VariableKind):
    name, label = VariableType.TEXT.value, "Text"


class NumberVariable(VariableKind):
    name, label, hint = VariableType.NUMBER.value, "Number", "a number, e.g. 12 or 3.5"

    def check(self, variable: Variable, value: str) -> str:
        value = value.strip()
        try:
            float(value.replace(",", "."))
        except ValueError:
            raise ValueError(f"{variable.label}: “{value}” is not a number") from None
        return value.replace(",", ".")

    def column(self, variable: Variable, what: str) -> ColumnPlan:
        return ColumnPlan("", NUMBER, what)


class DateVariable(VariableKind):
    name, label, hint = VariableType.DATE.value, "Date (YYYY-MM-DD)", "YYYY-MM-DD"

    def check(self, variable: Variable, value: str) -> str:
        try:
            return check_date(value)
        except ValueError as exc:
            raise ValueError(f"{variable.label}: {exc}") from None

    def column(self, variable: Variable, what: str) -> ColumnPlan:
        return ColumnPlan("", DATE, f"{what} ({DATE_FORMS})")


class ChoiceVariable(VariableKind):
    name, label = VariableType.CHOICE.value, "Choice"
    has_choice_list = True

    def check(self, variable: Variable, value: str) -> str:
        value = value.strip()
        if variable.choices and value not in variable.choices:
            choices = ", ".join(variable.choices)
            raise ValueError(f"{variable.label}: “{value}” is not one of {choices}")
        return value

    def column(self, variable: Variable, what: str) -> ColumnPlan:
        return ColumnPlan("", STRING, what, allowed=variable.choices)


class BooleanVariable(VariableKind):
    name, label = VariableType.BOOLEAN.value, "Yes / no"

    def check(self, variable: Variable, value: str) -> str:
        value = value.strip()
        lowered = value.lower()
        if lowered in YES_WORDS:
            return "1"
        if lowered in NO_WORDS:
            return "0"
        raise ValueError(f"{variable.label}: “{value}” is not yes or no")

    def column(self, variable: Variable, what: str) -> ColumnPlan:
        return ColumnPlan("", INTEGER, f"{what} (1 yes, 0 no)", YES_NO)


# The registry, in the order the variable dialog lists the types.
VARIABLE_TYPES: dict[str, VariableKind] = {
    kind.name: kind
    for kind in (
        TextVariable(),
        NumberVariable(),
        DateVariable(),
        ChoiceVariable(),
        BooleanVariable(),
    )
}


def variable_type(name: str) -> VariableKind:
    """The definition of the variable type called ``name``; ``ValueError`` if none."""
    return lookup(VARIABLE_TYPES, name, "a document-variable")
