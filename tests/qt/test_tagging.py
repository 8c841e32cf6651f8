"""Coding through the real window: selections, hotkeys, table, undo, export."""

import csv

from PySide6.QtCore import Qt

from annotator.exporting.csv_export import export_csv
from annotator.qt.coding.annotation_model import INCOMPLETE_MARK
from annotator.qt.common import dialogs
from annotator.store.project import open_project

from .conftest import press, select_text

CLAIM = "cooperation among the U.S., Japan and South Korea will be more crucial than ever"


def _rows(window):
    model = window.annotations
    return [
        (
            model.data(model.index(r, 0)).removeprefix(INCOMPLETE_MARK),
            model.data(model.index(r, 1)),
            model.data(model.index(r, 4)),
        )
        for r in range(model.rowCount())
    ]


def test_select_press_2_then_table_store_and_export(sample_window, qtbot, tmp_path, monkeypatch):
    window = sample_window
    assert window.documents.rowCount() == 5
    start, end = select_text(window, CLAIM)
    press(qtbot, window.view, Qt.Key.Key_2)

    assert _rows(window) == [("Claim", CLAIM, "Ana")]
    assert window.ann_table.currentIndex().row() == 0
    assert window.documents.document(0).annotation_count == 1
    doc_id = window.current.id
    path = window.project.path
    window.close()

    with open_project(path) as project:
        (ann,) = project.annotations(doc_id)
        assert (ann.start, ann.end, ann.quote, ann.category, ann.coder) == (
            start,
            end,
            CLAIM,
            "claim",
            "Ana",
        )
        export_csv(project, tmp_path / "export")
    with (tmp_path / "export" / "annotations.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["quote"], row["category"], row["start"], row["end"]) == (
        CLAIM,
        "claim",
        str(start),
        str(end),
    )


def test_keyboard_selection_snaps_and_trims(sample_window, qtbot):
    window = sample_window
    text = window.view.text
    start = text.index("Vladimir Putin") + 3  # inside "Vladimir"
    cursor = window.view.textCursor()
    cursor.setPosition(start)
    window.view.setTextCursor(cursor)
    window.view.setFocus()
    for _ in range(len("imir Put")):
        press(qtbot, window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, window.view, Qt.Key.Key_1)
    assert _rows(window) == [("Actor", "Vladimir Putin", "Ana")]


def test_each_hotkey_tags_its_category_and_overlaps_show(sample_window, qtbot):
    window = sample_window
    select_text(window, "South Korea")
    press(qtbot, window.view, Qt.Key.Key_1)
    select_text(window, "South Korea")
    press(qtbot, window.view, Qt.Key.Key_3)
    categories = sorted(r[0] for r in _rows(window))
    assert categories == ["Actor", "Stance"]
    assert len(window.view.index) == 2


def test_nothing_selected_tags_nothing(sample_window, qtbot):
    window = sample_window
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_2)
    assert window.annotations.rowCount() == 0
    assert window.project.annotation_count() == 0
    assert "Select some text" in window.statusBar().currentMessage()


def test_delete_undo_redo_persist(sample_window, qtbot):
    window = sample_window
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert window.project.annotation_count() == 2

    window.ann_table.setFocus()
    window.ann_table.selectRow(0)
    press(qtbot, window.ann_table, Qt.Key.Key_Delete)
    assert [r[1] for r in _rows(window)] == ["Kim Jong Un"]
    assert [a.quote for a in window.project.annotations()] == ["Kim Jong Un"]

    press(qtbot, window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r[1] for r in _rows(window)] == ["Putin", "Kim Jong Un"]
    restored = {a.quote: a.id for a in window.project.annotations()}
    press(
        qtbot,
        window.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [a.quote for a in window.project.annotations()] == ["Kim Jong Un"]

    # Undo the delete and the second tag; redo the tag: the same id comes back.
    window.undo_stack.undo()
    kim_id = restored["Kim Jong Un"]
    window.undo_stack.undo()
    assert [a.quote for a in window.project.annotations()] == ["Putin"]
    window.undo_stack.redo()
    assert {a.id for a in window.project.annotations()} == set(restored.values())
    assert kim_id in {a.id for a in window.project.annotations()}
    assert len(window.view.index) == 2

    # A delete survives closing and reopening the project.
    window.ann_table.selectRow(1)
    window.menus.actions["delete"].trigger()
    path = window.project.path
    window.close()
    with open_project(path) as project:
        assert [a.quote for a in project.annotations()] == ["Putin"]


def test_clicking_a_row_selects_its_span_and_clicking_a_span_selects_its_row(sample_window, qtbot):
    window = sample_window
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    start, end = select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_1)

    window.ann_table.setFocus()
    rect = window.ann_table.visualRect(window.annotations.index(1, 1))
    qtbot.mouseClick(window.ann_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.view.selection_span() == (start, end)

    cursor = window.view.textCursor()
    cursor.setPosition(window.view.text.index("Putin") + 2)
    window.view.setTextCursor(cursor)
    assert window.ann_table.currentIndex().row() == 0


def test_store_failure_shows_a_message_and_keeps_the_stack_clean(
    sample_window, qtbot, monkeypatch, _no_modal_dialogs
):
    window = sample_window

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(window.project, "add_annotation", disk_full)
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert window.annotations.rowCount() == 0
    assert window.undo_stack.count() == 0
    assert "No space left" in _no_modal_dialogs[-1][1]


def test_coder_name_can_be_changed(sample_window, qtbot, monkeypatch):
    window = sample_window
    monkeypatch.setattr(dialogs, "ask_coder_name", lambda *_a: "Bo")
    window.menus.actions["coder"].trigger()
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert window.project.annotations()[0].coder == "Bo"
    assert window.coder_label.text() == "Coder: Bo"
    assert window.settings.coder == "Bo"


def _formats_at(window, cp):
    """Copies of the highlight formats Qt lays out at code point ``cp``."""
    from PySide6.QtGui import QTextCharFormat
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()  # repaints are batched until the event loop runs
    pos = window.view.offsets.to_utf16(cp)
    block = window.view.document().findBlock(pos)
    offset = pos - block.position()
    ranges = block.layout().formats()
    return [QTextCharFormat(r.format) for r in ranges if r.start <= offset < r.start + r.length]


def test_highlights_appear_overlap_and_go_away_with_undo(sample_window, qtbot):
    from annotator.qt.coding.highlighter import background_for

    window = sample_window
    outer_start, _ = select_text(window, "Putin visited North Korea")
    press(qtbot, window.view, Qt.Key.Key_2)
    inner_start = window.view.text.index("North Korea", outer_start)
    cursor = window.view.textCursor()
    cursor.setPosition(inner_start)
    cursor.setPosition(inner_start + len("North Korea"), cursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    press(qtbot, window.view, Qt.Key.Key_1)
    window.ann_table.setCurrentIndex(window.annotations.index(-1, -1))  # nothing selected

    (outer_fmt,) = _formats_at(window, outer_start)
    assert outer_fmt.background().color() == background_for(window._colours["claim"])
    assert not outer_fmt.fontUnderline()
    (inner_fmt,) = _formats_at(window, inner_start + 1)
    assert inner_fmt.background().color() == background_for(window._colours["actor"])
    assert inner_fmt.fontUnderline()  # the claim around it still shows

    window.undo_stack.undo()
    window.undo_stack.undo()
    assert _formats_at(window, outer_start) == []
    assert _formats_at(window, inner_start + 1) == []


def test_blocks_scrolled_into_view_get_their_highlights(sample_window, qtbot):
    window = sample_window
    project = window.project
    doc = window.current
    text = project.document_text(doc.id)
    start = text.rindex("Korea")
    project.add_annotation(doc.id, start, start + 5, "actor", coder="Ana")
    window.view.setFixedHeight(150)  # the end of the document is out of view
    window.show_document(project.document(doc.id))
    window.view.verticalScrollBar().setValue(0)
    block = window.view.document().findBlock(window.view.offsets.to_utf16(start))
    assert block.blockNumber() not in window.view.highlighter.shown_blocks
    assert _formats_at(window, start + 1) == []
    window.view.verticalScrollBar().setValue(window.view.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: bool(_formats_at(window, start + 1)))
    (fmt,) = _formats_at(window, start + 1)
    assert fmt.background().color().isValid()


def _extra_selection_spans(window):
    to_cp = window.view.offsets.to_codepoint
    return [
        (to_cp(s.cursor.selectionStart()), to_cp(s.cursor.selectionEnd()), s.format.background())
        for s in window.view.extraSelections()
    ]


def _painted_colours(window, start, end):
    """The colours painted in the view over code points start..end."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    image = window.view.viewport().grab().toImage()
    cursor = window.view.textCursor()
    colours = set()
    for cp in range(start, end):
        cursor.setPosition(window.view.offsets.to_utf16(cp))
        rect = window.view.cursorRect(cursor)
        for dy in range(rect.height()):
            colours.add(image.pixelColor(rect.x() + 2, rect.y() + dy).name())
    return colours


def test_the_selected_annotation_is_drawn_in_its_full_colour(sample_window, qtbot):
    window = sample_window
    claim = select_text(window, "Putin visited North Korea")
    press(qtbot, window.view, Qt.Key.Key_2)
    actor = select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_1)
    cursor = window.view.textCursor()
    cursor.clearSelection()
    window.view.setTextCursor(cursor)

    # Tagging selects the new annotation: its span only, in the actor colour.
    ((start, end, brush),) = _extra_selection_spans(window)
    assert (start, end) == actor
    assert brush.color().name() == window._colours["actor"]
    assert window._colours["actor"] in _painted_colours(window, *actor)
    assert window._colours["claim"] not in _painted_colours(window, *claim)

    # Choosing the claim in the table moves the emphasis to it.
    window.ann_table.setFocus()
    row = [window.annotations.annotation(r).quote for r in range(2)].index(
        "Putin visited North Korea"
    )
    rect = window.ann_table.visualRect(window.annotations.index(row, 1))
    qtbot.mouseClick(window.ann_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    ((start, end, brush),) = _extra_selection_spans(window)
    assert (start, end) == claim
    assert brush.color().name() == window._colours["claim"]

    # Deleting it moves the emphasis to the row that is now current; no row, none.
    press(qtbot, window.ann_table, Qt.Key.Key_Delete)
    assert len(window.project.annotations()) == 1
    assert [span[:2] for span in _extra_selection_spans(window)] == [actor]
    window.ann_table.setCurrentIndex(window.annotations.index(-1, -1))
    assert _extra_selection_spans(window) == []
    assert window._colours["actor"] not in _painted_colours(window, *actor)
