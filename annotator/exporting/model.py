"""What an export for analysis is made of, whatever the file format.

A table knows its columns: name, type, meaning and, for coded columns, the
value labels (code → label). The CSV writer, the data dictionary, the Stata,
SPSS and Excel writers all read the same tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

# Column types, as the data dictionary names them; defined with the attribute and
# variable types, whose export columns have them.
from annotator.core.types.columns import DATE as DATE
from annotator.core.types.columns import DATETIME as DATETIME
from annotator.core.types.columns import ID as ID
from annotator.core.types.columns import INTEGER as INTEGER
from annotator.core.types.columns import NUMBER as NUMBER
from annotator.core.types.columns import STRING as STRING

PROFILES = ("analysis", "excel")
FORMATS = ("csv", "dta", "sav", "xlsx")


def cell_name(table: str, column: str, row: int) -> str:
    """How a warning names a cell, whatever file it is about: the CSV file, the
    column and the row counted from the first row under the header
    (``documents.csv, column text, row 6``; the same cell is on line 7 of an
    Excel sheet)."""
    return f"{table}.csv, column {column}, row {row}"


@dataclass(frozen=True)
class Column:
    name: str
    type: str = STRING  # one of STRING, INTEGER, NUMBER, DATETIME, DATE, ID
    description: str = ""
    # For coded columns: (code, label) pairs, e.g. (("1", "support"), ("-1", "oppose")).
    value_labels: tuple[tuple[str, str], ...] = ()
    # The column whose cells hold the codes of this (label) column, if any.
    code_column: str = ""
    # Allowed values without a numeric code (e.g. ``ambivalent``, ``todo``), for the dictionary.
    allowed: tuple[str, ...] = ()


@dataclass
class ExportTable:
    """One file of the export: ``name`` is the file stem (``annotations``)."""

    name: str
    description: str
    columns: list[Column]
    # Cells are str, int, float or None (None = missing); one list per row.
    rows: Iterable[Sequence[object]] = field(default_factory=list)
    # True when every cell is already quoted CSV text (see annotator.exporting.csv_cells).
    quoted: bool = False
    delimiter: str = ","  # between the cells of its CSV file

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


class TableBody(NamedTuple):
    """What a table's builder makes: its columns and rows (the registry in
    :mod:`annotator.exporting.tables` gives them a name and a description)."""

    columns: list[Column]
    rows: Iterable[Sequence[object]]


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``… if taken; the result is added to ``taken``."""
    unique, n = name, 2
    while unique in taken:
        unique, n = f"{name}_{n}", n + 1
    taken.add(unique)
    return unique


class ExportRefused(ValueError):
    """Options the export cannot follow (an unknown profile, format or coder)."""


@dataclass(frozen=True)
class ExportOptions:
    profile: str = "analysis"  # "analysis": UTF-8, LF; "excel": BOM, CRLF, formulas neutralised
    coder: str | None = None  # only this coder's annotations
    formats: tuple[str, ...] = ("csv",)  # any of FORMATS
    # The one-mode actor networks (actor_congruence, actor_conflict): on request, as
    # the Discourse Network Analyzer makes them. With a registry of hundreds of
    # actors they hold every pair of actors per coder: millions of edges, gigabytes.
    actor_networks: bool = False


@dataclass
class ExportResult:
    folder: str
    files: dict[str, int] = field(default_factory=dict)  # file name → rows written
    warnings: list[str] = field(default_factory=list)  # e.g. cells over Excel's limit
    skipped_formats: dict[str, str] = field(default_factory=dict)  # format → how to enable it
    written: list[str] = field(default_factory=list)  # every file put in the folder
