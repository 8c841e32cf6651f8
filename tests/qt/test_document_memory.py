"""The document shown is remembered for the next start, without rewriting the
settings file at every step through the documents."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotator.qt.common.settings import AppSettings
from annotator.store.project import create_project

from .conftest import press


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "p.annotator"
    with create_project(path) as project:
        for n in range(4):
            project.import_text(f"Document number {n} 👍🏽 says something.\n", title=f"Doc {n}")
    return path


def test_paging_through_documents_writes_the_settings_once_and_closing_keeps_the_last(
    make_window, qtbot, tmp_path, settings_path
):
    path = _project(tmp_path)
    window = make_window(path)
    window.view.setFocus()
    for _ in range(3):
        press(qtbot, window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    last = window.current
    assert last is not None and last.title == "Doc 3"
    qtbot.wait(300)  # the events of the steps are all handled
    # Not written at each step: the file does not name the document shown yet.
    assert last.id not in settings_path.read_text(encoding="utf-8")
    window.close()
    assert last.id in settings_path.read_text(encoding="utf-8")

    again = make_window(path)
    assert again.current is not None and again.current.id == last.id


def test_the_document_shown_is_written_a_moment_after_the_last_step(
    make_window, qtbot, tmp_path, settings_path
):
    path = _project(tmp_path)
    window = make_window(path)
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    shown = window.current
    assert shown is not None and shown.title == "Doc 1"
    qtbot.waitUntil(lambda: shown.id in settings_path.read_text(encoding="utf-8"), timeout=5000)
    # Another reader of the file (a second window) finds it there.
    assert AppSettings(settings_path).last_document(path)[0] == shown.id
