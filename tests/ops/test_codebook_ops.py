"""Codebook edits through the operations: every one is undone exactly, deletions
included (with the annotations and values they took along)."""

import pytest

from annotator.core.codebook import Value
from annotator.ops import codebook as ops
from tests.exporting.coded_example import build, span

from .roundtrip import check_undo_redo, dump


@pytest.fixture
def example(project):
    example = build(project)
    # A stance whose target is the claim's issue (a choice borrowed from the claim).
    codebook = project.codebook()
    target = codebook.attribute("stance", "target")
    security = codebook.attribute("claim", "issue").choices[0]
    example.on_issue = project.add_annotation(
        example.doc.id,
        *span(project, example.doc, "Analysts doubt it"),
        "stance",
        coder="Bo",
        values=[Value(target.id, choice_id=security.id)],
    )
    return example


# -- categories ---------------------------------------------------------------------------
def test_add_category_undo_redo_keeps_its_id(project):
    result = check_undo_redo(project, lambda p: ops.add_category(p, "Frame", "#123456", hotkey="4"))
    assert result.changes.category.added == {result.value.id}
    assert project.category("frame").id == result.value.id


def test_update_category_undo_redo(project):
    actor = project.category("actor")
    result = check_undo_redo(
        project, lambda p: ops.update_category(p, actor.id, label="Speaker", hotkey="9")
    )
    assert (result.value.label, result.value.hotkey) == ("Speaker", "9")
    assert result.changes.category.changed == {actor.id}


def test_delete_category_takes_its_annotations_and_undo_brings_all_back(project, example):
    claim = project.category("claim")
    result = ops.delete_category(project, claim.id)
    changes = result.changes
    assert changes.category.removed == {claim.id}
    assert changes.annotation.removed == {example.claim.id}
    issue_choice = result.value.attributes[1].choices[0]
    assert changes.choice.removed == {issue_choice.id}
    # Stances lost their target (the claim) and the borrowed issue.
    assert changes.values.changed == {example.oppose.id, example.support.id, example.on_issue.id}
    assert project.values(example.on_issue.id) == {}
    assert changes.codebook
    result.undo(project)
    target = project.codebook().attribute("stance", "target")
    assert project.values(example.on_issue.id) == {
        target.id: Value(target.id, choice_id=issue_choice.id)
    }


def test_delete_category_undo_redo_is_exact(project, example):
    claim = project.category("claim")
    check_undo_redo(project, lambda p: ops.delete_category(p, claim.id))


def test_restoring_a_category_carries_its_annotations(project, example):
    claim = project.category("claim")
    restored = ops.delete_category(project, claim.id).undo(project)
    assert restored.changes.annotations[example.claim.id] == example.claim
    assert set(restored.changes.annotation_values[example.claim.id]) == {
        a.id for a in project.codebook().attributes_of("claim") if a.key in ("claimant", "issue")
    }


def test_reorder_undo_redo(project):
    ids = [c.id for c in project.categories()]
    result = check_undo_redo(project, lambda p: ops.reorder(p, "categories", ids[::-1]))
    assert result.value == ids


def test_reorder_refuses_another_table(project):
    with pytest.raises(ValueError):
        ops.reorder(project, "documents", [])  # type: ignore[arg-type]


# -- attributes ------------------------------------------------------------------------------
def test_add_attribute_with_choices_undo_redo(project):
    actor = project.category("actor")
    result = check_undo_redo(
        project,
        lambda p: ops.add_attribute(
            p, actor.id, "Gender", "choice", choices=[{"label": "f"}, {"label": "m", "code": 2}]
        ),
    )
    assert [c.label for c in result.value.choices] == ["f", "m"]
    assert result.changes.choice.added == {c.id for c in result.value.choices}


def test_update_attribute_undo_redo(project):
    target = project.codebook().attribute("stance", "target")
    result = check_undo_redo(
        project,
        lambda p: ops.update_attribute(p, target.id, required=False, targets=("registry",)),
    )
    assert result.value.targets == ("registry",) and not result.value.required


def test_delete_attribute_takes_its_values_and_borrowed_choices(project, example):
    issue = project.codebook().attribute("claim", "issue")
    result = ops.delete_attribute(project, issue.id)
    assert result.changes.attribute.removed == {issue.id}
    assert result.changes.values.changed == {example.claim.id, example.on_issue.id}
    assert {owner for owner, _ in result.value.values} == {example.claim.id, example.on_issue.id}
    result.undo(project)
    check_undo_redo(project, lambda p: ops.delete_attribute(p, issue.id))


# -- choices ------------------------------------------------------------------------------------
def test_add_and_update_choice_undo_redo(project):
    issue = project.codebook().attribute("claim", "issue")
    added = check_undo_redo(project, lambda p: ops.add_choice(p, issue.id, "economy", code=1))
    check_undo_redo(
        project, lambda p: ops.update_choice(p, added.value.id, label="Economy", code=None)
    )


def test_delete_choice_clears_values_and_undo_restores_them(project, example):
    security = project.codebook().attribute("claim", "issue").choices[0]
    result = check_undo_redo(project, lambda p: ops.delete_choice(p, security.id))
    assert result.changes.values.changed == {example.claim.id, example.on_issue.id}
    assert result.changes.document.changed == {example.doc.id}


def test_a_failing_edit_changes_nothing(project):
    before = dump(project)
    with pytest.raises(ValueError, match="cannot change key"):
        ops.update_category(project, project.category("actor").id, key="x")
    with pytest.raises(KeyError):
        ops.delete_choice(project, "no-such-choice")
    assert dump(project) == before


def test_a_codebook_file_merged_as_one_operation_is_undone_exactly(project, tmp_path):
    from annotator.importing.codebook_json import merge_codebook

    path = tmp_path / "team.json"
    path.write_text(
        '{"format": "annotator-codebook", "version": 1, "categories": ['
        '{"key": "frame", "label": "Frame", "colour": "#123456"},'
        '{"key": "stance", "label": "Position", "attributes": [{"key": "polarity",'
        ' "type": "choice", "choices": [{"label": "oppose"}, {"label": "support"},'
        ' {"label": "mixed", "code": 0.5}]}]}]}',
        encoding="utf-8",
    )
    result = check_undo_redo(project, lambda p: merge_codebook(p, path))
    assert (result.value.categories_added, result.value.choices_added) == (1, 1)
    assert result.changes.category.added == {project.category("frame").id}
    assert project.category("stance").label == "Position"
