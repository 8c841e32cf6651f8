"""The big tables (annotations, annotation values, claims, statements, DNA
statements: those with ``batch_rows``), written a group of documents at a time,
all at once, while the summaries are counted.

Each group is read (``ExportData.batch``), its quotes checked, its rows built
for every big table and handed to that table's :class:`Sink`, and then let go:
the memory an export needs stays that of one group, however large the project.
Progress is reported once a group (a step), and a cancel is heard between tables.

A sink writes the rows where they go: the analysis profile's CSV as finished
lines (:class:`QuotedSink`, written and hashed on the writer's thread), its CSV
of values for a table separated otherwise than by commas (:class:`ValuesSink`),
the excel profile's CSV (:class:`ExcelSink`), or, for Stata, SPSS and Excel
workbooks, a list the other writers read afterwards (:class:`CollectSink`: the
rows of those tables are then all in memory).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from annotator.core.progress import Progress
from annotator.exporting.claims import Links
from annotator.exporting.csv_cells import csv_cell
from annotator.exporting.csv_profiles import (
    ExcelRows,
    FileWriter,
    StreamedFile,
    close_flushed,
    open_excel,
)
from annotator.exporting.data import ExportData
from annotator.exporting.model import Column
from annotator.exporting.tables import Batch, TableDefinition, TableSources
from annotator.exporting.tallies import Tallies

BIG_TABLES = "annotations, claims, statements"  # the progress label of a group
Rows = list[Sequence[object]]


@dataclass
class Outcome:
    """What a sink did with its table's rows."""

    count: int = 0
    warnings: list[str] = field(default_factory=list)
    sha256: str = ""  # empty when the writer's digests have it
    rows: Rows = field(default_factory=list)  # CollectSink's
    needs_values: bool = False  # QuotedSink met a carriage return: write it from values


class Sink(Protocol):
    outcome: Outcome

    def add(self, rows: Rows) -> None: ...

    def finish(self) -> None: ...

    def abandon(self) -> None: ...


class QuotedSink:
    """The analysis-profile CSV file from rows of finished cells: each row is
    joined with ``,``, each line ends in LF."""

    def __init__(self, path: Path, columns: Sequence[Column], files: FileWriter) -> None:
        self.outcome = Outcome()
        self._file: StreamedFile | None = files.stream(path)
        self._write(",".join(csv_cell(c.name) for c in columns) + "\n")

    def _write(self, text: str) -> None:
        data = text.encode("utf-8")
        if b"\r" in data:  # a lone CR: csv.writer's rules need the values (see write_csv)
            self.outcome.needs_values = True
            self.abandon()
        elif self._file is not None:
            self._file.write(data)

    def add(self, rows: Rows) -> None:
        self.outcome.count += len(rows)
        if rows and self._file is not None:
            self._write("\n".join(map(",".join, rows)) + "\n")  # type: ignore[arg-type]

    def finish(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def abandon(self) -> None:
        if self._file is not None:
            self._file.abandon()
            self._file = None


class ValuesSink(QuotedSink):
    """The analysis-profile CSV file from rows of values, written by csv.writer
    with ``delimiter`` between the cells (QUOTE_MINIMAL, LF line ends)."""

    def __init__(
        self, path: Path, columns: Sequence[Column], files: FileWriter, delimiter: str
    ) -> None:
        self._parts: list[str] = []
        self._writer = csv.writer(self, lineterminator="\n", delimiter=delimiter)
        self.outcome = Outcome()
        self._file: StreamedFile | None = files.stream(path)
        self._lines([[c.name for c in columns]])

    def write(self, line: str) -> None:  # what csv.writer writes to
        self._parts.append(line)

    def _lines(self, rows: Rows) -> None:
        self._writer.writerows(rows)
        text, self._parts = "".join(self._parts), []
        self._write(text)

    def add(self, rows: Rows) -> None:
        self.outcome.count += len(rows)
        if rows and self._file is not None:
            self._lines(rows)


class ExcelSink:
    """The excel-profile CSV file from rows of values."""

    def __init__(
        self, path: Path, name: str, columns: Sequence[Column], delimiter: str = ","
    ) -> None:
        self.outcome = Outcome()
        self._path = path
        self._handle = open_excel(path)
        self._rows = ExcelRows(self._handle, name, columns, delimiter)

    def add(self, rows: Rows) -> None:
        self._rows.write(rows)

    def finish(self) -> None:
        from annotator.core.text import sha256_file

        close_flushed(self._handle)
        self.outcome.count, self.outcome.warnings = self._rows.count, self._rows.warnings
        self.outcome.sha256 = sha256_file(self._path)

    def abandon(self) -> None:
        self._handle.close()


class CollectSink:
    """The rows kept for the Stata, SPSS and Excel writers (and the CSV writer)."""

    def __init__(self) -> None:
        self.outcome = Outcome()

    def add(self, rows: Rows) -> None:
        self.outcome.rows += rows
        self.outcome.count += len(rows)

    def finish(self) -> None:
        pass

    def abandon(self) -> None:
        self.outcome.rows = []


def write_big_tables(
    sources: TableSources,
    sinks: dict[str, Sink],
    definitions: Sequence[TableDefinition],
    plan: list[list[str]],
    progress: Progress,
    first_step: int,
    total: int,
    also: Callable[[ExportData, list[str]], None] | None = None,
) -> dict[str, Outcome]:
    """Give every group of ``plan`` (document ids) to the ``definitions``' sinks,
    reporting steps ``first_step``… of ``total``; count the summaries meanwhile
    (``sources.tallies``), and give ``also`` each group's view and documents.
    Raises ProjectError for a quote that drifted from its text."""
    data, form = sources.data, sources.form
    tallies = Tallies(data, actor_networks=sources.actor_networks)
    try:
        for step, group in enumerate(plan, first_step):
            progress.step(step, total, BIG_TABLES)
            part = data.batch(group)
            part.check_quotes()
            batch = Batch(part, Links(part))
            for definition in definitions:
                assert definition.batch_rows is not None
                sinks[definition.name].add(list(definition.batch_rows(batch, form)))
                progress.check()
            tallies.add(part, batch.links)
            if also is not None:
                also(part, group)
        for sink in sinks.values():
            sink.finish()
    except BaseException:
        for sink in sinks.values():
            sink.abandon()
        raise
    sources.counted(tallies)
    return {name: sink.outcome for name, sink in sinks.items()}
