"""Writing one :class:`ExportTable` as CSV in a profile.

* ``analysis``: UTF-8 without BOM, LF line ends, text written byte-exact.
* ``excel``: UTF-8 with BOM, CRLF line ends; a text cell that would begin with
  ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'`` (OWASP CSV
  injection), unless it is a plain number; numeric columns are never touched.
  Cells longer than Excel's 32,767 characters are reported.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from annotator.io.export_model import INTEGER, NUMBER, ExportTable

ANALYSIS, EXCEL = "analysis", "excel"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32_767
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_BATCH = 5000


def neutralise(cell: str) -> str:
    """``'`` before a text cell a spreadsheet would read as a formula."""
    if cell.startswith(DANGEROUS) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _CarriageReturnSafe:
    """A csv writer that quotes every cell of a row holding a "\r"."""

    def __init__(self, plain: Any, quoted: Any) -> None:
        self._plain, self._quoted = plain, quoted

    def writerow(self, row: Sequence[object]) -> None:
        has_cr = any(isinstance(cell, str) and "\r" in cell for cell in row)
        (self._quoted if has_cr else self._plain).writerow(row)

    def writerows(self, rows: Iterable[Sequence[object]]) -> None:
        batch: list[Sequence[object]] = []
        for row in rows:
            if any(isinstance(cell, str) and "\r" in cell for cell in row):
                self._plain.writerows(batch)
                batch.clear()
                self._quoted.writerow(row)
            else:
                batch.append(row)
        self._plain.writerows(batch)


def write_csv(table: ExportTable, path: Path, profile: str = ANALYSIS) -> tuple[int, list[str]]:
    """Write ``table`` to ``path``; return the number of rows and any warnings."""
    excel = profile == EXCEL
    warnings: list[str] = []
    count = 0
    with path.open("w", encoding="utf-8-sig" if excel else "utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n" if excel else "\n")
        if not excel:
            # With "\n" as line end the csv module does not quote a cell holding a
            # lone "\r", which readers take for a line break: quote those rows whole.
            writer = _CarriageReturnSafe(writer, csv.writer(
                handle, lineterminator="\n", quoting=csv.QUOTE_ALL))
        writer.writerow([neutralise(n) for n in table.header] if excel else table.header)
        if not excel:
            batch: list[object] = []
            for row in table.rows:
                batch.append(row)
                if len(batch) == _BATCH:
                    writer.writerows(batch)  # type: ignore[arg-type]
                    count += len(batch)
                    batch.clear()
            writer.writerows(batch)  # type: ignore[arg-type]
            count += len(batch)
        else:
            text = [i for i, c in enumerate(table.columns) if c.type not in (INTEGER, NUMBER)]
            name = f"{table.name}.csv"
            for count, row in enumerate(table.rows, 1):  # noqa: B007
                cells = list(row)
                for i in text:
                    cell = cells[i]
                    if isinstance(cell, str) and cell:
                        if cell[0] in DANGEROUS:
                            cells[i] = cell = neutralise(cell)
                        if len(cell) > EXCEL_CELL_LIMIT:
                            warnings.append(
                                f"{name}, column {table.columns[i].name}, row {count}: "
                                f"{len(cell):,} characters, over Excel's {EXCEL_CELL_LIMIT:,}"
                            )
                writer.writerow(cells)
        handle.flush()
        os.fsync(handle.fileno())
    return count, warnings
