import hashlib
import sqlite3

import pytest

from annotator.store.errors import NewerProjectError, NotAProjectError, ProjectError
from annotator.store.project import create_project, open_project
from annotator.store.schema import APPLICATION_ID, SCHEMA_VERSION


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_project_has_identity_pragmas_and_builtin_codebook(tmp_path):
    path = tmp_path / "p.annotator"
    with create_project(path) as project:
        conn = project.db.conn
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert [(c.key, c.hotkey) for c in project.categories()] == [
            ("actor", "1"),
            ("claim", "2"),
            ("stance", "3"),
        ]
        applied = project.db["_sqlite_migrations"].rows_where(select="name")
        assert [row["name"] for row in applied] == [
            "0001_initial",
            "0002_attributes_and_registry",
            "0003_document_encoding_and_variables",
            "0004_types_checked_by_the_app",
            "0005_document_counts",
            "0006_team_coding",
            "0007_adjudication",
            "0008_corpus_index",
            "0009_segment_indexes",
        ]
    assert not (tmp_path / "p.annotator.creating").exists()


def test_reopen_keeps_documents_and_annotations(tmp_path):
    path = tmp_path / "p.annotator"
    with create_project(path) as project:
        doc = project.import_text("Seoul responded sharply.", title="T")
        ann = project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    with open_project(path) as project:
        (stored,) = project.annotations(doc.id)
        assert stored == ann
        assert stored.quote == "Seoul"
        assert project.documents()[0].annotation_count == 1


def test_missing_file_is_reported_not_created(tmp_path):
    with pytest.raises(ProjectError, match="does not exist"):
        open_project(tmp_path / "nope.annotator")
    assert not (tmp_path / "nope.annotator").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"just some notes\n" * 20, "not an SQLite database"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not an SQLite database"),
        (b"SQLite format 3\x00" + b"\xff" * 200, "not an Annotator project"),
    ],
)
def test_files_that_are_not_projects_are_refused_unchanged(tmp_path, content, message):
    path = tmp_path / "bad.annotator"
    path.write_bytes(content)
    with pytest.raises(NotAProjectError, match=message):
        open_project(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.annotator"]


def test_foreign_sqlite_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(NotAProjectError, match="not an Annotator project"):
        open_project(path)
    assert _digest(path) == before


def test_project_from_newer_version_is_refused_unchanged(tmp_path):
    path = tmp_path / "future.annotator"
    create_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("CREATE TABLE from_the_future (x)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(NewerProjectError, match="newer version"):
        open_project(path)
    assert _digest(path) == before


def test_directory_is_refused(tmp_path):
    with pytest.raises(NotAProjectError, match="folder"):
        open_project(tmp_path)


def test_create_refuses_to_overwrite(tmp_path):
    path = tmp_path / "x.annotator"
    path.write_text("keep me")
    with pytest.raises(ProjectError, match="already exists"):
        create_project(path)
    assert path.read_text() == "keep me"


def test_save_copy_is_a_complete_project(tmp_path, doc_project):
    project, doc = doc_project
    project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    copy = project.save_copy(tmp_path / "copy.annotator")
    with open_project(copy) as other:
        assert [a.quote for a in other.annotations()] == ["Putin"]
        assert other.project_id == project.project_id
    with pytest.raises(ProjectError):
        project.save_copy(project.path)
