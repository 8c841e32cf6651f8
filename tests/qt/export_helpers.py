"""Waiting for the export the window runs behind it."""

from __future__ import annotations

from annotator.qt.exporting.export_runner import running_export
from annotator.qt.exporting.progress_lines import Message
from annotator.qt.main_window import MainWindow


def wait_for_export(qtbot, window: MainWindow, timeout_ms: int = 30_000) -> Message:
    """Wait until the window's running export ends; how it ended."""
    run = running_export(window)
    assert run is not None, "no export is running"
    with qtbot.waitSignal(run.done, timeout=timeout_ms) as ended:
        pass
    return ended.args[0]
