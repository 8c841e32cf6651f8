"""Values and memos: undo puts back the value and the annotation's change time."""

import pytest

from annotator.core.codebook import Value
from annotator.ops import values
from tests.exporting.coded_example import build

from .roundtrip import check_undo_redo, dump


def test_set_value_describes_the_annotation_and_its_document(project):
    example = build(project)
    polarity = project.codebook().attribute("stance", "polarity")
    neutral = next(c for c in polarity.choices if c.label == "neutral")
    result = values.set_value(project, example.oppose.id, Value(polarity.id, choice_id=neutral.id))
    assert result.value == Value(polarity.id, choice_id=example_choice(project, "oppose"))
    assert result.changes.values.changed == {example.oppose.id}
    assert result.changes.document.changed == {example.doc.id}
    assert result.changes.kinds() == ("values", "document")


def example_choice(project, label):
    polarity = project.codebook().attribute("stance", "polarity")
    return next(c.id for c in polarity.choices if c.label == label)


def test_set_value_undo_redo_keeps_the_change_time(project):
    example = build(project)
    polarity = project.codebook().attribute("stance", "polarity")
    time_before = project.annotation(example.oppose.id).updated_at
    value = Value(polarity.id, choice_id=example_choice(project, "neutral"))
    result = check_undo_redo(project, lambda p: values.set_value(p, example.oppose.id, value))
    assert project.values(example.oppose.id)[polarity.id] == value
    result.undo(project)
    assert project.annotation(example.oppose.id).updated_at == time_before


def test_clearing_a_value_is_undone(project):
    example = build(project)
    polarity = project.codebook().attribute("stance", "polarity")
    check_undo_redo(project, lambda p: values.set_value(p, example.oppose.id, Value(polarity.id)))


def test_memo_undo_redo(project):
    example = build(project)
    result = check_undo_redo(project, lambda p: values.set_memo(p, example.claim.id, "check"))
    assert result.value == ""
    assert result.changes.values.changed == {example.claim.id}


def test_a_value_that_does_not_fit_changes_nothing(project):
    example = build(project)
    polarity = project.codebook().attribute("stance", "polarity")
    before = dump(project)
    with pytest.raises(ValueError, match="does not belong"):
        values.set_value(project, example.claim.id, Value(polarity.id, text="x"))
    with pytest.raises(KeyError):
        values.set_value(project, "no-such-annotation", Value(polarity.id, text="x"))
    assert dump(project) == before


def test_undo_puts_back_a_value_another_tool_wrote_that_does_not_fit_the_type(project):
    example = build(project)
    weight = project.add_attribute(project.category("claim").id, "Weight", "number")
    project.db.execute(
        "INSERT INTO annotation_values (annotation_id, attribute_id, value_text, updated_at)"
        " VALUES (?, ?, 'lots', '2026-01-01T00:00:00.000Z')",
        (example.claim.id, weight.id),
    )
    project.db.conn.commit()
    result = values.set_value(project, example.claim.id, Value(weight.id, number=3))
    assert project.values(example.claim.id)[weight.id].number == 3
    undone = result.undo(project)
    assert project.values(example.claim.id)[weight.id].text == "lots"
    undone.undo(project)  # redo
    assert project.values(example.claim.id)[weight.id].number == 3
