"""The document list's Filter and Group: rows hidden by status, source and date,
grouped by source with each group named, and the count of shown / total."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.store.project import create_project


def _project(path):
    project = create_project(path)
    for i, (source, date) in enumerate(
        (("Herald", "2024-01-05"), ("Times", "2024-02-10"), ("Herald", "2024-03-01"), ("", ""))
    ):
        project.import_text(f"Text number {i}.", title=f"Doc {i}", source=source, date=date)
    project.close()


def _shown(window):
    table, model = window.doc_table, window.documents
    return [model.document(r).title for r in range(model.rowCount()) if not table.isRowHidden(r)]


def test_filter_group_and_count(make_window, qtbot, tmp_path):
    _project(tmp_path / "p.annotator")
    window = make_window(tmp_path / "p.annotator")
    bar = window.list_filter
    assert bar.count.text() == "4 documents"
    qtbot.mouseClick(bar.toggle, Qt.MouseButton.LeftButton)
    assert bar.fields.isVisible()
    bar.source.setFocus()
    qtbot.keyClick(bar.source, Qt.Key.Key_Down)  # (any) → Herald
    assert bar.source.currentText() == "Herald"
    assert _shown(window) == ["Doc 0", "Doc 2"]
    assert bar.count.text() == "2 / 4 shown"
    qtbot.keyClicks(bar.date_from, "2024-02")
    qtbot.waitUntil(lambda: _shown(window) == ["Doc 2"])
    bar.date_from.clear()
    qtbot.keyClick(bar.source, Qt.Key.Key_Up)  # back to (any)
    qtbot.waitUntil(lambda: bar.count.text() == "4 documents")

    open_before = window.current
    assert open_before is not None and open_before.title == "Doc 0"
    bar.group.setFocus()
    qtbot.keyClick(bar.group, Qt.Key.Key_Down)  # status
    qtbot.keyClick(bar.group, Qt.Key.Key_Down)  # source
    assert bar.group.currentText() == "source"
    model = window.documents
    titles = [model.document(r).title for r in range(model.rowCount())]
    assert titles == ["Doc 3", "Doc 0", "Doc 2", "Doc 1"]  # (none), Herald, Times
    # The open document's row stays the list's current, selected row, in its new place.
    (selected,) = window.doc_table.selectionModel().selectedRows()
    assert selected.row() == window.doc_table.currentIndex().row() == 1
    assert window.current is open_before  # not opened again
    labels = [model.headerData(r, Qt.Orientation.Vertical) for r in range(4)]
    assert labels == ["(none)", "Herald", "", "Times"]
    qtbot.keyClicks(bar.date_from, "2024-02")  # Doc 0 (Herald, January) hidden
    qtbot.waitUntil(lambda: bar.count.text() == "2 / 4 shown")
    labels = [model.headerData(r, Qt.Orientation.Vertical) for r in range(4)]
    assert labels == ["", "", "Herald", "Times"]  # beside the first row shown
    bar.date_from.clear()
    bar.apply()
    qtbot.mouseClick(
        window.doc_table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.doc_table.visualRect(model.index(3, 0)).center(),
    )
    assert window.current is not None and window.current.title == "Doc 1"


def test_ctrl_page_down_steps_over_hidden_rows(make_window, qtbot, tmp_path):
    _project(tmp_path / "p.annotator")
    window = make_window(tmp_path / "p.annotator")
    bar = window.list_filter
    qtbot.mouseClick(bar.toggle, Qt.MouseButton.LeftButton)
    bar.source.setFocus()
    qtbot.keyClick(bar.source, Qt.Key.Key_Down)  # Herald: Doc 0 and Doc 2 shown
    assert _shown(window) == ["Doc 0", "Doc 2"]
    table, model = window.doc_table, window.documents
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(model.index(0, 0)).center(),
    )
    assert window.current.title == "Doc 0"
    ctrl = Qt.KeyboardModifier.ControlModifier
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, ctrl)  # over Doc 1 (Times, hidden)
    assert window.current.title == "Doc 2"
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, ctrl)  # Doc 3 hidden: stays
    assert window.current.title == "Doc 2"
    assert not table.isRowHidden(table.currentIndex().row())
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp, ctrl)  # back over Doc 1
    assert window.current.title == "Doc 0"
