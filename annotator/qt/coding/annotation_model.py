"""The current document's annotations as a table: category, quote, coder."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.core.model import Annotation
from annotator.qt.coding.highlighter import background_for
from annotator.qt.common.table_model import Index, RecordTableModel

Detail = tuple[str, str, bool]  # who (claimant or holder), polarity, incomplete
HEADERS = ("Category", "Quote", "Who", "Polarity", "Coder")
INCOMPLETE_MARK = "⚠ "
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_ROLES = frozenset((_DISPLAY, _TOOLTIP, _BACKGROUND, _FOREGROUND, _USER))
_BLACK = QColor("#000000")
QUOTE_PREVIEW = 200


def _sort_key(ann: Annotation) -> tuple[int, int, str]:
    return ann.start, ann.end, ann.id


class AnnotationTableModel(RecordTableModel[Annotation]):
    """Rows in text order; inserts and removals announce just their row."""

    headers = HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._labels: dict[str, str] = {}
        self._colours: dict[str, str] = {}
        self._backgrounds: dict[str, QColor] = {}
        self._hints: dict[str, str] = {}
        # id → (who, polarity, incomplete), computed when first shown or asked for.
        self._details: dict[str, Detail] = {}
        self._detail_fn: Callable[[Annotation], Detail] = lambda _ann: ("", "", False)
        self._all: list[Annotation] = []
        self._by_id: dict[str, Annotation] = {}
        self._only: set[str] | None = None

    def set_categories(
        self, labels: dict[str, str], colours: dict[str, str], hints: dict[str, str] | None = None
    ) -> None:
        self._labels = dict(labels)
        self._colours = dict(colours)
        self._backgrounds = {key: background_for(colour) for key, colour in colours.items()}
        self._hints = dict(hints or {})

    def set_detail_source(self, detail_fn: Callable[[Annotation], Detail]) -> None:
        self._detail_fn = detail_fn

    def reset(self, annotations: list[Annotation]) -> None:
        """Show these annotations, which must be in text order (start, end, id),
        the order in which the store returns them."""
        self.beginResetModel()
        self._all = list(annotations)
        self._by_id = {a.id: a for a in self._all}
        self._details = {}
        if self._only is None:
            self._rows = list(self._all)
        else:
            self._rows = [a for a in self._all if a.id in self._only]
        self.endResetModel()

    def all_annotations(self) -> list[Annotation]:
        return list(self._all)

    def find(self, annotation_id: str) -> Annotation | None:
        """Any annotation of the document, shown or filtered out."""
        return self._by_id.get(annotation_id)

    def detail(self, annotation_id: str) -> Detail:
        detail = self._details.get(annotation_id)
        if detail is None:
            ann = self._by_id.get(annotation_id)
            if ann is None:
                return ("", "", False)
            detail = self._details[annotation_id] = self._detail_fn(ann)
        return detail

    def set_only(self, ids: set[str] | None) -> None:
        """Show only these annotations (``None``: all)."""
        self._only = ids
        details = self._details
        self.reset(self._all)
        self._details = details

    @property
    def by_id(self) -> dict[str, Annotation]:
        return self._by_id

    def invalidate(self, annotation_id: str) -> None:
        """The annotation's values changed: compute its detail again."""
        self._details.pop(annotation_id, None)
        row = self.row_of(annotation_id)
        if row >= 0:
            self.row_changed(row)

    def insert(self, ann: Annotation) -> int:
        self._details.pop(ann.id, None)
        key = _sort_key(ann)
        self._all.insert(bisect_left(self._all, key, key=_sort_key), ann)
        self._by_id[ann.id] = ann
        if self._only is not None and ann.id not in self._only:
            return -1
        row = bisect_left(self._rows, key, key=_sort_key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, ann)
        self.endInsertRows()
        return row

    def remove(self, annotation_id: str) -> None:
        row = self.row_of(annotation_id)
        ann = self._by_id.pop(annotation_id, None)
        if ann is None:
            return
        del self._all[bisect_left(self._all, _sort_key(ann), key=_sort_key)]
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def row_of(self, annotation_id: str) -> int:
        ann = self._by_id.get(annotation_id)
        if ann is None:
            return -1
        row = bisect_left(self._rows, _sort_key(ann), key=_sort_key)
        return row if row < len(self._rows) and self._rows[row].id == annotation_id else -1

    def annotation(self, row: int) -> Annotation:
        return self._rows[row]

    # -- Qt model interface ----------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Called for every role of every visible cell on each repaint: answer
        # the roles it does not use first, and compare plain ints.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._rows):
            return None
        ann = self._rows[row]
        if role == _DISPLAY:
            if column == 1:
                quote = " ".join(ann.quote.split())
                return quote if len(quote) <= QUOTE_PREVIEW else quote[:QUOTE_PREVIEW] + "…"
            if column == 4:
                return ann.coder
            who, polarity, incomplete = self.detail(ann.id)
            if column == 0:
                label = self._labels.get(ann.category, ann.category)
                return INCOMPLETE_MARK + label if incomplete else label
            return who if column == 2 else polarity
        if role == _TOOLTIP:
            if column == 2:
                return "Claimant of a claim, holder of a stance"
            if column == 0:
                hint = self._hints.get(ann.category, "")
                missing = self.detail(ann.id)[2]
                return ("A required attribute is missing.\n" if missing else "") + hint
            if column == 1:
                return ann.quote
            return None
        if column == 0:
            if role == _BACKGROUND:
                return self._backgrounds.get(ann.category)
            if role == _FOREGROUND:
                return _BLACK
        if role == _USER:
            return ann.id
        return None
