from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.app import build_window
from annotator.exporting.model import ExportOptions
from annotator.qt.common import dialogs
from annotator.qt.common.settings import AppSettings
from annotator.qt.exporting import export_dialog
from annotator.qt.importing import import_dialogs
from annotator.qt.main_window import MainWindow


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record error/info boxes instead of blocking on them."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, msg: shown.append((title, msg)))
    monkeypatch.setattr(dialogs, "show_info", lambda _p, title, msg: shown.append((title, msg)))

    def unexpected_question(_parent, title, message):  # a modal box would hang the test
        raise AssertionError(f"unexpected question: {title}: {message}")

    monkeypatch.setattr(dialogs, "confirm", unexpected_question)
    monkeypatch.setattr(
        dialogs,
        "choose",
        lambda parent, title, message, _buttons: unexpected_question(parent, title, message),
    )

    def export_request(window):  # File ▸ Export for Analysis… asks only the folder in tests
        folder = dialogs.export_folder(window, "")
        return export_dialog.ExportRequest(folder, ExportOptions()) if folder else None

    monkeypatch.setattr(export_dialog, "run_export_dialog", export_request)
    # The import dialog is answered "Import, no metadata CSV" unless a test says otherwise.
    monkeypatch.setattr(import_dialogs, "ask_import", lambda *_a: import_dialogs.ImportChoice())
    return shown


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.ini"


def activate(qtbot, widget) -> None:
    """Show ``widget`` as the active window (Qt's shortcuts need one) and wait for it."""
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


@pytest.fixture
def make_window(qtbot, settings_path: Path):
    def make(path: Path | None = None, coder: str | None = "Ana") -> MainWindow:
        window = build_window(path, coder, AppSettings(settings_path))
        qtbot.addWidget(window)
        activate(qtbot, window)
        return window

    return make


@pytest.fixture
def sample_window(make_window, tmp_path: Path) -> MainWindow:
    """First run: the default project with the five sample documents."""
    return make_window(None)


def select_text(window: MainWindow, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """Select ``needle`` in the view with a real QTextCursor; return code points."""
    text = window.view.text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    end = start + len(needle)
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.offsets.to_utf16(start))
    cursor.setPosition(window.view.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    window.view.setFocus()
    return start, end


def press(qtbot, widget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifier)


def keep_then_stop(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The user asked, while long work runs, whether to stop it and close: keeps it
    going the first time, stops it the second. The questions asked, in order."""
    asked: list[str] = []

    def answer(_parent: object, _title: str, message: str) -> bool:
        asked.append(message)
        return len(asked) > 1

    monkeypatch.setattr(dialogs, "confirm", answer)
    return asked
