"""Open, check and create project files safely.

A file is inspected from its header bytes before SQLite touches it, so a file
that is not a project, or one from a newer version, is refused unchanged.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
import sys
import time
from pathlib import Path

from sqlite_utils import Database

from annotator.store.backup_keeper import adopt_base
from annotator.store.backup_record import verified_as_closed
from annotator.store.backups import make_backup
from annotator.store.base import ProjectDatabase
from annotator.store.errors import (
    DamagedProjectError,
    ForeignLogError,
    NewerProjectError,
    NotAProjectError,
    OlderProjectError,
    ProjectError,
)
from annotator.store.schema import APPLICATION_ID, SCHEMA_VERSION, migrate
from annotator.store.side_log import (
    file_alone_is_sound,
    file_digest,
    foreign_log_reason,
    log_file_mismatch,
    log_path,
    read_log_header,
    uri,
)

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"


def _check_ids(path: Path, app_id: int, user_version: int) -> None:
    if app_id != APPLICATION_ID:
        raise NotAProjectError(f"“{path.name}” is an SQLite database but not an Annotator project.")
    if user_version > SCHEMA_VERSION:
        raise NewerProjectError(
            f"“{path.name}” was saved by a newer version of Annotator (file format "
            f"{user_version}; this version reads up to {SCHEMA_VERSION}). Update "
            "Annotator to open it."
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
    # The schema's triggers (the document counts) give each write statement inside a
    # transaction a statement journal; kept in memory it is emptied after each
    # statement, while on disk it grows through the transaction (3x slower bulk writes).
    conn.execute("PRAGMA temp_store = MEMORY")
    if sys.platform == "darwin":
        conn.execute("PRAGMA fullfsync = ON")


def _side_files(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


RESTORE_HINT = (
    "If it is your project, restore a backup of it: opening it in the Annotator "
    "window offers the newest good one."
)


# How a refused file is compared with what it was: its SHA-256 when the open may
# write it before it can be refused (a log to replay, a migration), else its
# identity on disk, which every write changes.
Identity = tuple[str, object]
RACY_NS = 30_000_000  # a file written this recently is compared by its digest


def _stat_identity(path: Path) -> tuple[int, int, int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _may_write(path: Path) -> bool:
    """Whether opening ``path`` may write it before every check has passed: a log
    beside it is replayed, an older file is migrated (after a backup)."""
    if read_log_header(path) is not None:
        return True
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return False
    user_version: int = struct.unpack(">I", header[60:64])[0]
    return user_version < SCHEMA_VERSION


def _identity(path: Path, kind: str | None = None) -> Identity | None:
    """What the refused file is compared by (see ``Identity``); None if it is not a
    readable file. The stat is enough when nothing but SQLite's read-only
    connection touches the file before a refusal (it cannot write the file: it is
    opened read-only), and the file was not written within the clock's
    coarseness, so that a later write cannot leave its mtime as it was."""
    if not path.is_file():
        return None
    stat = _stat_identity(path)
    if kind is None:
        recent = stat is not None and time.time_ns() - stat[3] < RACY_NS
        kind = "sha256" if recent or _may_write(path) else "stat"
    return (kind, file_digest(path) if kind == "sha256" else stat)


def _note_outcome(exc: ProjectError, path: Path, before: Identity | None) -> None:
    """Say whether the refused file is unchanged, having compared it, never assuming."""
    if before is None:
        return
    after = _identity(path, before[0])
    exc.unchanged = after == before
    note = (
        "The file was not changed."
        if exc.unchanged
        else "The file was changed while it was being opened; a backup was kept if one "
        "could be made (File ▸ Backups…)."
    )
    exc.args = (f"{exc} {note}",)


def open_database(path: Path, *, read_only: bool = False) -> Database:
    """Open an existing project file, migrating it if it is older.

    Every check is made on a read-only connection first, so a file that is
    refused is left as it was, and so is its folder (side files SQLite created
    while looking are removed again); the message says so only once the file has
    been compared with what it was. A ``-wal`` left beside the file is judged
    before SQLite may replay it (see store.side_log), and a read-write open of a
    file with one first keeps a verified backup of what the file and its log hold.
    ``read_only``: nothing is written, not even a replayed log (SQLite opens the
    file read-only, and ``immutable`` when there is no log), and an older file is
    refused rather than migrated.

    SQLite's quick_check is skipped for a file that has not been written since a
    clean close whose state a verified backup held (store.backup_keeper
    ``verified_as_closed``, store.backup_record): its pages are those that check passed then. A
    refused file is compared by its stat identity, or by its SHA-256 when the open
    may write it before a refusal or it was written a moment ago (``_identity``).
    """
    before = _identity(path)
    try:
        return _open(path, read_only)
    except ProjectError as exc:
        _note_outcome(exc, path, before)
        raise


def _check_readable(path: Path, conn: sqlite3.Connection, has_log: bool) -> int:
    """The file's format version, once its identity, its pages and its log pass."""
    # The header may lag behind a write-ahead log: ask SQLite too.
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    user_version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    _check_ids(path, app_id, user_version)
    if not has_log and verified_as_closed(path):
        return user_version  # checked in its last backup, and not written since
    check = [str(row[0]) for row in conn.execute("PRAGMA quick_check(20)").fetchall()]
    if check != ["ok"]:
        log.warning("quick_check of %s: %s", path, "; ".join(check))
        raise DamagedProjectError(
            f"“{path.name}” is damaged: SQLite's check of its pages fails. {RESTORE_HINT}"
        )
    if has_log:
        _refuse_foreign_log(path, foreign_log_reason(path, conn))
    return user_version


def _refuse_foreign_log(path: Path, reason: str | None) -> None:
    if reason is not None:
        log.warning("foreign -wal beside %s: %s", path, reason)
        raise ForeignLogError(
            f"“{path.name}” has a write-ahead log beside it ({log_path(path).name}) "
            f"that does not belong to it: {reason}. Opening the file would mix the "
            "two, so it was not opened. Move that log out of the folder to open the "
            f"file as it was last saved, or restore a backup. {RESTORE_HINT}"
        )


def _open(path: Path, read_only: bool) -> Database:
    inspect_header(path)
    existing = {side for side in _side_files(path) if side.exists()}
    has_log = read_log_header(path) is not None
    _refuse_foreign_log(path, log_file_mismatch(path))  # before SQLite reads the index
    conn: sqlite3.Connection | None = None
    writing = False
    try:
        conn = sqlite3.connect(uri(path, immutable=not log_path(path).exists()), uri=True)
        user_version = _check_readable(path, conn, has_log)
        if user_version < SCHEMA_VERSION and read_only:
            raise OlderProjectError(
                f"“{path.name}” was saved by an older version of Annotator and must be "
                "upgraded, which cannot be done read-only. Close it in the other "
                "window, then open it here."
            )
        if read_only:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA query_only = ON")
            return Database(conn)
        if user_version < SCHEMA_VERSION:  # an older file: keep a copy before migrating
            # raises: nothing was written; a large project's deltas build on it
            adopt_base(path, make_backup(conn, path, "before-migration"))
        elif has_log:  # what a writer left in its log: keep it before SQLite replays it
            adopt_base(path, make_backup(conn, path, "before-log-replay"))
        conn.close()
        conn = None
        writing = True
        conn = sqlite3.connect(str(path))
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
        damaged = type(exc) is DamagedProjectError or not isinstance(exc, ProjectError)
        if has_log and not writing and damaged and file_alone_is_sound(path):
            log.warning("opening %s with its -wal failed: %s", path, exc)
            _refuse_foreign_log(path, "with it the file fails SQLite's check, without it it passes")
        if isinstance(exc, ProjectError):
            raise
        log.warning("opening %s failed: %s", path, exc)
        if "readonly" in str(exc):  # a read-only file, folder or medium
            raise ProjectError(
                f"“{path.name}” cannot be opened for writing: the file or its folder is "
                "read-only (Annotator writes a journal beside the project). Copy it to a "
                "folder you can write to, such as Documents."
            ) from exc
        if writing:
            raise ProjectError(f"“{path.name}” cannot be opened ({exc}).") from exc
        raise DamagedProjectError(
            f"“{path.name}” cannot be opened: it is damaged, or not an Annotator project. "
            f"{RESTORE_HINT}"
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
