"""A full disk or a read-only file: a plain message, and nothing half written."""

import hashlib
import sqlite3

import pytest
from sqlite_utils import Database

from annotator.importing.pipeline import import_paths
from annotator.store.errors import ProjectError
from annotator.store.project import Project, create_project, open_project


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill_the_disk(project: Project, spare_pages: int = 2) -> None:
    """SQLite's own limit on the file's size: writes past it fail with SQLITE_FULL,
    the error a full disk gives."""
    pages = project.db.execute("PRAGMA page_count").fetchone()[0]
    project.db.execute(f"PRAGMA max_page_count = {pages + spare_pages}")


@pytest.fixture
def project(tmp_path):
    with create_project(tmp_path / "p.annotator") as project:
        doc = project.import_text("Putin visited Pyongyang.", title="Visit")
        project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
        yield project


def test_a_full_disk_during_an_import_changes_nothing(project, tmp_path):
    _fill_the_disk(project)
    big = "A long report on the summit. " * 40_000  # ~1 MB: far past the limit
    with pytest.raises(ProjectError, match="The disk is full"):
        project.import_text(big, title="Report")
    assert [d.title for d in project.documents()] == ["Visit"]
    assert project.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Through the import pipeline: the file is reported as not imported, with why.
    source = tmp_path / "report.txt"
    source.write_text(big, encoding="utf-8")
    report = import_paths(project, [source])
    ((outcome,),) = [report.outcomes]
    assert outcome.status == "rejected" and "disk is full" in outcome.reason
    assert [d.title for d in project.documents()] == ["Visit"]


def test_a_full_disk_while_tagging_keeps_the_earlier_work(project):
    doc = project.documents()[0]
    _fill_the_disk(project, spare_pages=0)
    with pytest.raises(ProjectError, match="The disk is full"):
        for start in range(6, 13):  # until a page is needed
            project.add_annotation(doc.id, start, start + 1, "claim", coder="Ana", memo="x" * 4000)
    assert [a.quote for a in project.annotations()][0] == "Putin"
    project.db.execute("PRAGMA max_page_count = 1000000")  # space freed: work goes on
    project.add_annotation(doc.id, 6, 13, "claim", coder="Ana")


def test_a_read_only_file_gives_a_plain_message_and_stays_unchanged(project):
    path = project.path
    doc = project.documents()[0]
    project.close()
    before = _digest(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # as for a file without write access
    read_only = Project(path, Database(conn))
    with pytest.raises(ProjectError, match="read-only: check its permissions"):
        read_only.add_annotation(doc.id, 6, 13, "claim", coder="Ana")
    read_only.close()
    assert _digest(path) == before
    with open_project(path) as again:
        assert [a.quote for a in again.annotations()] == ["Putin"]


def test_a_project_in_a_read_only_folder_gets_a_plain_message(project, monkeypatch):
    from annotator.store import connection

    path = project.path
    project.close()
    before = _digest(path)

    def read_only_folder(_conn):  # what SQLite says when it cannot write its journal
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(connection, "_configure", read_only_folder)
    with pytest.raises(ProjectError, match="read-only") as refused:
        open_project(path)
    assert "Copy it to a folder you can write to" in str(refused.value)
    assert "not an Annotator project" not in str(refused.value)
    assert _digest(path) == before
