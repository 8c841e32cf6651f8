"""Files built to mislead an import: an entity in a Word file, UTF-16 without a
byte order mark, a file name holding a line break, a folder that cannot be read.
None of them may lose text or a file without a word, or fake a report line."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from annotator.importing.pipeline import collect_files, import_one, import_paths

from .import_helpers import DOCX_TEXT, make_docx

ENTITY_DOCTYPE = '<!DOCTYPE w:document [<!ENTITY ext SYSTEM "file:///etc/hostname">]>'


def _docx_with_entity(path: Path, doctype: str = ENTITY_DOCTYPE) -> Path:
    """The helpers' Word file, with an entity reference in the middle of a paragraph."""
    make_docx(path.with_suffix(".plain.docx"))
    with (
        zipfile.ZipFile(path.with_suffix(".plain.docx")) as source,
        zipfile.ZipFile(path, "w") as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                xml = xml.replace("?>", "?>" + doctype, 1)
                xml = xml.replace("Putin met Kim", "Putin &ext; met Kim", 1)
                data = xml.encode("utf-8")
            target.writestr(info, data)
    return path


def test_a_word_file_with_an_external_entity_is_refused_not_cut(project, tmp_path):
    outcome = import_one(project, _docx_with_entity(tmp_path / "entity.docx"))
    assert outcome.status == "rejected"
    assert "DOCTYPE" in outcome.reason and "entities" in outcome.reason
    assert project.documents() == []
    # The same file without the entity imports whole.
    plain = import_one(project, tmp_path / "entity.plain.docx")
    assert plain.status == "imported", plain.reason
    assert project.document_text(plain.document.id) == DOCX_TEXT


def test_a_word_file_with_an_internal_entity_is_refused_too(project, tmp_path):
    path = _docx_with_entity(
        tmp_path / "internal.docx", '<!DOCTYPE w:document [<!ENTITY ext "and Moon">]>'
    )
    outcome = import_one(project, path)
    assert outcome.status == "rejected" and "DOCTYPE" in outcome.reason


TEXT = "Kim said “no” in Pyongyang.\nSeoul responded – later.\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_recognised(project, tmp_path, encoding):
    path = tmp_path / "nobom.txt"
    path.write_bytes(TEXT.encode(encoding))
    outcome = import_one(project, path)
    assert outcome.status == "imported", outcome.reason
    assert outcome.encoding == encoding
    assert project.document_text(outcome.document.id) == TEXT


def test_binary_with_utf16_like_nul_bytes_gets_an_encoding_hint(project, tmp_path):
    path = tmp_path / "odd.txt"
    path.write_bytes(("ab\x01\x02\x03\x04" * 20).encode("utf-16-le"))
    outcome = import_one(project, path)
    assert outcome.status == "rejected"
    assert "--encoding utf-16-le" in outcome.reason
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"Kim said\x00 no")
    assert import_one(project, nul).reason == "the file looks binary (it contains NUL bytes)"


FAKE = "a.txt\nimported  fake.txt (utf-8)"


def test_a_line_break_in_a_file_name_cannot_fake_a_report_line(project, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / FAKE).write_text("", encoding="utf-8")  # empty: rejected
    (folder / "b.txt").write_text("Plain text.", encoding="utf-8")
    (folder / "rows\r\nimported  x.csv").write_text("text\nOne.\nTwo.\n", encoding="utf-8")
    report = import_paths(project, [folder / FAKE, folder / "b.txt"])
    table = import_paths(project, [folder / "rows\r\nimported  x.csv"])
    lines = report.lines() + table.lines()
    assert lines == [
        "rejected  'a.txt\\nimported  fake.txt (utf-8)': the file is empty (no text)",
        "imported  b.txt (utf-8)",
        "imported  'rows\\r\\nimported  x.csv' rows 2–3: 2 documents (utf-8)",
    ]


def test_the_command_line_report_quotes_such_a_name(tmp_path):
    (tmp_path / FAKE).write_text("Some text.", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "annotator", "import", tmp_path / "p.annotator", tmp_path / FAKE],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "imported  'a.txt\\nimported  fake.txt (utf-8)' (utf-8)"
    assert not any(line.startswith("imported  fake.txt") for line in run.stdout.splitlines())


def test_an_unreadable_subfolder_is_reported(project, tmp_path, monkeypatch):
    root = tmp_path / "docs"
    (root / "locked").mkdir(parents=True)
    (root / "open").mkdir()
    (root / "locked" / "hidden.txt").write_text("Never seen.", encoding="utf-8")
    (root / "open" / "a.txt").write_text("Seen.", encoding="utf-8")
    # As root, permission bits do not stop a listing: refuse it as the system would.
    scandir = os.scandir

    def refuse_locked(path: str | os.PathLike[str] = ".") -> object:
        if Path(path) == root / "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_locked)
    assert collect_files([root]) == [root / "open" / "a.txt"]
    report = import_paths(project, [root])
    assert [(o.path, o.status) for o in report.outcomes] == [
        (root / "locked", "rejected"),
        (root / "open" / "a.txt", "imported"),
    ]
    assert report.lines()[0] == (
        "rejected  locked: the folder cannot be read (permission denied); "
        "nothing in it was imported"
    )
