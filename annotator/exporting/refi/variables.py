"""Document metadata and variables as REFI-QDA Variables and VariableValues.

Every document field that some document fills (source, author, date, file name,
status) and every document variable becomes a ``Variable``; each document gets
a ``VariableValue`` for each of them it fills. A REFI type is given only when
every value fits it: a number variable is ``Float`` (``xsd:decimal``), a date is
``Date`` when every value is a calendar date (a year or a month alone is
``Text``), yes/no is ``Boolean``; anything else is ``Text``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from annotator.core.model import Variable
from annotator.core.types.columns import NO_WORDS, YES_WORDS
from annotator.exporting.refi.codes import derived_guid, guid

# Document fields (columns of the documents table) shown as variables.
FIELDS = (
    ("source", "Source"),
    ("author", "Author"),
    ("date", "Date"),
    ("file_name", "File name"),
    ("status", "Status"),
)


@dataclass(frozen=True)
class RefiVariable:
    guid: str
    name: str
    type: str  # typeOfVariable
    description: str
    field: str  # a document field, or "" for a document variable
    key: str  # the variable's key, or the field's


def _decimal(text: str) -> str | None:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or not math.isfinite(float(number)):
        return None
    return format(number.normalize(), "f") if number != 0 else "0"


def _date(text: str) -> str | None:
    try:
        return dt.date.fromisoformat(text.strip()).isoformat() if len(text.strip()) == 10 else None
    except ValueError:
        return None


def _boolean(text: str) -> str | None:
    word = text.strip().lower()
    return "true" if word in YES_WORDS else "false" if word in NO_WORDS else None


_TYPED = {"Float": _decimal, "Date": _date, "Boolean": _boolean}
_ELEMENT = {
    "Text": "TextValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "Boolean": "BooleanValue",
}


def _fits(kind: str, values: Iterable[str]) -> bool:
    typed = _TYPED[kind]
    return all(typed(v) is not None for v in values if v != "")


def refi_variables(
    project_id: str,
    documents: list[dict[str, object]],
    variables: list[Variable],
    values: dict[str, dict[str, str]],
) -> list[RefiVariable]:
    """The REFI variables, in a fixed order: the document fields, then the variables."""
    taken: set[str] = set()

    def unique(name: str, key: str) -> str:
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{name} ({key})" if n == 2 else f"{name} ({key} {n})"
        taken.add(candidate.casefold())
        return candidate

    found: list[RefiVariable] = []
    for field_name, label in FIELDS:
        filled = [str(d.get(field_name) or "") for d in documents]
        if not any(filled):
            continue
        kind = "Date" if field_name == "date" and _fits("Date", filled) else "Text"
        found.append(
            RefiVariable(
                derived_guid(project_id, "document field", field_name),
                unique(label, field_name),
                kind,
                f"The document's {label.lower()}.",
                field_name,
                field_name,
            )
        )
    for variable in variables:
        filled = [v[variable.key] for v in values.values() if variable.key in v]
        wanted = {"number": "Float", "date": "Date", "boolean": "Boolean"}.get(variable.type)
        kind = wanted if wanted is not None and _fits(wanted, filled) else "Text"
        found.append(
            RefiVariable(
                guid(variable.id),
                unique(variable.label or variable.key, variable.key),
                kind,
                f"Document variable “{variable.key}” ({variable.type}).",
                "",
                variable.key,
            )
        )
    return found


def value_element(variable: RefiVariable, text: str) -> tuple[str, str]:
    """The VariableValue's element name and its text for ``text``."""
    if variable.type == "Text":
        return _ELEMENT["Text"], text
    typed = _TYPED[variable.type](text)
    assert typed is not None  # the type was chosen because every value fits it
    return _ELEMENT[variable.type], typed
