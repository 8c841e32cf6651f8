"""Long work on a worker thread through a connection of its own
(``ops.team.project_beside``), while a window-modal progress dialog with Cancel
keeps the event loop turning: merging coders' files, reading every unit for the
Adjudicate window, pre-merge, and the undo and redo of a pre-merge.

Cancel stops the work at its next step and interrupts SQLite in the middle of one,
so a transaction the work was writing rolls back; Escape and closing the dialog
are a Cancel too. Work that may not stop half way
(an undo the window's history has already counted) shows its progress without
Cancel, and the dialog stays up until it ends.

Until the work ends, the user's keys, clicks and closing of windows reach the
progress dialog alone: before the dialog shows (300 ms) nothing else would hold
them, and a second undo pressed then would run inside the first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from annotator.core.progress import Cancelled, Progress
from annotator.ops.team import project_beside
from annotator.store.errors import ProjectError
from annotator.store.project import Project

T = TypeVar("T")
Work = Callable[[Project, Progress], T]


class WorkerRun(Generic[T]):
    """One piece of work on a worker thread; :meth:`cancel` may be called from the
    window's thread."""

    def __init__(self, project: Project, work: Work[T], name: str, *, reads: bool) -> None:
        """``reads``: the work writes nothing, so a Cancel that comes after it ended
        still discards what it read."""
        self.work = work
        self.reads = reads
        self.progress = Progress(self._report)
        self.state: tuple[int, int, str] = (0, 1, "starting")
        self.value: T | None = None
        self.error: str | None = None
        self.cancelled = False
        self._project = project
        self._beside: Project | None = None
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _report(self, done: int, total: int, label: str) -> None:
        self.state = (done, total, label)

    def _run(self) -> None:
        try:
            self.progress.check()
            self._beside = project_beside(self._project)
            try:
                value = self.work(self._beside, self.progress)
            finally:
                self._beside.db.close()
            if self.reads:
                self.progress.check()
            self.value = value
        except Cancelled:
            self.cancelled = True
        except (ProjectError, OSError, ValueError) as exc:
            if self.progress.cancelled:  # SQLite interrupted: the transaction rolled back
                self.cancelled = True
            else:
                self.error = str(exc)

    def cancel(self) -> None:
        self.progress.cancel()
        beside = self._beside
        if beside is not None:
            try:
                beside.db.conn.interrupt()  # thread-safe: ends a long statement now
            except Exception:  # noqa: BLE001 (closed meanwhile: the work has ended)
                pass


class _EscapeCancels(QObject):
    """Escape or closing the progress dialog cancels the work, as its Cancel button
    does (by themselves they would only hide it, and the work would go on behind a
    window no longer blocked); without Cancel they do nothing and the dialog stays."""

    def __init__(self, bar: QProgressDialog, cancellable: bool) -> None:
        super().__init__(bar)
        self._bar, self._cancellable = bar, cancellable

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        escape = (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        )
        if not escape and event.type() != QEvent.Type.Close:
            return False
        event.ignore()
        if self._cancellable:
            self._bar.cancel()
        return True


_HELD = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.ContextMenu,
        QEvent.Type.Close,
    }
)


class _InputHeld(QObject):
    """While the work runs, the user's input and requests to close a window reach
    the progress dialog only (an application-wide filter); the rest is dropped, as
    a modal dialog drops what comes for the windows it blocks."""

    def __init__(self, bar: QProgressDialog) -> None:
        super().__init__(bar)
        self._bar = bar

    def _in_bar(self, watched: QObject) -> bool:
        if isinstance(watched, QWidget):
            return watched is self._bar or self._bar.isAncestorOf(watched)
        if isinstance(watched, QWindow):
            return watched is self._bar.windowHandle()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() not in _HELD or self._in_bar(watched):
            return False
        event.ignore()
        return True


def run_with_progress(
    parent: QWidget | None,
    title: str,
    run: WorkerRun[T],
    name: str = "work-progress",
    *,
    cancellable: bool = True,
) -> WorkerRun[T]:
    """Start ``run`` and turn the event loop, a progress dialog (object name
    ``name``) shown after 300 ms, until it ends; with Cancel unless ``cancellable``
    is false."""
    bar = QProgressDialog(f"{title}…", "Cancel", 0, 1, parent)
    bar.setObjectName(name)
    bar.setWindowTitle(title)
    bar.setWindowModality(Qt.WindowModality.WindowModal)
    bar.setMinimumDuration(300)
    bar.setAutoReset(False)
    bar.setAutoClose(False)
    escape = _EscapeCancels(bar, cancellable)
    bar.installEventFilter(escape)
    if cancellable:
        bar.canceled.connect(run.cancel)
    else:
        bar.setCancelButton(None)
    held = _InputHeld(bar)
    application = QApplication.instance()
    if application is not None:
        application.installEventFilter(held)
    run.thread.start()
    try:
        while True:  # at least once: a Cancel already asked for is seen even if the work ended
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 30)
            run.thread.join(0.03)
            if cancellable and bar.wasCanceled() and not run.progress.cancelled:
                run.cancel()
            if not run.thread.is_alive():
                break
            done, total, label = run.state
            bar.setMaximum(max(total, 1))
            bar.setValue(min(done, max(total, 1) - 1))
            bar.setLabelText(label[:1].upper() + label[1:] + "…" if label else f"{title}…")
    finally:
        if application is not None:
            application.removeEventFilter(held)
    asked = run.progress.cancelled
    if cancellable:
        bar.canceled.disconnect(run.cancel)  # closing the dialog says "canceled" too
    bar.removeEventFilter(escape)
    bar.close()
    bar.deleteLater()
    if run.reads and asked:  # asked after the last step: read, but not wanted
        run.value, run.cancelled = None, True
    return run
