"""File ▸ Export ▸ REFI-QDA Project… and REFI-QDA Codebook…

The project file is written on a worker thread, through a read-only connection
of its own (as the analysis export's child process reads the project), while
a progress dialog with Cancel shows after half a second: a small project is
done before it appears, with a wait cursor meanwhile. Writing is Python code
that gives the interpreter back every few milliseconds, so the window stays
responsive. The codebook alone takes milliseconds: it is written at once, under
a wait cursor. Either way a message says where the file went and what it holds.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog

from annotator.core.progress import Cancelled, Progress
from annotator.exporting.folder import failure_text
from annotator.exporting.refi import RefiResult, write_qdc, write_qdpx
from annotator.qt.common import dialogs
from annotator.store.errors import ProjectError
from annotator.store.project import open_project

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

PROJECT_TITLE = "Export REFI-QDA Project"
CODEBOOK_TITLE = "Export REFI-QDA Codebook"
PROJECT_FILTER = "REFI-QDA project (*.qdpx);;All files (*)"
CODEBOOK_FILTER = "REFI-QDA codebook (*.qdc);;All files (*)"
TOOLS = "MAXQDA, NVivo, ATLAS.ti, QualCoder and other REFI-QDA tools"
SHOW_AFTER_MS = 500
STOP_WAIT_S = 30.0  # how long closing the window waits for a cancelled export to clean up


def _with_suffix(path: str, suffix: str) -> Path:
    chosen = Path(path)
    return chosen if chosen.suffix.lower() == suffix else chosen.with_name(chosen.name + suffix)


def _default_name(window: MainWindow, folder: str, suffix: str) -> str:
    return str(Path(folder) / f"{window.project.path.stem}{suffix}")


def export_refi_codebook(window: MainWindow, folder: str) -> None:
    if window.session is None:
        return
    path = dialogs.choose_file_to_save(
        window, CODEBOOK_TITLE, _default_name(window, folder, ".qdc"), CODEBOOK_FILTER
    )
    if not path:
        return
    out = _with_suffix(path, ".qdc")
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = write_qdc(window.project, out)
    except (OSError, ProjectError, ValueError) as exc:
        QApplication.restoreOverrideCursor()
        dialogs.show_error(window, CODEBOOK_TITLE, f"The codebook was not written: {exc}")
        return
    QApplication.restoreOverrideCursor()
    window.statusBar().showMessage(f"Codebook written to {out}", 5000)
    dialogs.show_info(
        window,
        CODEBOOK_TITLE,
        f"{out.name} holds {result.codes} codes: each category, and the choices of its "
        f"choice attributes as sub-codes. {TOOLS} import it.",
    )


class _Worker(QObject):
    """Writes the project file on a thread; says how far it got and how it ended."""

    progressed = Signal(int, int, str)
    ended = Signal(object)  # RefiResult, a failure's text, or None when cancelled

    def __init__(self, project: Path, out: Path) -> None:
        super().__init__()
        self.project, self.out = project, out
        self.progress = Progress(self.progressed.emit)

    def run(self) -> None:
        outcome: RefiResult | str | None
        try:
            with open_project(self.project, read_only=True) as project:
                outcome = write_qdpx(project, self.out, self.progress)
        except Cancelled:
            outcome = None
        except (OSError, ProjectError, ValueError) as exc:
            outcome = failure_text(exc) if isinstance(exc, OSError) else str(exc)
        self.ended.emit(outcome)


class _Run(QObject):
    """The window's side of one export: its progress dialog and its ending. Lives on
    the window's thread, so the worker's signals reach it through the event loop."""

    def __init__(self, window: MainWindow, worker: _Worker) -> None:
        super().__init__(window)
        self.window, self.worker, self.out = window, worker, worker.out
        self.writer = threading.Thread(target=worker.run, name="refi-export", daemon=True)
        self.dialog = QProgressDialog(f"Writing {self.out.name}…", "Cancel", 0, 0, window)
        self.dialog.setWindowTitle(PROJECT_TITLE)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(worker.progress.cancel)
        worker.progressed.connect(self.progressed)
        worker.ended.connect(self.ended)

    @Slot(int, int, str)
    def progressed(self, done: int, total: int, label: str) -> None:
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))
        self.dialog.setLabelText(f"Writing {self.out.name}: {label}…")

    @Slot(object)
    def ended(self, outcome: RefiResult | str | None) -> None:
        window, out = self.window, self.out
        window._refi_export = None  # type: ignore[attr-defined]
        self.dialog.close()
        self.dialog.deleteLater()
        self.deleteLater()
        QApplication.restoreOverrideCursor()
        if outcome is None:
            window.statusBar().showMessage(f"Export cancelled; {out.name} was not written.", 5000)
        elif isinstance(outcome, str):
            dialogs.show_error(window, PROJECT_TITLE, f"{out.name} was not written: {outcome}")
        else:
            window.statusBar().showMessage(f"REFI-QDA project written to {out}", 5000)
            dialogs.show_info(
                window,
                PROJECT_TITLE,
                f"{out.name} holds {outcome.documents} documents and {outcome.annotations} "
                f"annotations with {outcome.codes} codes. {TOOLS} open it; each annotation's "
                "memo and attribute values are in its note (README: “REFI-QDA exchange”).",
            )


def export_refi_project(window: MainWindow, folder: str) -> None:
    if window.session is None:
        return
    if getattr(window, "_refi_export", None) is not None:
        dialogs.show_info(window, PROJECT_TITLE, "A REFI-QDA export is already being written.")
        return
    path = dialogs.choose_file_to_save(
        window, PROJECT_TITLE, _default_name(window, folder, ".qdpx"), PROJECT_FILTER
    )
    if not path:
        return
    worker = _Worker(window.project.path, _with_suffix(path, ".qdpx"))
    run = _Run(window, worker)
    window._refi_export = run  # type: ignore[attr-defined]
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    run.writer.start()


def may_close(window: MainWindow) -> bool:
    """Before the window closes: ``False`` to keep it open because a REFI-QDA project
    is being written and the user wants it finished; else the export is cancelled
    and waited for, so that its partial file is removed before the app quits (the
    writer's thread would otherwise die with the process and leave it behind)."""
    run: _Run | None = getattr(window, "_refi_export", None)
    if run is None or not run.writer.is_alive():
        return True
    if not dialogs.confirm(
        window,
        PROJECT_TITLE,
        f"{run.out.name} is still being written.\n\nCancel it and close? The file is not written.",
    ):
        return False
    ended = getattr(window, "_refi_export", None) is not run
    if ended:  # while the question was up (its ending was told)
        return True
    run.worker.ended.disconnect(run.ended)  # the window is going: nothing to tell it
    run.worker.progress.cancel()
    run.writer.join(STOP_WAIT_S)
    run.ended(None)
    return True
