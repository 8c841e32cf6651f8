"""Tables that hold one document per row: ``.csv`` and ``.xlsx``, as news
databases export them.

A table reader returns the header and the rows that hold anything
(:class:`Table`); :func:`table_documents` turns them into documents: the text
from the column the user chose, else the column named ``text`` (any case); every
other named column travels along as the row's metadata (the pipeline maps
``title``/``source``/``author``/``date`` onto the document and the rest onto
document variables). Rows are numbered as a spreadsheet numbers them: the first
line of the file is row 1.

Bounds: the file is read only up to the import limit; an ``.xlsx`` (a zip) is
refused when its parts unpack to more than :data:`UNPACKED_FACTOR` times that
limit, before anything is decompressed; no cell may exceed the limit itself.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Protocol

from annotator.importing.encodings import decode_with, read_bytes
from annotator.importing.model import Extracted, ImportRejected, ReadOptions
from annotator.importing.readers import check_zip, first_line
from annotator.importing.unpacking import check_declared

DELIMITERS = (",", ";", "\t")  # the first wins a tie
SNIFF_CHARS = 65536  # how much of the header record the delimiter is guessed from
UNPACKED_FACTOR = 4  # an .xlsx may unpack to this many times the file limit
MAX_SHEET_ROWS = 1_048_576  # as many rows as a worksheet can hold
COLUMNS_LISTED = 30  # in a message about the columns
EXCEL_EXTRA = "annotator[excel]"


@dataclass(frozen=True)
class Table:
    """A table as read: the header, and the rows that hold anything, numbered."""

    columns: tuple[str, ...]  # as the header spells them, stripped
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cells)
    encoding: str = ""  # for a text format: the encoding it was read with
    certain: bool = True  # False when the encoding is the detector's guess
    confidence: str = ""  # for a guess: "high" or "low" (encodings.Decoded)


class TableReader(Protocol):
    def __call__(self, path: Path, options: ReadOptions, max_rows: int | None = None) -> Table:
        """The table in ``path``; ``max_rows`` stops after that many rows."""
        ...


def listing(columns: tuple[str, ...]) -> str:
    """``“id”, “headline”, “body”`` (the first :data:`COLUMNS_LISTED`)."""
    named = [f"“{c}”" for c in columns if c]
    more = len(named) - COLUMNS_LISTED
    return ", ".join(named[:COLUMNS_LISTED]) + (f" and {more} more" if more > 0 else "")


def find_text_column(columns: tuple[str, ...], chosen: str | None) -> int:
    """The index of the text column: ``chosen`` (exactly, else ignoring case),
    else the one named ``text``; ``ImportRejected`` listing the columns."""
    if chosen and chosen.strip():
        name = chosen.strip()
        exact = [i for i, c in enumerate(columns) if c == name]
        folded = [i for i, c in enumerate(columns) if c.casefold() == name.casefold()]
        if exact or folded:
            return (exact or folded)[0]
        raise ImportRejected(f"it has no column “{name}”; its columns are {listing(columns)}")
    named_text = [i for i, c in enumerate(columns) if c.casefold() == "text"]
    if named_text:
        return named_text[0]
    raise ImportRejected(
        f"it has no “text” column, and no text column was chosen; its columns are "
        f"{listing(columns)}. Choose the column that holds the texts (on the command line: "
        "--text-column NAME), or, to import the whole file as one text, give it the "
        "extension .txt"
    )


def _check_columns(columns: tuple[str, ...]) -> None:
    seen: dict[str, str] = {}
    for column in columns:
        if column and column.casefold() in seen:
            raise ImportRejected(f"the column “{column}” appears twice in the header")
        seen[column.casefold()] = column


def table_documents(path: Path, table: Table, options: ReadOptions) -> list[Extracted]:
    """One document per row of ``table``; a row that cannot be one carries its
    ``problem``. ``ImportRejected`` when the table as a whole cannot be read."""
    _check_columns(table.columns)
    text_index = find_text_column(table.columns, options.text_column)
    text_name = table.columns[text_index]
    others = [(i, c) for i, c in enumerate(table.columns) if c and i != text_index]
    documents: list[Extracted] = []
    for number, cells in table.rows:
        problem = ""
        if len(cells) > len(table.columns) and any(c.strip() for c in cells[len(table.columns) :]):
            problem = (
                f"it has {len(cells)} cells but the header has {len(table.columns)} columns"
                " (is a delimiter inside a cell that is not quoted?)"
            )
        cells = cells + ("",) * (len(table.columns) - len(cells))
        text = cells[text_index]
        if not problem and not text.strip():
            problem = f"the “{text_name}” cell is empty"
        if not problem and any(len(c) > options.max_bytes for c in cells):
            problem = f"a cell is larger than the limit ({options.max_bytes / 2**20:g} MB)"
        documents.append(
            Extracted(
                "" if problem else text,
                table.encoding,
                first_line(text) or f"{path.name} row {number}",
                table.certain,
                row=number,
                columns={} if problem else {c: cells[i] for i, c in others},
                problem=problem,
                confidence=table.confidence,
            )
        )
    return documents


# -- CSV --------------------------------------------------------------------------------
def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header record holds most of outside
    quotes (a comma when it holds none: a table of one column)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    started = False
    for char in text[:SNIFF_CHARS]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            if started:
                break
        elif not quoted and char in counts:
            counts[char] += 1
        started = started or not char.isspace() or char == "\t"
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """Let the csv module read cells up to ``limit`` characters (its default is 128 KB)."""
    previous = csv.field_size_limit(max(limit, 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _header_and_rows(
    records: Iterator[tuple[int, tuple[str, ...]]], max_rows: int | None
) -> tuple[tuple[str, ...], list[tuple[int, tuple[str, ...]]]]:
    """The first record that holds anything is the header; after it, the records that
    hold anything, up to ``max_rows`` of them."""
    columns: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if columns is None:
            columns = tuple(c.strip() for c in cells)
            while columns and not columns[-1]:
                columns = columns[:-1]
            continue
        if max_rows is not None and len(rows) >= max_rows:
            break
        rows.append((number, cells))
    if columns is None:
        raise ImportRejected("the table is empty (no header row)")
    return columns, rows


def read_csv_table(path: Path, options: ReadOptions, max_rows: int | None = None) -> Table:
    """A ``.csv`` in any encoding the plain-text import reads, its delimiter guessed."""
    decoded = decode_with(read_bytes(path, options.max_bytes), options.encoding)
    text = decoded.text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    number = 0

    def records() -> Iterator[tuple[int, tuple[str, ...]]]:
        nonlocal number
        for number, cells in enumerate(reader, start=1):  # noqa: B007 (read after an error)
            yield number, tuple(cells)

    with _field_limit(options.max_bytes):
        try:
            columns, rows = _header_and_rows(records(), max_rows)
        except csv.Error as exc:
            reason = str(exc)
            if "field larger than field limit" in reason:
                reason = f"a cell is larger than the limit ({options.max_bytes / 2**20:g} MB)"
            raise ImportRejected(
                f"row {number + 1} is not valid CSV ({reason}); nothing of the file was imported"
            ) from None
    return Table(columns, tuple(rows), decoded.encoding, decoded.certain, decoded.confidence)


# -- XLSX -------------------------------------------------------------------------------
def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _sheet_records(
    sheet: Any, start: int, width: int | None
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The worksheet's rows from ``start`` (numbered), each at most ``width`` wide."""
    rows = sheet.iter_rows(min_row=start, max_col=width, values_only=True)
    for number, values in enumerate(rows, start=start):
        if number > MAX_SHEET_ROWS:
            raise ImportRejected(f"the worksheet has more than {MAX_SHEET_ROWS:,} rows")
        yield number, values


def _read_sheet(sheet: Any, max_rows: int | None) -> Table:  # openpyxl has no type hints
    sheet.reset_dimensions()  # rows as stored, not padded to the declared size
    header: tuple[str, ...] = ()
    header_row = 0
    for number, values in _sheet_records(sheet, 1, None):
        header = tuple(_cell_text(v).strip() for v in values)
        if any(header):
            header_row = number
            break
    while header and not header[-1]:
        header = header[:-1]
    if not header_row:
        raise ImportRejected("the first worksheet is empty (no header row)")
    rows: list[tuple[int, tuple[str, ...]]] = []
    # Cells right of the header's last column are not read: each row is that wide at most.
    for number, values in _sheet_records(sheet, header_row + 1, len(header)):
        cells = tuple(_cell_text(v) for v in values)
        if not any(c.strip() for c in cells):
            continue
        if max_rows is not None and len(rows) >= max_rows:
            break
        rows.append((number, cells))
    return Table(header, tuple(rows))


def read_xlsx_table(path: Path, options: ReadOptions, max_rows: int | None = None) -> Table:
    """The first worksheet of an ``.xlsx`` (values, not formulas), read-only."""
    data = read_bytes(path, options.max_bytes)
    check_zip(data, "Excel")
    check_declared(
        data, "Excel", UNPACKED_FACTOR * options.max_bytes, "save a smaller workbook or a CSV"
    )
    try:
        import openpyxl
    except ImportError:
        raise ImportRejected(
            "reading .xlsx files needs the optional package openpyxl: install Annotator "
            f"with pip install '{EXCEL_EXTRA}', or save the sheet as CSV"
        ) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportRejected(
            f"the Excel file is corrupt or unreadable ({type(exc).__name__})"
        ) from None
    try:
        if not workbook.worksheets:
            raise ImportRejected("the Excel file has no worksheet")
        return _read_sheet(workbook.worksheets[0], max_rows)
    except ImportRejected:
        raise
    except Exception as exc:  # a damaged sheet shows only while it is read
        raise ImportRejected(
            f"the Excel file is corrupt or unreadable ({type(exc).__name__})"
        ) from None
    finally:
        workbook.close()
