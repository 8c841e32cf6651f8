"""Importing documents from the window, and editing a document's properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
)

from annotator.qt.common import dialogs
from annotator.qt.documents import document_dialog
from annotator.qt.documents.document_dialog import PropertiesDialog, VariablesDialog
from annotator.qt.importing import import_dialogs
from annotator.qt.importing.import_dialogs import EncodingChoice, EncodingDialog
from annotator.qt.session import ProjectSession
from annotator.store.backups import list_backups
from annotator.store.project import open_project

CP1252_TEXT = "café ‘quoted’"
REAL_ASK_IMPORT = import_dialogs.ask_import  # before the tests replace it


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    (folder / "sub" / "deeper").mkdir(parents=True)
    paths = {
        "utf8": folder / "utf8.txt",
        "other": folder / "other.txt",
        "cp1252": folder / "cp1252.txt",
        "empty": folder / "empty.txt",
        "nested": folder / "sub" / "nested.txt",
        "deep": folder / "sub" / "deeper" / "deep.txt",
        "md": folder / "sub" / "deeper" / "notes.md",
    }
    paths["utf8"].write_text("Klimagipfel in Bonn\nDie Ministerin sagte …\n", encoding="utf-8")
    paths["other"].write_text("Second story\nMore text here.\n", encoding="utf-8")
    paths["cp1252"].write_bytes(CP1252_TEXT.encode("cp1252"))
    paths["empty"].write_bytes(b"")
    paths["nested"].write_text("Nested story\nBody.\n", encoding="utf-8")
    paths["deep"].write_text("Deep story\nBody.\n", encoding="utf-8")
    paths["md"].write_text("# Notes\nSome notes.\n", encoding="utf-8")
    return paths


@pytest.fixture
def window(make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    win = make_window(tmp_path / "empty.annotator")
    assert win.documents.rowCount() == 0
    return win


@pytest.fixture
def encoding_asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The encoding question, answered cp1252; records the files asked about."""
    asked: list[str] = []

    def choose(_parent, path, _data, _suggestion, _alternatives=(), _confidence=""):
        asked.append(path.name)
        return EncodingChoice("ok", "cp1252")

    monkeypatch.setattr(import_dialogs, "choose_encoding", choose)
    return asked


def _choose_files(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    monkeypatch.setattr(import_dialogs, "choose_files", lambda _p, _f, _e: [str(p) for p in paths])


def _finish(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.import_runner is None, timeout=10000)


def _titles(window) -> list[str]:
    return [window.documents.document(r).title for r in range(window.documents.rowCount())]


def test_import_documents_adds_them_to_the_list(
    qtbot, window, files, monkeypatch, _no_modal_dialogs
):
    _choose_files(monkeypatch, files["utf8"], files["other"])
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    # collect_files sorts by path: other.txt before utf8.txt
    assert _titles(window) == ["Second story", "Klimagipfel in Bonn"]
    assert window.current is not None and window.current.title == "Second story"
    assert "Second story" in window.view.text
    title, message = _no_modal_dialogs[-1]
    assert title == "Import Documents" and "utf8.txt" in message


def test_uncertain_encoding_is_asked_and_stored(qtbot, window, files, monkeypatch, encoding_asked):
    _choose_files(monkeypatch, files["utf8"], files["cp1252"])
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    assert encoding_asked == ["cp1252.txt"]
    doc = next(d for d in window.project.documents() if d.file_name == "cp1252.txt")
    assert window.project.document_text(doc.id) == CP1252_TEXT
    assert doc.encoding == "cp1252"


def test_cancel_in_the_encoding_dialog_imports_nothing(qtbot, window, files, monkeypatch):
    monkeypatch.setattr(
        import_dialogs, "choose_encoding", lambda *_a, **_k: EncodingChoice("cancel")
    )
    _choose_files(monkeypatch, files["utf8"], files["cp1252"])
    window.menus.actions["import_documents"].trigger()
    qtbot.wait(50)
    assert window.import_runner is None
    assert window.project.documents() == []


def test_skip_in_the_encoding_dialog_skips_that_file(
    qtbot, window, files, monkeypatch, _no_modal_dialogs
):
    monkeypatch.setattr(import_dialogs, "choose_encoding", lambda *_a, **_k: EncodingChoice("skip"))
    _choose_files(monkeypatch, files["utf8"], files["cp1252"])
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    assert [d.file_name for d in window.project.documents()] == ["utf8.txt"]
    assert "cp1252.txt" in _no_modal_dialogs[-1][1]


def test_encoding_dialog_previews_live(qtbot, files):
    data = files["cp1252"].read_bytes()
    dialog = EncodingDialog(files["cp1252"], data, "cp1252", ("latin-1",))
    qtbot.addWidget(dialog)
    assert dialog.preview.toPlainText() == CP1252_TEXT
    assert dialog.choice().action == "cancel"  # closing is Cancel
    dialog.set_encoding("utf-8")
    assert dialog.preview.toPlainText().startswith("⚠")
    assert not dialog.ok.isEnabled()
    dialog.set_encoding("latin-1")
    assert dialog.preview.toPlainText() != CP1252_TEXT and dialog.ok.isEnabled()
    dialog.set_encoding("cp1252")
    dialog.for_all.setChecked(True)
    dialog.ok.click()
    assert dialog.choice() == EncodingChoice("ok", "cp1252", True)


def test_encoding_dialog_says_how_sure_the_guess_is(qtbot, tmp_path):
    text = "Le ministre a déclaré “nous n’accepterons pas” – café, naïve, été."
    path = tmp_path / "mac.txt"
    path.write_bytes(text.encode("mac-roman"))
    dialog = EncodingDialog(path, path.read_bytes(), "mac-roman", ("cp1252",), None, "low")
    qtbot.addWidget(dialog)
    assert dialog.combo.currentText() == "mac-roman (suggested, low confidence)"
    assert "is a weak one" in dialog.findChild(QLabel).text()
    assert dialog.preview.toPlainText() == text
    dialog.ok.click()
    assert dialog.choice().encoding == "mac-roman"


def test_progress_cancel_keeps_the_files_already_imported(
    qtbot, window, files, monkeypatch, _no_modal_dialogs
):
    _choose_files(monkeypatch, files["utf8"], files["other"], files["nested"])
    window.menus.actions["import_documents"].trigger()
    runner = window.import_runner
    assert runner is not None
    runner.file_done.connect(lambda _outcome: runner.progress.canceled.emit())
    _finish(qtbot, window)
    assert [d.file_name for d in window.project.documents()] == ["other.txt"]
    assert window.documents.rowCount() == 1
    assert "cancel" in _no_modal_dialogs[-1][1].lower()


def test_folder_import_is_recursive_and_takes_the_chosen_extensions(
    qtbot, window, files, monkeypatch
):
    monkeypatch.setattr(import_dialogs, "choose_folder", lambda _p, _f: str(files["utf8"].parent))
    offered: list[tuple[str, ...]] = []

    def extensions(_parent, supported):
        offered.append(tuple(supported))
        return [".md"]

    monkeypatch.setattr(import_dialogs, "choose_extensions", extensions)
    window.menus.actions["import_folder"].trigger()
    _finish(qtbot, window)
    assert ".txt" in offered[0] and ".md" in offered[0]
    assert [d.file_name for d in window.project.documents()] == ["notes.md"]


def test_folder_import_with_txt_reaches_nested_folders(
    qtbot, window, files, monkeypatch, encoding_asked
):
    monkeypatch.setattr(import_dialogs, "choose_folder", lambda _p, _f: str(files["utf8"].parent))
    monkeypatch.setattr(import_dialogs, "choose_extensions", lambda _p, _s: [".txt"])
    window.menus.actions["import_folder"].trigger()
    _finish(qtbot, window)
    names = {d.file_name for d in window.project.documents()}
    assert names == {"utf8.txt", "other.txt", "cp1252.txt", "nested.txt", "deep.txt"}


def test_dropping_files_imports_them(qtbot, window, files):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(files["utf8"])), QUrl.fromLocalFile(str(files["other"]))])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert window.acceptDrops()
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.documents.rowCount() == 2, timeout=10000)
    _finish(qtbot, window)
    assert sorted(_titles(window)) == ["Klimagipfel in Bonn", "Second story"]


def test_empty_file_is_rejected_and_reported(qtbot, window, files, monkeypatch, _no_modal_dialogs):
    _choose_files(monkeypatch, files["empty"], files["utf8"])
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    assert [d.file_name for d in window.project.documents()] == ["utf8.txt"]
    message = _no_modal_dialogs[-1][1]
    assert "empty.txt" in message


def _add_variables(project) -> None:
    project.add_variable("Word count", "number")
    project.add_variable("Genre", "choice", choices=["news", "opinion"])
    project.add_variable("Front page", "boolean")


def test_properties_edit_metadata_and_variables(qtbot, window, files, monkeypatch, tmp_path):
    _choose_files(monkeypatch, files["utf8"])
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    _add_variables(window.project)
    doc_id = window.current.id

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PropertiesDialog)
        dialog.fields["title"].setText("Climate summit")
        dialog.fields["source"].setText("Die Zeit")
        dialog.fields["date"].setText("2024-05-01")
        dialog.variable_fields["word_count"].setText("812")
        genre = dialog.variable_fields["genre"]
        assert isinstance(genre, QComboBox)
        genre.setCurrentIndex(genre.findData("opinion"))
        dialog.accept()

    QTimer.singleShot(0, fill)
    window.menus.actions["properties"].trigger()
    assert _titles(window) == ["Climate summit"]
    assert "Climate summit" in window.doc_title.text() and "Die Zeit" in window.doc_title.text()
    path = window.project.path
    window.close()
    with open_project(path) as project:
        doc = project.document(doc_id)
        assert (doc.title, doc.source, doc.date) == ("Climate summit", "Die Zeit", "2024-05-01")
        assert project.document_variables(doc_id) == {"word_count": "812", "genre": "opinion"}
        dialog = PropertiesDialog(ProjectSession(project, "Ana"), QUndoStack(), doc)
        qtbot.addWidget(dialog)
        assert dialog.fields["title"].text() == "Climate summit"
        word_count = dialog.variable_fields["word_count"]
        assert isinstance(word_count, QLineEdit) and word_count.text() == "812"
        dialog.deleteLater()


def test_invalid_number_shows_an_error_and_saves_nothing(
    qtbot, window, files, monkeypatch, _no_modal_dialogs
):
    _choose_files(monkeypatch, files["utf8"])
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    _add_variables(window.project)
    doc = window.current
    dialog = PropertiesDialog(window.session, window.undo_stack, doc, window)
    qtbot.addWidget(dialog)
    dialog.fields["title"].setText("Changed")
    dialog.variable_fields["genre"].setCurrentIndex(1)
    dialog.variable_fields["word_count"].setText("many")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "not a number" in _no_modal_dialogs[-1][1]
    assert window.project.document(doc.id).title == "Klimagipfel in Bonn"
    assert window.project.document_variables(doc.id) == {}


def test_variables_dialog_adds_renames_and_deletes(qtbot, window, monkeypatch):
    project = window.project
    dialog = VariablesDialog(
        window.session, window.undo_stack, window, window.session.backup_before
    )
    qtbot.addWidget(dialog)
    monkeypatch.setattr(
        document_dialog, "ask_new_variable", lambda _p: ("Genre", "choice", ["news", "opinion"])
    )
    dialog.add_button.click()
    [variable] = project.variables()
    assert (variable.label, variable.type, variable.choices) == (
        "Genre",
        "choice",
        ("news", "opinion"),
    )
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a: "Text type")
    dialog.rename_button.click()
    assert project.variables()[0].label == "Text type"
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: False)
    dialog.delete_button.click()
    assert len(project.variables()) == 1
    before = len(list_backups(project.path))
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    dialog.delete_button.click()
    assert project.variables() == [] and dialog.list.count() == 0
    backups = list_backups(project.path)
    assert len(backups) == before + 1 and backups[0].reason == "before-delete"


def test_closing_the_window_stops_an_import(qtbot, window, files, monkeypatch):
    _choose_files(monkeypatch, files["utf8"], files["other"], files["nested"])
    window.menus.actions["import_documents"].trigger()
    assert window.import_runner is not None
    path = window.project.path
    window.close()
    qtbot.wait(50)
    with open_project(path) as project:
        assert project.documents() == []


def test_metadata_csv_fills_in_the_documents(qtbot, window, files, monkeypatch, tmp_path):
    csv_path = tmp_path / "meta.csv"
    csv_path.write_text("file_name,source,author\nutf8.txt,Die Zeit,A. Autor\n", encoding="utf-8")
    monkeypatch.setattr(import_dialogs, "choose_metadata_csv", lambda _p, _f: str(csv_path))
    shown: list[str] = []

    def ask(parent, chosen, project):  # the real dialog, its Choose… button clicked
        dialog = import_dialogs.ImportDialog(chosen, project, parent)
        qtbot.addWidget(dialog)
        choose = next(b for b in dialog.findChildren(QPushButton) if b.text() == "&Choose…")
        qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)
        shown.append(dialog.findChild(QLabel).text())
        return dialog.choice()

    monkeypatch.setattr(import_dialogs, "ask_import", ask)
    _choose_files(monkeypatch, files["utf8"], files["other"])
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    assert shown == ["Import 2 files (other.txt, utf8.txt) into “empty”."]
    docs = {d.file_name: d for d in window.project.documents()}
    assert (docs["utf8.txt"].source, docs["utf8.txt"].author) == ("Die Zeit", "A. Autor")
    assert docs["other.txt"].source == ""


def test_duplicates_are_skipped_unless_the_user_chooses_otherwise(
    qtbot, window, files, monkeypatch, _no_modal_dialogs
):
    asked: list[str] = []
    answers = iter([False, True])
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, _t, message: asked.append(message) or next(answers)
    )
    _choose_files(monkeypatch, files["utf8"])
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    assert asked == []  # nothing was a duplicate the first time
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    assert "1 file has the same text" in asked[0]
    assert "skipped as duplicates" in _no_modal_dialogs[-1][1]
    assert _titles(window) == ["Klimagipfel in Bonn"]  # answered no
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    qtbot.waitUntil(lambda: window.documents.rowCount() == 2, timeout=10000)
    _finish(qtbot, window)
    assert _titles(window) == ["Klimagipfel in Bonn", "Klimagipfel in Bonn"]


def test_cancel_in_the_import_dialog_imports_nothing(qtbot, window, files, monkeypatch):
    monkeypatch.setattr(import_dialogs, "ask_import", REAL_ASK_IMPORT)  # the real dialog
    monkeypatch.setattr(import_dialogs, "choose_files", lambda *_a: [str(files["utf8"])])
    seen: list[str] = []

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, import_dialogs.ImportDialog)
        seen.append(dialog.windowTitle())
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()

    QTimer.singleShot(0, cancel)
    window.menus.actions["import_documents"].trigger()
    assert seen == ["Import Documents"]
    assert window.import_runner is None and window.documents.rowCount() == 0


def test_the_import_file_dialog_starts_in_the_documents_folder_then_remembers(
    qtbot, window, files, monkeypatch
):
    from annotator.core.paths import documents_dir

    started: list[str] = []

    def choose(_parent, folder, _extensions):
        started.append(folder)
        return [str(files["utf8"])]

    monkeypatch.setattr(import_dialogs, "choose_files", choose)
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    window.menus.actions["import_documents"].trigger()
    assert started == [str(documents_dir()), str(files["utf8"].parent)]
