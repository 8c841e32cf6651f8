"""Uncaught exceptions: logged to the rotating log file and shown to the user
with the log's path and a "Copy details" button; the app keeps running."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from annotator.core.logs import log_file, setup_logging


def show_crash(parent: QWidget | None, summary: str, details: str, log_path: str) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Annotator: unexpected error")
    box.setText(
        f"{summary}\n\nYour saved work is safe: every change is saved as you make it. "
        f"The details are in the log file:\n{log_path}"
    )
    box.setDetailedText(details)
    copy = box.addButton("Copy Details", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is copy:
        QApplication.clipboard().setText(f"{summary}\n\n{details}")


Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def make_excepthook(parent: Callable[[], QWidget | None]) -> Hook:
    """An ``sys.excepthook`` that logs, then tells the user (through ``show_crash``)."""
    logger = setup_logging()

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        logger.error("uncaught exception\n%s", details)
        summary = f"Something went wrong: {kind.__name__}: {error}"
        try:
            show_crash(parent(), summary, details, str(log_file()))
        except Exception:  # the dialog itself failed: the log still has it
            sys.__excepthook__(kind, error, tb)

    return hook
