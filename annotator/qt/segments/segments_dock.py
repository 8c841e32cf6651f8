"""View ▸ Coded Segments: every annotation of the project in one table, with
filters that combine, sorting by any column, saved filters, the rows to a CSV
file or the clipboard, and Enter or a double-click to open a segment in its
document. A dock of the main window, made on first use."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.segment_filter import SegmentFilter
from annotator.qt.common.bottom_docks import dock_at_bottom
from annotator.qt.common.tables import make_table
from annotator.qt.segments.filter_bar import FilterBar
from annotator.qt.segments.saved_filters import SavedFilters
from annotator.qt.segments.segment_model import SegmentModel
from annotator.qt.segments.segment_output import copy_rows, export_rows
from annotator.store.segments import Segment, SegmentReader

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow
    from annotator.qt.session import ProjectSession

REFRESH_DELAY_MS = 400  # after a change of the project, while the dock shows


class _ElideLeft(QStyledItemDelegate):
    """The words before a quote lose their start, not their end, when cut."""

    def initStyleOption(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


# The fixed columns' widths (document, category, before, quote, after, coder).
WIDTHS = (160, 80, 220, 200, 220, 70)


class _EnterOpens(QObject):
    def __init__(self, opens: Callable[[], None]) -> None:
        super().__init__()
        self._opens = opens

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._opens()
                return True
        return False


class SegmentsDock(QDockWidget):
    def __init__(self, window: MainWindow) -> None:
        super().__init__("Coded Segments", window)
        self.setObjectName("codedSegments")
        self.window_ = window
        self.session: ProjectSession | None = None
        self.reader: SegmentReader | None = None
        self.model: SegmentModel | None = None
        self.saved = SavedFilters(window.settings)
        self.last_apply_ms = 0.0

        self.filters = FilterBar()
        self.filters.changed.connect(self.apply_filters)
        self.table = make_table(None, "segmentTable")  # type: ignore[arg-type]
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self._elide = _ElideLeft(self.table)
        self.table.setItemDelegateForColumn(2, self._elide)  # before the quote
        self._enter = _EnterOpens(self.open_current)
        self.table.installEventFilter(self._enter)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self.table)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy)

        self.count = QLabel()
        self.count.setObjectName("segmentCount")
        self.saved_box = self.saved.combo()
        self.saved_box.activated.connect(self._load_saved)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(QLabel("Saved:"))
        buttons.addWidget(self.saved_box)
        for text, name, slot in (
            ("Save Filter…", "saveFilter", self.save_filter),
            ("Delete Filter", "deleteFilter", self.delete_filter),
            ("Clear", "clearFilter", self.filters.clear),
            ("Copy Rows", "copySegments", self.copy),
            ("Export CSV…", "exportSegments", self.export),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.setWidget(body)

        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_DELAY_MS)
        self._refresh.timeout.connect(self.refresh)
        self._stale = False
        self.visibilityChanged.connect(self._visible)

    # -- the project ---------------------------------------------------------------------
    def attach(self) -> None:
        """Read the window's project (again, if another was opened since)."""
        window = self.window_
        if window.session is None:
            return
        if self.session is window.session and self.reader is not None:
            return
        self.detach()
        self.session = window.session
        self.session.changed.connect(self._project_changed)
        self.session.destroyed.connect(self._session_gone)
        project = window.session.project
        codebook = project.codebook()
        self.reader = SegmentReader(project.path, codebook)
        self.model = SegmentModel(self.reader)
        self.model.counted.connect(self._show_count)
        self.table.setModel(self.model)
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)
        # An attribute's column as wide as its header (`Category: Attribute`), so the
        # header is read whole; no wider than a quote's.
        metrics = self.table.horizontalHeader().fontMetrics()
        for column in range(len(WIDTHS), self.model.columnCount()):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = metrics.horizontalAdvance(title) + 24
            self.table.setColumnWidth(column, max(90, min(width, WIDTHS[3])))
        self.filters.fill(project, codebook)
        self.saved.load(project.project_id)
        self.apply_filters()

    def detach(self) -> None:
        if self.session is not None:
            try:
                self.session.changed.disconnect(self._project_changed)
            except (RuntimeError, TypeError):
                pass
        self.table.setModel(None)
        if self.model is not None:
            self.model.stop()
        if self.reader is not None:
            self.reader.close()
        self.session = self.reader = self.model = None

    def _visible(self, shown: bool) -> None:
        if shown and self._stale:
            self.refresh()

    def _session_gone(self) -> None:
        """Another project was opened in the window: read that one once shown."""
        if self.model is not None:
            self.model.stop()
        if self.reader is not None:
            self.reader.close()
        self.session = self.reader = self.model = None
        self.table.setModel(None)
        if self.isVisible():
            QTimer.singleShot(0, self.attach)

    def _project_changed(self, _changes: object) -> None:
        self._stale = True
        if self.isVisible():
            self._refresh.start()

    def refresh(self) -> None:
        """The project changed: its lists and the rows read again."""
        self._stale = False
        if self.session is None or self.reader is None or self.model is None:
            return
        project = self.session.project
        codebook = project.codebook()
        self.reader.set_codebook(codebook)
        self.filters.fill(project, codebook)
        self.model.refresh()
        self._show_count()

    # -- filtering ---------------------------------------------------------------------------
    def current_filter(self) -> SegmentFilter:
        base = self.model.filter if self.model is not None else SegmentFilter()
        return self.filters.segment_filter(base)

    def apply_filters(self) -> None:
        if self.model is None:
            return
        started = time.perf_counter()
        self.model.apply(self.current_filter())
        self.last_apply_ms = (time.perf_counter() - started) * 1000
        self._show_count()

    def _show_count(self) -> None:
        if self.reader is None:
            return
        shown = self.model.rowCount() if self.model is not None else 0
        total = self.session.project.annotation_count() if self.session is not None else 0
        if self.model is not None and self.model.counting:
            self.count.setText(f"{shown:,} so far of {total:,} segments (counting…)")
        else:
            self.count.setText(f"{shown:,} of {total:,} segments")

    def save_filter(self) -> None:
        if self.saved.save_as(self, self.current_filter()):
            self.saved_box.setCurrentIndex(self.saved_box.count() - 1)

    def delete_filter(self) -> None:
        self.saved.delete(self.saved_box.currentText())

    def _load_saved(self, index: int) -> None:
        f = self.saved.filter_at(index)
        if f is None or self.model is None:
            return
        self.filters.show_filter(f)
        self.model.apply(f)
        self._show_count()

    # -- rows out ---------------------------------------------------------------------------
    def current_segment(self) -> Segment | None:
        index: QModelIndex = self.table.currentIndex()
        if self.model is None or not index.isValid():
            return None
        return self.model.segment(index.row())

    def open_current(self) -> None:
        segment = self.current_segment()
        if segment is not None:
            open_segment(self.window_, segment)

    def copy(self) -> None:
        if self.model is not None:
            self.model.finish()
            copy_rows(self, self.model, QGuiApplication.clipboard())

    def export(self) -> None:
        if self.reader is not None and self.model is not None:
            self.model.finish()
            export_rows(self, self.reader, self.window_.settings)


def open_segment(window: MainWindow, segment: Segment) -> None:
    """Bring up the segment's document with the segment selected."""
    row = window.documents.row_of(segment.document_id)
    if row < 0:
        window.statusBar().showMessage("That document is no longer in the project.", 6000)
        return
    if window.current is None or window.current.id != segment.document_id:
        window.doc_table.selectRow(row)
    window.coding.select_annotation(segment.annotation_id)
    window.view.select_span(segment.start, segment.end)
    window.view.setFocus()


def show_segments(window: MainWindow) -> SegmentsDock:
    """View ▸ Coded Segments: the dock, made on first use, shown and focused."""
    dock = window.findChild(SegmentsDock, "codedSegments")
    if dock is None:
        dock = SegmentsDock(window)
        dock_at_bottom(window, dock)
    dock.attach()
    dock.show()
    dock.raise_()
    dock.table.setFocus()
    return dock
