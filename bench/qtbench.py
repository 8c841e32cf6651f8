"""What the window benchmarks share: settling, timing and activating the window.
Import it after ``benchlib.isolated_folders`` (it imports Qt)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtWidgets import QApplication

from annotator.qt.main_window import MainWindow


def settle(window: MainWindow) -> None:
    QApplication.processEvents()
    window.view.viewport().grab()


def timed(action: Callable[[], object], before: Callable[[], object] | None = None) -> float:
    """Milliseconds taken by ``action`` (``before`` runs first, untimed)."""
    if before is not None:
        before()
    gc.collect()
    t0 = time.perf_counter()
    action()
    return (time.perf_counter() - t0) * 1000.0


def activate(window: MainWindow) -> None:
    """Make the window active: Qt delivers shortcuts (the tagging keys) only then."""
    window.activateWindow()
    deadline = time.monotonic() + 5
    while QApplication.activeWindow() is not window and time.monotonic() < deadline:
        QApplication.processEvents()
    if QApplication.activeWindow() is not window:
        raise RuntimeError("the window did not become active, so keys would not reach it")
