"""First run, File menu actions and bad project files, through the window."""

import csv
import hashlib

from PySide6.QtCore import Qt

from annotator.core.paths import default_project_path
from annotator.qt.common import dialogs
from annotator.store.project import open_project

from .conftest import press, select_text
from .export_helpers import wait_for_export


def test_first_run_asks_the_coder_once_and_creates_the_sample_project(make_window, monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_coder_name", lambda *_a: asked.append(1) or "Chris")
    window = make_window(None, coder=None)
    assert asked == [1]
    assert window.project.path == default_project_path()
    assert window.documents.rowCount() == 5
    assert window.coder_label.text() == "Coder: Chris"
    window.close()
    again = make_window(None, coder=None)
    assert asked == [1]  # remembered
    assert again.session.coder == "Chris"


def test_coder_option_skips_the_prompt(make_window, monkeypatch):
    monkeypatch.setattr(
        dialogs,
        "ask_coder_name",
        lambda *_a: (_ for _ in ()).throw(AssertionError("the prompt must not open")),
    )
    window = make_window(None, coder="Dana")
    assert window.session.coder == "Dana"


def test_path_argument_creates_an_empty_project(make_window, tmp_path):
    path = tmp_path / "study.annotator"
    window = make_window(path)
    assert path.exists()
    assert window.documents.rowCount() == 0
    assert "no documents" in window.doc_title.text()


def test_opening_a_bad_file_from_the_menu_keeps_the_current_project(
    sample_window, monkeypatch, tmp_path, _no_modal_dialogs
):
    window = sample_window
    bad = tmp_path / "broken.annotator"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50 + b"garbage" * 20)
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    monkeypatch.setattr(dialogs, "open_project_path", lambda *_a: str(bad))
    window.menus.actions["open"].trigger()
    assert _no_modal_dialogs and _no_modal_dialogs[-1][0] == "Cannot open project"
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before
    assert window.documents.rowCount() == 5
    assert window.project.annotation_count() == 0  # still usable


def test_new_open_recent_and_save_copy(sample_window, monkeypatch, tmp_path, qtbot):
    window = sample_window
    sample_path = window.project.path
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)

    copy = tmp_path / "copy"
    monkeypatch.setattr(dialogs, "new_project_path", lambda *_a: str(copy) + ".annotator")
    window.menus.actions["save_copy"].trigger()
    with open_project(str(copy) + ".annotator") as other:
        assert [a.quote for a in other.annotations()] == ["Putin"]

    monkeypatch.setattr(dialogs, "new_project_path", lambda *_a: str(tmp_path / "fresh.annotator"))
    window.menus.actions["new"].trigger()
    assert window.project.path == tmp_path / "fresh.annotator"
    assert window.documents.rowCount() == 0
    assert window.undo_stack.count() == 0

    recent = [a.text() for a in window.menus.recent.actions()]
    assert recent[:2] == [str(tmp_path / "fresh.annotator"), str(sample_path)]
    window.menus.recent.actions()[1].trigger()
    assert window.project.path == sample_path
    assert window.project.annotation_count() == 1


def test_export_from_the_menu(sample_window, monkeypatch, tmp_path, qtbot):
    window = sample_window
    select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_1)
    out = tmp_path / "export"
    out.mkdir()
    monkeypatch.setattr(dialogs, "export_folder", lambda *_a: str(out))
    window.menus.actions["export_csv"].trigger()
    wait_for_export(qtbot, window)
    with (out / "annotations.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["quote"] == "Kim Jong Un"
    assert row["document_title"] == window.current.title
    with (out / "documents.csv").open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 5
    assert "Exported" in window.statusBar().currentMessage()


def test_codebook_export_and_import_from_the_menu(sample_window, monkeypatch, tmp_path, qtbot):
    window = sample_window
    issue = window.project.codebook().attribute("claim", "issue")
    window.project.add_choice(issue.id, "security", code=1)
    path = tmp_path / "team-codebook.json"
    monkeypatch.setattr(dialogs, "choose_file_to_save", lambda *_a: str(path))
    window.menus.actions["export_codebook"].trigger()
    assert "security" in path.read_text(encoding="utf-8")

    monkeypatch.setattr(dialogs, "new_project_path", lambda *_a: str(tmp_path / "b.annotator"))
    window.menus.actions["new"].trigger()
    monkeypatch.setattr(dialogs, "choose_file_to_open", lambda *_a: str(path))
    window.menus.actions["import_codebook"].trigger()
    imported = window.project.codebook().attribute("claim", "issue")
    # The new project had no issues: it takes the sample project's and "security".
    shipped = [(c.label, c.code) for c in issue.choices]
    assert [(c.label, c.code) for c in imported.choices] == [*shipped, ("security", 1)]
