"""The corpus search's results as a two-level tree: documents (title, hits), then
their hits as keyword-in-context rows. One model, no widget per row; the coded
categories of a document's hits are read when a row of it is first painted."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from annotator.core.corpus_query import DocumentHits, Hit, SearchResult, flat

COLUMNS = ("Document / before", "Hit", "After", "Coded")
BEFORE, MATCH, AFTER, CODED = range(len(COLUMNS))
_TOP = 0  # internal id of a document row; a hit row's is its document's row + 1
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
AnyIndex = QModelIndex | QPersistentModelIndex
CodedAt = Callable[[str, list[tuple[int, int]]], list[tuple[str, ...]]]


def hits_text(count: int) -> str:
    return f"{count} hit{'' if count == 1 else 's'}"


class SearchResultsModel(QAbstractItemModel):
    def __init__(self, coded_at: CodedAt) -> None:
        super().__init__()
        self._coded_at = coded_at
        self._documents: list[DocumentHits] = []
        self._coded: dict[str, list[tuple[str, ...]]] = {}
        self._labels: dict[str, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- contents ------------------------------------------------------------------------
    def reset(self, result: SearchResult | None, labels: dict[str, str]) -> None:
        """Show ``result`` (None: nothing); ``labels`` names the categories by key."""
        self.beginResetModel()
        self._documents = list(result.documents) if result is not None else []
        self._coded = {}
        self._labels = labels
        self.endResetModel()

    def append(self, doc: DocumentHits) -> int:
        """Add a document's hits as the search finds it; its row."""
        row = len(self._documents)
        self.beginInsertRows(QModelIndex(), row, row)
        self._documents.append(doc)
        self.endInsertRows()
        return row

    def set_labels(self, labels: dict[str, str]) -> None:
        self._labels = labels

    def forget_coded(self, document_ids: Iterable[str]) -> None:
        """Annotations of these documents changed: read their marks again."""
        changed = set(document_ids)
        for row, doc in enumerate(self._documents):
            if doc.document_id not in changed or doc.document_id not in self._coded:
                continue
            del self._coded[doc.document_id]
            parent = self.index(row, 0)
            last = self.rowCount(parent) - 1
            if last >= 0:
                self.dataChanged.emit(self.index(0, CODED, parent), self.index(last, CODED, parent))

    def hit(self, index: AnyIndex) -> Hit | None:
        """The hit of a hit row (None for a document row)."""
        if not index.isValid() or index.internalId() == _TOP:
            return None
        return self._documents[index.internalId() - 1].hits[index.row()]

    def document(self, index: AnyIndex) -> DocumentHits | None:
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == _TOP else index.internalId() - 1
        return self._documents[row]

    def coded(self, hit_row: int, doc: DocumentHits) -> tuple[str, ...]:
        found = self._coded.get(doc.document_id)
        if found is None:
            found = self._coded_at(doc.document_id, [(h.start, h.end) for h in doc.hits])
            self._coded[doc.document_id] = found
        return found[hit_row] if hit_row < len(found) else ()

    # -- the model -----------------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self._documents)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._documents[parent.row()].hits)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._document_data(self._documents[index.row()], index.column(), role)
        doc = self._documents[index.internalId() - 1]
        hit = doc.hits[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == CODED:
                return ", ".join(self._labels.get(k, k) for k in self.coded(index.row(), doc))
            return (hit.before, flat(hit.match), hit.after)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column != CODED:
            return f"{doc.title}, characters {hit.start}–{hit.end}"
        if role == Qt.ItemDataRole.FontRole and column == MATCH:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and column == BEFORE:
            return _RIGHT
        return None

    def _document_data(self, doc: DocumentHits, column: int, role: int) -> object:
        if column != BEFORE:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            shown = "" if len(doc.hits) == doc.count else f", {len(doc.hits)} shown"
            return f"{doc.title} ({hits_text(doc.count)}{shown})"
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return doc.title
        return None
