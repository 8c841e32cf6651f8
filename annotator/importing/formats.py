"""The formats an import reads: each one definition in :data:`FORMATS`.

A format names its extensions and how it is read: ``read`` for a file that is
one document, or ``table`` for a table that holds one document per row (the
rows become documents in :func:`annotator.importing.tables.table_documents`).
``asks_encoding`` says that its text encoding may be uncertain, so the window
offers the encoding question for it. Everything else (the extensions the file
dialogs offer, what folders collect, the encoding and text-column questions)
follows from these definitions: adding a format is adding one here, with its
reader and its tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.importing.model import Extracted, ReadOptions
from annotator.importing.readers import (
    read_docx,
    read_html,
    read_odt,
    read_pdf,
    read_plain,
    read_rtf,
)
from annotator.importing.tables import (
    Table,
    TableReader,
    read_csv_table,
    read_xlsx_table,
    table_documents,
)

Reader = Callable[[Path, ReadOptions], list[Extracted]]


@dataclass(frozen=True)
class Format:
    label: str  # as the file dialogs and the help name it
    extensions: tuple[str, ...]  # lower case, with the dot
    read: Reader | None = None  # a file that is one document
    table: TableReader | None = None  # a table: one document per row
    asks_encoding: bool = False  # its encoding may be a guess the user should confirm

    def __post_init__(self) -> None:
        if (self.read is None) == (self.table is None):
            raise ValueError(f"{self.label}: give either read or table")

    def documents(self, path: Path, options: ReadOptions) -> list[Extracted]:
        """The documents in ``path``; ``ImportRejected`` when there can be none."""
        if self.table is not None:
            return table_documents(path, self.table(path, options), options)
        assert self.read is not None
        return self.read(path, options)

    def preview(self, path: Path, options: ReadOptions, rows: int) -> Table:
        """A table's header and first ``rows`` rows (for choosing the text column)."""
        if self.table is None:
            raise ValueError(f"{self.label} is not a table")
        return self.table(path, options, rows)


PLAIN_TEXT = Format("Plain text", (".txt", ".md"), read=read_plain, asks_encoding=True)
FORMATS: tuple[Format, ...] = (
    PLAIN_TEXT,
    Format("Web page", (".html", ".htm"), read=read_html),
    Format("Word", (".docx",), read=read_docx),
    Format("PDF", (".pdf",), read=read_pdf),
    Format("Rich Text", (".rtf",), read=read_rtf),
    Format("OpenDocument text", (".odt",), read=read_odt),
    Format("CSV table, one document per row", (".csv",), table=read_csv_table, asks_encoding=True),
    Format("Excel table, one document per row", (".xlsx",), table=read_xlsx_table),
)
_BY_EXTENSION = {ext: fmt for fmt in FORMATS for ext in fmt.extensions}

SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(_BY_EXTENSION)
# A folder's tables are left out unless asked for: next to the texts they are
# usually the metadata table, not a corpus.
FOLDER_EXTENSIONS: tuple[str, ...] = tuple(
    ext for fmt in FORMATS if fmt.table is None for ext in fmt.extensions
)
TABLE_EXTENSIONS: tuple[str, ...] = tuple(
    ext for fmt in FORMATS if fmt.table is not None for ext in fmt.extensions
)


def format_of(path: Path) -> Format:
    """The format ``path``'s extension names; any other extension is plain text."""
    return _BY_EXTENSION.get(path.suffix.lower(), PLAIN_TEXT)


def is_plain_text(path: Path) -> bool:
    """``.txt``/``.md``, and any extension no other reader claims, are plain text."""
    return format_of(path) is PLAIN_TEXT


def is_table(path: Path) -> bool:
    return format_of(path).table is not None
