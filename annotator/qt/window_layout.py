"""How the main window's parts are laid out: the document list, the text column,
the annotations with their fields, and the welcome across the top."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.qt.common.tables import make_table
from annotator.qt.documents.document_model import DocumentListModel

# The three panes' shares of the width, as 1280 pixels would split it (330 / 550 /
# 400): the text never shrinks to a sliver on a small screen, and the list has room
# for titles a coder can read. A wider window widens all three, the text most.
SHARES = (330, 550, 400)
STRETCH = (2, 4, 3)


def document_table(model: DocumentListModel) -> QTableView:
    table = make_table(model, "documentList")
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    # Widths from the widest expected contents, not measured again on every
    # count change (that re-measured and repainted the list at each tag).
    metrics = table.fontMetrics()
    for number, widest in ((1, "Codes"), (2, "000"), (3, "In progress")):
        header.resizeSection(number, metrics.horizontalAdvance(widest) + 12)
    return table


def document_title() -> QLabel:
    title = QLabel()
    title.setObjectName("documentTitle")
    title.setContentsMargins(10, 6, 10, 6)
    title.setStyleSheet("font-weight: bold;")
    title.setWordWrap(True)
    return title


def column(*widgets: QWidget) -> tuple[QWidget, QVBoxLayout]:
    """A widget stacking ``widgets`` with no margins; its layout takes more."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    for widget in widgets:
        layout.addWidget(widget)
    return holder, layout


def right_pane(table_box: QWidget, panel: QWidget) -> QSplitter:
    right = QSplitter(Qt.Orientation.Vertical)
    right.setObjectName("rightSplitter")
    right.addWidget(table_box)
    right.addWidget(panel)
    right.setSizes([420, 380])
    return right


def panes(documents: QWidget, centre: QWidget, right: QWidget) -> QSplitter:
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("mainSplitter")
    for pane, stretch in zip((documents, centre, right), STRETCH, strict=True):
        splitter.addWidget(pane)
        splitter.setStretchFactor(splitter.indexOf(pane), stretch)
    return splitter


def with_banner(banner: QWidget, splitter: QSplitter) -> QWidget:
    """The welcome spans the window above the three panes: a few lines, not a
    column of them squeezed above the text."""
    holder, layout = column(banner)
    layout.addWidget(splitter, 1)
    return holder


def share_width(splitter: QSplitter, width: int) -> None:
    total = sum(SHARES)
    splitter.setSizes([width * share // total for share in SHARES])
