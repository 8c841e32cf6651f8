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


def test_a_long_claim_is_selected_by_sentences_and_coded_again_with_r(sample_window, qtbot):
    window = sample_window
    text = window.view.text
    first = text.index("On June 13 and 14")
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.offsets.to_utf16(first))
    window.view.setTextCursor(cursor)
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Right, ALT | Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, window.view, Qt.Key.Key_Right, ALT | Qt.KeyboardModifier.ShiftModifier)
    start, end = window.view.selection_span()
    assert text[start:end] == (
        "On June 13 and 14, another round of an Extended Deterrence Dialogue between the "
        "United States and Japan was held in Wyoming. On Tuesday, South Korea and China "
        "held their first sub-Cabinet level security talks in Seoul."
    )
    press(qtbot, window.view, Qt.Key.Key_2)
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Down, ALT | Qt.KeyboardModifier.ShiftModifier)
    start, end = window.view.selection_span()
    assert text[end] == "\n" and text[start:end].endswith("coincidence.")
    press(qtbot, window.view, Qt.Key.Key_R)
    claims = [a for a in window.project.annotations() if a.category == "claim"]
    assert len(claims) == 2


def test_f8_goes_to_the_next_incomplete_annotation_across_documents(sample_window, qtbot):
    window = sample_window
    first_doc = window.current.id
    select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_2)  # a claim without its claimant
    window.step_document(2)
    third_doc = window.current.id
    select_text(window, "Japan")
    press(qtbot, window.view, Qt.Key.Key_3)  # a stance without polarity, holder, target
    window.step_document(-1)
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_F8)
    assert window.current.id == third_doc
    assert window.coding.selected_annotation().quote == "Japan"
    press(qtbot, window.view, Qt.Key.Key_F8)  # round to the first document
    assert window.current.id == first_doc
    assert window.coding.selected_annotation().quote == "Kim Jong Un"


def test_marking_done_with_incomplete_annotations_says_so(sample_window, qtbot, monkeypatch):
    from annotator.core.model import DocumentStatus
    from annotator.qt.common import dialogs

    window = sample_window
    select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_2)  # a claim without its claimant
    asked: list[str] = []
    answers = iter([0, 1])

    def choose(_parent, _title, message, buttons):
        asked.append(message)
        assert buttons == ["Go to the First", "Mark as Done Anyway"]
        return next(answers)

    monkeypatch.setattr(dialogs, "choose", choose)
    window.view.setFocus()
    shift_ctrl = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
    press(qtbot, window.view, Qt.Key.Key_D, shift_ctrl)
    assert asked[0].startswith("1 annotation lacks a required field in")
    assert window.project.document(window.current.id).status != DocumentStatus.DONE
    assert window.coding.selected_annotation().quote == "Kim Jong Un"
    press(qtbot, window.view, Qt.Key.Key_D, shift_ctrl)
    assert window.project.document(window.current.id).status == DocumentStatus.DONE
