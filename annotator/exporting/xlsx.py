"""Write export tables as one Excel workbook (.xlsx) through openpyxl.

openpyxl is optional (``pip install "annotator[excel]"``); it is imported only
when a workbook is written, and :class:`MissingExtra` says how to get it.

What the workbook looks like:

* One sheet per table, in the given order, named after the table (cut to 31
  characters, ``[]:*?/\\`` replaced by ``_``, made unique with ``_2``, ``_3``…).
* Row 1 is the header (bold, frozen); one row per table row below it.
* ``integer`` and ``number`` columns hold numbers; a missing value is an empty
  cell. Every other column (ids, dates, times, text) holds text exactly as in the
  CSV files: Excel does not turn ISO dates or long ids into numbers, and a text
  starting with ``=``, ``+``, ``-`` or ``@`` stays text, never a formula (the
  cells are written as strings, not escaped).
* Excel holds at most 32,767 characters in a cell. A longer text is cut and ends
  with ``…[truncated]``; each cut cell is reported in ``warnings`` (the CSV
  files keep the full text). Control characters XML cannot hold (U+0000–U+001F
  except tab, line feed and carriage return) and what is no XML character
  (U+FFFE, U+FFFF, lone surrogates) are replaced by U+FFFD.
* Column widths follow the header and the first lines of the cells (10–60).
* The same tables always give the same bytes: the document properties carry a
  fixed date (2000-01-01) and the zip entries a fixed timestamp.

openpyxl writes each sheet's frame (widths, frozen bold header row, styles);
the data rows go into the sheet as the XML openpyxl's write-only mode writes for
them (numbers as ``%.16g``, text as inline strings) without a cell object per
value, which is what made large workbooks slow. The file is written to a
temporary file in the target folder and then moved into place.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from annotator.exporting.folder import new_file
from annotator.exporting.model import INTEGER, NUMBER, ExportTable, cell_name

EXCEL_CELL_MAX = 32_767
TRUNCATION_MARK = "…[truncated]"
SHEET_NAME_MAX = 31
FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_TIME_TEXT = b"2000-01-01T00:00:00Z"
CORE_PROPERTIES = "docProps/core.xml"
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
WIDTH_MIN, WIDTH_MAX = 10, 60
WIDTH_SAMPLE_ROWS = 1000
SHEET_DATA_END = b"</sheetData>"
ROWS_CHUNK = 20_000  # XML pieces joined and written at a time

# Control characters, and what is no XML character at all (lone surrogates, U+FFFE/F).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


class MissingExtra(Exception):
    """openpyxl is not installed, so .xlsx cannot be written."""


def _import_openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as error:
        raise MissingExtra(
            f"Excel export needs openpyxl, which is not installed ({error}). "
            'Install it with: pip install "annotator[excel]".'
        ) from error
    return openpyxl


def sheet_names(names: Sequence[str]) -> list[str]:
    """Valid, unique (case-insensitively) sheet names for ``names``."""
    result: list[str] = []
    taken: set[str] = set()
    for name in names:
        base = _SHEET_BAD.sub("_", name).strip("'")[:SHEET_NAME_MAX] or "Sheet"
        candidate, n = base, 1
        while candidate.lower() in taken:
            n += 1
            suffix = f"_{n}"
            candidate = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(candidate.lower())
        result.append(candidate)
    return result


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _fit(text: str) -> tuple[str, bool]:
    """``text`` made safe for a cell; True if it was cut."""
    text = _ILLEGAL.sub("\ufffd", text)
    if len(text) <= EXCEL_CELL_MAX // 2 or _utf16_len(text) <= EXCEL_CELL_MAX:
        return text, False
    budget = EXCEL_CELL_MAX - _utf16_len(TRUNCATION_MARK)
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > budget:
            return text[:i] + TRUNCATION_MARK, True
    return text, False  # pragma: no cover - unreachable


def _number(cell: object) -> int | float | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool):
        return int(cell)
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return cell if math.isfinite(cell) else None
    text = str(cell).strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _text(cell: object) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float):
        if not math.isfinite(cell):
            return None
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell)


def _width(values: list[str]) -> float:
    longest = max((len(v.split("\n", 1)[0]) for v in values), default=0)
    return float(min(max(longest + 2, WIDTH_MIN), WIDTH_MAX))


def _write_sheet(workbook: Any, title: str, table: ExportTable) -> None:
    """The sheet as openpyxl writes it: column widths, frozen header row, header.
    Its data rows are put in by :func:`_data_rows` when the file is copied."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title)
    sample_rows = [list(row) for row in itertools.islice(table.rows, WIDTH_SAMPLE_ROWS)]
    for i, column in enumerate(table.columns):
        sample = [column.name] + [_text(row[i]) or "" for row in sample_rows if i < len(row)]
        sheet.column_dimensions[get_column_letter(i + 1)].width = _width(sample)
    sheet.freeze_panes = "A2"

    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=_fit(column.name)[0])
        cell.data_type = "s"
        cell.font = bold
        header.append(cell)
    sheet.append(header)


def _escape(text: str) -> str:
    """``text`` as lxml writes it in an element (a carriage return as ``&#13;``)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _data_rows(table: ExportTable, warnings: list[str] | None) -> Iterator[str]:
    """The sheet XML of the table's rows (from row 2), in chunks: the cells openpyxl's
    write-only mode writes for them (numbers as ``%.16g``, text as inline strings,
    never a formula), without building a cell object for each."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(i + 1) for i in range(len(table.columns))]
    numeric = [c.type in (INTEGER, NUMBER) for c in table.columns]
    columns = list(enumerate(zip(letters, numeric, strict=True)))
    width = len(columns)
    chunk: list[str] = []
    for row_number, row in enumerate(table.rows, start=2):
        cells = list(row)
        if len(cells) < width:
            cells += [None] * (width - len(cells))
        chunk.append(f'<row r="{row_number}">')
        for i, (letter, is_number) in columns:
            raw = cells[i]
            if raw is None:
                continue
            if is_number:
                number = _number(raw)
                if number is not None:
                    chunk.append(f'<c r="{letter}{row_number}" t="n"><v>{number:.16g}</v></c>')
                continue
            text = _text(raw)
            if text is None:
                continue
            if not text:
                chunk.append(f'<c r="{letter}{row_number}" t="inlineStr"></c>')
                continue
            text, cut = _fit(text)
            if cut and warnings is not None:
                warnings.append(
                    f"{cell_name(table.name, table.columns[i].name, row_number - 1)}: text "
                    f"longer than Excel's {EXCEL_CELL_MAX:,} characters was cut in the .xlsx file"
                )
            space = ' xml:space="preserve"' if text != text.strip() else ""
            chunk.append(
                f'<c r="{letter}{row_number}" t="inlineStr"><is><t{space}>'
                f"{_escape(text)}</t></is></c>"
            )
        chunk.append("</row>")
        if len(chunk) > ROWS_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def _fix_zip_times(
    source: str | Path,
    target: str | Path,
    sheets: dict[str, tuple[ExportTable, list[str] | None]] | None = None,
) -> None:
    """Copy the zip ``source`` to ``target`` with fixed entry timestamps, putting
    the data rows of the ``sheets`` (entry name → table, warnings) in place."""
    sheets = sheets or {}
    with (
        zipfile.ZipFile(source) as zin,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            content = zin.read(info.filename)
            if info.filename == CORE_PROPERTIES:  # openpyxl stamps the time of saving
                content = _MODIFIED.sub(rb"\g<1>" + FIXED_TIME_TEXT + rb"\g<2>", content)
            at = content.rfind(SHEET_DATA_END)
            if info.filename not in sheets or at < 0:
                zout.writestr(entry, content)
                continue
            table, warnings = sheets[info.filename]
            with zout.open(entry, "w") as out:
                out.write(content[:at])
                for chunk in _data_rows(table, warnings):
                    out.write(chunk.encode("utf-8"))
                out.write(content[at:])


def write_xlsx(tables: list[ExportTable], path: Path, warnings: list[str] | None = None) -> None:
    """Write ``tables`` as one workbook at ``path``, atomically.

    Cells cut to Excel's limit are described in ``warnings`` when a list is given.
    """
    openpyxl = _import_openpyxl()
    path = Path(path)
    workbook = openpyxl.Workbook(write_only=True)
    props = workbook.properties
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.creator = "annotator"
    props.lastModifiedBy = None
    tables = [
        t
        if isinstance(t.rows, Sequence)
        else ExportTable(t.name, t.description, t.columns, list(t.rows))
        for t in tables
    ]
    sheets: dict[str, tuple[ExportTable, list[str] | None]] = {}
    for n, (title, table) in enumerate(
        zip(sheet_names([t.name for t in tables]), tables, strict=True), start=1
    ):
        _write_sheet(workbook, title, table)
        sheets[f"xl/worksheets/sheet{n}.xml"] = (table, warnings)
    if not tables:
        workbook.create_sheet(title="Sheet")

    raw = new_file(path.parent, f".{path.stem}-", ".raw.xlsx")
    final = new_file(path.parent, f".{path.stem}-", ".xlsx")
    try:
        workbook.save(raw)
        _fix_zip_times(raw, final, sheets)
        os.replace(final, path)
    except BaseException:
        try:
            os.unlink(final)
        except FileNotFoundError:
            pass
        raise
    finally:
        try:
            os.unlink(raw)
        except FileNotFoundError:
            pass
