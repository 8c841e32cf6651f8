"""An export running behind the window: a progress bar and Cancel in the status
bar while the window stays usable, then the result as the export dialog always
showed it.

One export at a time; the window asks before it closes on a running one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from annotator.exporting.model import ExportOptions, ExportResult
from annotator.qt.common import dialogs
from annotator.qt.exporting.export_process import ExportProcess
from annotator.qt.exporting.progress_lines import Failed, Finished, Message

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

TITLE = "Export for Analysis"
RESULT_SHOWN_MS = 8000


class ExportProgress(QWidget):
    """The status bar's part while an export runs: what it is doing, how far it
    got, and Cancel."""

    def __init__(self, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.label = QLabel("Exporting…")
        self.label.setToolTip(f"Exporting to {folder}")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the export knows its tables
        self.bar.setFixedWidth(160)
        self.bar.setAccessibleName("Export progress")
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop the export; the folder stays as it was")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        # As low as a line of the status bar's text: a taller panel would make the
        # bar taller, and the whole window lay itself out and repaint (60 ms with
        # a busy document) the moment the export starts.
        line = self.label.fontMetrics().height() + 2
        self.setFixedHeight(max(line, self.bar.minimumSizeHint().height()))
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

    def show_step(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            text = f"Exporting {label}…"
        else:
            self.bar.setRange(0, 0)
            text = f"Exporting: {label}…"
        if self.cancel_button.isEnabled():  # else it still says it is cancelling
            self.label.setText(text)

    def show_cancelling(self) -> None:
        self.label.setText("Cancelling the export…")
        self.cancel_button.setEnabled(False)


class ExportRun(QObject):
    """One export of ``window``'s project into ``folder``; ``done`` once it ended
    and the window was told."""

    done = Signal(object)  # the Message it ended with

    def __init__(self, window: MainWindow, folder: str, options: ExportOptions) -> None:
        super().__init__(window)
        self.window = window
        self.folder = folder
        self.ended = False
        self.process = ExportProcess(window.project.path, Path(folder), options, self)
        self.panel = ExportProgress(folder)
        self.process.progressed.connect(self.panel.show_step)
        self.process.finished.connect(self._finished)
        self.panel.cancel_button.clicked.connect(self.cancel)

    def start(self) -> None:
        self.window.statusBar().insertPermanentWidget(0, self.panel)  # before the coder
        self.panel.show()
        self.process.start()

    def cancel(self) -> None:
        self.panel.show_cancelling()
        self.process.cancel()

    def stop_now(self) -> None:
        self.panel.show_cancelling()
        self.process.stop_now()

    def _finished(self, outcome: Message) -> None:
        self.ended = True
        self.window.statusBar().removeWidget(self.panel)
        self.panel.deleteLater()
        show_outcome(self.window, self.folder, outcome)
        self.done.emit(outcome)
        self.deleteLater()


def show_outcome(window: MainWindow, folder: str, outcome: Message) -> None:
    """Tell the user how the export ended, as the export dialog always did."""
    if isinstance(outcome, Finished):
        show_result(window, outcome.result)
    elif isinstance(outcome, Failed):
        dialogs.show_error(window, TITLE, f"The export failed: {outcome.message}")
    else:
        window.statusBar().showMessage(
            f"Export cancelled; nothing in {folder} was changed.", RESULT_SHOWN_MS
        )


def show_result(window: MainWindow, result: ExportResult) -> None:
    count = len(result.written)
    noun = "file" if count == 1 else "files"
    window.statusBar().showMessage(f"Exported {count} {noun} to {result.folder}", RESULT_SHOWN_MS)
    offer_to_open(window, result.folder)
    notes = list(result.warnings)
    notes += [f".{fmt} files not written: {how}" for fmt, how in result.skipped_formats.items()]
    if notes:
        dialogs.show_info(window, TITLE, "\n".join(notes))


def offer_to_open(window: MainWindow, folder: str) -> None:
    """An "Open Folder" button beside the result in the status bar, while it shows."""
    previous = window.findChild(QPushButton, "openExportFolder")
    if previous is not None:
        window.statusBar().removeWidget(previous)
        previous.deleteLater()
    button = QPushButton("Open Folder", window)
    button.setObjectName("openExportFolder")
    button.setFlat(True)
    button.setToolTip(folder)
    button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(folder)))
    window.statusBar().insertPermanentWidget(0, button)  # a message would hide a plain one

    def remove() -> None:
        window.statusBar().removeWidget(button)
        button.deleteLater()

    QTimer.singleShot(RESULT_SHOWN_MS, button, remove)


def running_export(window: QWidget) -> ExportRun | None:
    """The export ``window`` is running, if any."""
    runs = [run for run in window.findChildren(ExportRun) if not run.ended]
    return runs[0] if runs else None


def say_one_is_running(window: QWidget) -> None:
    dialogs.show_info(
        window,
        TITLE,
        "An export is already running. Wait for it to finish, or cancel it in the "
        "status bar, then export again.",
    )


def start_export(window: MainWindow, folder: str, options: ExportOptions) -> ExportRun | None:
    """Start exporting the window's project; ``None`` if an export already runs."""
    if running_export(window) is not None:
        say_one_is_running(window)
        return None
    run = ExportRun(window, folder, options)
    run.start()
    return run


def may_close(window: QWidget) -> bool:
    """Before the window closes: ``False`` to keep it open because an export runs
    and the user wants it to finish; else any export is stopped."""
    run = running_export(window)
    if run is None:
        return True
    if not dialogs.confirm(
        window,
        TITLE,
        f"An export to {run.folder} is still running.\n\n"
        "Cancel it and close? The folder keeps the previous export.",
    ):
        return False
    run.stop_now()
    return True
