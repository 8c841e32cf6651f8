"""View ▸ Coded Segments through the real window: filter to one registry actor's
oppose stances, export the rows and read them back, open a segment with Enter."""

from __future__ import annotations

import csv

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox

from annotator.core.codebook import Value
from annotator.qt.common import dialogs
from annotator.qt.segments.segments_dock import SegmentsDock
from annotator.store.project import create_project
from tests.exporting.coded_example import build, span


def _study(path):
    """The coded example (Putin: one oppose and one support stance) and an oppose
    stance held by Seoul in a second document."""
    project = create_project(path)
    ex = build(project)
    attr = project.codebook().attribute
    oppose = next(c for c in attr("stance", "polarity").choices if c.label == "oppose")
    seoul = project.add_actor("Seoul")
    other = project.import_text("Seoul said no to the plan.", title="Second", source="Herald")
    project.add_annotation(
        other.id,
        *span(project, other, "said no"),
        "stance",
        coder="Ana",
        values=[
            Value(attr("stance", "polarity").id, choice_id=oppose.id),
            Value(attr("stance", "holder").id, actor_id=seoul.id),
        ],
    )
    ids = (ex.oppose.id, ex.doc.id)
    project.close()
    return ids


def _choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an entry as a user would: focus the box and type its first letters."""
    combo.setFocus()
    index = combo.findText(text)
    assert index > 0, text
    if combo.isEditable():
        line = combo.lineEdit()
        line.selectAll()
        qtbot.keyClicks(line, text)
        qtbot.keyClick(line, Qt.Key.Key_Return)
    else:
        while combo.currentIndex() != index:
            key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
            qtbot.keyClick(combo, key)
    assert combo.currentText() == text


def test_filter_to_an_actors_oppose_stances_export_and_open(
    make_window, qtbot, tmp_path, monkeypatch
):
    oppose_id, doc_id = _study(tmp_path / "study.annotator")
    window = make_window(tmp_path / "study.annotator")
    qtbot.keyClick(
        window,
        Qt.Key.Key_G,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dock = window.findChild(SegmentsDock, "codedSegments")
    assert dock is not None and dock.isVisible()
    assert dock.count.text() == "5 of 5 segments"
    _choose(qtbot, dock.filters.value, "Stance · Polarity: oppose")
    qtbot.waitUntil(lambda: dock.count.text() == "2 of 5 segments")
    _choose(qtbot, dock.filters.actor, "Vladimir Putin")
    qtbot.waitUntil(lambda: dock.count.text() == "1 of 5 segments")
    model = dock.model
    assert model is not None
    headers = model.columns.headers
    shown = [model.index(0, c).data() for c in range(len(headers))]
    assert shown[headers.index("Quote")] == "rejected it outright"
    assert shown[headers.index("Stance: Holder")] == "Vladimir Putin"

    out = tmp_path / "putin_oppose.csv"
    monkeypatch.setattr(dialogs, "choose_file_to_save", lambda *_a: str(out))
    qtbot.mouseClick(_button(dock, "exportSegments"), Qt.MouseButton.LeftButton)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [headers, shown]

    dock.table.setFocus()
    dock.table.selectRow(0)
    qtbot.keyClick(dock.table, Qt.Key.Key_Return)
    assert window.current is not None and window.current.id == doc_id
    assert window.view.textCursor().selectedText() == "rejected it outright"
    current = window.ann_table.currentIndex()
    assert window.annotations.annotation(current.row()).id == oppose_id

    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].split("\t") == headers and len(copied) == 2


def _button(dock, name):
    from PySide6.QtWidgets import QPushButton

    button = dock.findChild(QPushButton, name)
    assert button is not None
    return button


def test_sort_by_a_header_save_a_filter_and_follow_changes(
    make_window, qtbot, tmp_path, monkeypatch
):
    _study(tmp_path / "study.annotator")
    window = make_window(tmp_path / "study.annotator")
    window.menus.actions["coded_segments"].trigger()
    dock = window.findChild(SegmentsDock, "codedSegments")
    model = dock.model
    header = dock.table.horizontalHeader()
    quote = model.columns.headers.index("Quote")
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(quote) + 5, 5),
    )
    quotes = [model.index(r, quote).data() for r in range(model.rowCount())]
    assert quotes == sorted(quotes, key=str.casefold) and model.filter.sort == "quote"

    _choose(qtbot, dock.filters.category, "Stance")
    qtbot.waitUntil(lambda: dock.count.text() == "3 of 5 segments")
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "stances")
    qtbot.mouseClick(_button(dock, "saveFilter"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(_button(dock, "clearFilter"), Qt.MouseButton.LeftButton)
    assert dock.count.text() == "5 of 5 segments"
    box = dock.saved_box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    box.activated.emit(box.currentIndex())  # what choosing it from the list sends
    assert box.currentText() == "stances"
    assert dock.count.text() == "3 of 5 segments"
    assert dock.filters.category.currentText() == "Stance"

    # A stance deleted in the window leaves the view once it is read again.
    first = model.segment(0)
    open_row = dock.table.model().index(0, 0)
    dock.table.setCurrentIndex(open_row)
    qtbot.keyClick(dock.table, Qt.Key.Key_Return)
    assert window.current is not None and window.current.id == first.document_id
    window.coding.delete_selected()
    qtbot.waitUntil(lambda: dock.count.text() == "2 of 4 segments")


def test_closing_the_window_leaves_no_log_behind(make_window, tmp_path):
    path = tmp_path / "study.annotator"
    _study(path)
    window = make_window(path)
    window.menus.actions["coded_segments"].trigger()
    window.menus.actions["statistics"].trigger()
    window.close()
    assert not path.with_name(path.name + "-wal").exists()


def test_several_categories_ticked_with_ctrl_click_and_saved(
    make_window, qtbot, tmp_path, monkeypatch
):
    _study(tmp_path / "study.annotator")
    window = make_window(tmp_path / "study.annotator")
    window.menus.actions["coded_segments"].trigger()
    dock = window.findChild(SegmentsDock, "codedSegments")
    box = dock.filters.category
    _choose(qtbot, box, "Stance")
    qtbot.waitUntil(lambda: dock.count.text() == "3 of 5 segments")
    box.showPopup()
    view = box.view()
    qtbot.waitUntil(view.isVisible)
    actor = view.visualRect(box.model().index(box.findText("Actor"), 0)).center()
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, ctrl, actor)
    assert view.isVisible()  # the list stays open for more
    qtbot.waitUntil(lambda: dock.count.text() == "4 of 5 segments")  # stances and the actor
    assert dock.model.filter.categories == ("actor", "stance")
    view.setCurrentIndex(box.model().index(box.findText("Claim"), 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)  # ticks it too
    qtbot.waitUntil(lambda: dock.count.text() == "5 of 5 segments")
    qtbot.keyClick(view, Qt.Key.Key_Space)  # and off again
    qtbot.waitUntil(lambda: dock.count.text() == "4 of 5 segments")
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "actors and stances")
    qtbot.mouseClick(_button(dock, "saveFilter"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(_button(dock, "clearFilter"), Qt.MouseButton.LeftButton)
    assert dock.count.text() == "5 of 5 segments" and box.chosen() == ()
    saved = dock.saved_box
    saved.setCurrentIndex(saved.findText("actors and stances"))
    saved.activated.emit(saved.currentIndex())
    assert dock.count.text() == "4 of 5 segments"
    assert box.ticked() == ["actor", "stance"]
    _choose(qtbot, box, "Claim")  # one entry picked: it alone
    qtbot.waitUntil(lambda: dock.count.text() == "1 of 5 segments")
    assert box.ticked() == []


def test_search_and_segments_share_the_place_under_the_text(make_window, qtbot, tmp_path):
    from annotator.qt.search.search_panel import SearchPanel

    _study(tmp_path / "study.annotator")
    window = make_window(tmp_path / "study.annotator")
    window.resize(1300, 720)
    qtbot.waitUntil(lambda: window.width() == 1300)
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_F, shift_ctrl)
    search = window.findChild(SearchPanel)
    qtbot.waitUntil(lambda: search is not None and search.isVisible())
    qtbot.keyClick(window, Qt.Key.Key_G, shift_ctrl)
    segments = window.findChild(SegmentsDock, "codedSegments")
    qtbot.waitUntil(lambda: segments is not None and segments.isVisible())
    # Tabs of one place, not side by side: the window keeps the width it had.
    assert window.tabifiedDockWidgets(segments) == [search]
    assert window.width() == 1300


def test_text_filter_shows_its_first_rows_then_counts_the_rest(
    make_window, qtbot, tmp_path, monkeypatch
):
    """Typing in the text box: the rows of the first documents are shown while the
    rest are counted; the count then says them all, and Copy Rows copies them all."""
    from annotator.qt.segments import segment_model

    path = tmp_path / "many.annotator"
    project = create_project(path)
    for number in range(30):
        doc = project.import_text(f"The Treaty number {number} was signed.", title=f"d{number}")
        project.add_annotation(
            doc.id, *span(project, doc, f"Treaty number {number}"), "claim", coder="Ana"
        )
        project.add_annotation(doc.id, *span(project, doc, "signed"), "stance", coder="Ana")
    project.close()
    monkeypatch.setattr(segment_model, "FIRST_ROWS", 2)  # a few documents first
    window = make_window(path)
    window.menus.actions["coded_segments"].trigger()
    dock = window.findChild(SegmentsDock, "codedSegments")
    model = dock.model
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append(last - first + 1))
    qtbot.keyClicks(dock.filters.text, "treaty")
    qtbot.keyClick(dock.filters.text, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dock.count.text() == "30 of 60 segments")
    assert inserted and model.rowCount() == 30  # some rows came after the first ones
    quote = model.columns.headers.index("Quote")
    assert [model.index(r, quote).data() for r in range(30)] == [
        f"Treaty number {n}" for n in range(30)
    ]
    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert len(QApplication.clipboard().text().splitlines()) == 31
