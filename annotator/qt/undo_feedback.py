"""What the window shows after an undo or redo: where it happened, or that the
history had to be cleared (see ``ProjectSession.replayed`` and ``history_broken``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.ops.changes import Changes

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow


def show_replayed(window: MainWindow, what: str, changes: Changes) -> None:
    """An undo or redo: show where it happened. Annotations of another document
    bring that document up, with the span put back selected; the status bar says
    what was undone or redone, and in which document."""
    if window.session is None or window.current is None:
        return
    touched = changes.annotation.all | changes.values.all
    if not touched:
        window.statusBar().showMessage(f"{what}.", 6000)
        return
    documents = changes.document.all & {d.id for d in window.project.documents(counts=False)}
    doc_id = window.current.id if window.current.id in documents or not documents else ""
    if not doc_id:
        doc_id = sorted(documents)[0]
        row = window.documents.row_of(doc_id)
        if row >= 0:
            window.doc_table.selectRow(row)
    shown = [a for a in changes.annotations.values() if a.document_id == doc_id]
    if shown:
        first = min(shown, key=lambda a: (a.start, a.end))
        window.coding.select_annotation(first.id)
        window.view.select_span(first.start, first.end)
    title = window.current.title if window.current is not None else ""
    window.statusBar().showMessage(f"{what} in “{title}”.", 8000)


def clear_history(window: MainWindow) -> None:
    """An undo or redo failed: the project no longer matches the history."""
    window.undo_stack.clear()
    window.statusBar().showMessage(
        "The undo history was cleared: a step in it no longer matched the project.", 10000
    )
