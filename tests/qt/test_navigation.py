"""Find, text size, document status and moving between documents."""

from PySide6.QtCore import Qt

from annotator.core.model import DocumentStatus
from annotator.qt.coding.document_view import DEFAULT_POINT_SIZE

from .conftest import press, select_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_ctrl_f_finds_next_previous_with_count(sample_window, qtbot):
    window = sample_window
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_F, CTRL)
    assert window.find_bar.isVisible()
    assert window.find_bar.edit.hasFocus()
    qtbot.keyClicks(window.find_bar.edit, "putin")
    text = window.view.text
    expected = text.lower().count("putin")
    assert expected > 1
    assert window.find_bar.count_label.text() == f"1 of {expected}"
    first = window.view.selection_span()
    assert text[slice(*first)] == "Putin"
    press(qtbot, window.find_bar.edit, Qt.Key.Key_Return)
    second = window.view.selection_span()
    assert second[0] > first[0]
    assert window.find_bar.count_label.text() == f"2 of {expected}"
    press(qtbot, window.find_bar.edit, Qt.Key.Key_Return, SHIFT)
    assert window.view.selection_span() == first
    press(qtbot, window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()


def test_find_with_no_match_says_so(sample_window, qtbot):
    window = sample_window
    window.find_bar.open_bar()
    qtbot.keyClicks(window.find_bar.edit, "zebra crossing")
    assert window.find_bar.count_label.text() == "No matches"


def test_text_size_keys_and_memory(sample_window, qtbot, make_window):
    window = sample_window
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Equal, CTRL)
    press(qtbot, window.view, Qt.Key.Key_Equal, CTRL)
    assert window.view.point_size() == DEFAULT_POINT_SIZE + 2
    press(qtbot, window.view, Qt.Key.Key_Minus, CTRL)
    assert window.view.point_size() == DEFAULT_POINT_SIZE + 1
    window.close()
    again = make_window(None)
    assert again.view.point_size() == DEFAULT_POINT_SIZE + 1
    again.view.setFocus()
    press(qtbot, again.view, Qt.Key.Key_0, CTRL)
    assert again.view.point_size() == DEFAULT_POINT_SIZE


def test_next_previous_document_and_status(sample_window, qtbot):
    window = sample_window
    titles = [window.documents.document(r).title for r in range(5)]
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_PageDown, CTRL)
    assert window.current.title == titles[1]
    press(qtbot, window.view, Qt.Key.Key_D, CTRL | SHIFT)
    assert window.project.document(window.current.id).status == DocumentStatus.DONE
    model = window.documents
    assert model.data(model.index(1, 3)) == "Done"
    press(qtbot, window.view, Qt.Key.Key_PageUp, CTRL)
    assert window.current.title == titles[0]
    press(qtbot, window.view, Qt.Key.Key_P, CTRL | SHIFT)
    assert window.project.document(window.current.id).status == DocumentStatus.IN_PROGRESS
    press(qtbot, window.view, Qt.Key.Key_PageUp, CTRL)  # stays on the first
    assert window.current.title == titles[0]


def test_window_remembers_document_position_splitter_and_geometry(
    sample_window, make_window, qtbot
):
    window = sample_window
    window.resize(760, 560)  # within the offscreen screen (800 x 600)
    window.splitter.setSizes([180, 380, 200])
    sizes = window.splitter.sizes()
    window.doc_table.selectRow(3)
    doc_id = window.current.id
    cursor = window.view.textCursor()
    cursor.setPosition(1234)
    window.view.setTextCursor(cursor)
    window.close()

    again = make_window(None)
    assert again.current.id == doc_id
    assert again.view.textCursor().position() == 1234
    assert again.splitter.sizes() == sizes
    assert (again.width(), again.height()) == (760, 560)


def test_a_codebook_change_keeps_the_place_in_the_text(sample_window, qtbot):
    from annotator.ops import codebook as codebook_ops

    window = sample_window
    window.resize(760, 560)
    select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_1)
    annotation = window.coding.selected_annotation()
    assert annotation is not None and annotation.quote == "Kim Jong Un"
    start, end = select_text(window, "held talks with Kim")  # the coder goes on selecting
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    scroll = bar.value()
    assert scroll > 0
    actor = window.project.codebook().category("actor")
    window.session.run(
        "Change colour", lambda p: codebook_ops.update_category(p, actor.id, colour="#123456")
    )
    assert window.view.verticalScrollBar().value() == scroll
    assert window.coding.selected_annotation().id == annotation.id
    cursor = window.view.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (
        window.view.offsets.to_utf16(start),
        window.view.offsets.to_utf16(end),
    )
