"""Undoable edits: each command wraps one operation (``annotator.ops``).

``redo`` runs the operation through the session the first time; the result
carries the operation's inverse, which ``undo`` runs; that one's result carries
the redo, and so on, so ids made the first time are reused (a redo puts back
the very annotation, category or actor that undo removed). A command whose
first run failed marks itself obsolete, and the stack drops it; one whose undo
or redo failed does too, and tells the session (``history_broken``): the project
no longer matches the history, so the window clears it rather than keep offering
steps that would not do what they say.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from annotator.core.codebook import Value
from annotator.core.model import Annotation
from annotator.ops import annotations as annotation_ops
from annotator.ops import registry, values
from annotator.ops.annotations import NewAnnotation
from annotator.ops.changes import Result
from annotator.qt.session import ProjectSession
from annotator.store.project import Project

Operation = Callable[[Project], Result[Any]]

__all__ = [
    "AddAnnotations",
    "NewAnnotation",
    "OperationCommand",
    "add_annotation",
    "delete_annotation",
    "merge_actors",
    "set_memo",
    "set_value",
]


class OperationCommand(QUndoCommand):
    """One operation on the undo stack; ``action`` says what it does in a failure
    message ("Could not ``action``: …")."""

    def __init__(
        self, session: ProjectSession, text: str, action: str, operation: Operation
    ) -> None:
        super().__init__(text)
        self._session = session
        self._action = action
        self._next: Operation | None = operation
        self._inverse: Operation | None = None
        self.result: Result[Any] | None = None  # of the first run

    def redo(self) -> None:
        first = self.result is None
        action = self._action if first else f"redo “{self.text()}”"
        result = self._run(action, self._next)
        if result is None:
            self.setObsolete(True)
            if not first:
                self._session.history_broken.emit()
            return
        if first:
            self.result = result
            if not result.changes:  # nothing to undo: no step on the stack
                self.setObsolete(True)
        else:
            self._session.replayed.emit(f"Redid “{self.text()}”", result.changes)
        self._inverse, self._next = result.undo, None

    def undo(self) -> None:
        result = self._run(f"undo “{self.text()}”", self._inverse)
        if result is None:
            self.setObsolete(True)
            self._session.history_broken.emit()
            return
        self._session.replayed.emit(f"Undid “{self.text()}”", result.changes)
        self._next, self._inverse = result.undo, None

    def _run(self, action: str, operation: Operation | None) -> Result[Any] | None:
        if operation is None:  # an operation without an inverse (none of the above)
            return None
        return self._session.run(action, operation)


class AddAnnotations(OperationCommand):
    """Tag one or more spans in one step (ids made once, reused by redo)."""

    def __init__(self, session: ProjectSession, specs: Sequence[NewAnnotation], text: str) -> None:
        specs = list(specs)
        super().__init__(
            session,
            text,
            "save the annotation" if len(specs) == 1 else "save the annotations",
            lambda p: annotation_ops.add_annotations(p, specs, coder=session.coder),
        )

    @property
    def records(self) -> list[Annotation]:
        """The annotations the first run made (none if it failed)."""
        return list(self.result.value) if self.result is not None else []

    @property
    def record(self) -> Annotation | None:
        return self.records[0] if self.records else None


def add_annotation(
    session: ProjectSession, document_id: str, start: int, end: int, category: str
) -> AddAnnotations:
    return AddAnnotations(
        session, [NewAnnotation(document_id, start, end, category)], f"Tag as {category}"
    )


def delete_annotation(session: ProjectSession, annotation_id: str) -> OperationCommand:
    """Delete an annotation with its values and the links that point to it."""
    return OperationCommand(
        session,
        "Delete annotation",
        "delete the annotation",
        lambda p: annotation_ops.delete_annotations(p, [annotation_id]),
    )


def set_value(
    session: ProjectSession, annotation_id: str, value: Value, text: str
) -> OperationCommand:
    return OperationCommand(
        session, text, "save the value", lambda p: values.set_value(p, annotation_id, value)
    )


def set_memo(session: ProjectSession, annotation_id: str, memo: str) -> OperationCommand:
    return OperationCommand(
        session, "Edit memo", "save the memo", lambda p: values.set_memo(p, annotation_id, memo)
    )


def merge_actors(session: ProjectSession, keep_id: str, drop_id: str) -> OperationCommand:
    return OperationCommand(
        session,
        "Merge actors",
        "merge the actors",
        lambda p: registry.merge_actors(p, keep_id, drop_id),
    )
