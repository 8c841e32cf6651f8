"""The project's documents as a list: title, annotation count, status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.core.model import Document, DocumentStatus
from annotator.qt.common.table_model import Index, RecordTableModel

HEADERS = ("Document", "Codes", "⚠", "Status")
COUNT_COLUMN, INCOMPLETE_COLUMN = 1, 2
STATUS_COLOURS = {
    DocumentStatus.TODO: "#6b7280",
    DocumentStatus.IN_PROGRESS: "#b45309",
    DocumentStatus.DONE: "#15803d",
}


class DocumentListModel(RecordTableModel[Document]):
    headers = HEADERS

    def __init__(self) -> None:
        super().__init__()
        # Grouping (the list's Filter and Group): a document's group, and the
        # label each group's first row shows in the row header.
        self._group_of: Callable[[Document], str] | None = None
        self._labels: dict[int, str] = {}
        self._keys: list[str] = []  # each row's group

    def reset(self, documents: list[Document]) -> None:
        self.beginResetModel()
        self._rows = list(documents)
        self._group()
        self.endResetModel()

    def set_groups(self, group_of: Callable[[Document], str] | None) -> None:
        """Rows ordered by ``group_of`` (project order within a group); ``None``: in
        project order."""
        self.beginResetModel()
        self._group_of = group_of
        self._rows.sort(key=lambda d: d.position)
        self._group()
        self.endResetModel()

    def _group(self) -> None:
        self._labels = {}
        self._keys = []
        group_of = self._group_of
        if group_of is None:
            return
        keys = {d.id: group_of(d) for d in self._rows}
        self._rows.sort(key=lambda d: (keys[d.id].casefold(), d.position))
        self._keys = [keys[d.id] for d in self._rows]
        self.label_shown(lambda _row: True)

    def label_shown(self, shown: Callable[[int], bool]) -> None:
        """Name each group beside its first row that ``shown`` (the list's filter)
        keeps."""
        self._labels = {}
        previous = None
        for row, key in enumerate(self._keys):
            if shown(row) and key != previous:
                self._labels[row] = previous = key
        if self._rows:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self._rows) - 1)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return self._labels.get(section, "")
        return super().headerData(section, orientation, role)

    def update(self, document: Document) -> None:
        row = self.row_of(document.id)
        if row >= 0:
            self._rows[row] = document
            self.row_changed(row)

    def adjust(self, doc_id: str, annotations: int, incomplete: int) -> None:
        """Change a document's counts by these amounts (no recount in the store)."""
        row = self.row_of(doc_id)
        if row >= 0 and (annotations or incomplete):
            doc = self._rows[row]
            self._rows[row] = replace(
                doc,
                annotation_count=doc.annotation_count + annotations,
                incomplete_count=max(0, doc.incomplete_count + incomplete),
            )
            self.cells_changed(row, (COUNT_COLUMN, INCOMPLETE_COLUMN))

    def row_of(self, doc_id: str) -> int:
        for row, doc in enumerate(self._rows):
            if doc.id == doc_id:
                return row
        return -1

    def document(self, row: int) -> Document:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        doc = self.record_at(index)
        if doc is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            incomplete = doc.incomplete_count or ""
            return (doc.title, doc.annotation_count, incomplete, doc.status.label)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return f"{doc.incomplete_count} annotations lack a required attribute"
        if role == Qt.ItemDataRole.ToolTipRole:
            details = [doc.title, doc.source, doc.author, doc.date, doc.file_name]
            return "\n".join(part for part in details if part)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QColor("#b91c1c")
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QColor(STATUS_COLOURS[doc.status])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return doc.id
        return None
