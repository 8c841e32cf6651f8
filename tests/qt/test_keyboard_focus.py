"""Keys reach every part of the window: the document list, the text, the annotation
table and the fields; Enter on an annotation's row opens its fields."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.qt.conftest import press, select_text

ALT = Qt.KeyboardModifier.AltModifier


def test_alt_keys_move_between_the_parts_of_the_window(sample_window, qtbot):
    window = sample_window
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_1, ALT)
    assert window.doc_table.hasFocus()
    press(qtbot, window.doc_table, Qt.Key.Key_3, ALT)
    assert window.ann_table.hasFocus()
    press(qtbot, window.ann_table, Qt.Key.Key_2, ALT)
    assert window.view.hasFocus()


def test_enter_on_an_annotation_row_opens_its_fields(sample_window, qtbot):
    window = sample_window
    select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_1)
    window.view.setFocus()
    select_text(window, "the group's headquarters is located in Seoul")
    press(qtbot, window.view, Qt.Key.Key_2)
    press(qtbot, window.view, Qt.Key.Key_3, ALT)
    table = window.ann_table
    assert table.hasFocus()
    claim_row = next(
        r
        for r in range(window.annotations.rowCount())
        if window.annotations.annotation(r).category == "claim"
    )
    table.setCurrentIndex(window.annotations.index(claim_row, 1))
    press(qtbot, table, Qt.Key.Key_Return)
    assert window.panel.editors["claimant"].hasFocus()  # the empty required field first
