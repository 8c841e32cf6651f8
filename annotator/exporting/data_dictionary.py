"""DATA_DICTIONARY.md and data_dictionary.csv, built from the export's tables."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.exporting.date_columns import PARTIAL_DATES, has_partial_dates
from annotator.exporting.model import STRING, Column, ExportTable, TableBody

DICTIONARY_NAME = "data_dictionary"
CONTENT_HASH_METHOD = (
    "SHA-256 of the project database as SQLite serialises it (sqlite3 "
    "Connection.serialize: the file's pages, including changes still in the "
    "write-ahead log) at the moment of the export"
)

JOINS = """\
Ids are UUIDs and join the files:

- `document_id` → `documents.csv` (and `document_by_category.csv`)
- `annotation_id`, `claim_id`, `stance_id`, `statement_id` and `*_id` columns
  whose `*_kind` is `annotation` → `annotations.csv` (`annotation_id`)
- `actor_id`, `*_actor_id` and `*_id` columns whose `*_kind` is `actor` →
  `actors.csv` (`actor_id`), also `actor_by_polarity.csv` and
  `network_actor_issue.csv`
- `*_id` columns whose `*_kind` is `choice` → `codebook.csv` (`choice_id`)
- a `*_code` column holds the numeric code of the label column beside it; the
  allowed values below list `code = label`.

With a coder filter, a stance may point to a claim or mention coded by someone
else: its id then has no row in `annotations.csv`."""


def _allowed(column_labels: tuple[tuple[str, str], ...], extra: tuple[str, ...]) -> str:
    parts = [f"{code} = {label}" for code, label in column_labels]
    parts += [f"{label} (no code)" for label in extra]
    return " | ".join(parts)


DICTIONARY_COLUMNS = [
    Column("file", STRING, "the file name"),
    Column("column", STRING, "the column name, as in the file's header"),
    Column(
        "type",
        STRING,
        "string, integer, number, datetime, date or id",
        allowed=("string", "integer", "number", "datetime", "date", "id"),
    ),
    Column("description", STRING, "what the column holds"),
    Column("allowed_values", STRING, "allowed values: 'code = label' separated by ' | '"),
]


def dictionary_body(tables: Sequence[ExportTable]) -> TableBody:
    """One row per column of every CSV file in ``tables``, then of this one."""
    described = [*((t.name, t.columns) for t in tables), (DICTIONARY_NAME, DICTIONARY_COLUMNS)]
    rows: list[list[object]] = [
        [f"{file}.csv", c.name, c.type, c.description, _allowed(c.value_labels, c.allowed)]
        for file, columns in described
        for c in columns
    ]
    return TableBody(list(DICTIONARY_COLUMNS), rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def loading_snippets(profile: str) -> str:
    enc_py = "utf-8-sig" if profile == "excel" else "utf-8"
    note = (
        "\nThis export uses the **excel** profile: a BOM starts each file, lines end in "
        "CRLF, and text cells that began with `=`, `+`, `-`, `@`, tab, CR or NUL, or "
        "with blanks before one of `=+-@` (or its full-width form), carry a "
        "leading `'`. Remove it before analysis (or export again with the analysis "
        "profile).\n"
        if profile == "excel"
        else ""
    )
    return f"""\
## Loading the files

Cells may contain commas, quotes and line breaks (RFC 4180 quoting): always use
a CSV reader. An empty cell means "no value". Read text columns as text, and
keep spaces at the start and end of a cell (quotes are cut exactly from the
text; readr trims them unless told not to).
{note}
R (readr):

```r
library(readr)
annotations <- read_csv("annotations.csv", locale = locale(encoding = "UTF-8"),
                        na = "", trim_ws = FALSE,
                        col_types = cols(.default = col_character()))
annotations <- type_convert(annotations, na = "", trim_ws = FALSE)
```

R (base):

```r
annotations <- read.csv("annotations.csv", encoding = "UTF-8", fileEncoding = "UTF-8",
                        na.strings = "", check.names = FALSE, colClasses = "character")
```

Base R reads a carriage return inside a cell (one typed in a title, memo or
registry note; imported texts have none) as a line feed. The readr and pandas
lines keep it.

Stata (16 or later; names such as `stance.polarity` become `stancepolarity`):

```stata
import delimited using "annotations.csv", encoding("utf-8") bindquote(strict) varnames(1) clear
```

pandas:

```python
import pandas as pd
annotations = pd.read_csv("annotations.csv", encoding="{enc_py}", dtype=str,
                          keep_default_na=False)
```
"""


def other_formats_markdown(tables: Sequence[ExportTable], written: list[str]) -> list[str]:
    """What the .dta, .sav and .xlsx files written hold, and the variable names
    that differ from the CSV column names there."""
    suffixes = {name.rsplit(".", 1)[-1] for name in written}
    lines = ["## Stata, SPSS and Excel files", ""]
    if "dta" in suffixes or "sav" in suffixes:
        from annotator.exporting.stata_spss import (
            SPSS_NAME_MAX,
            SPSS_RESERVED,
            STATA_NAME_MAX,
            STATA_RESERVED,
            variable_names,
        )

        lines += [
            "`FILE.dta` (Stata 14 or later) and `FILE.sav` (SPSS) hold the same rows "
            "and columns as `FILE.csv`, with these differences:",
            "",
            "- `integer` and `number` columns are numeric (missing: `.`); all others "
            "are strings holding the CSV text (missing: empty).",
            "- Choice codes carry value labels (`1 = support`); Stata labels whole numbers only.",
            "- A number cell holding text is empty there (the export's warnings list each).",
        ]
        if "sav" in suffixes:
            lines.append(
                "- `.sav`: a text over 32,767 bytes (UTF-8), the most an SPSS string holds, "
                "is cut there and ends with `…[truncated]`; the CSV file holds the full "
                "text (the export's warnings list each cut cell)."
            )
            lines.append(
                "- `.sav`: trailing spaces of a text are dropped (SPSS pads its strings "
                "with spaces, so readers cannot tell them apart); the CSV file keeps them."
            )
        if "dta" in suffixes:
            lines.append(
                "- `.dta`: Stata and pyreadstat keep trailing spaces; R's haven drops them "
                "in a column whose texts all fit in 2,045 bytes (a column holding a longer "
                "text is strL and keeps them)."
            )
        lines += [
            "- Variable names: characters other than letters, digits and `_` become "
            "`_`, cut to 32 (Stata) or 64 (SPSS) characters, unique. A renamed "
            "variable's label starts with its CSV name. Renamed here:",
            "",
        ]
        formats = [
            (f, m, r)
            for f, m, r in (
                ("Stata", STATA_NAME_MAX, STATA_RESERVED),
                ("SPSS", SPSS_NAME_MAX, SPSS_RESERVED),
            )
            if f == "Stata" and "dta" in suffixes or f == "SPSS" and "sav" in suffixes
        ]
        lines += [
            "| file | CSV column | " + " | ".join(f for f, _, _ in formats) + " |",
            "| --- | --- | " + " | ".join("---" for _ in formats) + " |",
        ]
        for t in tables:
            renamed = [variable_names(t.header, m, r) for _, m, r in formats]
            for i, column in enumerate(t.header):
                names = [given[i] for given in renamed]
                if any(name != column for name in names):
                    lines.append(
                        f"| `{t.name}` | `{_cell(column)}` | "
                        + " | ".join(f"`{name}`" for name in names)
                        + " |"
                    )
        lines.append("")
    if "xlsx" in suffixes:
        lines += [
            "`export.xlsx` has one sheet per CSV file (names cut to Excel's 31 "
            "characters) and the data dictionary as its last sheet; numbers are "
            "numbers, every other cell is text (never a formula); text over "
            "32,767 characters is cut and listed in the export's warnings.",
            "",
        ]
    return lines if len(lines) > 2 else []


def _coders_held(coders: Sequence[str]) -> list[str]:
    """The line naming the coders whose annotations the export holds."""
    if not coders:
        return []
    line = f"Coders in this export: {', '.join(coders)}."
    if "adjudicated" in coders and len(coders) > 1:
        line += (
            " `adjudicated` is the adjudicated set (settled from the others' annotations, "
            "see adjudication.csv), not a coder of its own: count per coder, or export "
            "it alone with the coder filter `adjudicated`."
        )
    return [line]


def dictionary_markdown(
    tables: Sequence[ExportTable],
    profile: str,
    coder: str | None,
    extra_files: list[str],
    other_files: Sequence[str] = (),
    stats_tables: Sequence[ExportTable] = (),
    coders: Sequence[str] = (),
) -> str:
    """The dictionary as Markdown: files, columns, joins, profile, loading code.

    ``tables`` are the CSV files described; ``stats_tables`` those written as
    .dta and .sav files (their renamed variables are listed)."""
    lines = [
        "# Data dictionary",
        "",
        f"Profile: **{profile}** "
        + (
            "(UTF-8 with BOM, CRLF, formula-like text cells prefixed with `'`)."
            if profile == "excel"
            else "(UTF-8 without BOM, LF, text byte-exact)."
        ),
        f"Coder filter: {coder if coder is not None else 'none (all coders)'}. "
        "Summaries, networks and statements are computed per coder, never summed over "
        "coders: each row says whose annotations it counts in its `coder` column (the "
        "adjudicated set's rows have the coder `adjudicated`).",
        *_coders_held(coders),
        "Times are ISO-8601 UTC (`2026-11-23T13:45:00.123Z`), dates `YYYY-MM-DD`; "
        "offsets are Unicode code points, `[start, end)`."
        + (PARTIAL_DATES if any(has_partial_dates(t.columns) for t in tables) else ""),
        "",
        "`manifest.json` records the app and schema version, the project file and a "
        f"hash of its content ({CONTENT_HASH_METHOD}), the export time, row counts and "
        "SHA-256 of every file, skipped formats and warnings.",
        "",
        "## Files",
        "",
        "| file | content |",
        "| --- | --- |",
    ]
    lines += [f"| `{t.name}.csv` | {_cell(t.description)} |" for t in tables]
    lines += [
        f"| `{name}` | {_cell(text)} |" for name, text in (x.split("\t", 1) for x in extra_files)
    ]
    lines += [f"| `{name}` | see “Stata, SPSS and Excel files” |" for name in other_files]
    lines += ["", "## Joins", "", JOINS, ""]
    for t in tables:
        lines += [
            f"## {t.name}.csv",
            "",
            _cell(t.description),
            "",
            "| column | type | description | allowed values |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| `{_cell(c.name)}` | {c.type} | {_cell(c.description)} | "
            f"{_cell(_allowed(c.value_labels, c.allowed))} |"
            for c in t.columns
        ]
        lines.append("")
    lines += other_formats_markdown(stats_tables, list(other_files))
    lines.append(loading_snippets(profile))
    return "\n".join(lines)
