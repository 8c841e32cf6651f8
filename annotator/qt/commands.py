"""Undoable edits. Each command calls one session method in ``redo`` and its
inverse in ``undo``; a command whose first ``redo`` failed marks itself
obsolete so the stack drops it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand

from annotator.core.codebook import Value
from annotator.core.model import Annotation
from annotator.qt.session import ProjectSession
from annotator.store.project import Deletion
from annotator.store.registry import Merge


@dataclass(frozen=True)
class NewAnnotation:
    document_id: str
    start: int
    end: int
    category: str
    values: tuple[Value, ...] = ()


class AddAnnotations(QUndoCommand):
    """Tag one or more spans in one step (ids made once, reused by redo)."""

    def __init__(self, session: ProjectSession, specs: list[NewAnnotation], text: str) -> None:
        super().__init__(text)
        self._session = session
        self._specs = specs
        self.records: list[Annotation] = []
        self._deleted: list[Deletion] | None = None

    def redo(self) -> None:
        if self._deleted is not None:
            self._session.restore_deletions(self._deleted)
            return
        for spec in self._specs:
            record = self._session.create_annotation(
                spec.document_id, spec.start, spec.end, spec.category, spec.values
            )
            if record is not None:
                self.records.append(record)
        if not self.records:
            self.setObsolete(True)

    def undo(self) -> None:
        self._deleted = self._session.delete_annotations([r.id for r in self.records])

    @property
    def record(self) -> Annotation | None:
        return self.records[0] if self.records else None


def add_annotation(
    session: ProjectSession, document_id: str, start: int, end: int, category: str
) -> AddAnnotations:
    return AddAnnotations(
        session, [NewAnnotation(document_id, start, end, category)], f"Tag as {category}"
    )


class DeleteAnnotation(QUndoCommand):
    """Delete an annotation with its values and the links that point to it."""

    def __init__(self, session: ProjectSession, annotation_id: str) -> None:
        super().__init__("Delete annotation")
        self._session = session
        self._id = annotation_id
        self._deleted: list[Deletion] | None = None

    def redo(self) -> None:
        deleted = self._session.delete_annotations([self._id])
        if deleted is None and self._deleted is None:
            self.setObsolete(True)
        elif deleted is not None:
            self._deleted = deleted

    def undo(self) -> None:
        if self._deleted is not None:
            self._session.restore_deletions(self._deleted)


class SetValue(QUndoCommand):
    def __init__(
        self, session: ProjectSession, annotation_id: str, value: Value, text: str
    ) -> None:
        super().__init__(text)
        self._session = session
        self._annotation_id = annotation_id
        self._value = value
        self._previous: Value | None = None
        self._first = True
        self._time_before: str | None = None  # the annotation's updated_at, put back by undo

    def redo(self) -> None:
        if self._first:
            self._time_before = self._session.updated_at(self._annotation_id)
        done, previous = self._session.set_value(self._annotation_id, self._value)
        if self._first:
            self._first = False
            self._previous = previous
            if not done:
                self.setObsolete(True)

    def undo(self) -> None:
        self._session.set_value(
            self._annotation_id,
            self._previous or Value(self._value.attribute_id),
            self._time_before,
        )


class SetMemo(QUndoCommand):
    def __init__(self, session: ProjectSession, annotation_id: str, memo: str) -> None:
        super().__init__("Edit memo")
        self._session = session
        self._annotation_id = annotation_id
        self._memo = memo
        self._previous: str | None = None
        self._time_before: str | None = None

    def redo(self) -> None:
        if self._previous is None:
            self._time_before = self._session.updated_at(self._annotation_id)
        previous = self._session.set_memo(self._annotation_id, self._memo)
        if self._previous is None:
            self._previous = previous
            if previous is None:
                self.setObsolete(True)

    def undo(self) -> None:
        if self._previous is not None:
            self._session.set_memo(self._annotation_id, self._previous, self._time_before)


class MergeActors(QUndoCommand):
    def __init__(self, session: ProjectSession, keep_id: str, drop_id: str) -> None:
        super().__init__("Merge actors")
        self._session = session
        self._ids = (keep_id, drop_id)
        self._merge: Merge | None = None

    def redo(self) -> None:
        self._merge = self._session.merge_actors(*self._ids)
        if self._merge is None:
            self.setObsolete(True)

    def undo(self) -> None:
        if self._merge is not None:
            self._session.unmerge(self._merge)
