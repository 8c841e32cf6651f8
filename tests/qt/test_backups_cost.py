"""The window's backups cost what changed: none on an open when nothing changed
since the last verified backup; a large project gets one full backup per run (in
the background) and deltas after it; File ▸ Backups… states the bound on their
disk use and restores a delta like any other backup."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.qt.common import dialogs
from annotator.qt.safety.backups_dialog import BackupsDialog
from annotator.store import backup_keeper
from annotator.store.backups import folder_for, list_backups, load_policy

from .conftest import press, select_text


def _reasons(path: Path) -> list[str]:
    return [b.reason for b in list_backups(path)]


def _annotations(window) -> int:
    return window.project.annotation_count()


def test_opening_twice_without_a_change_writes_one_backup(make_window, qtbot):
    window = make_window(None)
    path = window.project.path
    assert _reasons(path) == ["open"]
    window.close()
    for _ in range(2):
        again = make_window(path)
        assert _reasons(path) == ["open"]
        again.close()
    changed = make_window(path)  # a change, then closed without a backup after it
    select_text(changed, "Putin")
    press(qtbot, changed.view, Qt.Key.Key_1)
    changed.close()
    last = make_window(path)
    assert _reasons(path) == ["open", "open"]
    assert list_backups(path)[0].annotations == 1
    last.close()


@pytest.fixture
def large_window(make_window, monkeypatch):
    """The sample project, counted as large: one full backup per run, then deltas."""
    monkeypatch.setattr(backup_keeper, "DELTA_ABOVE", 0)
    window = make_window(None)
    window.project.backups.wait()  # the open's full backup, written in the background
    return window


def test_a_large_project_writes_one_full_backup_then_deltas(large_window, qtbot):
    window = large_window
    path = window.project.path
    assert [(b.reason, b.is_delta) for b in list_backups(path)] == [("open", False)]
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    window.periodic_backup()
    window.project.backups.wait()
    window.periodic_backup()  # nothing changed since: no new backup
    window.project.backups.wait()
    select_text(window, "Kim")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert window.session.backup("before-merge")  # waits for its restore point
    backups = list_backups(path)
    assert [(b.reason, b.is_delta) for b in backups] == [
        ("before-merge", True),
        ("periodic", True),
        ("open", False),
    ]
    assert [b.annotations for b in backups] == [2, 1, 0]
    full = backups[-1].path.stat().st_size
    assert all(b.path.stat().st_size < full for b in backups[:-1])


def test_the_dialog_states_the_bound_and_restores_a_delta(
    large_window, qtbot, monkeypatch, tmp_path, _no_modal_dialogs
):
    window = large_window
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert window.session.backup("manual")
    select_text(window, "Kim")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert _annotations(window) == 2
    dialog = BackupsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    bound = dialog.bound_label.text()
    assert "at most 3 × its size" in bound and "newest full copy is always kept" in bound
    assert dialog.table.item(0, 1).text() == "Manual"
    assert dialog.table.item(0, 2).text().startswith("Changes since ")
    assert dialog.table.item(1, 2).text() == "Full copy"
    dialog.grab().save(str(tmp_path / "backups-dialog.png"))
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    dialog.table.selectRow(0)
    assert dialog.restore_selected()
    assert _annotations(window) == 1
    assert _no_modal_dialogs[-1][0] == "Backup Restored"


def test_back_up_now_writes_a_full_copy_that_later_deltas_build_on(large_window, qtbot):
    window = large_window
    dialog = BackupsDialog(window)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    backups = list_backups(window.project.path)
    assert [(b.reason, b.is_delta) for b in backups] == [("manual", False), ("open", False)]
    assert dialog.table.rowCount() == 2
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    window.session.backup("before-import")
    newest = list_backups(window.project.path)[0]
    assert newest.is_delta and newest.base == backups[0].path
    assert folder_for(window.project.path) == newest.path.parent


def test_closing_a_large_project_keeps_its_last_changes_so_the_next_open_copies_nothing(
    large_window, make_window, qtbot
):
    from annotator.store.backup_record import verified_as_closed

    window = large_window
    path = window.project.path
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    window.close()
    backups = list_backups(path)
    assert [(b.reason, b.is_delta, b.annotations) for b in backups] == [
        ("close", True, 1),
        ("open", False, 0),
    ]
    assert verified_as_closed(path)
    again = make_window(path)
    again.project.backups.wait()
    assert len(list_backups(path)) == 2  # nothing changed: no backup on this open
    assert again.project.annotation_count() == 1
    again.close()
    assert len(list_backups(path)) == 2  # nor on this close


def test_a_restore_point_asked_for_while_the_open_backup_runs_is_a_delta_after_it(
    make_window, monkeypatch, qtbot
):
    monkeypatch.setattr(backup_keeper, "DELTA_ABOVE", 0)
    window = make_window(None)
    assert window.project.backups.busy()  # the open's full copy, not finished yet
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    assert window.session.backup("before-merge")
    backups = list_backups(window.project.path)
    assert [(b.reason, b.is_delta, b.annotations) for b in backups] == [
        ("before-merge", True, 1),
        ("open", False, 0),
    ]


def test_the_bound_is_set_in_the_dialog_and_a_small_project_keeps_its_ten(sample_window, qtbot):
    window = sample_window
    dialog = BackupsDialog(window)
    qtbot.addWidget(dialog)
    assert "or 300.0 MB, whichever is more" in dialog.bound_label.text()
    dialog.size_factor.setValue(5)
    assert "at most 5 × its size" in dialog.bound_label.text()
    assert load_policy().size_factor == 5
    for _ in range(12):  # small project: full copies, ten kept whatever its size
        window.session.backup("manual")
    assert len(list_backups(window.project.path)) == 10
