"""The project's documents as a list: title, annotation count, status."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.core.model import Document, DocumentStatus

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Document", "Codes", "⚠", "Status")
STATUS_COLOURS = {
    DocumentStatus.TODO: "#6b7280",
    DocumentStatus.IN_PROGRESS: "#b45309",
    DocumentStatus.DONE: "#15803d",
}


class DocumentListModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._docs: list[Document] = []

    def reset(self, documents: list[Document]) -> None:
        self.beginResetModel()
        self._docs = list(documents)
        self.endResetModel()

    def update(self, document: Document) -> None:
        row = self.row_of(document.id)
        if row >= 0:
            self._docs[row] = document
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def adjust(self, doc_id: str, annotations: int, incomplete: int) -> None:
        """Change a document's counts by these amounts (no recount in the store)."""
        row = self.row_of(doc_id)
        if row >= 0 and (annotations or incomplete):
            doc = self._docs[row]
            self.update(
                replace(
                    doc,
                    annotation_count=doc.annotation_count + annotations,
                    incomplete_count=max(0, doc.incomplete_count + incomplete),
                )
            )

    def row_of(self, doc_id: str) -> int:
        for row, doc in enumerate(self._docs):
            if doc.id == doc_id:
                return row
        return -1

    def document(self, row: int) -> Document:
        return self._docs[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._docs)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._docs):
            return None
        doc = self._docs[index.row()]
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
