"""The lock file beside an open project (Qt's QLockFile; QtCore only, so the
command line can use it too).

While a window has a project open, ``NAME.annotator.lock`` holds its process
id and host name. A lock left by a crashed process on this computer is stale:
Qt sees that its process is gone and the lock is taken over.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile


def lock_path(project_path: Path) -> Path:
    return project_path.with_name(project_path.name + ".lock")


@dataclass(frozen=True)
class LockHolder:
    """Who holds a project's lock, as written in the lock file."""

    pid: int
    host: str
    since: datetime | None

    @property
    def elsewhere(self) -> bool:
        """Held from another computer: Qt cannot tell whether that process still runs."""
        return self.host not in ("", socket.gethostname())

    def describe(self) -> str:
        where = f"on the computer “{self.host}”" if self.elsewhere else "on this computer"
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

    def take_over(self) -> bool:
        """Remove a lock the user says is left over (from a crash on another
        computer), then take it; whether it is now held."""
        self._lock.removeStaleLockFile()
        return self._lock.tryLock(100)

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()
