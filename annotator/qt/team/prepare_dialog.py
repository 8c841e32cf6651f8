"""Team ▸ Prepare Coder Copies…: the lead names the coders, chooses who codes what,
and the copies are written into a folder (``ops.team.prepare_coder_copies``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.progress import Cancelled, Progress
from annotator.core.team import Plan, coder_names
from annotator.ops.team import Prepared, plan_for, prepare_coder_copies
from annotator.qt.common import dialogs
from annotator.store.errors import ProjectError

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

TITLE = "Prepare Coder Copies"


class PrepareDialog(QDialog):
    """Coders, the deal of documents (everything for everyone, a percentage sample or
    chosen sample documents) and the folder; OK writes the copies."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle(TITLE)
        self.coders = QLineEdit()
        self.coders.setPlaceholderText("Ana, Ben, Cem")
        self.everything = QRadioButton("Every coder codes every document")
        self.split = QRadioButton("Deal the documents out, with a reliability sample of")
        self.chosen = QRadioButton(
            "Deal the documents out; every coder codes the documents ticked:"
        )
        self.everything.setChecked(True)
        group = QButtonGroup(self)
        for button in (self.everything, self.split, self.chosen):
            group.addButton(button)
        self.percent = QDoubleSpinBox()
        self.percent.setRange(1, 100)
        self.percent.setValue(20)
        self.percent.setSuffix(" %")
        self.documents = QListWidget()
        for doc in window.project.documents(counts=False):
            item = QListWidgetItem(doc.title)
            item.setData(Qt.ItemDataRole.UserRole, doc.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.documents.addItem(item)
        self.folder = QLineEdit(str(window.project.path.parent / "coder copies"))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b91c1c;")

        form = QFormLayout()
        form.addRow("Coders (comma-separated):", self.coders)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form.addRow("Write the copies into:", folder_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.everything)
        split_row = QHBoxLayout()
        split_row.addWidget(self.split)
        split_row.addWidget(self.percent)
        split_row.addStretch(1)
        layout.addLayout(split_row)
        layout.addWidget(self.chosen)
        layout.addWidget(self.documents, 1)
        note = QLabel(
            "Each copy holds its coder's documents, the codebook, the registry and the "
            "document variables, and none of the other coders' annotations. Existing "
            "files are never overwritten."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.message)
        buttons, self.ok = dialogs.ok_cancel_buttons(self)
        self.ok.setText("Write Copies")
        layout.addWidget(buttons)
        self.prepared: Prepared | None = None

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the coder copies", "")
        if folder:
            self.folder.setText(folder)

    def plan(self) -> Plan:
        """The plan the fields describe; ValueError says what is wrong."""
        coders = coder_names(self.coders.text())
        project = self.window_.project
        if self.split.isChecked():
            return plan_for(project, coders, percent=self.percent.value())
        if self.chosen.isChecked():
            ticked = [
                str(self.documents.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.documents.count())
                if self.documents.item(i).checkState() == Qt.CheckState.Checked
            ]
            if not ticked:
                raise ValueError("Tick the documents every coder codes.")
            return plan_for(project, coders, sample=ticked)
        return plan_for(project, coders)

    def accept(self) -> None:
        try:
            plan = self.plan()
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        folder = self.folder.text().strip()
        if not folder:
            self.message.setText("Choose a folder for the copies.")
            return
        try:
            self.prepared = write_copies(self, self.window_, plan, Path(folder))
        except (ProjectError, OSError) as exc:
            self.message.setText(str(exc))
            return
        if self.prepared is None:  # cancelled: nothing was written
            self.message.setText("Cancelled: no copy was written.")
            return
        super().accept()


def write_copies(parent: QWidget, window: MainWindow, plan: Plan, folder: Path) -> Prepared | None:
    """Write the copies with a progress dialog whose Cancel removes those written
    (None then)."""
    bar = QProgressDialog("Writing the coder copies…", "Cancel", 0, len(plan.coders), parent)
    bar.setWindowTitle(TITLE)
    bar.setWindowModality(Qt.WindowModality.WindowModal)
    bar.setMinimumDuration(0)

    def report(done: int, total: int, label: str) -> None:
        bar.setMaximum(max(total, 1))
        bar.setValue(done)
        bar.setLabelText(label)
        QCoreApplication.processEvents()
        if bar.wasCanceled():
            progress.cancel()

    progress = Progress(report)
    try:
        result = prepare_coder_copies(window.project, plan, folder, progress)
    except Cancelled:
        return None
    finally:
        bar.close()
    return result.value


def prepare_coder_copies_dialog(window: MainWindow) -> PrepareDialog | None:
    """Open the dialog (window-modal, not blocking); on success the status bar and an
    information box say what was written."""
    if window.session is None:
        return None
    dialog = PrepareDialog(window)

    def done() -> None:
        if dialog.prepared is not None:
            lines = dialog.prepared.lines()
            window.statusBar().showMessage(f"Wrote {len(dialog.prepared.files)} coder copies", 8000)
            dialogs.show_info(window, TITLE, "\n".join(lines))

    dialog.accepted.connect(done)
    dialog.open()
    return dialog
