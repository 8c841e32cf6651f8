"""One window writes a project; a second one is told who holds it and may read it."""

import hashlib
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt

from annotator.qt.common import dialogs
from annotator.qt.safety.lock_file import lock_path
from annotator.store.project import open_project

from .conftest import activate, press, select_text

HOLDER = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QCoreApplication, QLockFile
    app = QCoreApplication([])
    app.setApplicationName("Annotator")
    lock = QLockFile(sys.argv[1])
    lock.setStaleLockTime(0)
    assert lock.tryLock(1000)
    print("locked", flush=True)
    time.sleep(120)
""")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def questions(monkeypatch):
    """Answer "already open" with its first button (Open Read-Only), recording the
    question; ``questions.answer`` changes the answer."""

    class Asked(list):
        answer: int | None = 0

    asked = Asked()

    def choose(_parent, title, message, buttons):
        asked.append((title, message))
        asked.buttons = buttons
        return asked.answer

    monkeypatch.setattr(dialogs, "choose", choose)
    return asked


def test_a_second_window_opens_the_project_read_only(make_window, tmp_path, qtbot, questions):
    path = tmp_path / "shared.annotator"
    first = make_window(path)
    assert not first.project.read_only and lock_path(path).exists()
    first.project.import_text("Putin visited Pyongyang.", title="Visit")
    first.refresh_documents()
    first.project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    second = make_window(path)
    ((title, message),) = questions
    assert title == "Project already open"
    assert f"process {os.getpid()}" in message and "on this computer" in message
    assert second.project.read_only
    assert second.windowTitle() == "shared (read-only) — Annotator"
    assert second.read_only_label.isVisibleTo(second)
    assert not first.read_only_label.isVisibleTo(first)
    assert not second.menus.actions["tag_actor"].isEnabled()
    assert not second.menus.actions["import_documents"].isEnabled()
    assert second.menus.actions["export_csv"].isEnabled()
    assert not second.panel.isEnabled()

    before = _digest(path)
    select_text(second, "Putin")
    press(qtbot, second.view, Qt.Key.Key_1)
    assert second.annotations.rowCount() == 0
    assert _digest(path) == before

    # The first window still writes, and the reader sees it.
    activate(qtbot, first)
    select_text(first, "Putin")
    press(qtbot, first.view, Qt.Key.Key_1)
    assert [a.quote for a in first.project.annotations()] == ["Putin"]
    assert [a.quote for a in second.project.annotations()] == ["Putin"]


def test_declining_opens_nothing_and_keeps_the_current_project(
    make_window, tmp_path, questions, _no_modal_dialogs
):
    first = make_window(tmp_path / "a.annotator")
    other = make_window(tmp_path / "b.annotator")
    questions.answer = None  # Cancel
    assert not other.open_project_file(first.project.path)
    assert questions.buttons == ["Open Read-Only"]  # a lock of this computer: no take-over
    assert other.project.path == tmp_path / "b.annotator"
    assert "open in another window" in _no_modal_dialogs[-1][1]
    assert not other.project.read_only


def test_the_first_run_holds_the_lock_of_the_new_sample_project(sample_window):
    path = sample_window.project.path
    assert sample_window.lock is not None and sample_window.lock.held
    assert lock_path(path).exists()


def test_closing_the_window_releases_the_lock(make_window, tmp_path, questions):
    path = tmp_path / "p.annotator"
    first = make_window(path)
    first.close()
    assert not lock_path(path).exists()
    second = make_window(path)
    assert questions == [] and not second.project.read_only


def test_switching_projects_releases_the_old_lock(make_window, tmp_path, questions):
    window = make_window(tmp_path / "a.annotator")
    assert window.open_project_file(tmp_path / "b.annotator", create=True)
    assert not lock_path(tmp_path / "a.annotator").exists()
    assert lock_path(tmp_path / "b.annotator").exists()
    # Opening the project that is already open here changes nothing and asks nothing.
    assert window.open_project_file(tmp_path / "b.annotator")
    assert questions == [] and not window.project.read_only


def test_a_lock_held_by_another_process_names_it_and_a_crashed_one_is_recovered(
    make_window, tmp_path, questions
):
    path = tmp_path / "p.annotator"
    open_project(path, create=True).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_path(path))],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        window = make_window(path)
        ((_title, message),) = questions
        assert f"process {holder.pid} on this computer" in message
        assert window.project.read_only
        window.close()

        holder.send_signal(signal.SIGKILL)  # a crash: the lock file stays behind
        holder.wait(10)
        assert lock_path(path).exists()
        again = make_window(path)
        assert len(questions) == 1  # not asked again: the stale lock was taken over
        assert not again.project.read_only
    finally:
        holder.kill()
        holder.wait(10)


def test_a_missing_recent_project_is_reported_not_created(make_window, tmp_path, _no_modal_dialogs):
    window = make_window(tmp_path / "a.annotator")
    gone = tmp_path / "usb" / "gone.annotator"
    assert not window.open_project_file(gone)
    assert "does not exist" in _no_modal_dialogs[-1][1]
    assert not gone.exists() and not gone.parent.exists()
    assert window.project.path == tmp_path / "a.annotator"


def test_a_read_only_window_can_edit_once_the_other_lets_go(
    make_window, tmp_path, questions, qtbot
):
    path = tmp_path / "p.annotator"
    first = make_window(path)
    second = make_window(path)
    assert second.project.read_only and second.menus.actions["edit_read_only"].isEnabled()
    assert not second.open_for_editing()  # the first still holds it
    assert second.project.read_only
    assert "still open in another window" in second.statusBar().currentMessage()

    first.close()
    second.menus.actions["edit_read_only"].trigger()
    assert not second.project.read_only and second.lock is not None and second.lock.held
    assert second.windowTitle() == "p — Annotator"
    assert second.menus.actions["tag_actor"].isEnabled()
    assert not second.menus.actions["edit_read_only"].isEnabled()
    assert not second.read_only_label.isVisibleTo(second)
    third = make_window(path)  # and now the second one is the writer
    assert third.project.read_only and len(questions) == 2


def _lock_from_another_computer(path):
    lock_path(path).write_text("4242\nannotator\nlab-pc-07\n", encoding="utf-8")


def test_a_lock_from_another_computer_can_be_taken_over(make_window, tmp_path, questions):
    path = tmp_path / "p.annotator"
    open_project(path, create=True).close()
    _lock_from_another_computer(path)

    window = make_window(path)  # first answer: read-only
    ((_title, message),) = questions
    assert "on the computer “lab-pc-07”" in message and "take over the lock" in message
    assert questions.buttons == ["Open Read-Only", "Take Over the Lock"]
    assert window.project.read_only
    window.close()

    questions.answer = 1  # Take Over the Lock
    again = make_window(path)
    assert not again.project.read_only and again.lock.held
    assert str(os.getpid()) in lock_path(path).read_text(encoding="utf-8")


def test_a_project_whose_lock_cannot_be_made_opens_read_only(
    make_window, tmp_path, qtbot, monkeypatch
):
    """No lock file can be made beside it (a read-only folder, where SQLite alone
    would still write if an earlier session's log files lie there): nothing would
    keep a second writer out, so it opens read-only. The folder is what Qt's lock
    reports (tests run as root, whom no folder refuses)."""
    from PySide6.QtCore import QLockFile

    from annotator.qt.safety import lock_file

    class NoLockHere(QLockFile):
        def tryLock(self, _timeout: int = 0) -> bool:  # noqa: N802 (Qt)
            return False

        def error(self) -> QLockFile.LockError:
            return QLockFile.LockError.PermissionError

    path = tmp_path / "study.annotator"
    with open_project(path, create=True) as project:
        project.import_text("Putin visited Pyongyang.", title="Visit")
    monkeypatch.setattr(lock_file, "QLockFile", NoLockHere)
    before = _digest(path)
    window = make_window(path)
    assert window.project.read_only
    assert window.read_only_label.isVisible()
    window.close()
    assert _digest(path) == before
