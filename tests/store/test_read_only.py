"""A project opened read-only (another window holds it) reads but never writes."""

import hashlib
import shutil
from pathlib import Path

import pytest

from annotator.store.errors import READ_ONLY_MESSAGE, ProjectError
from annotator.store.project import create_project, open_project

DATA = Path(__file__).resolve().parent.parent / "data"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _project_with_one_claim(path: Path) -> str:
    with create_project(path) as project:
        doc = project.import_text("Putin visited Pyongyang.", title="Visit")
        project.add_annotation(doc.id, 0, 5, "claim", coder="Ana")
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return doc.id


def test_read_only_reads_and_refuses_every_write(tmp_path):
    path = tmp_path / "p.annotator"
    doc_id = _project_with_one_claim(path)
    before = _digest(path)
    with open_project(path, read_only=True) as project:
        assert project.read_only
        (ann,) = project.annotations()
        assert ann.quote == "Putin"
        writes = [
            lambda: project.add_annotation(doc_id, 6, 13, "actor", coder="Bo"),
            lambda: project.delete_annotations([ann.id]),
            lambda: project.import_text("Another text.", title="More"),
            lambda: project.update_document(doc_id, title="Renamed"),
            lambda: project.add_actor("Vladimir Putin"),
        ]
        for write in writes:
            with pytest.raises(ProjectError, match="read-only"):
                write()
        assert str(READ_ONLY_MESSAGE) in str(pytest.raises(ProjectError, writes[0]).value)
        assert [a.quote for a in project.annotations()] == ["Putin"]
    assert _digest(path) == before


def test_a_read_only_window_sees_what_the_writer_saves(tmp_path):
    path = tmp_path / "p.annotator"
    doc_id = _project_with_one_claim(path)
    with open_project(path) as writer, open_project(path, read_only=True) as reader:
        assert not writer.read_only
        writer.add_annotation(doc_id, 6, 13, "actor", coder="Ana")
        assert sorted(a.quote for a in reader.annotations()) == ["Putin", "visited"]


def test_an_older_file_is_not_migrated_read_only(tmp_path):
    path = tmp_path / "old.annotator"
    shutil.copy(DATA / "schema_1.annotator", path)
    before = _digest(path)
    with pytest.raises(ProjectError, match="older version"):
        open_project(path, read_only=True)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.annotator"]


def test_read_only_open_of_a_closed_project_creates_nothing_beside_it(tmp_path):
    path = tmp_path / "p.annotator"
    _project_with_one_claim(path)
    before = _digest(path)
    with open_project(path, read_only=True) as project:
        assert [a.quote for a in project.annotations()] == ["Putin"]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["p.annotator"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.annotator"]
    assert _digest(path) == before


def test_a_name_with_uri_characters_opens_both_ways(tmp_path):
    folder = tmp_path / "Études 100% #1"
    folder.mkdir()
    path = folder / "what? a b&c=ü.annotator"
    _project_with_one_claim(path)
    for read_only in (True, False):
        with open_project(path, read_only=read_only) as project:
            assert [a.quote for a in project.annotations()] == ["Putin"]
