"""Coding through the real window: selections, hotkeys, table, undo, export."""

import csv

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

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


def _settle_with_in_view(window, qtbot, position):
    """Scroll ``position`` to the middle of the view and let the layout settle (spans
    linked to the selected one turn bold, which may wrap the text anew)."""
    view = window.view
    for _ in range(3):
        cursor = view.textCursor()
        cursor.setPosition(view.offsets.to_utf16(position))
        view.blockSignals(True)
        view.setTextCursor(cursor)
        view.blockSignals(False)
        view.centerCursor()
        qtbot.wait(50)
        view.viewport().grab()


def _pixel(window, x, y):
    """The colour painted at (x, y) of the view, as it is laid out now."""
    return window.view.viewport().grab().toImage().pixelColor(x, y).name()


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


def test_the_selected_annotation_is_framed_and_everything_under_it_stays_readable(
    sample_window, qtbot
):
    from annotator.qt.coding.colours import contrast
    from annotator.qt.coding.highlighter import background_for

    window = sample_window
    claim = select_text(window, "Putin visited North Korea")
    press(qtbot, window.view, Qt.Key.Key_2)
    # Tagging leaves no text selection over the new span: it shows its own colours.
    assert not window.view.textCursor().hasSelection()
    nested = select_text(window, "North Korea", 0)
    assert claim[0] <= nested[0] and nested[1] <= claim[1]
    press(qtbot, window.view, Qt.Key.Key_1)
    actor_tint = background_for(window._colours["actor"]).name()
    claim_colour = window._colours["claim"]

    # Choosing the claim in the table frames it in its full colour; the actor nested
    # in it keeps its tint, and the claim's text keeps its tint under black text.
    window.ann_table.setFocus()
    row = [window.annotations.annotation(r).quote for r in range(2)].index(
        "Putin visited North Korea"
    )
    rect = window.ann_table.visualRect(window.annotations.index(row, 1))
    qtbot.mouseClick(window.ann_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    window.view.collapse_selection()  # the table selected the span's text too
    _settle_with_in_view(window, qtbot, claim[0])
    painted = _painted_colours(window, *claim)
    (first_line, *_rest) = window.view.selected_rects()
    left_edge = (int(first_line.left()) - 1, int(first_line.center().y()))
    assert _pixel(window, *left_edge) == claim_colour  # the frame
    assert actor_tint in _painted_colours(window, *nested)
    claim_tint = background_for(claim_colour)
    assert contrast(claim_tint, QColor("#000000")) >= 4.5
    assert claim_tint.name() in painted

    # Esc deselects: no frame, no row.
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Escape)
    qtbot.wait(100)
    assert window.view.selected_rects() == []
    assert not window.ann_table.currentIndex().isValid()
    assert _pixel(window, *left_edge) != claim_colour

    # A click on text that no annotation covers deselects too.
    claim_id = window.annotations.annotation(row).id
    window.coding.select_annotation(claim_id)
    assert window.view.selected_id == claim_id
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.offsets.to_utf16(window.view.text.index("In recent weeks")))
    window.view.setTextCursor(cursor)
    assert window.view.selected_id is None and window.coding.selected_annotation() is None


def test_tints_follow_a_dark_theme_and_stay_readable(sample_window, qtbot):
    from PySide6.QtGui import QPalette

    from annotator.qt.coding.colours import contrast

    window = sample_window
    start, end = select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_2)
    window.view.collapse_selection()
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Escape)
    palette = window.view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e8e8e8"))
    window.view.setPalette(palette)
    QApplication.processEvents()
    block = window.view.document().findBlock(window.view.offsets.to_utf16(start))
    ranges = block.layout().formats()
    tints = [
        QColor(r.format.background().color())
        for r in ranges
        if r.format.background().style() != Qt.BrushStyle.NoBrush
    ]
    (tint,) = tints
    assert tint.lightness() < 128  # a dark tint on the dark page
    assert contrast(tint, QColor("#e8e8e8")) >= 4.5
