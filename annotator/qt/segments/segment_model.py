"""The Coded Segments table's model: as many rows as the filter lets through,
each page read from the store when the view first shows one of its rows, a few
pages kept. No row exists as an object before it is shown.

A filter by text shows its first rows as soon as they are found; the rest are
counted a few documents at a time while the window is idle (COUNT_SECONDS each
time), appended as rows, and ``counted`` is emitted each time."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont

from annotator.core.segment_filter import TEXT_ORDER, SegmentFilter
from annotator.exporting.segments_csv import AFTER, BEFORE, SegmentColumns
from annotator.store.segments import Segment, SegmentReader

PAGE = 200
KEPT_PAGES = 16
FIRST_ROWS = 2 * PAGE  # a filter by text shows these before the rest are counted
COUNT_SECONDS = 0.03  # of counting the rest at a time, between the window's events
Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_FONT = Qt.ItemDataRole.FontRole


class SegmentModel(QAbstractTableModel):
    counted = Signal()  # more rows were counted (or the last of them)

    def __init__(self, reader: SegmentReader) -> None:
        super().__init__()
        self.reader = reader
        self._more = QTimer(self)
        self._more.setInterval(0)
        self._more.timeout.connect(self._count_more)
        self.columns = SegmentColumns(reader.codebook)
        self._pages: OrderedDict[int, list[Segment]] = OrderedDict()
        self._count = 0
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what is shown ---------------------------------------------------------------
    def apply(self, f: SegmentFilter) -> int:
        """Show the rows of ``f`` (read and counted once)."""
        self._more.stop()
        self.beginResetModel()
        self._pages.clear()
        self._count = self.reader.apply(f, FIRST_ROWS)
        self.endResetModel()
        self._count_later()
        return self._count

    def refresh(self) -> None:
        """The project changed: the same filter read again, the codebook's columns anew."""
        self._more.stop()
        self.beginResetModel()
        self.columns = SegmentColumns(self.reader.codebook)
        self._pages.clear()
        self._count = self.reader.refresh(FIRST_ROWS)
        self.endResetModel()
        self._count_later()

    @property
    def counting(self) -> bool:
        """Whether rows of the filter are still being counted."""
        return not self.reader.complete

    def stop(self) -> None:
        """No more counting (the reader is closed)."""
        try:
            self._more.stop()
        except RuntimeError:  # the model itself is gone already (the application closing)
            pass

    def finish(self) -> int:
        """Count the rest of the rows now (before they are all read or looked up)."""
        self._more.stop()
        if self.counting:
            self._add_rows(self.reader.finish())
            self.counted.emit()
        return self._count

    def _count_later(self) -> None:
        if self.counting:
            self._more.start()

    def _count_more(self) -> None:
        # Stopped while a step runs: a step that fails is not tried again and again.
        self._more.stop()
        if not self.counting:
            return
        self._add_rows(self.reader.count_more(COUNT_SECONDS))
        if self.counting:
            self._more.start()
        self.counted.emit()

    def _add_rows(self, count: int) -> None:
        if count <= self._count:
            return
        # A page read before was cut at the old count: read it again when shown.
        for number in [n for n in self._pages if (n + 1) * PAGE > self._count]:
            del self._pages[number]
        self.beginInsertRows(QModelIndex(), self._count, count - 1)
        self._count = count
        self.endInsertRows()

    @property
    def filter(self) -> SegmentFilter:
        return self.reader.filter

    def segment(self, row: int) -> Segment | None:
        if not 0 <= row < self._count:
            return None
        number = row // PAGE
        page = self._pages.get(number)
        if page is None:
            page = self.reader.page(number * PAGE, PAGE)
            self._pages[number] = page
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        offset = row - number * PAGE
        return page[offset] if offset < len(page) else None

    def row_of(self, annotation_id: str) -> int:
        row = self.reader.position_of(annotation_id)
        if row < 0 and self.counting:  # perhaps among the rows not counted yet
            self.finish()
            row = self.reader.position_of(annotation_id)
        return row

    # -- Qt ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> object:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.columns.headers[section]
        if orientation == Qt.Orientation.Vertical and role == _DISPLAY:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if role not in (_DISPLAY, _TOOLTIP, _ALIGN, _FONT) or not index.isValid():
            return None
        key = self.columns.keys[index.column()]
        if role == _ALIGN:
            if key == BEFORE:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == _FONT:
            return self._bold if key == "quote" else None
        segment = self.segment(index.row())
        if segment is None:
            return None
        if role == _TOOLTIP:
            if key in (BEFORE, "quote", AFTER):
                return f"…{segment.before} [{segment.quote}] {segment.after}…"
            return None
        return self.columns.cells(segment)[index.column()]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns.sort_key(column) if column >= 0 else TEXT_ORDER
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self.filter.sort and descending == self.filter.descending:
            return
        self.finish()  # the rows the view holds, every one
        self.layoutAboutToBeChanged.emit()
        self._pages.clear()
        self.reader.apply(replace(self.filter, sort=key, descending=descending))
        self.layoutChanged.emit()
