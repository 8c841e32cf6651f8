"""Open, check and create project files safely.

A file is inspected from its header bytes before SQLite touches it, so a file
that is not a project, or one from a newer version, is refused unchanged.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import sys
from pathlib import Path

from sqlite_utils import Database

from annotator.store.backups import make_backup
from annotator.store.base import ProjectDatabase
from annotator.store.errors import (
    DamagedProjectError,
    NewerProjectError,
    NotAProjectError,
    OlderProjectError,
    ProjectError,
)
from annotator.store.schema import APPLICATION_ID, SCHEMA_VERSION, migrate

SQLITE_MAGIC = b"SQLite format 3\x00"


def _check_ids(path: Path, app_id: int, user_version: int) -> None:
    if app_id != APPLICATION_ID:
        raise NotAProjectError(f"“{path.name}” is an SQLite database but not an Annotator project.")
    if user_version > SCHEMA_VERSION:
        raise NewerProjectError(
            f"“{path.name}” was saved by a newer version of Annotator (file format "
            f"{user_version}; this version reads up to {SCHEMA_VERSION}). Update "
            "Annotator to open it. The file was not changed."
        )


def inspect_header(path: Path) -> None:
    """Refuse anything that is not a project this version can open."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except IsADirectoryError as exc:
        raise NotAProjectError(f"“{path}” is a folder, not a project file.") from exc
    except PermissionError as exc:
        raise ProjectError(f"“{path.name}” cannot be read: permission denied.") from exc
    except OSError as exc:
        raise ProjectError(f"“{path.name}” cannot be read: {exc.strerror or exc}.") from exc
    if not header:
        raise NotAProjectError(f"“{path.name}” is empty: it is not an Annotator project.")
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise NotAProjectError(
            f"“{path.name}” is not an Annotator project (it is not an SQLite database)."
        )
    (user_version,) = struct.unpack(">I", header[60:64])
    (app_id,) = struct.unpack(">I", header[68:72])
    _check_ids(path, app_id, user_version)


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    if sys.platform == "darwin":
        conn.execute("PRAGMA fullfsync = ON")


def _side_files(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def open_database(path: Path, *, read_only: bool = False) -> Database:
    """Open an existing project file, migrating it if it is older.

    A file that is refused is left as it was, and so is its folder: side files
    SQLite created while looking (``-wal``, ``-shm``) are removed again.
    ``read_only``: SQLite refuses every write (``PRAGMA query_only``), and an
    older file is refused rather than migrated.
    """
    inspect_header(path)
    existing = {side for side in _side_files(path) if side.exists()}
    conn: sqlite3.Connection | None = None
    writing = False
    try:
        conn = sqlite3.connect(str(path))
        # The header may lag behind a write-ahead log: ask SQLite too, before writing.
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        _check_ids(path, app_id, user_version)
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise DamagedProjectError(
                f"“{path.name}” is damaged (SQLite's check says: {check}). "
                "The file was not changed."
            )
        if user_version < SCHEMA_VERSION and read_only:
            raise OlderProjectError(
                f"“{path.name}” was saved by an older version of Annotator and must be "
                "upgraded, which cannot be done read-only. Close it in the other "
                "window, then open it here. The file was not changed."
            )
        if user_version < SCHEMA_VERSION:  # an older file: keep a copy before migrating
            make_backup(conn, path, "before-migration")  # raises: nothing was written
        if read_only:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA query_only = ON")
            return Database(conn)
        writing = True
        _configure(conn)
        db = ProjectDatabase(conn)  # write transactions wait for the lock
        if user_version < SCHEMA_VERSION:
            migrate(db)
        return db
    except (sqlite3.DatabaseError, UnicodeDecodeError, ProjectError) as exc:
        # UnicodeDecodeError: a damaged schema SQLite hands back as text.
        if conn is not None:
            conn.close()
        if not writing:  # nothing was written: what SQLite created while reading goes
            for side in _side_files(path):
                if side not in existing:
                    side.unlink(missing_ok=True)
        if isinstance(exc, ProjectError):
            raise
        if "readonly" in str(exc):  # a read-only file, folder or medium
            raise ProjectError(
                f"“{path.name}” cannot be opened for writing: the file or its folder is "
                "read-only (Annotator writes a journal beside the project). Copy it to a "
                "folder you can write to, such as Documents. The file was not changed."
            ) from exc
        error = NotAProjectError if not writing else ProjectError
        raise error(
            f"“{path.name}” cannot be opened: it is damaged, or not an Annotator project "
            f"({exc}). If it is your project, restore a backup of it (File ▸ Backups…). "
            "The file was not changed."
        ) from exc


def create_database(path: Path) -> None:
    """Create a new, empty project file at ``path`` (which must not exist).

    The file is built under a temporary name and moved into place, so a
    failure leaves nothing behind.
    """
    if path.exists():
        raise ProjectError(f"“{path.name}” already exists.")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".creating")
    for leftover in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(str(tmp))
    try:
        # Identify the file in its header before the write-ahead log takes over.
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 0")
        conn.commit()
        _configure(conn)
        migrate(ProjectDatabase(conn))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(tmp, path)
