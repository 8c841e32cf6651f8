import pytest

from annotator.core.model import DocumentStatus
from annotator.store.errors import ProjectError


def test_import_canonicalises_text_once(project):
    doc = project.import_text("\ufeffOne\r\nTwo\rCafe\u0301", title=" T ")
    assert project.document_text(doc.id) == "One\nTwo\nCaf\u00e9"
    assert doc.char_count == len("One\nTwo\nCaf\u00e9")
    assert doc.title == "T"
    assert project.find_document_by_sha256(doc.sha256) == doc


def test_empty_document_is_refused(project):
    with pytest.raises(ValueError, match="empty"):
        project.import_text(" \n\t ", title="blank")
    assert project.documents() == []


def test_add_annotation_stores_quote_in_code_points(doc_project):
    project, doc = doc_project
    text = project.document_text(doc.id)
    start = text.index("소아쌤")
    ann = project.add_annotation(doc.id, start, start + 3, "actor", coder="Ana")
    assert ann.quote == "소아쌤" == text[ann.start : ann.end]
    after_emoji = text.index("in Pyongyang")
    ann2 = project.add_annotation(doc.id, after_emoji, after_emoji + 12, "claim", coder="Ana")
    assert project.annotation(ann2.id).quote == "in Pyongyang"
    assert ann.created_at.endswith("Z") and ann.created_at == ann.updated_at


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, 3), (5, 2), (0, 10_000)])
def test_out_of_range_spans_are_refused(doc_project, start, end):
    project, doc = doc_project
    with pytest.raises(ValueError):
        project.add_annotation(doc.id, start, end, "actor", coder="Ana")
    assert project.annotation_count() == 0


def test_unknown_category_changes_nothing(doc_project):
    project, doc = doc_project
    with pytest.raises(KeyError):
        project.add_annotation(doc.id, 0, 5, "nonsense", coder="Newcomer")
    assert project.annotation_count() == 0
    assert project.db["coders"].count == 0


def test_failed_insert_rolls_back_the_new_coder(doc_project):
    project, doc = doc_project
    first = project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    with pytest.raises(ProjectError, match="UNIQUE constraint"):
        project.add_annotation(doc.id, 0, 5, "actor", coder="Bo", annotation_id=first.id)
    assert [c["name"] for c in project.db["coders"].rows] == ["Ana"]


def test_delete_then_restore_is_exact(doc_project):
    project, doc = doc_project
    ann = project.add_annotation(doc.id, 0, 5, "actor", coder="Ana", memo="m")
    removed = project.delete_annotation(ann.id)
    assert removed.annotation == ann
    assert project.annotations(doc.id) == []
    project.restore_deletions([removed])
    assert project.annotations(doc.id) == [ann]


def test_restore_refuses_a_drifted_quote(doc_project):
    project, doc = doc_project
    ann = project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    project.delete_annotation(ann.id)
    with pytest.raises(ProjectError, match="no longer matches"):
        project.restore_annotation(ann._replace(quote="Xutin"))


def test_document_status_and_order(project):
    a = project.import_text("first", title="A")
    b = project.import_text("second", title="B")
    project.set_document_status(b.id, DocumentStatus.DONE)
    assert [(d.title, d.status) for d in project.documents()] == [
        ("A", DocumentStatus.TODO),
        ("B", DocumentStatus.DONE),
    ]
    assert a.position < b.position


def test_refused_write_gives_a_plain_message_and_changes_nothing(tmp_path):
    from annotator.store.project import create_project, open_project

    path = tmp_path / "ro.annotator"
    with create_project(path) as project:
        doc = project.import_text("Seoul said no.", title="T")
    with open_project(path) as project:
        # SQLite refuses every write, as it does for a read-only file.
        project.db.execute("PRAGMA query_only = ON")
        with pytest.raises(ProjectError, match="read-only"):
            project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
        project.db.execute("PRAGMA query_only = OFF")
        assert project.annotation_count() == 0
        assert project.db["coders"].count == 0


def test_annotations_for_display_match_the_full_records(doc_project):
    project, doc = doc_project
    text = project.document_text(doc.id)
    for needle, category in (("소아쌤", "actor"), ("Pyongyang", "claim"), ("Putin", "stance")):
        start = text.index(needle)
        project.add_annotation(doc.id, start, start + len(needle), category, coder="Ana")
    light = project.annotations_for_display(doc.id)
    full = project.annotations(doc.id)
    assert [(a.id, a.start, a.end, a.quote, a.coder, a.category) for a in light] == [
        (a.id, a.start, a.end, a.quote, a.coder, a.category) for a in full
    ]
    assert [a.quote for a in light] == ["Putin", "Pyongyang", "소아쌤"]


def test_many_annotations_are_added_in_one_transaction(doc_project):
    project, doc = doc_project
    text = project.document_text(doc.id)
    rows = [
        (doc.id, i, i + 3, ("actor", "claim", "stance")[i % 3], f"Coder {i // 4 % 4}")
        for i in range(0, 48, 4)
    ]
    added = project.add_annotations(rows)
    assert [(a.start, a.end, a.category, a.coder) for a in added] == [r[1:] for r in rows]
    assert all(a.quote == text[a.start : a.end] for a in added)
    stored = {a.id: a for a in project.annotations(doc.id)}
    assert {a.id for a in added} <= stored.keys()
    assert stored[added[0].id] == added[0]
    assert project.coder_names() == ["Coder 0", "Coder 1", "Coder 2", "Coder 3"]

    before = project.annotation_count()
    with pytest.raises(ValueError, match="outside the document"):  # all of them, or none
        project.add_annotations(
            [(doc.id, 0, 2, "actor", "Ana"), (doc.id, 0, 10**6, "actor", "Ana")]
        )
    with pytest.raises(KeyError, match="no category"):
        project.add_annotations([(doc.id, 0, 2, "actor", "Ana"), (doc.id, 0, 2, "frame", "Ana")])
    assert project.annotation_count() == before
    assert "Ana" not in project.coder_names()
