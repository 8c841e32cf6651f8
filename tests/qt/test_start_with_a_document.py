"""``annotator article.txt`` offers to import the text; the window closed last reopens."""

from __future__ import annotations

from pathlib import Path

from annotator.app import build_window, document_given
from annotator.qt.common import dialogs
from annotator.qt.common.settings import AppSettings
from annotator.qt.importing.import_runner import import_paths
from annotator.store.project import create_project


def test_a_document_given_as_the_project_is_imported_into_a_new_project(
    qtbot, tmp_path, settings_path, monkeypatch
):
    article = tmp_path / "article.txt"
    article.write_text("Kim met Putin in Pyongyang.\n", encoding="utf-8")
    asked: list[tuple[str, list[str]]] = []

    def choose(_parent, _title, message, buttons):
        asked.append((message, buttons))
        return len(buttons) - 1  # a new project

    new = tmp_path / "new.annotator"
    monkeypatch.setattr(dialogs, "choose", choose)
    monkeypatch.setattr(dialogs, "new_project_path", lambda *_a: str(new))
    window = build_window(article, "Ana", AppSettings(settings_path))
    qtbot.addWidget(window)
    assert asked[0][0].startswith("“article.txt” is a document, not an Annotator project.")
    assert window.project.path == new and window.pending_imports == [article]
    import_paths(window, window.pending_imports)
    qtbot.waitUntil(lambda: window.import_runner is None and window.documents.rowCount() == 1)
    assert window.current is not None and window.current.title == "Kim met Putin in Pyongyang."


def test_a_project_or_a_database_is_not_taken_for_a_document(tmp_path):
    project = tmp_path / "p.annotator"
    create_project(project).close()
    renamed = tmp_path / "p.txt"
    renamed.write_bytes(project.read_bytes())
    assert document_given(project) is None
    assert document_given(renamed) is None  # an SQLite file whatever its name
    assert document_given(tmp_path / "missing.txt") is None
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04")
    assert document_given(tmp_path / "a.docx") == tmp_path / "a.docx"


def test_of_two_windows_the_one_closed_last_reopens(make_window, tmp_path, settings_path):
    first, second = tmp_path / "a.annotator", tmp_path / "b.annotator"
    for path in (first, second):
        create_project(path).close()
    a = make_window(first)
    b = make_window(second)  # opened last
    b.close()
    a.close()  # closed last
    assert AppSettings(settings_path).last_project == Path(first).resolve()
