"""The Coded Segments view's columns, for the table and for its CSV file alike:
the same headers and the same cells, so the file holds what the view shows."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

from annotator.core.codebook import Attribute, Codebook
from annotator.core.progress import Progress
from annotator.core.segment_filter import (
    CATEGORY,
    CODER,
    DOCUMENT,
    INCOMPLETE,
    QUOTE,
    TEXT_ORDER,
)
from annotator.exporting.csv_profiles import neutralise
from annotator.store.segments import Segment, SegmentReader, attribute_columns

BEFORE, AFTER = "before", "after"
FIXED = (
    (DOCUMENT, "Document"),
    (CATEGORY, "Category"),
    (BEFORE, "Before"),
    (QUOTE, "Quote"),
    (AFTER, "After"),
    (CODER, "Coder"),
)


class SegmentColumns:
    """The columns of one codebook: the fixed ones, one per attribute (category by
    category), then Incomplete."""

    def __init__(self, codebook: Codebook) -> None:
        self.attributes: list[Attribute] = attribute_columns(codebook)
        labels = {c.key: c.label for c in codebook.categories}
        by_id = {c.id: c for c in codebook.categories}
        self.category_labels = labels
        self.keys: list[str] = [key for key, _ in FIXED]
        self.headers: list[str] = [header for _, header in FIXED]
        for attribute in self.attributes:
            self.keys.append(attribute.id)
            self.headers.append(f"{by_id[attribute.category_id].label}: {attribute.label}")
        self.keys.append(INCOMPLETE)
        self.headers.append("Incomplete")

    def sort_key(self, column: int) -> str:
        """What sorting by a column orders by (Before and After: the text order)."""
        key = self.keys[column]
        return TEXT_ORDER if key in (BEFORE, AFTER) else key

    def cells(self, segment: Segment) -> list[str]:
        fixed = [
            segment.document,
            self.category_labels.get(segment.category, segment.category),
            segment.before,
            segment.quote,
            segment.after,
            segment.coder,
        ]
        values = [segment.values.get(a.id, "") for a in self.attributes]
        return [*fixed, *values, "yes" if segment.incomplete else ""]


def write_segments_csv(
    reader: SegmentReader,
    path: Path,
    progress: Progress | None = None,
    cells: Callable[[Segment], Sequence[str]] | None = None,
) -> int:
    """Every row of the reader's filter to ``path`` (UTF-8 with a BOM so that Excel
    reads it, cells that a spreadsheet would take for a formula neutralised), a
    page at a time; returns the rows written. A cancel leaves no file behind."""
    columns = SegmentColumns(reader.codebook)
    cells_of = cells or columns.cells
    part = path.with_name(path.name + ".part")
    written = 0
    try:
        with part.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns.headers)
            for page in reader.pages():
                if progress is not None:
                    progress.step(written, reader.count, "coded segments")
                writer.writerows([neutralise(c) for c in cells_of(s)] for s in page)
                written += len(page)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return written
