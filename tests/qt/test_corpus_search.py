"""Edit ▸ Search Corpus through the real window: search, open a hit, tag hits, undo."""

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from annotator.qt.search.results_model import CODED
from annotator.qt.search.search_panel import SearchPanel

from .conftest import press

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _search(qtbot, window, query: str) -> SearchPanel:
    press(qtbot, window, Qt.Key.Key_F, CTRL_SHIFT)
    panel = window.findChild(SearchPanel)
    assert panel is not None and panel.isVisible()
    assert panel.query.hasFocus()
    if query.isascii():
        qtbot.keyClicks(panel.query, query)  # replaces the selected earlier query
    else:  # Korean comes from an input method, as a commit string
        event = QInputMethodEvent()
        event.setCommitString(query)
        QApplication.sendEvent(panel.query, event)
    assert panel.query.text() == query
    press(qtbot, panel.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.searching, timeout=10_000)  # on its worker
    return panel


def _listed(panel):
    model = panel.model
    return {
        model.document(model.index(row, 0)).title: model.rowCount(model.index(row, 0))
        for row in range(model.rowCount())
    }


def test_a_phrase_of_the_sample_documents_and_a_korean_word(qtbot, sample_window):
    window = sample_window
    texts = {d.title: window.project.document_text(d.id) for d in window.project.documents()}
    expected = {
        title: len(re.findall(r"(?i)(?<!\w)north\s+korea(?!\w)", text))
        for title, text in texts.items()
    }
    expected = {title: n for title, n in expected.items() if n}
    assert len(expected) >= 2  # the samples speak of it
    panel = _search(qtbot, window, '"north korea"')
    assert _listed(panel) == expected
    assert panel.summary.text().startswith(f"{sum(expected.values())} hits in {len(expected)}")

    panel = _search(qtbot, window, "소아쌤")
    ((title, text),) = [(t, x) for t, x in texts.items() if "소아쌤" in x]
    assert _listed(panel) == {title: text.count("소아쌤")}
    assert panel.results.hasFocus()  # the first hit is current
    press(qtbot, panel.results, Qt.Key.Key_Return)
    assert window.current.title == title
    start = text.index("소아쌤")
    assert window.view.selection_span() == (start, start + 3)
    assert window.view.hasFocus()


def test_tag_three_hits_in_one_step_and_undo_it(qtbot, sample_window):
    window = sample_window
    project = window.project
    before = project.annotation_count()
    steps = window.undo_stack.count()
    panel = _search(qtbot, window, "secur*")
    first_doc = panel.model.index(0, 0)
    assert panel.model.rowCount(first_doc) >= 3
    press(qtbot, panel.results, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, panel.results, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    hits = panel.selected_hits()
    assert len(hits) == 3
    text = project.document_text(hits[0].document_id)
    assert all(re.fullmatch(r"(?i)secur\w*", text[h.start : h.end]) for h in hits)

    press(qtbot, panel.results, Qt.Key.Key_2)  # Claim's key, as in the text
    assert window.undo_stack.count() == steps + 1
    added = [a for a in project.annotations(hits[0].document_id) if a.category == "claim"]
    assert sorted((a.start, a.end) for a in added) == [(h.start, h.end) for h in hits]
    assert project.annotation_count() == before + 3
    for row in range(3):
        assert panel.model.index(row, CODED, first_doc).data() == "Claim"

    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.annotation_count() == before
    assert panel.model.index(0, CODED, first_doc).data() == ""
