"""Tagging spans and deleting annotations; undo puts back exactly what went."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.codebook import Value
from annotator.core.model import Annotation
from annotator.ops.changes import Changes, Result, added, changed, removed
from annotator.store.project import Deletion, Project


@dataclass(frozen=True)
class NewAnnotation:
    """A span to tag: ``text[start:end]`` (code points) as ``category``, with values."""

    document_id: str
    start: int
    end: int
    category: str
    values: tuple[Value, ...] = ()


def _own_values(values: Iterable[Value]) -> dict[str, Value]:
    return {v.attribute_id: v for v in values if not v.is_empty()}


def _documents_of(project: Project, annotation_ids: Iterable[str]) -> Changes:
    """The documents of these annotations changed (their counts may have)."""
    return changed("document", project.annotation_documents(set(annotation_ids)).values())


def add_annotations(
    project: Project, specs: Sequence[NewAnnotation], *, coder: str
) -> Result[list[Annotation]]:
    """Tag every span in one transaction: all of them are saved, or none."""
    with project._transaction():
        records = [
            project.add_annotation(
                spec.document_id,
                spec.start,
                spec.end,
                spec.category,
                coder=coder,
                values=spec.values,
            )
            for spec in specs
        ]
    ids = [record.id for record in records]
    changes = (
        added("annotation", ids) | changed("document", {r.document_id for r in records})
    ).with_records(
        annotations=records,
        annotation_values={
            r.id: _own_values(s.values) for r, s in zip(records, specs, strict=True)
        },
    )
    return Result(records, changes, lambda p: delete_annotations(p, ids))


def add_annotation(
    project: Project,
    document_id: str,
    start: int,
    end: int,
    category: str,
    *,
    coder: str,
    values: tuple[Value, ...] = (),
) -> Result[Annotation]:
    """Tag ``text[start:end]`` (code points) with the category whose key is given."""
    result = add_annotations(
        project, [NewAnnotation(document_id, start, end, category, values)], coder=coder
    )
    return Result(result.value[0], result.changes, result.undo)


def delete_annotations(project: Project, annotation_ids: Sequence[str]) -> Result[list[Deletion]]:
    """Delete annotations with their values and every link to them; the value
    holds what was there, for undo."""
    ids = list(annotation_ids)
    with project._transaction():
        deletions = project.delete_annotations(ids)
        owners = _link_owners(deletions)
        documents = _documents_of(project, owners)
    changes = (
        removed("annotation", ids)
        | changed("document", {d.annotation.document_id for d in deletions})
        | changed("values", owners)
        | documents
    )
    return Result(deletions, changes, lambda p: restore_deletions(p, deletions))


def _link_owners(deletions: Sequence[Deletion]) -> set[str]:
    """Annotations, not among those deleted, whose values pointed at them."""
    gone = {d.annotation.id for d in deletions}
    return {owner for d in deletions for owner, _value in d.incoming if owner not in gone}


def restore_deletions(project: Project, deletions: Sequence[Deletion]) -> Result[None]:
    """Put deleted annotations back exactly, with their values and incoming links."""
    deletions = list(deletions)
    ids = [d.annotation.id for d in deletions]
    with project._transaction():
        project.restore_deletions(deletions)
        owners = _link_owners(deletions)
        documents = _documents_of(project, owners)
    changes = (
        added("annotation", ids)
        | changed("document", {d.annotation.document_id for d in deletions})
        | changed("values", owners)
        | documents
    ).with_records(
        annotations=[d.annotation for d in deletions],
        annotation_values={d.annotation.id: _own_values(d.values) for d in deletions},
    )
    return Result(None, changes, lambda p: delete_annotations(p, ids))
