"""File ▸ Import REFI-QDA Project… through the real dialog: the new project's path
typed, the nested-code choice clicked, the report shown, the project opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QRadioButton

from annotator.qt.common import dialogs
from annotator.qt.importing.refi_import import RefiImportDialog
from tests.importing.refi.refi_files import CODE_LEFT, Selection, Source, make_qdpx

TEXT = "Kim met Putin in Pyongyang."


def answer_dialog(qtbot, out: Path, categories: bool) -> list[bool]:
    """Fill in the dialog once it is shown, with real key presses and clicks."""
    answered: list[bool] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RefiImportDialog):
            QTimer.singleShot(20, fill)
            return
        edit = dialog.findChild(QLineEdit, "refi_project_path")
        edit.selectAll()
        qtbot.keyClicks(edit, str(out))
        if categories:
            radio = dialog.findChild(QRadioButton, "refi_nested_categories")
            at = QPoint(8, radio.height() // 2)  # on its round indicator
            qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=at)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        answered.append(True)

    QTimer.singleShot(0, fill)
    return answered


@pytest.mark.parametrize("categories", [False, True])
def test_import_through_the_menu_opens_the_new_project(
    make_window,
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    _no_modal_dialogs,
    categories,
) -> None:
    qdpx = make_qdpx(
        tmp_path / "study.qdpx", [Source("Summit", TEXT, [Selection(8, 13, (CODE_LEFT,))])]
    )
    window = make_window(tmp_path / "current.annotator")
    monkeypatch.setattr(dialogs, "choose_file_to_open", lambda *_a: str(qdpx))
    out = tmp_path / "made.annotator"
    answered = answer_dialog(qtbot, out, categories)
    window.menus.actions["import_refi"].trigger()
    assert answered == [True]
    qtbot.waitUntil(lambda: window.project.path == out)
    assert window.documents.rowCount() == 1
    ((title, message),) = _no_modal_dialogs
    assert title == "Import REFI-QDA Project"
    assert "into made.annotator: 1 document" in message
    (annotation,) = window.project.annotations()
    assert annotation.quote == "Putin"
    assert annotation.category == ("left" if categories else "actor")


def test_an_existing_file_is_refused_in_the_dialog(qtbot, tmp_path: Path) -> None:
    taken = tmp_path / "taken.annotator"
    taken.write_bytes(b"x")
    dialog = RefiImportDialog(tmp_path / "study.qdpx")
    qtbot.addWidget(dialog)
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(taken))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() is False and dialog.result() == 0
    assert "already exists" in dialog.problem.text()


def test_a_hostile_file_is_refused_with_a_message(
    make_window, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _no_modal_dialogs
) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"PK not really")
    window = make_window(tmp_path / "current.annotator")
    monkeypatch.setattr(dialogs, "choose_file_to_open", lambda *_a: str(bad))
    answer_dialog(qtbot, tmp_path / "made.annotator", False)
    window.menus.actions["import_refi"].trigger()
    ((title, message),) = _no_modal_dialogs
    assert "bad.qdpx: the file is not a REFI-QDA project" in message
    assert "Nothing was imported" in message
    assert window.project.path == tmp_path / "current.annotator"
    assert not (tmp_path / "made.annotator").exists()
