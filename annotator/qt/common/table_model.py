"""What every table model of the window shares: rows of records, fixed headers."""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class RecordTableModel(QAbstractTableModel, Generic[Row]):
    """A table with one record per row; subclasses set ``headers`` and ``data``."""

    headers: tuple[str, ...] = ()
    header_tips: dict[int, str] = {}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tips.get(section)
        return None

    def row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.headers) - 1))

    def cells_changed(self, row: int, columns: tuple[int, ...]) -> None:
        """One signal per cell: a view repaints just those cells (a range repaints it all)."""
        for column in columns:
            index = self.index(row, column)
            self.dataChanged.emit(index, index)

    def record_at(self, index: Index) -> Row | None:
        """The record of a valid index, else ``None``."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]
