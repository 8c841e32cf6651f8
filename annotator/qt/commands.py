"""Undoable edits. Each command calls one session method in ``redo`` and its
inverse in ``undo``; a command whose first ``redo`` failed marks itself
obsolete so the stack drops it."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from annotator.core.model import Annotation
from annotator.qt.session import ProjectSession


class AddAnnotation(QUndoCommand):
    def __init__(
        self, session: ProjectSession, document_id: str, start: int, end: int, category: str
    ) -> None:
        super().__init__(f"Tag as {category}")
        self._session = session
        self._args = (document_id, start, end, category)
        self.record: Annotation | None = None

    def redo(self) -> None:
        if self.record is None:
            # First time: the id and timestamps are made once, reused by later redos.
            self.record = self._session.create_annotation(*self._args)
            if self.record is None:
                self.setObsolete(True)
        else:
            self._session.restore_annotation(self.record)

    def undo(self) -> None:
        if self.record is not None:
            self._session.delete_annotation(self.record.id)


class DeleteAnnotation(QUndoCommand):
    def __init__(self, session: ProjectSession, annotation_id: str) -> None:
        super().__init__("Delete annotation")
        self._session = session
        self._id = annotation_id
        self.record: Annotation | None = None

    def redo(self) -> None:
        record = self._session.delete_annotation(self._id)
        if record is None and self.record is None:
            self.setObsolete(True)
        elif record is not None:
            self.record = record

    def undo(self) -> None:
        if self.record is not None:
            self._session.restore_annotation(self.record)
