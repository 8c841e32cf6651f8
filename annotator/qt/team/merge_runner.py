"""Team ▸ Merge Coder Files…: a verified backup, then the merge on a worker thread
with a progress dialog and Cancel, then the report in a dialog.

The worker merges through a connection of its own (``ops.team.project_beside``):
the window's keeps reading (WAL) while user input is held off by the progress
dialog. Cancel stops the merge at its next step and interrupts SQLite in the
middle of one; the file being merged is rolled back, those before it stay merged.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.paths import PROJECT_SUFFIX
from annotator.core.progress import Progress
from annotator.core.team import MergeReport
from annotator.ops.changes import changed
from annotator.ops.team import MergeCancelled, merge_coder_files
from annotator.qt.common import dialogs
from annotator.qt.common.worker_run import WorkerRun, run_with_progress
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

TITLE = "Merge Coder Files"


def ask_files(parent: QWidget, folder: str) -> list[str]:
    """The coder files to merge (none: the dialog was cancelled)."""
    files, _ = QFileDialog.getOpenFileNames(
        parent, TITLE, folder, f"Annotator projects (*{PROJECT_SUFFIX});;All files (*)"
    )
    return list(files)


class MergeReportDialog(QDialog):
    """What each file brought: added, updated, deleted, unchanged, conflicts, refused."""

    def __init__(self, parent: QWidget, reports: list[MergeReport], note: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge Report")
        self.reports = reports
        layout = QVBoxLayout(self)
        if note:
            layout.addWidget(QLabel(note))
        self.text = QPlainTextEdit("\n".join(line for r in reports for line in r.lines()))
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 380)


class MergeRun(WorkerRun[list[MergeReport]]):
    """One merge on a worker thread; :meth:`cancel` may be called from the window."""

    def __init__(self, project: Project, paths: list[Path]) -> None:
        self.paths = paths
        self.before_cancel: list[MergeReport] = []  # the files merged before a Cancel

        def work(beside: Project, progress: Progress) -> list[MergeReport]:
            try:
                return merge_coder_files(beside, paths, progress, backed_up=True).value
            except MergeCancelled as stopped:
                self.before_cancel = stopped.reports
                raise

        super().__init__(project, work, "merge", reads=False)

    @property
    def reports(self) -> list[MergeReport]:
        """What each file merged did (after a Cancel: those that stay merged)."""
        return self.value if self.value is not None else self.before_cancel


def run_merge(window: MainWindow, paths: list[Path]) -> MergeReportDialog | None:
    """Back up, merge ``paths`` on a worker with progress and Cancel, refresh the
    window and show the report (returned; None if nothing ran)."""
    session = window.session
    if session is None or not paths:
        return None
    if window.project.read_only:
        dialogs.show_error(window, TITLE, "This project is open read-only: nothing was merged.")
        return None
    if not session.backup("before-merge"):  # its failure was reported
        return None
    run = MergeRun(window.project, paths)
    run_with_progress(window, "Merging", run)
    if run.error is not None:
        dialogs.show_error(window, TITLE, f"The merge failed: {run.error}")
    merged = [r for r in run.reports if not r.refused_file and r.changed_anything]
    if merged:
        window.undo_stack.clear()  # the project changed beneath the history
        categories = [c.id for c in window.project.categories()]
        session.publish(changed("category", categories))  # everything shown again
    note = ""
    if run.cancelled:
        note = "Cancelled: the file being merged was rolled back" + (
            f"; {len(run.reports)} file(s) before it stay merged." if run.reports else "."
        )
    report = MergeReportDialog(window, run.reports, note)
    report.open()
    window.statusBar().showMessage(
        "; ".join(r.summary() for r in run.reports) or note or "Nothing merged", 10000
    )
    return report


def merge_coder_files_dialog(window: MainWindow, folder: str) -> MergeReportDialog | None:
    files = ask_files(window, folder)
    return run_merge(window, [Path(f) for f in files])
