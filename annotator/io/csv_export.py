"""Export a project as CSV files for statisticians.

Files are UTF-8, RFC 4180 quoting, LF line ends, one row per record, in a
fixed order; all are written to a staging folder first and then moved into place.

``documents.csv`` and ``annotations.csv`` are built here; ``claims.csv`` and
``statements.csv`` in :mod:`annotator.io.claims_export`; ``actors.csv`` and
``codebook.csv`` in :mod:`annotator.io.codebook_export`.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from annotator.core.codebook import Attribute, AttributeType, Value
from annotator.core.gcpause import gc_paused
from annotator.io.claims_export import claim_tables
from annotator.io.codebook_export import actor_table, codebook_table
from annotator.io.export_data import (
    ExportData,
    Table,
    can_point_to_actor,
    number_text,
)
from annotator.store.project import Project

DOCUMENT_COLUMNS = (
    "document_id",
    "title",
    "source",
    "author",
    "date",
    "file_name",
    "encoding",
    "status",
    "char_count",
    "sha256",
    "imported_at",
    "annotation_count",
    "text",
)
# documents.csv: DOCUMENT_COLUMNS, then one ``var.<key>`` column per document
# variable, in the project's variable order.
VARIABLE_PREFIX = "var."
# The fixed columns of annotations.csv; one group per codebook attribute follows.
ANNOTATION_COLUMNS = (
    "annotation_id",
    "document_id",
    "document_title",
    "coder",
    "category",
    "start",
    "end",
    "quote",
    "memo",
    "created_at",
    "updated_at",
    "incomplete",
)

_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n"}

# Turns one value into the cells of its attribute's column group.
Cells = Callable[[Value, ExportData], list[str]]


def _write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        batch: list[Sequence[object]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                writer.writerows(batch)
                count += len(batch)
                batch.clear()
        writer.writerows(batch)
        count += len(batch)
        handle.flush()
        os.fsync(handle.fileno())
    return count


def write_files(out_dir: Path, tables: dict[str, Table]) -> dict[str, int]:
    """Write every file to a staging folder, then move them all into ``out_dir``.

    Nothing in ``out_dir`` changes unless every file was written completely.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir))
    try:
        counts = {
            name: _write_rows(staging / name, header, rows)
            for name, (header, rows) in tables.items()
        }
        for name in tables:
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return counts


# -- attribute cells ------------------------------------------------------------
def _choice_cells(value: Value, data: ExportData) -> Sequence[str]:
    return data.choice_cells(value)


def _text_cells(value: Value, data: ExportData) -> Sequence[str]:
    return (value.text if value.text is not None else number_text(value.number),)


def _number_cells(value: Value, data: ExportData) -> Sequence[str]:
    return (number_text(value.number) if value.number is not None else value.text or "",)


def _boolean_cells(value: Value, data: ExportData) -> Sequence[str]:
    if value.number is not None:
        return ("1" if value.number else "0",)
    text = (value.text or "").strip().lower()
    return ("1" if text in _TRUE else "0" if text in _FALSE else "",)


def _reference_cells(value: Value, data: ExportData) -> Sequence[str]:
    return data.reference(value)[:4]  # id, kind, readable, actor name


def _short_reference_cells(value: Value, data: ExportData) -> Sequence[str]:
    return data.reference(value)[:3]  # id, kind, readable


def attribute_columns(attribute: Attribute, prefix: str) -> tuple[list[str], Cells]:
    """The column names of one attribute (``prefix`` is ``category.attribute``)
    and the function that fills them."""
    if attribute.type == AttributeType.CHOICE:
        return [prefix, f"{prefix}_code"], _choice_cells
    if attribute.type == AttributeType.NUMBER:
        return [prefix], _number_cells
    if attribute.type == AttributeType.BOOLEAN:
        return [prefix], _boolean_cells
    if attribute.type == AttributeType.REFERENCE:
        names = [f"{prefix}_id", f"{prefix}_kind", prefix]
        if can_point_to_actor(attribute):
            return [*names, f"{prefix}_actor"], _reference_cells
        return names, _short_reference_cells
    return [prefix], _text_cells


class _Group:
    """One category's attribute columns: a contiguous block, with the blanks that
    fill the other categories' columns before and after it."""

    def __init__(self, first: int) -> None:
        self.first = first  # offset of the block among the attribute columns
        self.width = 0
        # (attribute id, choice?, reference width, cells, blanks for no value)
        self.attributes: list[tuple[str, bool, int, Cells, tuple[str, ...]]] = []
        self.before: tuple[str, ...] = ()
        self.after: tuple[str, ...] = ()

    def add(self, attribute: Attribute, cells: Cells, width: int) -> None:
        choice = cells is _choice_cells
        reference = width if cells in (_reference_cells, _short_reference_cells) else 0
        self.attributes.append((attribute.id, choice, reference, cells, ("",) * width))
        self.width += width

    def close(self, total: int) -> None:
        self.before = ("",) * self.first
        self.after = ("",) * (total - self.first - self.width)


class AnnotationLayout:
    """The columns of annotations.csv for one codebook, and where each attribute goes."""

    def __init__(self, data: ExportData) -> None:
        self.columns: list[str] = list(ANNOTATION_COLUMNS)
        self.groups: dict[str, _Group] = {}
        taken = set(self.columns)
        codebook = data.codebook
        for category in codebook.categories:
            group = _Group(len(self.columns) - len(ANNOTATION_COLUMNS))
            for attribute in codebook.attributes_of(category.key):
                names, cells = attribute_columns(attribute, f"{category.key}.{attribute.key}")
                group.add(attribute, cells, len(names))
                for name in names:
                    unique, n = name, 2
                    while unique in taken:  # keys like "x" and "x_id" could collide
                        unique, n = f"{name}_{n}", n + 1
                    taken.add(unique)
                    self.columns.append(unique)
            self.groups[category.key] = group
        for group in self.groups.values():
            group.close(len(self.columns) - len(ANNOTATION_COLUMNS))

    def rows(self, data: ExportData) -> Iterator[list[object]]:
        blank_row = ("",) * (len(self.columns) - len(ANNOTATION_COLUMNS))
        titles = {d.id: d.title for d in data.documents}
        incomplete = data.incomplete
        values = data.values
        reference = data.reference
        choice_cells = data.choice_cells
        for a in data.annotations:
            row: list[object] = [
                a.id,
                a.document_id,
                titles[a.document_id],
                a.coder,
                a.category,
                a.start,
                a.end,
                a.quote,
                a.memo,
                a.created_at,
                a.updated_at,
                "1" if a.id in incomplete else "0",
            ]
            group = self.groups.get(a.category)
            own = values.get(a.id)
            if group is None or not own:
                row += blank_row
                yield row
                continue
            row += group.before
            for attribute_id, choice, width, cells, blanks in group.attributes:
                value = own.get(attribute_id)
                if value is None:
                    row += blanks
                elif choice:
                    row += choice_cells(value)
                elif width:
                    row += reference(value)[:width]
                else:
                    row += cells(value, data)
            row += group.after
            yield row


def _document_table(data: ExportData) -> Table:
    keys = [v.key for v in data.variables]
    values = data.document_variables
    return (
        (*DOCUMENT_COLUMNS, *(VARIABLE_PREFIX + key for key in keys)),
        (
            (
                d.id,
                d.title,
                d.source,
                d.author,
                d.date,
                d.file_name,
                d.encoding,
                d.status.value,
                d.char_count,
                d.sha256,
                d.imported_at,
                d.annotation_count,
                data.texts[d.id],
                *(values.get(d.id, {}).get(key, "") for key in keys),
            )
            for d in data.documents
        ),
    )


def export_csv(project: Project, out_dir: str | Path) -> dict[str, int]:
    """Write ``documents.csv``, ``annotations.csv``, ``claims.csv``,
    ``statements.csv``, ``actors.csv`` and ``codebook.csv`` into ``out_dir``.

    Returns the number of rows written per file name.
    """
    with gc_paused():
        data = ExportData(project)
        data.check_quotes()
        layout = AnnotationLayout(data)
        tables: dict[str, Table] = {
            "documents.csv": _document_table(data),
            "annotations.csv": (layout.columns, layout.rows(data)),
            **claim_tables(data),
            "actors.csv": actor_table(data),
            "codebook.csv": codebook_table(data),
        }
        return write_files(Path(out_dir), tables)
