"""What every importing module shares: the size limit, the rejection error, what
a reader extracts and what an import reports.

It imports nothing of :mod:`annotator.importing`, so the readers, the pipeline
and the one-file helpers all build on it without importing each other in a circle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.model import Document

MAX_BYTES = 50 * 1024 * 1024  # the largest file an import reads
# Metadata stored on the document itself (a metadata CSV's or a table's columns).
DOCUMENT_FIELDS = ("title", "source", "author", "date")


class ImportRejected(Exception):
    """A file could not be imported; the message says why, for the user."""


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may be told besides the file: the user's choices and the limit."""

    encoding: str | None = None  # the text encoding, where the format has one
    text_column: str | None = None  # for a table: the column that holds the text
    max_bytes: int = MAX_BYTES


@dataclass(frozen=True)
class Extracted:
    """One document a reader found in a file; its text is not yet canonical."""

    text: str
    encoding: str = ""  # the text encoding used, where the format has one
    title: str = ""  # from the document itself (heading, properties, first line), if any
    certain: bool = True
    # A file holding several documents (a table) numbers them: the row, counted as a
    # spreadsheet does (the header is row 1). 0 for a file that is one document.
    row: int = 0
    # The file's own metadata for this document, by column name as the file spells it.
    columns: Mapping[str, str] = field(default_factory=dict)
    problem: str = ""  # set when this document cannot be imported; the reason
    confidence: str = ""  # for a guessed encoding: "high" or "low" (encodings.Decoded)


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: str  # "imported" | "duplicate" | "rejected"
    reason: str = ""  # for duplicate: which document; for rejected: why
    document: Document | None = None
    encoding: str = ""
    row: int = 0  # the table row this outcome is about; 0 for the whole file
    doubtful: bool = False  # its encoding is a guess made with low confidence

    def doubtful_encoding(self) -> str:
        """A warning when the file's encoding was guessed with low confidence, else ""."""
        if not self.doubtful or self.status != "imported":
            return ""
        return (
            f"{self.name}: its encoding was guessed as {self.encoding} with low confidence; "
            "if its text reads wrongly (accents, quotation marks), delete it and import it "
            "again with --encoding NAME (e.g. cp1252, latin-1, mac-roman)"
        )

    @property
    def name(self) -> str:
        """The file's name, with the row for a table row: ``news.csv row 4``."""
        return f"{self.path.name} row {self.row}" if self.row else self.path.name


@dataclass
class ImportReport:
    outcomes: list[FileOutcome]
    cancelled: bool = False
    notes: list[str] = field(default_factory=list)  # about the whole import (metadata CSV)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    def lines(self) -> list[str]:
        """One human line per file, e.g. ``imported  a.txt (cp1252)``; a table's
        imported and duplicate rows are summed up in one line each, its rejected
        rows listed one per line (the first :data:`ROWS_LISTED` of them)."""
        lines: list[str] = []
        start = 0
        while start < len(self.outcomes):
            first = self.outcomes[start]
            end = start + 1
            if not first.row:
                lines.append(_line(first))
            else:
                while (
                    end < len(self.outcomes)
                    and self.outcomes[end].row
                    and self.outcomes[end].path == first.path
                ):
                    end += 1
                lines.extend(_table_lines(self.outcomes[start:end]))
            start = end
        return lines


ROWS_LISTED = 20  # rejected rows of one table listed one by one in a report


def shown_name(name: str) -> str:
    """A file name as a report line shows it: as it is when every character
    prints, else quoted with its line breaks, tabs, controls and invisible
    characters escaped (``'a\\nimported  b.txt'``), so it cannot fake a line."""
    return name if name.isprintable() else repr(name)


def _escaped(text: str) -> str:
    """``text`` with every character that does not print escaped, as repr does."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _line(outcome: FileOutcome) -> str:
    line = f"{outcome.status:<9} {shown_name(outcome.path.name)}"
    if outcome.row:
        line += f" row {outcome.row}"
    if outcome.status == "imported" and outcome.encoding:
        line += f" ({_escaped(outcome.encoding)})"
    if outcome.reason:
        line += f": {_escaped(outcome.reason)}"
    return line


def row_ranges(rows: list[int], limit: int = 8) -> str:
    """``[2, 3, 4, 7]`` → ``"2–4, 7"``; after ``limit`` ranges, ``…``."""
    ranges: list[str] = []
    index = 0
    while index < len(rows):
        end = index
        while end + 1 < len(rows) and rows[end + 1] == rows[end] + 1:
            end += 1
        if len(ranges) == limit:
            ranges.append("…")
            break
        ranges.append(str(rows[index]) if end == index else f"{rows[index]}–{rows[end]}")
        index = end + 1
    return ", ".join(ranges)


def _table_lines(outcomes: list[FileOutcome]) -> list[str]:
    """The lines for one table's rows (see :meth:`ImportReport.lines`)."""
    lines: list[str] = []
    name = shown_name(outcomes[0].path.name)
    for status, what in (("imported", "documents"), ("duplicate", "texts already in the project")):
        group = [o for o in outcomes if o.status == status]
        if len(group) == 1:
            lines.append(_line(group[0]))
        elif group:
            rows = row_ranges([o.row for o in group])
            line = f"{status:<9} {name} rows {rows}: {len(group)} {what}"
            if status == "imported" and group[0].encoding:
                line += f" ({group[0].encoding})"
            lines.append(line)
    rejected = [o for o in outcomes if o.status == "rejected"]
    lines.extend(_line(o) for o in rejected[:ROWS_LISTED])
    if len(rejected) > ROWS_LISTED:
        more = rejected[ROWS_LISTED:]
        rows = row_ranges([o.row for o in more])
        lines.append(f"{'rejected':<9} {name} rows {rows}: {len(more)} more rows rejected")
    return lines


class ImportInterrupted(KeyboardInterrupt):
    """Ctrl+C during an import of many files: ``report`` holds what was imported
    before it (each document is its own transaction: those stay in the project)."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("the import was interrupted")
        self.report = report


@dataclass(frozen=True)
class ImportResult:
    path: Path
    document: Document
    duplicate: bool  # True when an identical text was already in the project
