"""Tagging and deleting through the operations: one transaction, a description
of what changed, and an undo that puts back exactly what was there."""

import pytest

from annotator.core.codebook import Value
from annotator.ops import annotations, values
from annotator.ops.annotations import NewAnnotation
from annotator.store.errors import ProjectError
from tests.exporting.coded_example import build, span

from .roundtrip import check_undo_redo, dump


def test_add_returns_the_whole_record_and_what_changed(doc_project):
    project, doc = doc_project
    result = annotations.add_annotation(project, doc.id, 0, 5, "actor", coder="Ana")
    ann = result.value
    assert ann == project.annotation(ann.id)
    assert result.changes.annotation.added == {ann.id}
    assert result.changes.document.changed == {doc.id}
    assert result.changes.annotations[ann.id] == ann
    assert result.changes.annotation_values == {ann.id: {}}
    assert result.changes.kinds() == ("annotation", "document")


def test_add_with_values_carries_them(project):
    example = build(project)
    issue = project.codebook().attribute("claim", "issue")
    security = issue.choices[0]
    value = Value(issue.id, choice_id=security.id)
    result = annotations.add_annotation(
        project,
        example.doc.id,
        *span(project, example.doc, "Analysts"),
        "claim",
        coder="Ana",
        values=(value, Value(issue.id)),  # an empty one is left out
    )
    assert result.changes.annotation_values[result.value.id] == {issue.id: value}
    assert project.values(result.value.id) == {issue.id: value}


def test_adding_several_is_all_or_nothing(doc_project):
    project, doc = doc_project
    before = dump(project)
    specs = [NewAnnotation(doc.id, 0, 5, "actor"), NewAnnotation(doc.id, 0, 500, "actor")]
    with pytest.raises(ValueError, match="outside the document"):
        annotations.add_annotations(project, specs, coder="Ana")
    assert dump(project) == before


def test_add_undo_redo(doc_project):
    project, doc = doc_project
    project.ensure_coder("Ana")  # a coder, once known, stays: undo removes only the annotation
    result = check_undo_redo(
        project, lambda p: annotations.add_annotation(p, doc.id, 0, 5, "actor", coder="Ana")
    )
    assert [a.id for a in project.annotations()] == [result.value.id]  # the same id
    undone = result.undo(project)
    assert project.annotations() == []
    redone = undone.undo(project)
    assert [a.id for a in project.annotations()] == [result.value.id]
    assert redone.changes.annotations[result.value.id] == result.value


def test_delete_with_links_describes_the_linking_annotations(project):
    example = build(project)
    result = annotations.delete_annotations(project, [example.mention.id])
    changes = result.changes
    assert changes.annotation.removed == {example.mention.id}
    # The claim and both stances pointed at the mention (claimant, holder).
    assert changes.values.changed == {example.claim.id, example.oppose.id, example.support.id}
    assert changes.document.changed == {example.doc.id}
    (deletion,) = result.value
    assert deletion.annotation == example.mention


def test_delete_undo_redo_restores_values_and_links(project):
    example = build(project)
    result = check_undo_redo(
        project,
        lambda p: annotations.delete_annotations(p, [example.mention.id, example.claim.id]),
    )
    restored = result.undo(project)
    assert restored.changes.annotation.added == {example.mention.id, example.claim.id}
    assert set(restored.changes.annotations) == {example.mention.id, example.claim.id}
    assert restored.changes.values.changed == {example.oppose.id, example.support.id}


def test_a_read_only_project_refuses_and_changes_nothing(tmp_path, doc_project):
    from annotator.store.project import open_project

    project, doc = doc_project
    with open_project(project.path, read_only=True) as reader:
        with pytest.raises(ProjectError, match="read-only"):
            annotations.add_annotation(reader, doc.id, 0, 5, "actor", coder="Ana")
        with pytest.raises(ProjectError, match="read-only"):
            values.set_memo(reader, "nothing", "memo")
    assert project.annotations() == []
