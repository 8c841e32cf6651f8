"""View ▸ Zoom In / Out keep the place the coder works at in view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor


def test_zooming_keeps_the_cursor_in_view(sample_window, qtbot):
    window = sample_window
    longest = max(
        range(window.documents.rowCount()),
        key=lambda r: len(window.project.document_text(window.documents.document(r).id)),
    )
    window.doc_table.selectRow(longest)
    view = window.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.textCursor().position() == view.document().characterCount() - 1
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(10)
        assert view.viewport().rect().contains(view.cursorRect().center())
    view.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(10)
    assert view.viewport().rect().contains(view.cursorRect().center())
