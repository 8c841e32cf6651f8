"""Undo and Redo in a window of their own (the main window's shortcuts reach
neither a modal dialog nor another top-level window)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget


def add_undo_actions(widget: QWidget, stack: QUndoStack) -> tuple[QAction, QAction]:
    """Ctrl+Z and Ctrl+Shift+Z / Ctrl+Y in ``widget``, on the shared undo stack."""
    undo = stack.createUndoAction(widget, "&Undo")
    undo.setShortcuts(QKeySequence.StandardKey.Undo)
    redo = stack.createRedoAction(widget, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    widget.addActions([undo, redo])
    return undo, redo


def undo_hint() -> str:
    """ " You can undo this with Ctrl+Z." (⌘Z on a Mac), for a question before a deletion."""
    keys = QKeySequence(QKeySequence.StandardKey.Undo)
    return f" You can undo this with {keys.toString(QKeySequence.SequenceFormat.NativeText)}."
