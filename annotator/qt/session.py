"""The open project as the window sees it: operations in, one signal out.

Every change runs as an operation (``annotator.ops``) through :meth:`run`, and
what it changed goes out as ONE ``changed`` signal carrying the ``Changes``
description (with the records the operation produced). Models and views apply
that description instead of reading the store again. Undo commands
(``qt/commands.py``) run their operations here too. An operation that fails
becomes a ``failed`` message, and ``run`` returns ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from annotator.core.codebook import Codebook
from annotator.ops.changes import Changes, Result
from annotator.qt.common import dialogs
from annotator.store.errors import ProjectError
from annotator.store.project import Project

T = TypeVar("T")
_ERRORS = (ProjectError, ValueError, KeyError, OSError)


class ProjectSession(QObject):
    changed = Signal(object)  # Changes
    failed = Signal(str)
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
    def backup_before(self, what: str, parent: QWidget | None) -> bool:
        """A backup before a deletion that takes data with it (``what``: "deleting
        the category …"). If it fails, the user decides whether to go on without
        one; whether to go on."""
        try:
            self.project.backup("before-delete")
        except _ERRORS as exc:
            return dialogs.confirm(
                parent,
                "No backup",
                f"A backup could not be taken before {what}: {exc}.\n\nGo on without a backup?",
            )
        self.backed_up_at = self.changes
        return True

    def backup(self, reason: str) -> bool:
        """Take a backup; a failure is reported and the work goes on."""
        try:
            self.project.backup(reason)
        except _ERRORS as exc:
            self.failed.emit(
                f"Could not back up the project ({reason}): {exc}. Nothing was changed."
            )
            return False
        self.backed_up_at = self.changes
        return True
