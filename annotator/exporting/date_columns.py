"""Date columns typed by what they hold.

A date is a year, a year and month or a calendar date (see
:mod:`annotator.core.types.dates`). A column holding only calendar dates (or
nothing) is typed ``date``; one holding a year or a month anywhere is typed
``string``, its description saying which forms it holds, so that no reader is
promised ``YYYY-MM-DD`` where a cell reads ``2024-07``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace

from annotator.exporting.model import DATE, STRING, Column

FULL_DATE_LENGTH = len("YYYY-MM-DD")
PARTIAL_NOTE = "text, not typed as a date: it holds partial dates (a year or a month)"


def is_partial(cell: object) -> bool:
    """Whether ``cell`` is a year or a year and month rather than a calendar date."""
    return isinstance(cell, str) and cell != "" and len(cell) != FULL_DATE_LENGTH


def honest_dates(columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> list[Column]:
    """``columns`` with every date column that holds a partial date in ``rows``
    typed as text, its description saying so; the others unchanged."""
    dates = [i for i, column in enumerate(columns) if column.type == DATE]
    partial = {i for row in rows for i in dates if is_partial(row[i])}
    return [partial_date(c) if i in partial else c for i, c in enumerate(columns)]


def partial_date(column: Column) -> Column:
    """A date column holding partial dates, typed as text."""
    return replace(column, type=STRING, description=f"{column.description}; {PARTIAL_NOTE}")


# The data dictionary's note beside "dates `YYYY-MM-DD`" when some date column is text.
PARTIAL_DATES = (
    " A date column that holds partial dates anywhere (a year `2024` or a month "
    "`2024-07`) is typed `string`, in every format, and says so in its description; "
    "its cells keep the form they were entered in."
)


def has_partial_dates(columns: Sequence[Column]) -> bool:
    """Whether one of ``columns`` is a date column typed as text for its partial dates."""
    return any(c.type == STRING and c.description.endswith(PARTIAL_NOTE) for c in columns)


def typed_dates(
    columns: Sequence[Column],
    specs_of: Mapping[str, Sequence[Column]],
    partial_ids: Collection[str],
    partial_documents: bool,
) -> list[Column]:
    """``columns`` of a table of annotations with their date columns typed: an
    attribute's (``specs_of``: attribute id → its columns) as text if the attribute
    is in ``partial_ids``, any other (the document's date) as text if
    ``partial_documents``."""
    of_attributes = {c.name for specs in specs_of.values() for c in specs}
    partial = {c.name for i in partial_ids for c in specs_of.get(i, ())}
    return [
        partial_date(c)
        if c.type == DATE and (c.name in partial if c.name in of_attributes else partial_documents)
        else c
        for c in columns
    ]
