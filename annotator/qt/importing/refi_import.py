"""File ▸ Import REFI-QDA Project…: a ``.qdpx`` or ``.qdc`` from another tool (or
from Annotator) made into a new project, which then opens.

One dialog asks where the new project goes and what nested codes become; the
import then runs on a worker thread (it writes only the new file, with its own
connection) behind a progress dialog whose Cancel leaves nothing behind. The
report says what was imported and what was left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.paths import PROJECT_SUFFIX
from annotator.core.progress import Cancelled, Progress
from annotator.importing.model import ImportRejected
from annotator.importing.refi import RefiReport, import_refi
from annotator.qt.common import dialogs
from annotator.store.errors import ProjectError

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

TITLE = "Import REFI-QDA Project"
FILTER = "REFI-QDA projects and codebooks (*.qdpx *.qdc);;All files (*)"


@dataclass(frozen=True)
class RefiChoice:
    out: Path  # the new project file
    nested: str  # "choices" or "categories"


def free_project_path(source: Path) -> Path:
    """``<folder>/<name>.annotator`` beside the file, numbered if that is taken."""
    path, n = source.with_suffix(PROJECT_SUFFIX), 2
    while path.exists():
        path, n = source.with_name(f"{source.stem} ({n}){PROJECT_SUFFIX}"), n + 1
    return path


class RefiImportDialog(QDialog):
    """Where the new project goes and what nested codes become."""

    def __init__(self, source: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setObjectName("refi_import_dialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"The sources of “{source.name}” become the documents of a new project, its "
            "codes categories, its coded selections annotations and its users coders."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.path_edit = QLineEdit(str(free_project_path(source)))
        self.path_edit.setObjectName("refi_project_path")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow("New project file:", row)
        self.as_choices = QRadioButton(
            "choices of a “Sub-code” attribute of the top-level code (one category per "
            "top-level code)"
        )
        self.as_choices.setObjectName("refi_nested_choices")
        self.as_categories = QRadioButton("categories of their own")
        self.as_categories.setObjectName("refi_nested_categories")
        self.as_choices.setChecked(True)
        nested = QVBoxLayout()
        nested.addWidget(self.as_choices)
        nested.addWidget(self.as_categories)
        form.addRow("Nested codes become:", nested)
        layout.addLayout(form)
        self.problem = QLabel("")
        self.problem.setObjectName("refi_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b91c1c")
        layout.addWidget(self.problem)
        buttons, self.ok_button = dialogs.ok_cancel_buttons(self)
        self.ok_button.setText("Import")
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        path = dialogs.new_project_path(self, str(Path(self.path_edit.text()).parent), TITLE)
        if path:
            self.path_edit.setText(path)

    def out(self) -> Path:
        text = self.path_edit.text().strip()
        path = Path(text).expanduser()
        return path if path.suffix else path.with_suffix(PROJECT_SUFFIX)

    def accept(self) -> None:
        if not self.path_edit.text().strip():
            self.problem.setText("Name the new project file.")
        elif self.out().exists():
            self.problem.setText(f"“{self.out().name}” already exists: choose a new name.")
        elif not self.out().parent.is_dir():
            self.problem.setText(f"The folder “{self.out().parent}” does not exist.")
        else:
            super().accept()

    def choice(self) -> RefiChoice:
        nested = "categories" if self.as_categories.isChecked() else "choices"
        return RefiChoice(self.out(), nested)


def ask_refi_import(parent: QWidget | None, source: Path) -> RefiChoice | None:
    dialog = RefiImportDialog(source, parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


class RefiImportWorker(QThread):
    """Runs :func:`import_refi` off the window's thread; :attr:`outcome` is the
    report, or the message of a refusal, or ``None`` when cancelled."""

    progressed = Signal(int, int, str)

    def __init__(self, source: Path, choice: RefiChoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.choice = choice
        self.progress = Progress(self.progressed.emit)
        self.outcome: RefiReport | str | None = None

    def run(self) -> None:
        try:
            self.outcome = import_refi(
                self.source, self.choice.out, nested=self.choice.nested, progress=self.progress
            )
        except Cancelled:
            self.outcome = None
        except ImportRejected as exc:
            self.outcome = f"{self.source.name}: {exc}. Nothing was imported."
        except (ProjectError, OSError, ValueError) as exc:
            self.outcome = (
                f"{self.source.name} could not be imported ({exc}). Nothing was imported."
            )


def run_import(parent: QWidget | None, source: Path, choice: RefiChoice) -> RefiReport | str | None:
    """Import with a progress dialog (Cancel stops it and keeps nothing), the event
    loop turning meanwhile."""
    worker = RefiImportWorker(source, choice, parent)
    dialog = QProgressDialog(f"Importing {source.name}…", "Cancel", 0, 0, parent)
    dialog.setWindowTitle(TITLE)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.canceled.connect(worker.progress.cancel)

    def show(done: int, total: int, label: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        if label:
            dialog.setLabelText(f"Importing {source.name}: {label}")

    worker.progressed.connect(show)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    if not worker.isFinished():
        loop.exec()
    worker.wait()
    dialog.reset()
    dialog.deleteLater()
    outcome = worker.outcome
    worker.deleteLater()
    return outcome


def import_refi_project(window: MainWindow, folder: str) -> None:
    """The menu command: choose the file, answer the dialog, import, open."""
    chosen = dialogs.choose_file_to_open(window, TITLE, folder, FILTER)
    if not chosen:
        return
    source = Path(chosen)
    choice = ask_refi_import(window, source)
    if choice is None:
        return
    outcome = run_import(window, source, choice)
    if outcome is None:
        window.statusBar().showMessage("REFI-QDA import cancelled; nothing was written.", 6000)
    elif isinstance(outcome, str):
        dialogs.show_error(window, TITLE, outcome)
    else:
        dialogs.show_info(window, TITLE, str(outcome))
        window.open_project_file(choice.out)
