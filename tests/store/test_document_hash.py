"""Bit rot in a document's text is caught by the SHA-256 stored with it, when the
document is opened and when it is exported, naming the backup that holds it intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store.errors import DamagedDocumentError
from annotator.store.project import create_project, open_project

TEXT = "The ministry in Seoul responded sharply to the statement from Pyongyang."


def _rot(path: Path, word: bytes, into: bytes) -> None:
    """Change a word of a stored text in place, as a failing disk would."""
    data = path.read_bytes()
    assert data.count(word) == 1
    path.write_bytes(data.replace(word, into))


def _project(path: Path, *, backup: bool) -> str:
    with create_project(path) as project:
        project.import_text("Tokyo stayed silent.", title="Tokyo")
        doc = project.import_text(TEXT, title="Seoul statement")
        if backup:
            project.backup("manual")
        return doc.id


def test_a_rotten_text_names_the_document_and_the_backup_that_holds_it(tmp_path):
    path = tmp_path / "study.annotator"
    doc_id = _project(path, backup=True)
    _rot(path, b"sharply", b"shbrply")
    with open_project(path) as project:
        assert len(project.documents()) == 2
        assert project.document_text(project.documents()[0].id) == "Tokyo stayed silent."
        with pytest.raises(DamagedDocumentError) as caught:
            project.document_text(doc_id)
    message = str(caught.value)
    assert "“Seoul statement” is damaged" in message
    assert "-manual.annotator) holds it intact" in message


def test_a_rotten_text_stops_the_export_and_says_which(tmp_path, capsys):
    path = tmp_path / "study.annotator"
    _project(path, backup=False)
    _rot(path, b"Pyongyang", b"Pyongyanh")
    assert main(["export", str(path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "“Seoul statement” is damaged" in err
    assert "No backup of this project holds it intact" in err
    assert not (tmp_path / "out").exists()
