"""Document properties, variable values, status and variable definitions."""

import pytest

from annotator.core.model import DocumentStatus
from annotator.ops import documents, variables

from .roundtrip import check_undo_redo, dump


@pytest.fixture
def with_variables(doc_project):
    project, doc = doc_project
    project.add_variable("Word count", "number")
    project.add_variable("Genre", "choice", choices=["news", "opinion"])
    project.set_document_variables(doc.id, {"genre": "news"})
    return project, doc


def test_import_text_carries_the_document(project):
    result = documents.import_text(project, "Some text.", title="T", variables={})
    assert result.changes.document.added == {result.value.id}
    assert result.changes.documents[result.value.id] == project.document(result.value.id)
    assert result.undo is None  # importing is not undone


def test_edit_document_undo_redo(with_variables):
    project, doc = with_variables
    result = check_undo_redo(
        project,
        lambda p: documents.edit_document(
            p, doc.id, {"title": "Summit", "source": "KBS"}, {"genre": "opinion", "word_count": "9"}
        ),
    )
    assert result.value.title == "Summit"
    assert result.changes.documents[doc.id] == result.value
    assert result.changes.kinds() == ("document",)


def test_a_bad_variable_value_saves_nothing(with_variables):
    project, doc = with_variables
    before = dump(project)
    with pytest.raises(ValueError, match="not a number"):
        documents.edit_document(project, doc.id, {"title": "New"}, {"word_count": "many"})
    assert dump(project) == before


def test_status_undo_redo(doc_project):
    project, doc = doc_project
    result = check_undo_redo(
        project, lambda p: documents.set_document_status(p, doc.id, DocumentStatus.DONE)
    )
    assert result.value.status == DocumentStatus.DONE


def test_variable_definitions_undo_redo(with_variables):
    project, doc = with_variables
    added = check_undo_redo(project, lambda p: variables.add_variable(p, "Country", "text"))
    assert added.changes.variable.added == {added.value.id}
    genre = project.variable("genre")
    check_undo_redo(project, lambda p: variables.update_variable(p, genre.id, label="Text type"))
    removed = check_undo_redo(project, lambda p: variables.delete_variable(p, genre.id))
    assert removed.value.values == {doc.id: "news"}
    assert removed.changes.document.changed == {doc.id}


def test_properties_and_variables_are_one_step(with_variables):
    project, doc = with_variables
    before = dump(project)
    # The variables are fine and written first; the empty title then fails: nothing stays.
    with pytest.raises(ValueError, match="needs a title"):
        documents.edit_document(project, doc.id, {"title": " "}, {"genre": "opinion"})
    assert dump(project) == before


def test_undo_puts_back_a_value_the_variable_no_longer_lists(with_variables):
    """Genre's choices shrank to "news" after the document was set to "opinion"
    (the stored value stays); undoing a later edit put "opinion" through the new
    list, failed, and the value was lost."""
    project, doc = with_variables
    documents.edit_document(project, doc.id, variables={"genre": "opinion"})
    genre = next(v for v in project.variables() if v.key == "genre")
    variables.update_variable(project, genre.id, choices=["news"])
    assert project.document_variables(doc.id)["genre"] == "opinion"
    edit = documents.edit_document(project, doc.id, variables={"genre": "news"})
    undone = edit.undo(project)
    assert project.document_variables(doc.id)["genre"] == "opinion"
    undone.undo(project)  # redo
    assert project.document_variables(doc.id)["genre"] == "news"
