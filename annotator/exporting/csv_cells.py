"""Cells of the big tables, either as values or as finished CSV text.

The analysis-profile CSV of a big table (annotations, claims, statements) is
written by joining each row with ``","``: its builder quotes every text cell
as it puts it in the row, through a :class:`CellForm`. The same builder, given
:data:`RAW`, makes rows of plain values for the other writers (Excel profile,
Stata, SPSS, xlsx).

The quoting is ``csv.writer``'s with ``QUOTE_MINIMAL`` and LF line ends: a
cell holding a comma, a double quote or a line feed is quoted, its double
quotes doubled. (A lone carriage return is not quoted by that rule; the writer
then falls back to quoting every cell, see :mod:`annotator.exporting.csv_profiles`.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple


def csv_cell(text: str) -> str:
    """``text`` as one cell of a CSV line."""
    if "," in text or '"' in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _same(value: object) -> object:
    return value


class _Quoted(dict[str, str]):
    """Text → its CSV cell, each distinct text quoted once."""

    def __missing__(self, text: str) -> str:
        cell = self[text] = csv_cell(text)
        return cell


class _Unchanged(dict[str, str]):
    """Text → itself (the raw form of :class:`_Quoted`)."""

    def __missing__(self, text: str) -> str:
        return text


class CellForm(NamedTuple):
    """How a builder puts text and integers into its rows."""

    one: Callable[[str], str]  # a text met once (a quote, an id)
    many: Mapping[str, str]  # a text met again and again (a title, a label): many[text]
    integer: Callable[[int], object]  # an offset or a count
    quoted: bool  # rows are lists of finished CSV cells, to be joined with ","

    def blanks(self, count: int) -> tuple[str, ...]:
        """``count`` empty cells; quoted, the commas between them as one element
        (joined with its neighbours by ``","``, it gives the same line)."""
        if not self.quoted:
            return ("",) * count
        return ("," * (count - 1),) if count else ()


RAW = CellForm(_same, _Unchanged(), _same, False)  # type: ignore[arg-type]


def csv_form() -> CellForm:
    """A fresh quoting form (its cache lives as long as one export)."""
    return CellForm(csv_cell, _Quoted(), str, True)
