"""A second, read-only connection to a project this process already has open,
for a worker thread's reads (the Statistics view's counts).

``open_project(path, read_only=True)`` checks the file first (its identity, its
log, SQLite's ``quick_check`` of every page while a log is beside it): 0.7 s of
processor time and 1.5 s or more of wall-clock on the 700 MB study project, each
time the view counts. The window's own connection checked the file when it
opened it; a reader beside it needs none of that (as the Coded Segments view's
own connection, ``store/segments.py``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from annotator.store.errors import ProjectError, plain_message
from annotator.store.project import Project
from annotator.store.side_log import uri


def open_reader(path: Path) -> Project:
    """A read-only project over a connection of its own, for the calling thread;
    ``path`` is a project this process opened (and so checked) already."""
    try:
        conn = sqlite3.connect(uri(Path(path)), uri=True)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        raise ProjectError(plain_message(exc)) from exc
    return Project(Path(path), Database(conn))
