"""Spans another tool coded, stored many at once (a REFI-QDA import): one batch
insert for the annotations, their memos, then one for their values, in one
transaction. A memo keeps the annotation's time of creation as its time of
change. The values are choices (a nested code): each is checked once to be a
choice of an attribute of its span's category. Undo deletes them all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.codebook import Value
from annotator.core.model import Annotation
from annotator.ops.annotations import delete_annotations
from annotator.ops.changes import Result, added, changed
from annotator.store.project import Project


@dataclass(frozen=True)
class PrecodedSpan:
    """``text[start:end]`` (code points) of a document, tagged by ``coder``."""

    document_id: str
    start: int
    end: int
    category: str  # key
    coder: str
    memo: str = ""
    values: tuple[Value, ...] = ()


def add_precoded(project: Project, spans: Sequence[PrecodedSpan]) -> Result[list[Annotation]]:
    """Tag every span in one transaction: all of them are saved, or none."""
    codebook = project.codebook()
    choices = {
        (category.key, attribute.id): {choice.id for choice in attribute.choices}
        for category in codebook.categories
        for attribute in codebook.attributes_of(category.key)
    }
    for span in spans:
        for value in span.values:
            if value.choice_id not in choices.get((span.category, value.attribute_id), ()):
                raise ValueError(
                    f"a value of a span of “{span.category}” is not one of its choices"
                )
    with project._transaction():
        records = project.add_annotations(
            [(s.document_id, s.start, s.end, s.category, s.coder) for s in spans]
        )
        for record, span in zip(records, spans, strict=True):
            if span.memo:
                project.set_memo(record.id, span.memo, updated_at=record.updated_at)
        project.restore_values(
            (record.id, value)
            for record, span in zip(records, spans, strict=True)
            for value in span.values
        )
    ids = [record.id for record in records]
    changes = added("annotation", ids) | changed("document", {r.document_id for r in records})
    return Result(records, changes, lambda p: delete_annotations(p, ids))
