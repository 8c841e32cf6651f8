"""File ▸ Backups…: the list of the project's backups, and restoring one in place."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.qt.common import dialogs
from annotator.qt.safety import backups_dialog
from annotator.qt.safety.backups_dialog import BackupsDialog, local_time, restore_into_window
from annotator.store.backups import BackupPolicy, folder_for, list_backups, load_policy
from annotator.store.errors import ProjectError

from .conftest import press, select_text


def _annotation_count(window):
    return sum(
        len(window.project.annotations_for_display(d.id)) for d in window.project.documents()
    )


@pytest.fixture
def backed_up(sample_window, qtbot):
    """One annotation, a manual backup, then a second annotation."""
    window = sample_window
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert window.session.backup("manual")
    select_text(window, "Kim")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert _annotation_count(window) == 2
    assert window.undo_stack.count() == 2
    return window


def _cells(dialog, row):
    return [dialog.table.item(row, c).text() for c in range(dialog.table.columnCount())]


def test_dialog_lists_backups_newest_first(backed_up, qtbot):
    window = backed_up
    dialog = BackupsDialog(window)
    qtbot.addWidget(dialog)
    backups = list_backups(window.project.path)
    assert [b.reason for b in backups] == ["manual", "open"]
    assert dialog.table.rowCount() == 2
    assert _cells(dialog, 0)[:5] == [
        local_time(backups[0].created),
        "Manual",
        "Full copy",
        "5",
        "1",
    ]
    assert _cells(dialog, 1)[:5] == [
        local_time(backups[1].created),
        "On opening",
        "Full copy",
        "5",
        "0",
    ]
    assert str(folder_for(window.project.path)) in dialog.folder_label.text()
    assert dialog.restore_button.isEnabled()  # the newest is selected
    dialog.table.clearSelection()
    assert not dialog.restore_button.isEnabled()


def test_the_dialog_sets_how_many_backups_are_kept(backed_up, qtbot):
    window = backed_up
    dialog = BackupsDialog(window)
    qtbot.addWidget(dialog)
    assert (dialog.keep_last.value(), dialog.keep_days.value()) == (10, 7)
    dialog.keep_last.selectAll()
    qtbot.keyClicks(dialog.keep_last, "2")
    dialog.keep_days.selectAll()
    qtbot.keyClicks(dialog.keep_days, "0")
    assert load_policy() == BackupPolicy(2, 0)  # kept beside the backups, for every project
    for _ in range(3):
        assert window.session.backup("manual")
    assert len(list_backups(window.project.path)) == 2
    again = BackupsDialog(window)
    qtbot.addWidget(again)
    assert (again.keep_last.value(), again.keep_days.value()) == (2, 0)


def test_restore_replaces_the_project_and_keeps_the_current_file(
    backed_up, qtbot, monkeypatch, _no_modal_dialogs
):
    window = backed_up
    path = window.project.path
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, msg: asked.append(msg) or True)
    dialog = BackupsDialog(window)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)  # the manual one
    assert dialog.restore_selected()

    assert "5 documents, 1 annotation" in asked[0]
    assert "kept aside" in asked[0]
    assert window.project.path == path
    assert _annotation_count(window) == 1
    assert window.undo_stack.count() == 0
    asides = list(path.parent.glob(f"{path.name}.before-restore-*"))
    assert len(asides) == 1 and asides[0].stat().st_size > 0
    title, message = _no_modal_dialogs[-1]
    assert title == "Backup Restored"
    assert str(asides[0]) in message
    assert dialog.result() == dialog.DialogCode.Accepted
    # The window works on the restored file: tagging goes on.
    select_text(window, "Kim")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert _annotation_count(window) == 2


def test_answering_no_changes_nothing(backed_up, qtbot, monkeypatch, _no_modal_dialogs):
    window = backed_up
    path = window.project.path
    session = window.session
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: False)
    dialog = BackupsDialog(window)
    qtbot.addWidget(dialog)
    assert not dialog.restore_selected()
    assert window.session is session
    assert _annotation_count(window) == 2
    assert window.undo_stack.count() == 2
    assert not list(path.parent.glob(f"{path.name}.before-restore-*"))
    assert _no_modal_dialogs == []


def test_a_failed_restore_reopens_the_current_file(backed_up, monkeypatch, _no_modal_dialogs):
    window = backed_up
    path = window.project.path
    backup = list_backups(path)[0]

    def fail(_backup, _path):
        raise ProjectError("The backup could not be restored: disk full.")

    monkeypatch.setattr(backups_dialog, "restore_backup", fail)
    assert restore_into_window(window, backup) is None
    assert window.project.path == path
    assert _annotation_count(window) == 2
    assert _no_modal_dialogs[-1] == ("Backups", "The backup could not be restored: disk full.")


def test_a_vanished_backup_is_reported(backed_up, monkeypatch, _no_modal_dialogs):
    window = backed_up
    backup = list_backups(window.project.path)[0]
    Path(backup.path).unlink()
    assert restore_into_window(window, backup) is None
    assert _annotation_count(window) == 2
    assert "no longer exists" in _no_modal_dialogs[-1][1]


def test_file_menu_opens_the_dialog(sample_window, monkeypatch):
    window = sample_window
    opened = []
    monkeypatch.setattr(BackupsDialog, "exec", lambda self: opened.append(self) or 0)
    action = window.menus.actions["backups"]
    assert action.text() == "&Backups…"
    action.trigger()
    assert len(opened) == 1
    assert opened[0].table.rowCount() == 1  # the backup taken on opening
