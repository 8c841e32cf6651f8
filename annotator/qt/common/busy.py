"""Feedback while the window works without returning to the event loop."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QMainWindow


@contextmanager
def busy(window: QMainWindow, message: str) -> Iterator[None]:
    """Show ``message`` in the status bar and the wait cursor until the block ends.

    The message is painted before the work starts (user input waits). If the
    block raises, the status bar goes back to what it said before.
    """
    bar = window.statusBar()
    before = bar.currentMessage()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    bar.showMessage(message)
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    try:
        yield
    except BaseException:
        bar.showMessage(before)
        raise
    finally:
        QApplication.restoreOverrideCursor()
