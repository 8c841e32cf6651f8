"""Keys for long passages and long sessions: grow the selection by a sentence or a
paragraph, code a new selection like the last one, and go to the next annotation
that still lacks a required field, in this document or the next ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextCursor

from annotator.core.sentences import paragraph_end, sentence_end

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

Boundary = Callable[[str, int], int]


def extend_selection(window: MainWindow, boundary: Boundary) -> None:
    """Grow the selection (or start one at the cursor) to the next ``boundary``,
    keeping where it began."""
    view = window.view
    cursor = view.textCursor()
    to_cp, to16 = view.offsets.to_codepoint, view.offsets.to_utf16
    anchor, end = to_cp(cursor.anchor()), to_cp(cursor.position())
    if end < anchor:  # a selection made backwards grows from its far end
        anchor, end = end, anchor
    reach = boundary(view.text, end)
    if reach <= end:
        return
    cursor.setPosition(to16(anchor))
    cursor.setPosition(to16(reach), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()


def extend_by_sentence(window: MainWindow) -> None:
    extend_selection(window, sentence_end)


def extend_by_paragraph(window: MainWindow) -> None:
    extend_selection(window, paragraph_end)


def repeat_last_code(window: MainWindow) -> None:
    category = window.coding.last_category
    if not category:
        window.statusBar().showMessage("Code a passage first; this key repeats its code.", 4000)
        return
    window.coding.tag_selection(category)


def next_incomplete(window: MainWindow) -> None:
    """Select the next incomplete annotation after the cursor, going on into the
    next documents (and round to the first) when this one has no more."""
    if window.session is None or window.current is None:
        return
    project = window.project
    position = window.view.offsets.to_codepoint(window.view.textCursor().selectionEnd())
    current = window.coding.selected_annotation()
    after = current.start if current is not None else position - 1
    if select_incomplete_after(window, after):
        return
    rows = window.documents.rowCount()
    here = window.documents.row_of(window.current.id)
    for step in range(1, rows + 1):
        row = (here + step) % rows
        doc = window.documents.document(row)
        if doc.id == window.current.id:
            if select_incomplete_after(window, -1):  # wrapped round to this document's start
                return
            break
        if project.incomplete_ids(doc.id):
            window.doc_table.selectRow(row)
            if select_incomplete_after(window, -1):
                return
    window.statusBar().showMessage("No annotation lacks a required field.", 4000)


def select_incomplete_after(window: MainWindow, after: int) -> bool:
    """Select the current document's first incomplete annotation that starts after
    ``after`` (a code point; -1 for the first of all); False if there is none."""
    assert window.current is not None
    incomplete = window.project.incomplete_ids(window.current.id)
    by_id = window.annotations.by_id
    later = sorted(
        (a for i in incomplete if (a := by_id.get(i)) is not None and a.start > after),
        key=lambda a: (a.start, a.end),
    )
    if not later:
        return False
    annotation = later[0]
    window.coding.select_annotation(annotation.id)
    window.view.select_span(annotation.start, annotation.end)
    window.view.setFocus()
    window.statusBar().showMessage(
        f"Incomplete: “{annotation.quote[:60]}” in “{window.current.title}”; "
        "Enter fills in its fields.",
        6000,
    )
    return True
