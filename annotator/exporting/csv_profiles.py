"""Writing one :class:`ExportTable` as CSV in a profile.

* ``analysis``: UTF-8 without BOM, LF line ends, text written byte-exact.
* ``excel``: UTF-8 with BOM, CRLF line ends; a cell that would begin with
  ``=``, ``+``, ``-``, ``@``, tab, CR or NUL (OWASP CSV injection, ASVS 1.2.10)
  gets a leading ``'``, unless it is a plain number. So does a cell whose
  first visible character is one of ``=+-@`` or their full-width forms
  ``＝＋－＠`` after leading spaces, other blanks or invisible characters
  (LibreOffice starts a formula there too), unless what follows them is a plain
  number. That holds in numeric columns too: a number attribute may hold text
  typed in another tool. Cells longer than Excel's 32,767 characters (counted
  as Excel does, in UTF-16 units) are reported.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple, TextIO, TypeVar

from annotator.core.text import sha256_file
from annotator.exporting.csv_cells import csv_cell
from annotator.exporting.model import Column, ExportTable

ANALYSIS, EXCEL = "analysis", "excel"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\0")
# What starts a formula once leading blanks are skipped: ASCII and full-width.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_SUSPECT = FORMULA_STARTS | frozenset(DANGEROUS) | {" "}
EXCEL_CELL_LIMIT = 32_767
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_BATCH = 5000
T = TypeVar("T")


def excel_length(cell: str) -> int:
    """The length Excel gives ``cell``: UTF-16 units, two for a character
    outside the Basic Multilingual Plane (most emoji)."""
    if cell.isascii():
        return len(cell)
    return len(cell.encode("utf-16-le")) // 2


def _blank(ch: str) -> bool:
    """A character a spreadsheet may skip before a formula: a space, any other
    separator or control character, or an invisible one (zero-width, BOM)."""
    return ch == " " or not ch.isprintable()


def suspect(first: str) -> bool:
    """Whether a cell starting with ``first`` must go through :func:`neutralise`
    (a quick test; most cells start with a letter or digit and pass)."""
    return first in _SUSPECT or not first.isprintable()


def _formula_like(cell: str) -> bool:
    if cell.startswith(DANGEROUS):
        return not _PLAIN_NUMBER.fullmatch(cell)
    start = 0
    while start < len(cell) and _blank(cell[start]):
        start += 1
    if start == len(cell) or cell[start] not in FORMULA_STARTS:
        return False
    return not _PLAIN_NUMBER.fullmatch(cell, start)


def neutralise(cell: str) -> str:
    """``'`` before a text cell a spreadsheet would read as a formula."""
    if cell and suspect(cell[0]) and _formula_like(cell):
        return "'" + cell
    return cell


class Written(NamedTuple):
    rows: int
    warnings: list[str]
    sha256: str  # of the file's bytes


_utf8 = str.encode


class NeedsValues(Exception):  # noqa: N818 (a signal, not a failure)
    """A table of quoted cells holds a carriage return: write it from its values."""


class FileWriter:
    """Writes whole files (flushed to disk) and hashes them on a thread of its
    own, while the caller builds the next one. Both let go of the GIL."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export")
        self._digests: dict[str, Future[str]] = {}

    def submit(self, work: Callable[[], T]) -> Future[T]:
        """Run ``work`` on the writer's thread, after what is already queued."""
        return self._pool.submit(work)

    def write(self, path: Path, data: bytes) -> None:
        self._digests[path.name] = self._pool.submit(_write_and_hash, path, data)

    def stream(self, path: Path) -> StreamedFile:
        """A file written piece by piece (:meth:`StreamedFile.write`), in order."""
        return StreamedFile(self, path)

    def digests(self) -> dict[str, str]:
        """File name → SHA-256 of every file written; waits for them, and
        raises what writing one raised."""
        return {name: future.result() for name, future in self._digests.items()}

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class StreamedFile:
    """A file a :class:`FileWriter` writes and hashes piece by piece on its thread;
    at most a few pieces wait to be written."""

    AHEAD = 3

    def __init__(self, files: FileWriter, path: Path) -> None:
        self._files = files
        self._path = path
        self._handle = path.open("wb")
        self._hash = hashlib.sha256()
        self._pending: list[Future[None]] = []

    def write(self, data: bytes) -> None:
        while len(self._pending) >= self.AHEAD:
            self._pending.pop(0).result()  # raises what writing raised
        self._pending.append(self._files.submit(partial(self._append, data)))

    def _append(self, data: bytes) -> None:
        self._handle.write(data)
        self._hash.update(data)

    def close(self) -> None:
        """Flush the file to disk once written; its SHA-256 joins the writer's digests
        (which raise what writing any piece raised)."""
        pending, self._pending = self._pending, []
        self._files._digests[self._path.name] = self._files.submit(partial(self._finish, pending))

    def _finish(self, pending: list[Future[None]]) -> str:
        handle = self._handle
        with handle:
            for piece in pending:  # written already: the writer has one thread
                piece.result()
            handle.flush()
            os.fsync(handle.fileno())
        return self._hash.hexdigest()

    def abandon(self) -> None:
        """Stop writing: the file is left as far as it got, and closed."""
        self._pending.clear()
        self._files.submit(self._handle.close)


def _write_and_hash(path: Path, data: bytes) -> str:
    _write_bytes(path, data)
    return hashlib.sha256(data).hexdigest()


def write_csv(
    table: ExportTable, path: Path, profile: str = ANALYSIS, files: FileWriter | None = None
) -> Written:
    """Write ``table`` to ``path``; return the number of rows, any warnings and
    the file's SHA-256. With ``files``, an analysis-profile file is written by
    that writer and its SHA-256 comes from it (``Written.sha256`` is empty).
    Raises :class:`NeedsValues` for a quoted table that needs the
    carriage-return fallback below."""
    rows = table.rows if isinstance(table.rows, list) else list(table.rows)
    if table.quoted:
        if profile != ANALYSIS:
            raise ValueError("quoted cells are written in the analysis profile only")
        # Encoded line by line: short strings stay in the cache, and the file's
        # text is never held at four bytes a character.
        lines = [",".join(map(csv_cell, table.header)), *map(",".join, rows), ""]
        data = b"\n".join(map(_utf8, lines))
        if b"\r" in data:
            raise NeedsValues(table.name)
        return _finish(path, data, len(rows), files)
    if profile == EXCEL:
        count, warnings = _write_excel(table, path)
        return Written(count, warnings, sha256_file(path))
    data = _analysis_bytes(table.header, rows, csv.QUOTE_MINIMAL, table.delimiter)
    if b"\r" in data:
        # With LF line ends the csv module leaves a cell holding a lone CR unquoted,
        # and readers take it for a line break. Rare: then quote every cell.
        data = _analysis_bytes(table.header, rows, csv.QUOTE_ALL, table.delimiter)
    return _finish(path, data, len(rows), files)


def _finish(path: Path, data: bytes, rows: int, files: FileWriter | None) -> Written:
    if files is not None:
        files.write(path, data)
        return Written(rows, [], "")
    return Written(rows, [], _write_and_hash(path, data))


def _analysis_bytes(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    quoting: Literal[0, 1],  # csv.QUOTE_MINIMAL or csv.QUOTE_ALL
    delimiter: str = ",",
) -> bytes:
    """The file in the analysis profile, built in memory (it is hashed and written once)."""
    parts: list[str] = []
    writer = csv.writer(
        _Sink(parts.append), lineterminator="\n", quoting=quoting, delimiter=delimiter
    )
    writer.writerow(header)
    for start in range(0, len(rows), _BATCH):
        writer.writerows(rows[start : start + _BATCH])
    return "".join(parts).encode("utf-8")


class _Sink(NamedTuple):
    """What csv.writer writes to: each line appended to a list."""

    write: Callable[[str], object]


def _write_bytes(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


class ExcelRows:
    """Rows written to an open file in the excel profile, neutralised and checked
    against Excel's cell limit (see the module docstring), counted as they go."""

    def __init__(
        self, handle: TextIO, name: str, columns: Sequence[Column], delimiter: str = ","
    ) -> None:
        self._writer = csv.writer(handle, lineterminator="\r\n", delimiter=delimiter)
        self._name = f"{name}.csv"
        self._columns = columns
        self.count = 0
        self.warnings: list[str] = []
        self._writer.writerow([neutralise(c.name) for c in columns])

    def write(self, rows: Iterable[Sequence[object]]) -> None:
        writer, name, warnings = self._writer, self._name, self.warnings
        count = done = self.count
        for count, row in enumerate(rows, done + 1):  # noqa: B007
            cells = list(row)
            for i, cell in enumerate(cells):
                if isinstance(cell, str) and cell:
                    if (first := cell[0]) in _SUSPECT or not first.isprintable():
                        cells[i] = cell = neutralise(cell)
                    if (
                        len(cell) > EXCEL_CELL_LIMIT // 2
                        and (length := excel_length(cell)) > EXCEL_CELL_LIMIT
                    ):
                        warnings.append(
                            f"{name}, column {self._columns[i].name}, row {count}: "
                            f"{length:,} characters as Excel counts them, over its "
                            f"{EXCEL_CELL_LIMIT:,}"
                        )
            writer.writerow(cells)
        self.count = count


def open_excel(path: Path) -> TextIO:
    """A file for :class:`ExcelRows`: UTF-8 with a BOM, line ends as written."""
    return path.open("w", encoding="utf-8-sig", newline="")


def close_flushed(handle: IO[Any]) -> None:
    """Flush ``handle`` to disk and close it."""
    with handle:
        handle.flush()
        os.fsync(handle.fileno())


def _write_excel(table: ExportTable, path: Path) -> tuple[int, list[str]]:
    handle = open_excel(path)
    try:
        rows = ExcelRows(handle, table.name, table.columns, table.delimiter)
        rows.write(table.rows)
    except BaseException:
        handle.close()
        raise
    close_flushed(handle)
    return rows.count, rows.warnings
