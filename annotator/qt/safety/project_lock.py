"""One window per project: a lock file beside the project while it is open.

A second window or process opening the same project is told who holds it and
may open it read-only. A lock left by a crashed process is stale: Qt sees that
its process is gone and the lock is taken over.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from annotator.importing.default_project import open_or_create
from annotator.qt.common import dialogs
from annotator.qt.safety.lock_file import LockHolder, ProjectLock
from annotator.qt.safety.recovery import open_or_recover
from annotator.store.errors import ProjectError
from annotator.store.project import Project, open_project


def open_locked(
    parent: QWidget | None,
    path: Path,
    *,
    create: bool = False,
    with_samples: bool = False,
) -> tuple[Project, ProjectLock | None]:
    """Open ``path`` (or, with ``create``, create it if missing) holding its lock.
    If another window holds it, say who and offer to open it read-only (then no
    lock is returned) or, for a lock from another computer, to take it over.
    Raises ProjectError when the user declines or the file cannot be opened."""
    creating = create and not path.exists()
    if not creating and not path.exists():
        raise ProjectError(
            f"“{path}” does not exist (moved, renamed or on a drive not connected?)."
        )
    if creating:  # the lock file goes beside it, so its folder must exist first
        path.parent.mkdir(parents=True, exist_ok=True)
    lock = ProjectLock(path)
    holder = lock.acquire()
    if holder is not None and _ask_about(parent, path, holder) == TAKE_OVER:
        if not lock.take_over():
            raise ProjectError(f"The lock of “{path.name}” could not be taken over.")
        holder = None
    if holder is not None:
        return open_project(path, read_only=True), None
    if not lock.held and not creating:
        # No lock file can be made beside it (a read-only folder): nothing would keep
        # a second writer out, so it opens read-only, as SQLite alone would not
        # where the log files of an earlier session are still there.
        return open_project(path, read_only=True), None
    try:
        if creating:
            project = open_or_create(path, with_samples=with_samples)
        else:
            project = open_or_recover(parent, path)
    except BaseException:
        lock.release()
        raise
    return project, lock


READ_ONLY, TAKE_OVER = 0, 1


def _ask_about(parent: QWidget | None, path: Path, holder: LockHolder) -> int:
    """Read-only or (for another computer's lock) take over; raises on cancel."""
    message = (
        f"“{path.name}” is already open in {holder.describe()}.\n\n"
        "Two windows writing to one project can lose work. Open it read-only here? "
        "You can read and export it, but not change it."
    )
    buttons = ["Open Read-Only"]
    if holder.elsewhere:
        message += (
            f"\n\nIf Annotator is no longer running on “{holder.host}” (it crashed, or "
            "the computer was switched off), you can take over the lock and edit here."
        )
        buttons.append("Take Over the Lock")
    answer = dialogs.choose(parent, "Project already open", message, buttons)
    if answer is None:
        raise ProjectError(f"“{path.name}” is open in another window; it was not opened here.")
    return answer


def try_to_lock(path: Path) -> ProjectLock | None:
    """The lock of ``path`` if nobody holds it now (for a read-only window that
    wants to edit), else None."""
    lock = ProjectLock(path)
    return lock if lock.acquire() is None and lock.held else None
