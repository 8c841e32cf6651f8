"""Write export tables as Stata (.dta) and SPSS (.sav) files through pyreadstat.

pyreadstat and pandas are optional (``pip install "annotator[stats]"``); they are
imported only when a file is written, and :class:`MissingExtra` says how to get
them when they are not installed.

What the files look like:

* Column types: ``integer`` and ``number`` columns are numeric (doubles; a
  missing value is system missing ``.``). Every other type (``string``, ``id``,
  ``date``, ``datetime``) is a string variable holding the same text as the CSV
  files (ISO dates and times); a missing value is the empty string, because
  Stata strings cannot be missing.
* Long text is kept whole: Stata strings over 2045 bytes are written as strL.
  The .dta files are release 118 (Stata 14 and later, UTF-8), which every
  reader reads (R's haven 2.5 reads the strL cells of release 119 as empty
  strings); release 119 (Stata 15) only where a table has more than 32,767
  variables, which 118 cannot hold. SPSS strings are very long strings of at
  most 32,767 bytes (UTF-8), the most SPSS holds in a string; a longer text is
  cut there on a character boundary, ends with ``…[truncated]`` and is listed
  in ``warnings`` (the CSV file keeps it whole). Readers read longer ones as
  empty strings or not at all (pyreadstat from 100,000 bytes on).
* Variable names: every character that is not an ASCII letter, digit or ``_``
  becomes ``_`` (accented letters lose their accent first: ``größe`` →
  ``gro_e``); a name that does
  not start with a letter gets a ``v`` in front; reserved words get a ``_``
  appended; names are cut to 32 characters (Stata) or 64 (SPSS). Names that are
  already valid are kept as they are and claimed first; a name that then clashes
  (case-insensitively) with one already given is cut further and gets ``_2``,
  ``_3``, … So ``stance.polarity_code`` → ``stance_polarity_code``. The mapping
  depends only on the column names and their order. When a name changed, the
  variable label starts with the original name: ``stance.polarity_code: …``.
* Display formats: numeric columns holding only whole numbers are shown without
  decimals (Stata ``%9.0f``, SPSS ``F8.0``, wider for long numbers); others keep
  the default. SPSS measurement level: value-labelled and string variables are
  nominal, other numeric ones scale.
* Variable labels are the column descriptions (Stata: cut to 80 characters).
  The file label is the table description.
* The files carry a fixed creation time (1 January 2000, 00:00), not the time
  of writing, so the same tables always give the same bytes.
* Value labels: a column with ``value_labels`` and a ``code_column`` puts its
  labels on that code column (``polarity`` → labels on ``polarity_code``); a
  numeric column with ``value_labels`` and no code column is labelled itself.
  Codes that are not numbers are skipped; Stata only labels whole numbers, so
  in .dta a fractional code (0.5) shows as its number while the whole-number
  codes of the same column keep their labels.
"""

from __future__ import annotations

import math
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from annotator.exporting.folder import new_file
from annotator.exporting.model import INTEGER, NUMBER, Column, ExportTable, cell_name

STATA_NAME_MAX = 32
SPSS_NAME_MAX = 64
STATA_LABEL_MAX = 80
STATA_FILE_LABEL_MAX = 80
# Release 118 (pyreadstat's version 14) holds up to 32,767 variables; 119 (version 15)
# more, but fewer readers read it.
DTA_118_VARIABLES_MAX = 32_767
# The longest string SPSS holds, in bytes; longer texts are cut (see write_sav).
SAV_STRING_MAX = 32_767
TRUNCATION_MARK = "…[truncated]"

STATA_RESERVED = frozenset(
    {
        "_all",
        "_b",
        "byte",
        "_coef",
        "_cons",
        "double",
        "float",
        "if",
        "in",
        "int",
        "long",
        "_n",
        "_N",
        "_pi",
        "_pred",
        "_rc",
        "_skip",
        "using",
        "with",
    }
)
SPSS_RESERVED = frozenset(
    {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}
)

_VALID_CHARS = re.compile(r"[^A-Za-z0-9_]")
_STATA_STR_TYPE = re.compile(r"str(\d+|l)", re.IGNORECASE)


class MissingExtra(Exception):
    """pyreadstat or pandas is not installed, so .dta/.sav cannot be written."""


def _missing_extra(error: ImportError) -> MissingExtra:
    return MissingExtra(
        "Stata and SPSS export need pyreadstat and pandas, which are not installed "
        f"({error}). "
        + (
            "This installed build leaves them out to stay small: load the CSV files in "
            "Stata or SPSS with the code in DATA_DICTIONARY.md, or run Annotator from "
            "Python with them installed."
            if getattr(sys, "frozen", False)
            else 'Install them with: pip install "annotator[stats]".'
        )
    )


def _import_stats() -> tuple[Any, Any, Any]:
    """(pyreadstat, pandas, numpy), or MissingExtra."""
    try:
        import numpy
        import pandas  # type: ignore[import-untyped]  # no annotations without pandas-stubs
        import pyreadstat
    except ImportError as error:
        raise _missing_extra(error) from error
    return pyreadstat, pandas, numpy


# -- variable names ---------------------------------------------------------


def _is_reserved(name: str, reserved: frozenset[str]) -> bool:
    lowered = name.lower()
    if reserved is STATA_RESERVED:
        return name in reserved or _STATA_STR_TYPE.fullmatch(name) is not None
    return lowered in reserved


def _sanitize(name: str, max_len: int, reserved: frozenset[str]) -> str:
    ascii_name = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )
    clean = _VALID_CHARS.sub("_", ascii_name)
    if not clean or not clean[0].isalpha():
        clean = "v" + clean
    clean = clean[:max_len]
    if _is_reserved(clean, reserved):
        clean = clean[: max_len - 1] + "_"
    return clean


def variable_names(names: Sequence[str], max_len: int, reserved: frozenset[str]) -> list[str]:
    """Valid, unique (case-insensitively) variable names for ``names``, deterministically."""
    result: list[str | None] = [None] * len(names)
    taken: set[str] = set()
    # Names that are valid as they are keep them, whatever their position.
    for i, name in enumerate(names):
        if _sanitize(name, max_len, reserved) == name and name.lower() not in taken:
            result[i] = name
            taken.add(name.lower())
    for i, name in enumerate(names):
        if result[i] is not None:
            continue
        base = _sanitize(name, max_len, reserved)
        candidate = base
        n = 1
        while candidate.lower() in taken or _is_reserved(candidate, reserved):
            n += 1
            suffix = f"_{n}"
            candidate = base[: max_len - len(suffix)] + suffix
        result[i] = candidate
        taken.add(candidate.lower())
    return [name for name in result if name is not None]


# -- cells ------------------------------------------------------------------


def _number(cell: object, nan: float) -> float:
    if cell is None or cell == "":
        return nan
    if isinstance(cell, bool):
        return float(cell)
    if isinstance(cell, int | float):
        return float(cell)
    try:
        return float(str(cell))
    except ValueError:
        return nan


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float):
        if math.isnan(cell):
            return ""
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell)


def fit_bytes(text: str, limit: int) -> str | None:
    """``text`` cut to at most ``limit`` UTF-8 bytes on a character boundary, ending
    with :data:`TRUNCATION_MARK`; None when it fits as it is."""
    if len(text) * 4 <= limit:
        return None
    data = text.encode("utf-8")
    if len(data) <= limit:
        return None
    budget = limit - len(TRUNCATION_MARK.encode("utf-8"))
    return data[:budget].decode("utf-8", errors="ignore") + TRUNCATION_MARK


def _fit_sav_strings(table: ExportTable, warnings: list[str] | None) -> ExportTable:
    """A copy of ``table`` whose strings fit :data:`SAV_STRING_MAX` bytes; each cut
    cell is said in ``warnings``."""
    texts = [i for i, column in enumerate(table.columns) if not _is_numeric(column)]
    rows: list[list[object]] = []
    for count, row in enumerate(table.rows, 1):
        cells = list(row)
        for i in texts:
            cell = cells[i] if i < len(cells) else None
            if not isinstance(cell, str) or (cut := fit_bytes(cell, SAV_STRING_MAX)) is None:
                continue
            if warnings is not None:
                warnings.append(
                    f"{cell_name(table.name, table.columns[i].name, count)}: "
                    f"{len(cell.encode('utf-8')):,} bytes, over the {SAV_STRING_MAX:,} "
                    f"an SPSS string holds; cut in the .sav file (the CSV file keeps it whole)"
                )
            cells[i] = cut
        rows.append(cells)
    return ExportTable(table.name, table.description, table.columns, rows)


def _is_numeric(column: Column) -> bool:
    return column.type in (INTEGER, NUMBER)


def _value_labels(
    table: ExportTable, names: list[str], whole_numbers_only: bool
) -> dict[str, dict[float, str]]:
    """Output variable name → {code: label} for the numeric code columns."""
    index = {c.name: i for i, c in enumerate(table.columns)}
    labels: dict[str, dict[float, str]] = {}
    for column in table.columns:
        if not column.value_labels:
            continue
        if column.code_column and column.code_column in index:
            target = index[column.code_column]
        elif _is_numeric(column):
            target = index[column.name]
        else:
            continue
        if not _is_numeric(table.columns[target]):
            continue
        mapping: dict[float, str] = {}
        for code, label in column.value_labels:
            try:
                value = float(code)
            except ValueError:
                continue
            if math.isnan(value) or math.isinf(value):
                continue
            mapping[value] = label
        if whole_numbers_only:  # Stata labels whole numbers only; others show as numbers
            mapping = {
                int(v): text
                for v, text in mapping.items()
                if v.is_integer() and abs(v) <= 2_147_483_620
            }
        if mapping:
            labels.setdefault(names[target], {}).update(mapping)
    return labels


def _variable_label(column: Column, name: str, max_len: int | None) -> str:
    label = column.description
    if name != column.name:
        label = f"{column.name}: {label}" if label else column.name
    if max_len is not None and len(label) > max_len:
        label = label[: max_len - 1] + "…"
    return label


def _frame(table: ExportTable, names: list[str], pandas: Any, numpy: Any) -> Any:
    rows = [list(row) for row in table.rows]
    data: dict[str, Any] = {}
    for i, (column, name) in enumerate(zip(table.columns, names, strict=True)):
        cells = [row[i] if i < len(row) else None for row in rows]
        if _is_numeric(column):
            values = [_number(cell, numpy.nan) for cell in cells]
            data[name] = pandas.Series(values, dtype="float64")
        else:
            data[name] = pandas.Series([_text(cell) for cell in cells], dtype=object)
    return pandas.DataFrame(data, columns=names)


def _whole_number_widths(table: ExportTable, frame: Any, names: list[str]) -> dict[str, int]:
    """Output name → digits needed, for numeric columns holding only whole numbers."""
    widths: dict[str, int] = {}
    for column, name in zip(table.columns, names, strict=True):
        if not _is_numeric(column):
            continue
        values = frame[name].dropna()
        if not all(float(v).is_integer() and abs(v) < 1e15 for v in values):
            continue
        widths[name] = max((len(str(int(v))) for v in values), default=1)
    return widths


def _atomic(path: Path, write: Callable[[str], None]) -> None:
    path = Path(path)
    temp = new_file(path.parent, f".{path.stem}-", path.suffix)
    try:
        write(str(temp))
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


# -- fixed creation time ----------------------------------------------------

# Stata 117–119: <timestamp>, one length byte, then "dd Mon yyyy hh:mm".
DTA_TIME = b"01 Jan 2000 00:00"
_DTA_TIME_TEXT = re.compile(rb"\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d")
# SPSS: the file header's creation date "dd mmm yy" and time "hh:mm:ss", after
# the record type (4 bytes), product name (60), five 4-byte fields and the bias (8).
SAV_DATE_AT, SAV_TIME = 92, b"01 Jan 0000:00:00"
_SAV_TIME_TEXT = re.compile(rb"[ \d]\d [A-Z][a-z]{2} \d\d\d\d:\d\d:\d\d")


def _dta_timestamp_at(header: bytes) -> int:
    """Offset of the timestamp text in a .dta header, or -1 if the header is not
    laid out as expected."""
    match = re.match(
        rb"<stata_dta><header><release>(11[7-9])</release>"
        rb"<byteorder>(LSF|MSF)</byteorder><K>",
        header,
    )
    if match is None:
        return -1
    order: Literal["little", "big"] = "little" if match[2] == b"LSF" else "big"
    release = int(match[1])
    k_size, n_size, label_length = (2, 4, 1) if release == 117 else (2 + 2 * (release == 119), 8, 2)
    at = match.end() + k_size + len(b"</K><N>") + n_size + len(b"</N><label>")
    if header[at - len(b"</N><label>") : at] != b"</N><label>":
        return -1
    label_size = int.from_bytes(header[at : at + label_length], order)
    at += label_length + label_size
    tag = b"</label><timestamp>"
    if header[at : at + len(tag)] != tag or header[at + len(tag)] != len(DTA_TIME):
        return -1
    at += len(tag) + 1
    return at if _DTA_TIME_TEXT.fullmatch(header[at : at + len(DTA_TIME)]) else -1


def fix_dta_time(path: str | Path) -> bool:
    """Put :data:`DTA_TIME` in place of the time pyreadstat wrote; whether it could."""
    with open(path, "r+b") as handle:
        at = _dta_timestamp_at(handle.read(1 << 17))
        if at < 0:
            return False
        handle.seek(at)
        handle.write(DTA_TIME)
    return True


def fix_sav_time(path: str | Path) -> bool:
    """Put :data:`SAV_TIME` in place of the creation date and time; whether it could."""
    with open(path, "r+b") as handle:
        header = handle.read(SAV_DATE_AT + len(SAV_TIME))
        if not header.startswith((b"$FL2", b"$FL3")) or not _SAV_TIME_TEXT.fullmatch(
            header[SAV_DATE_AT:]
        ):
            return False
        handle.seek(SAV_DATE_AT)
        handle.write(SAV_TIME)
    return True


def dta_version(variables: int) -> int:
    """pyreadstat's ``version`` for a table of ``variables`` columns: 14 (release 118)
    unless only 15 (release 119) can hold that many."""
    return 14 if variables <= DTA_118_VARIABLES_MAX else 15


def write_dta(table: ExportTable, path: Path, warnings: list[str] | None = None) -> None:
    """Write ``table`` as a Stata file (Stata 14 and later, UTF-8) at ``path``, atomically.

    ``warnings`` is there for the same call as :func:`write_sav`; nothing is cut."""
    pyreadstat, pandas, numpy = _import_stats()
    names = variable_names(table.header, STATA_NAME_MAX, STATA_RESERVED)
    frame = _frame(table, names, pandas, numpy)
    labels = [
        _variable_label(c, n, STATA_LABEL_MAX) for c, n in zip(table.columns, names, strict=True)
    ]
    value_labels = _value_labels(table, names, whole_numbers_only=True)
    formats = {
        name: f"%{max(9, digits + 1)}.0f"
        for name, digits in _whole_number_widths(table, frame, names).items()
    }
    file_label = table.description
    if len(file_label) > STATA_FILE_LABEL_MAX:
        file_label = file_label[: STATA_FILE_LABEL_MAX - 1] + "…"

    def write(target: str) -> None:
        pyreadstat.write_dta(
            frame,
            target,
            file_label=file_label,
            column_labels=labels,
            variable_value_labels=value_labels or None,
            version=dta_version(len(names)),
            variable_format=formats or None,
        )
        fix_dta_time(target)

    _atomic(path, write)


def write_sav(table: ExportTable, path: Path, warnings: list[str] | None = None) -> None:
    """Write ``table`` as an SPSS .sav file (UTF-8) at ``path``, atomically.

    Strings over :data:`SAV_STRING_MAX` bytes are cut, each said in ``warnings``."""
    pyreadstat, pandas, numpy = _import_stats()
    table = _fit_sav_strings(table, warnings)
    names = variable_names(table.header, SPSS_NAME_MAX, SPSS_RESERVED)
    frame = _frame(table, names, pandas, numpy)
    labels = [_variable_label(c, n, None) for c, n in zip(table.columns, names, strict=True)]
    value_labels = _value_labels(table, names, whole_numbers_only=False)
    formats = {
        name: f"F{max(8, digits + 1)}.0"
        for name, digits in _whole_number_widths(table, frame, names).items()
    }
    measures = {
        name: "nominal" if not _is_numeric(column) or name in value_labels else "scale"
        for column, name in zip(table.columns, names, strict=True)
    }

    def write(target: str) -> None:
        pyreadstat.write_sav(
            frame,
            target,
            file_label=table.description,
            column_labels=labels,
            variable_value_labels=value_labels or None,
            variable_format=formats or None,
            variable_measure=measures or None,
        )
        fix_sav_time(target)

    _atomic(path, write)
