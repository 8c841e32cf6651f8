"""Pre-coded spans stored at once: values, memos, the change time, undo, refusal."""

from __future__ import annotations

import pytest

from annotator.core.codebook import Value
from annotator.ops.precoded import PrecodedSpan, add_precoded
from annotator.store.project import Project


def test_spans_values_memos_and_undo(doc_project: tuple[Project, object]) -> None:
    project, doc = doc_project
    polarity = project.codebook().attribute("stance", "polarity")
    oppose = next(c for c in polarity.choices if c.label == "oppose")
    value = Value(polarity.id, choice_id=oppose.id)
    result = add_precoded(
        project,
        [
            PrecodedSpan(doc.id, 0, 5, "actor", "Ana"),
            PrecodedSpan(doc.id, 10, 13, "stance", "Ben", "a memo", (value,)),
        ],
    )
    putin, kim = result.value
    stored = project.annotation(kim.id)
    assert (stored.quote, stored.coder, stored.memo) == ("Kim", "Ben", "a memo")
    assert stored.updated_at == stored.created_at
    assert project.values(kim.id) == {polarity.id: project.values(kim.id)[polarity.id]}
    assert project.values(kim.id)[polarity.id].choice_id == oppose.id
    assert project.annotation(putin.id).quote == "Putin"
    assert result.undo is not None
    result.undo(project)
    assert project.annotations() == []


def test_a_value_of_another_category_is_refused(doc_project: tuple[Project, object]) -> None:
    project, doc = doc_project
    polarity = project.codebook().attribute("stance", "polarity")
    value = Value(polarity.id, choice_id=polarity.choices[0].id)
    with pytest.raises(ValueError, match="not one of its choices"):
        add_precoded(project, [PrecodedSpan(doc.id, 0, 5, "actor", "Ana", values=(value,))])
    assert project.annotations() == []
