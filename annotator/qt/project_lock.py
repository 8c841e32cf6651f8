"""One window per project: a lock file beside the project while it is open.

A second window or process opening the same project is told who holds it and
may open it read-only. A lock left by a crashed process is stale: Qt sees that
its process is gone and the lock is taken over.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QWidget

from annotator.io.default_project import open_or_create
from annotator.qt import dialogs
from annotator.qt.recovery import open_or_recover
from annotator.store.errors import ProjectError
from annotator.store.project import Project, open_project


def lock_path(project_path: Path) -> Path:
    return project_path.with_name(project_path.name + ".lock")


@dataclass(frozen=True)
class LockHolder:
    """Who holds a project's lock, as written in the lock file."""

    pid: int
    host: str
    since: datetime | None

    def describe(self) -> str:
        where = "on this computer" if self.host in ("", socket.gethostname()) \
            else f"on the computer “{self.host}”"
        since = f", since {self.since:%Y-%m-%d %H:%M}" if self.since else ""
        return f"another Annotator window (process {self.pid} {where}{since})"


class ProjectLock:
    """The lock of one project file; held until ``release``."""

    def __init__(self, project_path: Path) -> None:
        self.path = lock_path(project_path)
        self._lock = QLockFile(str(self.path))
        # Held for as long as the project is open: never stale because of its age.
        self._lock.setStaleLockTime(0)

    def acquire(self) -> LockHolder | None:
        """Take the lock; ``None`` when taken (or when the folder allows no lock
        file, so there is nothing to share it with), else who holds it."""
        if self._lock.tryLock(100):
            return None
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            return None  # read-only folder or no permission: SQLite decides
        info = self._lock.getLockInfo()  # (pid, host, app), or empty if unreadable
        if not isinstance(info, tuple) or len(info) != 3:
            # The holder let go a moment ago, or the file cannot be read.
            return None if self._lock.tryLock(100) else LockHolder(0, "", None)
        pid, host, _app = info
        try:
            since = datetime.fromtimestamp(self.path.stat().st_mtime)
        except OSError:
            since = None
        return LockHolder(int(pid), str(host), since)

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()


def open_locked(
    parent: QWidget | None,
    path: Path,
    *,
    create: bool = False,
    with_samples: bool = False,
) -> tuple[Project, ProjectLock | None]:
    """Open (or create) ``path`` holding its lock. If another window holds it,
    say who and offer to open it read-only (then no lock is returned).
    Raises ProjectError when the user declines or the file cannot be opened."""
    creating = create or not path.exists()
    if creating:  # the lock file goes beside it, so its folder must exist first
        path.parent.mkdir(parents=True, exist_ok=True)
    lock = ProjectLock(path)
    holder = lock.acquire()
    if holder is None:
        try:
            if creating:
                project = open_or_create(path, with_samples=with_samples)
            else:
                project = open_or_recover(parent, path)
        except BaseException:
            lock.release()
            raise
        return project, lock
    if not path.exists():
        raise ProjectError(f"“{path}” does not exist.")
    if not dialogs.confirm(
        parent,
        "Project already open",
        f"“{path.name}” is already open in {holder.describe()}.\n\n"
        "Two windows writing to one project can lose work. Open it read-only here? "
        "You can read and export it, but not change it.",
    ):
        raise ProjectError(f"“{path.name}” is open in another window; it was not opened here.")
    return open_project(path, read_only=True), None
