"""The window backs the project up: on opening, every 30 minutes while it changes,
and before an import."""

from PySide6.QtCore import Qt

from annotator.store.backups import list_backups

from .conftest import press, select_text


def _reasons(window):
    return [b.reason for b in list_backups(window.project.path)]


def test_backups_on_open_and_periodically_while_changing(sample_window, qtbot):
    window = sample_window
    assert _reasons(window) == ["open"]
    window.periodic_backup()  # nothing changed since: no new backup
    assert _reasons(window) == ["open"]
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    window.periodic_backup()
    assert _reasons(window) == ["periodic", "open"]
    newest = list_backups(window.project.path)[0]
    assert newest.annotations == 1
    assert window._backup_timer.isActive()
    assert window._backup_timer.interval() == 30 * 60 * 1000


def test_backup_before_an_import(sample_window, qtbot, monkeypatch, tmp_path):
    from annotator.qt.importing import import_dialogs

    window = sample_window
    path = tmp_path / "new.txt"
    path.write_text("A new story about Seoul.\n", encoding="utf-8")
    monkeypatch.setattr(import_dialogs, "choose_files", lambda *_a: [str(path)])
    window.menus.actions["import_documents"].trigger()
    qtbot.waitUntil(lambda: window.import_runner is None, timeout=10000)
    backups = list_backups(window.project.path)
    assert [b.reason for b in backups] == ["before-import", "open"]
    assert backups[0].documents == 5  # taken before the sixth came in
    assert len(window.project.documents()) == 6
