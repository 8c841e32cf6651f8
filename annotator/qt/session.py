"""The open project as the window sees it: store writes plus change signals.

Undo commands call these methods; models and views listen to the signals and
refresh only what changed. Store errors become a ``failed`` message.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.core.model import Annotation, Document, DocumentStatus
from annotator.store.errors import ProjectError
from annotator.store.project import Project


class ProjectSession(QObject):
    annotation_added = Signal(object)  # Annotation
    annotation_removed = Signal(object)  # Annotation
    document_changed = Signal(object)  # Document
    failed = Signal(str)

    def __init__(self, project: Project, coder: str) -> None:
        super().__init__()
        self.project = project
        self.coder = coder

    def _report(self, action: str, exc: Exception) -> None:
        self.failed.emit(f"Could not {action}: {exc}. Nothing was changed.")

    def _document_touched(self, doc_id: str) -> None:
        self.document_changed.emit(self.project.document(doc_id))

    def create_annotation(
        self, document_id: str, start: int, end: int, category: str
    ) -> Annotation | None:
        try:
            ann = self.project.add_annotation(
                document_id, start, end, category, coder=self.coder
            )
        except (ProjectError, ValueError, OSError) as exc:
            self._report("save the annotation", exc)
            return None
        self.annotation_added.emit(ann)
        self._document_touched(document_id)
        return ann

    def restore_annotation(self, ann: Annotation) -> bool:
        try:
            self.project.restore_annotation(ann)
        except (ProjectError, OSError) as exc:
            self._report("restore the annotation", exc)
            return False
        self.annotation_added.emit(ann)
        self._document_touched(ann.document_id)
        return True

    def delete_annotation(self, annotation_id: str) -> Annotation | None:
        try:
            ann = self.project.delete_annotation(annotation_id)
        except (ProjectError, KeyError, OSError) as exc:
            self._report("delete the annotation", exc)
            return None
        self.annotation_removed.emit(ann)
        self._document_touched(ann.document_id)
        return ann

    def set_status(self, document: Document, status: DocumentStatus) -> None:
        try:
            self.project.set_document_status(document.id, status)
        except (ProjectError, OSError) as exc:
            self._report("change the document's status", exc)
            return
        self._document_touched(document.id)
