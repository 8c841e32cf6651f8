"""The current document's annotations as a table: category, quote, coder."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.core.model import Annotation
from annotator.qt.highlighter import background_for

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Category", "Quote", "Coder")
QUOTE_PREVIEW = 200


def _sort_key(ann: Annotation) -> tuple[int, int, str]:
    return ann.start, ann.end, ann.id


class AnnotationTableModel(QAbstractTableModel):
    """Rows in text order; inserts and removals announce just their row."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Annotation] = []
        self._keys: list[tuple[int, int, str]] = []
        self._labels: dict[str, str] = {}
        self._colours: dict[str, str] = {}

    def set_categories(self, labels: dict[str, str], colours: dict[str, str]) -> None:
        self._labels = dict(labels)
        self._colours = dict(colours)

    def reset(self, annotations: list[Annotation]) -> None:
        self.beginResetModel()
        self._rows = sorted(annotations, key=_sort_key)
        self._keys = [_sort_key(a) for a in self._rows]
        self.endResetModel()

    def insert(self, ann: Annotation) -> int:
        key = _sort_key(ann)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, ann)
        self._keys.insert(row, key)
        self.endInsertRows()
        return row

    def remove(self, annotation_id: str) -> None:
        row = self.row_of(annotation_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._keys[row]
        self.endRemoveRows()

    def row_of(self, annotation_id: str) -> int:
        for row, ann in enumerate(self._rows):
            if ann.id == annotation_id:
                return row
        return -1

    def annotation(self, row: int) -> Annotation:
        return self._rows[row]

    # -- Qt model interface ----------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        ann = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self._labels.get(ann.category, ann.category)
            if column == 1:
                quote = " ".join(ann.quote.split())
                return quote if len(quote) <= QUOTE_PREVIEW else quote[:QUOTE_PREVIEW] + "…"
            return ann.coder
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return ann.quote
        if role == Qt.ItemDataRole.BackgroundRole and column == 0:
            return background_for(self._colours.get(ann.category, "#999999"))
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QColor("#000000")
        if role == Qt.ItemDataRole.UserRole:
            return ann.id
        return None
