"""The open project as the window sees it: operations in, one signal out.

Every change runs as an operation (``annotator.ops``) through :meth:`run`, and
what it changed goes out as ONE ``changed`` signal carrying the ``Changes``
description (with the records the operation produced). Models and views apply
that description instead of reading the store again. Undo commands
(``qt/commands.py``) run their operations here too. An operation that fails
becomes a ``failed`` message, and ``run`` returns ``None``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Signal
from PySide6.QtWidgets import QWidget

from annotator.core.codebook import Codebook
from annotator.ops.changes import Changes, Result
from annotator.qt.common import dialogs
from annotator.store.backups import Backup
from annotator.store.errors import ProjectError
from annotator.store.project import Project

T = TypeVar("T")
log = logging.getLogger(__name__)
# The open's backup of a large project copies the file as opened, starting this
# much later, once the window has painted its first document.
OPEN_BACKUP_DELAY_S = 1.0
_ERRORS = (ProjectError, ValueError, KeyError, OSError)


class ProjectSession(QObject):
    changed = Signal(object)  # Changes
    failed = Signal(str)
    # A backup on a worker thread ended: (reason, Backup or None, error message or None).
    backup_ended = Signal(str, object, object)
    # An undo or redo failed: the project no longer matches the undo history, which
    # the window then clears rather than offer steps that would not do what they say.
    history_broken = Signal()
    # An undo or redo ran: ("Undid “Tag as claim”", its Changes), for the window to
    # show where it happened.
    replayed = Signal(str, object)

    def __init__(self, project: Project, coder: str) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self._codebook: Codebook | None = None
        self._report: Callable[[str], None] | None = None  # see failures_to
        # Edits made so far, and how many there were at the last backup.
        self.changes = 0
        self.backed_up_at = 0
        self.backup_ended.connect(self._on_backup_ended)  # queued: emitted on a worker

    @property
    def codebook(self) -> Codebook:
        """The project's codebook, read once until it changes."""
        if self._codebook is None:
            self._codebook = self.project.codebook()
        return self._codebook

    def run(self, action: str, operation: Callable[[Project], Result[T]]) -> Result[T] | None:
        """Run ``operation`` on the project and announce what it changed; on failure
        say "Could not ``action``" and return ``None`` (nothing was changed)."""
        try:
            result = operation(self.project)
        except _ERRORS as exc:
            detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            self._fail(f"Could not {action}: {detail}. Nothing was changed.")
            return None
        self.publish(result.changes)
        return result

    def _fail(self, message: str) -> None:
        if self._report is not None:
            self._report(message)
        else:
            self.failed.emit(message)

    @contextmanager
    def failures_to(self, report: Callable[[str], None]) -> Iterator[None]:
        """Inside, a failure goes to ``report`` instead of the ``failed`` signal (a
        dialog that edits shows its own failures)."""
        previous, self._report = self._report, report
        try:
            yield
        finally:
            self._report = previous

    def publish(self, changes: Changes) -> None:
        """Announce changes (made by :meth:`run`, or by a whole-project step such
        as importing a codebook file)."""
        if not changes:
            return
        if changes.codebook:
            self._codebook = None
        self.changes += 1
        self.changed.emit(changes)

    # -- backups ----------------------------------------------------------------------
    # A large project's backups run on a worker thread (store.backup_keeper): the one
    # on opening and the periodic ones in the background; those before a deletion,
    # a merge or an import wait for theirs, the window painting meanwhile.
    def backup_on_open(self) -> None:
        """The backup of an opening, unless the record of the last clean close shows
        that a verified backup holds the file as it is."""
        project = self.project
        if project.backups.held_on_open(project.backup_state()) is not None:
            self.backed_up_at = self.changes
            return
        self.backup("open", wait=False, delay=OPEN_BACKUP_DELAY_S)

    def backup_on_close(self) -> None:
        """A large project closed with changes since its last verified backup: a
        delta of them now, so that the next open neither copies nor checks the file
        (store.backup_record ``verified_as_closed``). A failure is logged: the next
        open takes its backup then."""
        project = self.project
        if project.read_only or not project.backups.project_open or not project.backups.large():
            return
        project.backups.wait()
        if project.backed_up():
            return
        error = self._backup_now("close", full=False)
        if error is not None:
            log.warning("no backup on closing %s: %s", project.path, error)

    def backup_before(self, what: str, parent: QWidget | None) -> bool:
        """A backup before a deletion that takes data with it (``what``: "deleting
        the category …"). If it fails, the user decides whether to go on without
        one; whether to go on."""
        error = self._backup_now("before-delete", full=False)
        if error is not None:
            return dialogs.confirm(
                parent,
                "No backup",
                f"A backup could not be taken before {what}: {error}.\n\nGo on without a backup?",
            )
        return True

    def backup(
        self, reason: str, *, wait: bool = True, full: bool = False, delay: float = 0.0
    ) -> bool:
        """Take a backup (``full``: a full copy even of a large project, as when the
        user asks for one); a failure is reported and the work goes on. ``wait``
        False: a large project's backup goes on in the background (its failure is
        reported when it ends; ``delay``: its copying starts that many seconds later,
        the snapshot it copies being taken now). "open" and "periodic" backups are skipped when a
        verified backup holds the project as it is."""
        if reason in ("open", "periodic") and self.project.backed_up():
            self.backed_up_at = self.changes
            return True
        if not wait and self.project.backups.large():
            project = self.project
            self.backed_up_at = self.changes
            project.backups.start(
                reason,
                project.backup_state(),
                lambda backup, error: self.backup_ended.emit(reason, backup, error),
                full=full,
                delay=delay,
            )
            return True
        error = self._backup_now(reason, full=full)
        if error is not None:
            self.failed.emit(
                f"Could not back up the project ({reason}): {error}. Nothing was changed."
            )
            return False
        return True

    def _backup_now(self, reason: str, *, full: bool) -> str | None:
        """A backup before going on: on a worker thread for a large project, this
        thread turning the event loop meanwhile (without user input, so nothing else
        starts); the error message if it failed."""
        project = self.project
        changes = self.changes
        if not project.backups.large():
            try:
                project.backup(reason, full=full)
            except _ERRORS as exc:
                return str(exc)
            self.backed_up_at = changes
            return None
        outcome: list[str | None] = []

        def done(_backup: Backup | None, error: str | None) -> None:
            outcome.append(error)

        thread = project.backups.start(reason, project.backup_state(), done, full=full)
        while thread.is_alive():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 20)
            thread.join(0.02)
        error = outcome[0] if outcome else "the backup ended without a result"
        if error is None and not project.backups.project_open:
            error = "the project was closed meanwhile"
        if error is None:
            self.backed_up_at = changes
        return error

    def _on_backup_ended(self, reason: str, _backup: object, error: object) -> None:
        if error is not None:
            self.backed_up_at = -1  # the next periodic point tries again
            self.failed.emit(
                f"Could not back up the project ({reason}): {error}. Nothing was changed."
            )
