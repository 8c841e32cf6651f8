"""The workbook's cells are those openpyxl's own write-only cells give: the same
values and types read back with openpyxl, whatever the text holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotator.exporting import xlsx as xlsx_export
from annotator.exporting.model import ID, INTEGER, NUMBER, STRING, Column, ExportTable

openpyxl = pytest.importorskip("openpyxl")

TEXTS = [
    "plain",
    "",
    None,
    " leading and trailing ",
    "line\r\nbreaks\rand\nmore\t tab",
    "=SUM(A1:A2)",
    "+1",
    "-1",
    "@x",
    "a & b < c > d \"q\" 'a'",
    "]]> <![CDATA[",
    "😀 대통령 ＝ äöü",
    "\x01control\x1f",
    "\u2028\u0085\x7f",
    "😀" + "y" * 40_000,
    "3.5",
    "0042",
]
NUMBERS: list[Any] = [
    1,
    0,
    -2.5,
    0.1 + 0.2,
    12345678901234567,
    1e300,
    None,
    "",
    float("nan"),
    True,
    "7",
    "2.25",
    "not a number",
    3.0,
    -0.0,
    2**53 + 1,
    1 / 3,
]


def _table() -> ExportTable:
    columns = [
        Column("id", ID),
        Column("text", STRING),
        Column("n", NUMBER),
        Column("i", INTEGER),
        Column(" spaced =header ", STRING),
    ]
    rows = [
        [f"r{k}", text, number, number, text]
        for k, (text, number) in enumerate(zip(TEXTS, NUMBERS, strict=True))
    ]
    rows.append(["short row"])
    rows.append([None, None, None, None, None])
    return ExportTable("cells", "", columns, rows)


def _reference(table: ExportTable, path: Path) -> None:
    """The workbook written cell by cell with openpyxl's write-only cells."""
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.name)
    sheet.append([WriteOnlyCell(sheet, value=c.name) for c in table.columns])
    for row in table.rows:
        out: list[Any] = []
        for i, column in enumerate(table.columns):
            raw = row[i] if i < len(row) else None
            if column.type in (INTEGER, NUMBER):
                out.append(xlsx_export._number(raw))
                continue
            text = xlsx_export._text(raw)
            if text is None:
                out.append(None)
                continue
            cell = WriteOnlyCell(sheet, value=xlsx_export._fit(text)[0])
            cell.data_type = "s"
            out.append(cell)
        sheet.append(out)
    workbook.save(path)


def _cells(path: Path, read_only: bool) -> list[list[tuple[Any, str]]]:
    workbook = openpyxl.load_workbook(path, read_only=read_only)
    sheet = workbook.worksheets[0]
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


def test_cells_read_back_as_openpyxl_writes_them(tmp_path: Path):
    table = _table()
    ours, reference = tmp_path / "ours.xlsx", tmp_path / "reference.xlsx"
    warnings: list[str] = []
    xlsx_export.write_xlsx([table], ours, warnings)
    _reference(table, reference)
    for read_only in (False, True):
        got, expected = _cells(ours, read_only), _cells(reference, read_only)
        assert got == expected
        assert len(got) >= len(table.rows)  # the empty last row may be no row
    texts = [row[1][0] for row in _cells(ours, False)[1:]]
    assert texts[4] == "line\r\nbreaks\rand\nmore\t tab"
    assert texts[5] == "=SUM(A1:A2)"
    assert texts[9] == "a & b < c > d \"q\" 'a'"
    assert warnings == [
        "cells.csv, column text, row 15: text longer than Excel's 32,767 characters "
        "was cut in the .xlsx file",
        "cells.csv, column  spaced =header , row 15: text longer than Excel's 32,767 "
        "characters was cut in the .xlsx file",
    ]


def test_text_that_is_no_xml_character_is_replaced(tmp_path: Path):
    table = ExportTable("t", "", [Column("text", STRING)], [["a\ufffeb\uffff"]])
    path = tmp_path / "t.xlsx"
    xlsx_export.write_xlsx([table], path)
    assert openpyxl.load_workbook(path).worksheets[0]["A2"].value == "a\ufffdb\ufffd"


def test_rows_given_once_are_written_whole(tmp_path: Path):
    rows = ([f"r{k}", k] for k in range(2500))  # a generator: read once
    table = ExportTable("t", "", [Column("id", ID), Column("k", INTEGER)], rows)
    path = tmp_path / "t.xlsx"
    xlsx_export.write_xlsx([table], path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        [f"r{k}", k] for k in range(2500)
    ]
