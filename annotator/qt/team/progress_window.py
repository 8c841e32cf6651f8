"""Team ▸ Coder Progress: per coder and document, assigned, in the reliability
sample, merged when, the coder's annotations in the lead's project, and the
document's status in the coder's copy as last merged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableView, QVBoxLayout

from annotator.core.model import DocumentStatus
from annotator.store.team import CoderDocument

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

HEADERS = ("Coder", "Document", "Assigned", "Sample", "Merged", "Annotations", "Status")
AnyIndex = QModelIndex | QPersistentModelIndex


def _status(row: CoderDocument) -> str:
    if not row.merged_at:
        return "not merged yet" if row.assigned else ""
    try:
        return DocumentStatus(row.status).label
    except ValueError:
        return row.status


class ProgressModel(QAbstractTableModel):
    def __init__(self, rows: list[CoderDocument]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = 0
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = 0) -> object:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        row = self.rows[index.row()]
        cells = (
            row.coder,
            row.title,
            "yes" if row.assigned else "no",
            "yes" if row.sample else "",
            row.merged_at.replace("T", " ")[:16],
            str(row.annotations),
            _status(row),
        )
        return cells[index.column()]


class ProgressWindow(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Coder Progress")
        rows = window.project.coder_progress()
        self.model = ProgressModel(rows)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.verticalHeader().hide()
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        coders = sorted({r.coder for r in rows}, key=str.casefold)
        merged = sum(1 for r in rows if r.merged_at)
        summary = (
            f"{len(coders)} coders, {len(rows)} coder × document rows, {merged} merged."
            if rows
            else "No coder copies were prepared or merged in this project yet "
            "(Team ▸ Prepare Coder Copies…)."
        )
        layout.addWidget(QLabel(summary))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 480)


def show_coder_progress(window: MainWindow) -> ProgressWindow | None:
    if window.session is None:
        return None
    dialog = ProgressWindow(window)
    dialog.show()
    return dialog
