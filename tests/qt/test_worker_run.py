"""Long work behind a progress dialog (qt/common/worker_run.py): with Cancel it
stops; without it (an undo the history has counted), Escape and closing the
dialog leave it up and the work runs to its end."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from annotator.core.progress import Progress
from annotator.qt.common.worker_run import WorkerRun, run_with_progress
from annotator.store.project import Project


def _held_work(release: threading.Event, seen: list[bool]):
    def work(project: Project, progress: Progress) -> int:
        while not release.wait(0.01):
            progress.step(0, 1, "waiting")
        seen.append(progress.cancelled)
        return len(project.documents())

    return work


def _press_on_dialog(key: Qt.Key, then, qtbot) -> None:
    """Once the dialog shows (after 300 ms), press ``key`` on it, then call ``then``."""

    def poke() -> None:
        bar = QApplication.activeModalWidget()
        if not isinstance(bar, QProgressDialog) or not bar.isVisible():
            QTimer.singleShot(20, poke)
            return
        qtbot.keyClick(bar, key)
        bar.close()
        then(bar)

    QTimer.singleShot(20, poke)


def test_without_cancel_the_dialog_stays_up_and_the_work_ends(project, qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release, seen = threading.Event(), []
    still_shown: list[bool] = []

    def after(bar: QProgressDialog) -> None:
        still_shown.append(bar.isVisible())
        release.set()

    _press_on_dialog(Qt.Key.Key_Escape, after, qtbot)
    run = run_with_progress(
        parent,
        "Undoing",
        WorkerRun(project, _held_work(release, seen), "held", reads=False),
        cancellable=False,
    )
    assert still_shown == [True]
    assert seen == [False] and not run.cancelled and run.value == 0


def test_with_cancel_escape_stops_the_work(project, qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release, seen = threading.Event(), []
    _press_on_dialog(Qt.Key.Key_Escape, lambda _bar: None, qtbot)
    timer = threading.Timer(10.0, release.set)  # never wait forever
    timer.start()
    run = run_with_progress(
        parent, "Merging", WorkerRun(project, _held_work(release, seen), "held", reads=False)
    )
    timer.cancel()
    assert run.cancelled and run.value is None and seen == []
