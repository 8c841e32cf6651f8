"""One key press, traced: select text, press 2. The way back up (from the stored
annotation to the table, the view, the document list and the panel) reads the
new annotation from the store at most once."""

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .conftest import press, select_text

CLAIM = "cooperation among the U.S., Japan and South Korea will be more crucial than ever"
# Store reads that return an annotation, its values or the links to it.
BY_ID = ("annotation", "values", "incoming_references")
# Reads of a whole document, which read every annotation of it again.
BY_DOCUMENT = ("annotations", "annotations_for_display", "values_for_document", "incomplete_ids")


def spy_on_reads(project, monkeypatch) -> list[tuple[str, tuple]]:
    """Record each call of the real project's read methods (they still run)."""
    calls: list[tuple[str, tuple]] = []
    for name in BY_ID + BY_DOCUMENT:
        method = getattr(project, name)

        def spy(*args, _name=name, _method=method, **kwargs):
            calls.append((_name, args))
            return _method(*args, **kwargs)

        monkeypatch.setattr(project, name, spy)
    return calls


def test_the_key_press_reads_the_new_annotation_at_most_once(sample_window, qtbot, monkeypatch):
    window = sample_window
    select_text(window, CLAIM)
    doc_id = window.current.id
    calls = spy_on_reads(window.project, monkeypatch)
    press(qtbot, window.view, Qt.Key.Key_2)
    qtbot.wait(100)  # timers that refresh later (stale counts) have run
    QApplication.processEvents()

    (ann,) = window.project.annotations(doc_id)
    del calls[-1]  # the line above
    assert window.coding.selected_annotation().id == ann.id
    reads = Counter(
        name
        for name, args in calls
        if (name in BY_ID and args[:1] == (ann.id,))
        or (name in BY_DOCUMENT and args[:1] in ((doc_id,), ()))
    )
    assert sum(reads.values()) <= 1, reads
    assert window.panel.annotation == ann  # the panel shows the whole record


def test_the_key_press_is_announced_once_with_the_new_record(sample_window, qtbot):
    window = sample_window
    select_text(window, CLAIM)
    announced = []
    window.session.changed.connect(announced.append)
    press(qtbot, window.view, Qt.Key.Key_2)
    (changes,) = announced
    (ann,) = window.project.annotations(window.current.id)
    assert changes.kinds() == ("annotation", "document")
    assert changes.annotation.added == {ann.id}
    assert changes.document.changed == {window.current.id}
    assert changes.annotations[ann.id] == ann
