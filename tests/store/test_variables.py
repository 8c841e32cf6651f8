import pytest

from annotator.core.model import VariableType


def test_variables_typed_and_checked(doc_project):
    project, doc = doc_project
    outlet = project.add_variable("Outlet")
    year = project.add_variable("Year", VariableType.NUMBER)
    genre = project.add_variable("Genre", "choice", choices=["news", "op-ed"])
    published = project.add_variable("Published", VariableType.DATE)
    assert [v.key for v in project.variables()] == ["outlet", "year", "genre", "published"]
    project.set_document_variables(
        doc.id,
        {"outlet": " Hankyoreh ", "year": "2024", "genre": "op-ed", "published": "2024-06-22"},
    )
    assert project.document_variables(doc.id) == {
        "outlet": "Hankyoreh",
        "year": "2024",
        "genre": "op-ed",
        "published": "2024-06-22",
    }
    for bad in (
        {"year": "soon"},
        {"genre": "poem"},
        {"published": "22/06/2024"},
        {"published": "2024-02-30"},
        {"nope": "x"},
    ):
        with pytest.raises((ValueError, KeyError)):
            project.set_document_variables(doc.id, {"outlet": "changed", **bad})
        assert project.document_variables(doc.id)["outlet"] == "Hankyoreh"
    project.set_document_variables(doc.id, {"outlet": "", "year": None})
    assert project.all_document_variables() == {
        doc.id: {"genre": "op-ed", "published": "2024-06-22"}
    }
    project.delete_variable(genre.id)
    assert project.document_variables(doc.id) == {"published": "2024-06-22"}
    assert (outlet.type, year.type, published.type) == ("text", "number", "date")


def test_update_document_metadata_only(doc_project):
    project, doc = doc_project
    text = project.document_text(doc.id)
    updated = project.update_document(doc.id, title="Summit in Pyongyang", source="Hankyoreh")
    assert (updated.title, updated.source) == ("Summit in Pyongyang", "Hankyoreh")
    assert project.document_text(doc.id) == text
    with pytest.raises(ValueError):
        project.update_document(doc.id, text="changed")
    with pytest.raises(ValueError):
        project.update_document(doc.id, title="  ")


def test_encoding_is_recorded(project):
    doc = project.import_text("Grüße", title="T", encoding="cp1252")
    assert project.document(doc.id).encoding == "cp1252"
