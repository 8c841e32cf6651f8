"""Edit ▸ Search Corpus runs on a worker: the window keeps turning, Stop and a new
query end a search, a runaway regular expression is stopped and the user told, and
the filters through the window."""

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import DocumentStatus
from annotator.qt.search.search_panel import SearchPanel
from annotator.store.project import create_project

from .conftest import press
from .test_export_in_background import STALL_BOUND_S, Ticks

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
RUNAWAY = r"(a|aa)+$"  # backtracks without end on a run of a's that ends otherwise


@pytest.fixture
def corpus_window(make_window, tmp_path):
    path = tmp_path / "corpus.annotator"
    project = create_project(path)
    first = project.import_text("a deal in Seoul", title="First", source="KBS", date="2024-03-05")
    project.import_text("a" * 60 + "b deal", title="Runaway", source="Yonhap", date="2024-04-01")
    last = project.import_text("deal, a deal", title="Last", source="KBS", date="2024-05")
    project.add_variable("Outlet type", key="outlet")
    project.set_document_variables(last.id, {"outlet": "broadcast"})
    project.set_document_status(first.id, DocumentStatus.DONE)
    project.close()
    return make_window(path)


def _panel(qtbot, window) -> SearchPanel:
    press(qtbot, window, Qt.Key.Key_F, CTRL_SHIFT)
    panel = window.findChild(SearchPanel)
    assert panel is not None and panel.query.hasFocus()
    return panel


def _start(qtbot, panel: SearchPanel, query: str, regex: bool = False) -> None:
    if regex != panel.regex.isChecked():
        qtbot.mouseClick(panel.regex, Qt.MouseButton.LeftButton)
    panel.query.setFocus()
    panel.query.selectAll()
    qtbot.keyClicks(panel.query, query)
    press(qtbot, panel.query, Qt.Key.Key_Return)


def _titles(panel: SearchPanel) -> list[str]:
    model = panel.model
    return [model.document(model.index(row, 0)).title for row in range(model.rowCount())]


def test_the_window_keeps_turning_during_a_slow_search_and_stop_ends_it(qtbot, corpus_window):
    panel = _panel(qtbot, corpus_window)
    panel.regex_limit = 1.5
    rows: list[int] = []
    panel.model.rowsInserted.connect(lambda parent, first, last: rows.append(first))
    ticks = Ticks()
    _start(qtbot, panel, RUNAWAY.replace("$", "$|deal"), regex=True)
    assert panel.searching and panel.search_button.text() == "&Stop"
    qtbot.waitUntil(lambda: rows == [0], timeout=5_000)  # "First" is listed already
    qtbot.wait(500)  # inside the runaway document
    ticks.stop()
    assert panel.searching
    assert ticks.count > 10
    assert ticks.longest_stall < STALL_BOUND_S, f"stalled {ticks.longest_stall * 1000:.0f} ms"
    assert panel.summary.text().startswith("Searching… 1 hit in 1 document so far")
    qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
    assert not panel.searching and panel.search_button.text() == "&Search"
    assert panel.summary.text() == "Search stopped: 1 hit in 1 document so far."
    qtbot.wait(1_800)  # the worker ends at its time limit: nothing more is listed
    assert _titles(panel) == ["First"]
    assert panel.summary.text() == "Search stopped: 1 hit in 1 document so far."


def test_a_runaway_regular_expression_is_stopped_and_the_user_told(qtbot, corpus_window):
    panel = _panel(qtbot, corpus_window)
    panel.regex_limit = 0.3
    _start(qtbot, panel, RUNAWAY, regex=True)
    qtbot.waitUntil(lambda: not panel.searching, timeout=5_000)
    assert "The regular expression ran over 0.3 s in “Runaway” and was stopped there" in (
        panel.summary.text()
    )
    assert "1 of 3 documents searched" in panel.summary.text()


def test_a_new_query_stops_the_search_before_it(qtbot, corpus_window):
    panel = _panel(qtbot, corpus_window)
    panel.regex_limit = 1.0
    _start(qtbot, panel, RUNAWAY, regex=True)
    assert panel.searching
    qtbot.keyClicks(panel.query, "x")
    assert not panel.searching
    assert panel.summary.text() == "Search stopped: the query changed."
    _start(qtbot, panel, "deal")
    qtbot.waitUntil(lambda: not panel.searching, timeout=5_000)
    assert _titles(panel) == ["First", "Runaway", "Last"]
    assert panel.summary.text().startswith("4 hits in 3 documents")


def test_filters_through_the_window(qtbot, corpus_window):
    panel = _panel(qtbot, corpus_window)

    def search() -> list[str]:
        panel.query.setFocus()
        press(qtbot, panel.query, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not panel.searching, timeout=5_000)
        return _titles(panel)

    _start(qtbot, panel, "deal")
    qtbot.waitUntil(lambda: not panel.searching, timeout=5_000)
    assert _titles(panel) == ["First", "Runaway", "Last"]

    panel.status.setFocus()
    qtbot.keyClicks(panel.status, "Done")  # the combo box finds it by its text
    assert search() == ["First"]
    press(qtbot, panel.status, Qt.Key.Key_Home)  # back to "Any status"
    assert panel.status.currentText() == "Any status"
    panel.source.setFocus()
    qtbot.keyClicks(panel.source, "Yonhap")
    assert search() == ["Runaway"]
    press(qtbot, panel.source, Qt.Key.Key_Home)
    qtbot.keyClicks(panel.date_from, "2024-04")
    assert search() == ["Runaway", "Last"]
    qtbot.keyClicks(panel.date_to, "2024-04-30")
    assert search() == ["Runaway"]
    for edit in (panel.date_from, panel.date_to):
        edit.setFocus()
        edit.selectAll()
        press(qtbot, edit, Qt.Key.Key_Delete)
    panel.variable.setFocus()
    qtbot.keyClicks(panel.variable, "outlet")
    qtbot.keyClicks(panel.variable_value, "broadcast")
    press(qtbot, panel.variable_value, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.searching, timeout=5_000)
    assert _titles(panel) == ["Last"]
