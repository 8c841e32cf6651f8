"""What a type gives the export: column plans, their dictionary types, cells.

The export lays the columns out and names them; a type says which columns a
value of it fills (:class:`ColumnPlan`), what each holds, and how a value
becomes their cells. Stata, SPSS and Excel receive every column by its
dictionary type: ``integer`` and ``number`` columns as numbers, every other
type as the text of the CSV file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol, TypeVar

from annotator.core.codebook import Choice, Value

T = TypeVar("T")

# Column types, as the data dictionary names them.
STRING, INTEGER, NUMBER, DATETIME, DATE, ID = (
    "string",
    "integer",
    "number",
    "datetime",
    "date",
    "id",
)

Labels = tuple[tuple[str, str], ...]  # (code, label) pairs
YES_NO: Labels = (("1", "yes"), ("0", "no"))
YES_WORDS = frozenset({"1", "yes", "true", "y"})
NO_WORDS = frozenset({"0", "no", "false", "n"})


class ColumnPlan(NamedTuple):
    """One export column of a type."""

    suffix: str  # the column name is the attribute's ``category.attribute`` + this
    type: str  # STRING, INTEGER, NUMBER, DATETIME, DATE or ID
    description: str
    value_labels: Labels = ()
    # The index (among the same value's columns) of the column holding this one's codes.
    code_column: int | None = None
    allowed: tuple[str, ...] = ()  # allowed values without a numeric code


class Resolver(Protocol):
    """What the export looks up for cells that name other things."""

    def choice_cells(self, value: Value | None) -> tuple[str, str]:
        """A choice value's label and code text."""
        ...

    def reference(self, value: Value | None) -> tuple[str, str, str, str, object, object]:
        """What a reference points to: id, kind, readable text, registry actor's name,
        then anything else the export keeps."""
        ...


# One value → the cells of its columns, in plan order.
Cells = Callable[[Value], Sequence[str]]


def number_text(number: float | None) -> str:
    """A number as a statistician writes it: ``3``, ``2.5``, ``-1``; empty for none."""
    if number is None:
        return ""
    number = float(number)
    return str(int(number)) if number.is_integer() else repr(number)


def coded_choices(choices: Iterable[Choice]) -> tuple[Labels, tuple[str, ...]]:
    """(code, label) pairs of the choices that have a code, and the labels of those without."""
    listed = tuple(choices)
    coded = tuple((c.code_text, c.label) for c in listed if c.code_text != "")
    uncoded = tuple(c.label for c in listed if c.code_text == "")
    return coded, uncoded


def lookup(types: Mapping[str, T], name: str, what: str) -> T:
    """The definition called ``name`` in a registry of ``what`` types (as a
    message names them); ``ValueError`` listing the types if there is none."""
    kind = types.get(str(name))
    if kind is None:
        raise ValueError(f"“{name}” is not {what} type (the types are {', '.join(types)}).")
    return kind
