"""Attribute values and memos of annotations.

Undo puts back the previous value and the time the annotation was last
changed before, so an undone edit leaves no trace in ``updated_at``.
"""

from __future__ import annotations

from annotator.core.codebook import Value
from annotator.ops.changes import Changes, Result, changed
from annotator.store.project import Project


def _edited(annotation_id: str, document_id: str) -> Changes:
    return changed("values", [annotation_id]) | changed("document", [document_id])


def set_value(
    project: Project,
    annotation_id: str,
    value: Value,
    *,
    updated_at: str | None = None,
    restore: bool = False,
) -> Result[Value | None]:
    """Set (or, with an empty value, clear) one attribute; the value is the
    previous one. ``updated_at``: the annotation's change time (default now).
    ``restore``: the value is one the store held before (undo puts it back even
    if it does not fit the type, as a value written by another tool may not)."""
    with project._transaction():
        before = project.annotation(annotation_id)  # KeyError for an unknown annotation
        previous = project.set_value(annotation_id, value, updated_at=updated_at, restore=restore)
    old = previous or Value(value.attribute_id)
    return Result(
        previous,
        _edited(annotation_id, before.document_id),
        lambda p: set_value(
            p, annotation_id, old, updated_at=before.updated_at, restore=previous is not None
        ),
    )


def set_memo(
    project: Project, annotation_id: str, memo: str, *, updated_at: str | None = None
) -> Result[str]:
    """Replace the annotation's memo; the value is the previous memo."""
    with project._transaction():
        before = project.annotation(annotation_id)
        previous = project.set_memo(annotation_id, memo, updated_at=updated_at)
    return Result(
        previous,
        _edited(annotation_id, before.document_id),
        lambda p: set_memo(p, annotation_id, previous, updated_at=before.updated_at),
    )
