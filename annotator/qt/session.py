"""The open project as the window sees it: store writes plus change signals.

Undo commands call these methods; models and views listen to the signals and
refresh only what changed (the window keeps the document list's counts up to
date from the annotation signals, without recounting). Store errors become a
``failed`` message and the method returns ``None`` (or ``False``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from annotator.core.codebook import Actor, Codebook, Value
from annotator.core.model import Annotation, Document, DocumentStatus
from annotator.qt.common import dialogs
from annotator.store.errors import ProjectError
from annotator.store.project import Deletion, Project
from annotator.store.registry import Merge

T = TypeVar("T")
_ERRORS = (ProjectError, ValueError, KeyError, OSError)


class ProjectSession(QObject):
    annotation_added = Signal(object)  # Annotation
    annotation_removed = Signal(object)  # Annotation
    values_changed = Signal(str)  # annotation id
    document_changed = Signal(object)  # Document
    codebook_changed = Signal()
    # Something that undo cannot restore (a codebook deletion) removed data that
    # earlier undo steps refer to: the window clears its undo history.
    history_invalidated = Signal(str)
    actors_changed = Signal()
    failed = Signal(str)

    def __init__(self, project: Project, coder: str) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self._codebook: Codebook | None = None
        self.codebook_changed.connect(self._forget_codebook)
        # Edits made so far, and how many there were at the last backup.
        self.changes = 0
        self.backed_up_at = 0
        for signal in (
            self.annotation_added,
            self.annotation_removed,
            self.values_changed,
            self.codebook_changed,
            self.actors_changed,
            self.document_changed,
        ):
            signal.connect(self._count_change)

    @property
    def codebook(self) -> Codebook:
        """The project's codebook, read once until it changes."""
        if self._codebook is None:
            self._codebook = self.project.codebook()
        return self._codebook

    def _count_change(self, *_args: object) -> None:
        self.changes += 1

    def _forget_codebook(self) -> None:
        self._codebook = None

    def _attempt(self, action: str, call: Callable[[], T]) -> T | None:
        try:
            return call()
        except _ERRORS as exc:
            detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            self.failed.emit(f"Could not {action}: {detail}. Nothing was changed.")
            return None

    def _documents_touched(self, doc_ids: set[str]) -> None:
        for doc_id in doc_ids:
            self.document_changed.emit(self.project.document(doc_id))

    # -- annotations -------------------------------------------------------------
    def create_annotation(
        self,
        document_id: str,
        start: int,
        end: int,
        category: str,
        values: tuple[Value, ...] = (),
    ) -> Annotation | None:
        ann = self._attempt(
            "save the annotation",
            lambda: self.project.add_annotation(
                document_id, start, end, category, coder=self.coder, values=values
            ),
        )
        if ann is not None:
            self.annotation_added.emit(ann)
        return ann

    def delete_annotations(self, annotation_ids: list[str]) -> list[Deletion] | None:
        deletions = self._attempt(
            "delete the annotation", lambda: self.project.delete_annotations(annotation_ids)
        )
        if deletions is not None:
            for deletion in deletions:
                self.annotation_removed.emit(deletion.annotation)
                for owner, _value in deletion.incoming:
                    self.values_changed.emit(owner)
        return deletions

    def restore_deletions(self, deletions: list[Deletion]) -> bool:
        done = self._attempt(
            "restore the annotation", lambda: self.project.restore_deletions(deletions) or True
        )
        if done:
            for deletion in deletions:
                self.annotation_added.emit(deletion.annotation)
                for owner, _value in deletion.incoming:
                    self.values_changed.emit(owner)
        return bool(done)

    # -- attribute values ------------------------------------------------------------
    def set_value(
        self, annotation_id: str, value: Value, updated_at: str | None = None
    ) -> tuple[bool, Value | None]:
        """Returns ``(done, previous value)``."""
        result = self._attempt(
            "save the value",
            lambda: (True, self.project.set_value(annotation_id, value, updated_at=updated_at)),
        )
        if result is None:
            return False, None
        self.values_changed.emit(annotation_id)
        return result

    def set_memo(self, annotation_id: str, memo: str, updated_at: str | None = None) -> str | None:
        """Returns the previous memo, or ``None`` when saving failed."""
        previous = self._attempt(
            "save the memo",
            lambda: self.project.set_memo(annotation_id, memo, updated_at=updated_at),
        )
        if previous is not None:
            self.values_changed.emit(annotation_id)
        return previous

    def updated_at(self, annotation_id: str) -> str | None:
        """When the annotation was last changed, or ``None`` if it cannot be read."""
        record = self._attempt(
            "read the annotation", lambda: self.project.annotation(annotation_id)
        )
        return record.updated_at if record is not None else None

    def backup_before(self, what: str, parent: QWidget | None) -> bool:
        """A backup before a change that cannot be undone (``what``: "deleting the
        category …"). If it fails, the user decides whether to go on without one;
        whether to go on."""
        try:
            self.project.backup("before-delete")
        except _ERRORS as exc:
            return dialogs.confirm(
                parent,
                "No backup",
                f"A backup could not be taken before {what}: {exc}.\n\n"
                "Go on without a backup? This cannot be undone.",
            )
        self.backed_up_at = self.changes
        return True

    def backup(self, reason: str) -> bool:
        """Take a backup; a failure is reported and the work goes on."""
        done = self._attempt(
            f"back up the project ({reason})", lambda: self.project.backup(reason) is not None
        )
        if done:
            self.backed_up_at = self.changes
        return bool(done)

    # -- actors ----------------------------------------------------------------------------
    def add_actor(self, name: str, **fields: object) -> Actor | None:
        actor = self._attempt("add the actor", lambda: self.project.add_actor(name, **fields))
        if actor is not None:
            self.actors_changed.emit()
        return actor

    def delete_actor(self, actor_id: str) -> bool:
        referring = self._attempt(
            "delete the actor", lambda: self.project.actor_references(actor_id)
        )
        done = referring is not None and self._attempt(
            "delete the actor", lambda: self.project.delete_actor(actor_id) is not None
        )
        if done:
            self.actors_changed.emit()
            for annotation_id in referring or ():
                self.values_changed.emit(annotation_id)
        return bool(done)

    def update_actor(self, actor_id: str, **fields: object) -> Actor | None:
        actor = self._attempt(
            "change the actor", lambda: self.project.update_actor(actor_id, **fields)
        )
        if actor is not None:
            self.actors_changed.emit()
        return actor

    def merge_actors(self, keep_id: str, drop_id: str) -> Merge | None:
        merge = self._attempt(
            "merge the actors", lambda: self.project.merge_actors(keep_id, drop_id)
        )
        if merge is not None:
            self.actors_changed.emit()
            for annotation_id, _attr in merge.moved:
                self.values_changed.emit(annotation_id)
        return merge

    def unmerge(self, merge: Merge) -> bool:
        done = self._attempt("undo the merge", lambda: self.project.unmerge(merge) or True)
        if done:
            self.actors_changed.emit()
            for annotation_id, _attr in merge.moved:
                self.values_changed.emit(annotation_id)
        return bool(done)

    # -- documents ---------------------------------------------------------------------------
    def set_status(self, document: Document, status: DocumentStatus) -> None:
        done = self._attempt(
            "change the document's status",
            lambda: self.project.set_document_status(document.id, status) or True,
        )
        if done:
            self._documents_touched({document.id})
