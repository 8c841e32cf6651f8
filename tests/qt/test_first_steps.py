"""What a new coder meets: the welcome, the key list, an Import button in an empty project,
and menus named for what a coder looks for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from annotator.qt.common.shortcuts_dialog import ShortcutsDialog
from annotator.qt.importing import import_dialogs
from annotator.store.project import create_project
from tests.qt.conftest import press


def _menu_titles(window) -> list[str]:
    return [a.text().replace("&", "") for a in window.menuBar().actions()]


def test_the_welcome_names_the_keys_and_stays_dismissed(make_window, qtbot):
    window = make_window(None)
    assert window.welcome.isVisible()
    text = window.welcome.text.text()
    for category in window.project.categories():
        assert f"<b>{category.hotkey}</b> {category.label}" in text
    assert "Codebook ▸ Actor Registry" in text and "Help ▸ Keyboard Shortcuts" in text
    qtbot.mouseClick(window.welcome.close_button, Qt.MouseButton.LeftButton)
    assert not window.welcome.isVisible()
    window.close()
    again = make_window(None)
    assert not again.welcome.isVisible()
    again.menus.actions["welcome"].trigger()
    assert again.welcome.isVisible()


def test_a_new_window_gives_its_keys_to_the_text(make_window, qtbot):
    """The welcome says: select with Shift+arrows, then press 1; its buttons had the
    keys, so the first Shift+Right moved between them instead."""
    window = make_window(None)
    assert window.welcome.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    for _ in range(5):
        qtbot.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier
        )
    assert window.view.textCursor().selectedText() != ""
    before = len(window.project.annotations())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    assert len(window.project.annotations()) == before + 1


def test_keyboard_shortcuts_lists_every_key_of_every_menu(make_window, qtbot):
    window = make_window(None)
    press(qtbot, window.view, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    dialog = window.shortcuts_dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    table = dialog.table
    rows = {
        (table.item(r, 2).text(), table.item(r, 1).text()): table.item(r, 0).text()
        for r in range(table.rowCount())
    }
    native = QKeySequence.SequenceFormat.NativeText
    listed = 0
    for name, action in window.menus.actions.items():
        keys = [k.toString(native) for k in action.shortcuts() if not k.isEmpty()]
        if not keys or not action.associatedObjects():
            continue
        found = [
            v
            for (_menu, what), v in rows.items()
            if what == action.text().replace("&", "").rstrip("…")
        ]
        assert found and all(k in found[0] for k in keys), name
        listed += 1
    assert listed >= 20
    categories = window.project.categories()
    for category in categories:
        assert any(what.startswith(category.label) for (_m, what) in rows)
    assert ("Text", "Fill in the fields of the annotation at the cursor") in rows
    dialog.close()


def test_menus_are_named_for_what_a_coder_looks_for(make_window):
    window = make_window(None)
    titles = _menu_titles(window)
    assert "Links" not in titles and "Codebook" in titles
    codebook = next(a.menu() for a in window.menuBar().actions() if a.text() == "Code&book")
    names = [a.objectName() for a in codebook.actions() if not a.isSeparator()]
    assert names == ["codebook", "registry", "export_codebook", "import_codebook"]
    code = window.menus.code_menu
    names = [a.objectName() for a in code.actions() if not a.isSeparator()]
    assert names[: len(window.project.categories())] == [
        f"tag_{c.key}" for c in window.project.categories()
    ]
    assert "edit_attributes" in names and any(n.startswith("polarity_") for n in names)


def test_an_empty_project_shows_an_import_button(make_window, tmp_path, qtbot, monkeypatch):
    path = tmp_path / "empty.annotator"
    create_project(path).close()
    article = tmp_path / "article.txt"
    article.write_text("Kim met Putin in Pyongyang.", encoding="utf-8")
    monkeypatch.setattr(import_dialogs, "choose_files", lambda _p, _f, _e: [str(article)])
    window = make_window(path)
    assert window.import_button.isVisible()
    qtbot.mouseClick(window.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.import_runner is None and window.documents.rowCount() == 1)
    assert not window.import_button.isVisible()
    assert window.current is not None and window.current.title == "Kim met Putin in Pyongyang."


def test_project_dialogs_start_in_documents_not_the_hidden_data_folder(
    make_window, monkeypatch, tmp_path
):
    from annotator.core.paths import documents_dir
    from annotator.qt.common import dialogs

    started: list[str] = []
    monkeypatch.setattr(
        dialogs, "choose_file_to_save", lambda _p, _t, folder, _f: started.append(folder) or ""
    )
    window = make_window(None)  # the sample project, in the app's data folder
    window.menus.actions["export_codebook"].trigger()
    own = tmp_path / "mine" / "study.annotator"
    own.parent.mkdir()
    create_project(own).close()
    other = make_window(own)
    other.menus.actions["export_codebook"].trigger()
    assert started == [str(documents_dir()), str(own.parent.resolve())]
