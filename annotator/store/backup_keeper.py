"""One project's backups during one run: what they cost is what changed.

* **Nothing changed, no backup.** When a verified backup holds what the open
  connection has (its row changes, other connections' commits, the schema and
  the format version are as they were when the backup was asked for), the next
  backup point is skipped. On a clean close in that state, a record of the file
  as closed (device, inode, size, mtime and ctime to the nanosecond) and of that
  backup is kept beside the backups (store.backup_record); the next open skips its
  backup only when the file still has exactly that identity, no write-ahead log
  with frames lies beside it and the backup is still there. The record is taken
  once the file's clock has moved on (``RACY_NS``), so a later write cannot share
  the recorded mtime; anything else — a crash, another program, a copy, a
  restore — changes one of these fields, and a backup is taken.
* **One full backup per run, then deltas.** A project over ``DELTA_ABOVE`` gets
  one full, verified backup (the *base*) the first time something needs one in
  a run; later backup points write a delta: the pages that differ from the base
  (store.backup_deltas). A project under it keeps full backups (they are cheap).
  An explicit "Back up now" writes a full backup, which becomes the new base.
* **A consistent page image without sqlite_dbpage.** For a delta, a connection
  of its own checkpoints the log (PASSIVE: it never waits for the window), opens
  a read transaction and then reads the wal-index: when every frame of the log
  is in the file (nBackfill == mxFrame), the file *is* that transaction's
  snapshot, and it stays so while the transaction is open (SQLite copies no
  frame past a reader's mark into the file, and none at all while a reader uses
  the file alone). The window keeps writing meanwhile (into the log). Otherwise
  it tries again a little later, and after ``SNAPSHOT_TRIES`` writes a full
  backup instead. SQLite's quick_check runs on that snapshot, so a delta is
  verified like a full backup.

Every backup can run on a worker thread (``start``); one at a time, in the
order asked. ``wait`` joins them (the project waits for a backup in progress
before it closes, so the restore point of an open is never lost).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from annotator.store.backup_deltas import (
    DELTA_SUFFIX,
    DeltaHeader,
    DeltaWriter,
    changed_pages,
    file_sha256,
    verified_header,
)
from annotator.store.backup_record import Base, recorded_backup, write_record
from annotator.store.backups import (
    PARTIAL_SUFFIX,
    STAMP_FORMAT,
    Backup,
    BackupPolicy,
    folder_for,
    remove_with_sides,
    rotate_project,
    sanitise,
    unique_target,
    write_full,
)
from annotator.store.errors import ProjectError, plain_message
from annotator.store.side_log import shm_path

log = logging.getLogger(__name__)

DELTA_ABOVE = 32_000_000  # bytes: larger projects get one full backup per run, then deltas
SNAPSHOT_TRIES = 100  # × SNAPSHOT_PAUSE_S before a delta gives way to a full backup
SNAPSHOT_PAUSE_S = 0.05

# What an open connection has written and seen: total_changes, data_version,
# schema_version, user_version.
ConnectionState = tuple[int, int, int, int]
Done = Callable[[Backup | None, str | None], None]


def connection_state(conn: sqlite3.Connection) -> ConnectionState:
    """Changes as ``conn`` sees them; equal values mean nothing was written between."""
    return (
        conn.total_changes,
        conn.execute("PRAGMA data_version").fetchone()[0],
        conn.execute("PRAGMA schema_version").fetchone()[0],
        conn.execute("PRAGMA user_version").fetchone()[0],
    )


# The base of each backup folder in this process (it outlives a reopen of the project).
_bases: dict[Path, Base] = {}
_bases_lock = threading.Lock()


def adopt_base(project_path: Path, backup: Backup, delta_above: int | None = None) -> None:
    """A full backup taken while opening (before a migration or a log replay) is
    this run's base when the project is large: the open's backup is then a delta."""
    limit = DELTA_ABOVE if delta_above is None else delta_above
    try:
        if Path(project_path).stat().st_size <= limit:
            return
        base = Base(backup.path, file_sha256(backup.path))
    except OSError:
        return
    with _bases_lock:
        _bases[folder_for(Path(project_path))] = base


def log_backfilled(project_path: Path) -> bool:
    """Whether every frame of the project's write-ahead log is in the file, as the
    wal-index (``-shm``) says: both copies of its header agree and nBackfill equals
    mxFrame. False when that cannot be read."""
    try:  # not past nBackfill: on Windows the lock bytes after it may not be readable
        with shm_path(project_path).open("rb") as handle:
            data = handle.read(100)
    except OSError:
        return False
    if len(data) < 100 or data[:48] != data[48:96] or not data[12]:
        return False
    max_frame: int = struct.unpack("=I", data[16:20])[0]
    backfilled: int = struct.unpack("=I", data[96:100])[0]
    return backfilled == max_frame


class BackupKeeper:
    """The backups of one open project (see the module's notes)."""

    def __init__(self, project_path: Path, delta_above: int | None = None) -> None:
        self.path = Path(project_path)
        self.folder = folder_for(self.path)
        self.delta_above = DELTA_ABOVE if delta_above is None else delta_above
        self._lock = threading.Lock()  # one backup at a time
        self._threads: list[threading.Thread] = []
        self._hurry = threading.Event()  # set: a delayed backup starts at once
        self.newest: Backup | None = None
        self._newest_state: ConnectionState | None = None
        self.project_open = True  # False once the project's connection is closing

    # -- what is held ------------------------------------------------------------------
    def holds(self, state: ConnectionState) -> bool:
        """Whether the newest verified backup of this run holds the state ``state``."""
        return self.newest is not None and self._newest_state == state

    def large(self) -> bool:
        try:
            return self.path.stat().st_size > self.delta_above
        except OSError:
            return False

    @property
    def base(self) -> Base | None:
        with _bases_lock:
            base = _bases.get(self.folder)
        return base if base is not None and base.path.is_file() else None

    def _set_base(self, backup: Backup) -> None:
        base = Base(backup.path, file_sha256(backup.path))
        with _bases_lock:
            _bases[self.folder] = base

    # -- taking backups ----------------------------------------------------------------
    def take(
        self,
        reason: str,
        state: ConnectionState,
        *,
        full: bool = False,
        policy: BackupPolicy | None = None,
    ) -> Backup:
        """A verified backup now (a delta when the project is large and this run has a
        base, else full), then rotation. ``state``: the connection's state when it was
        asked for (``connection_state``). Safe on any thread; backups started before
        (``start``) are written first."""
        self.wait()
        return self._take_on(reason, state, full, policy, None)

    def _take_on(
        self,
        reason: str,
        state: ConnectionState,
        full: bool,
        policy: BackupPolicy | None,
        pinned: sqlite3.Connection | None,
    ) -> Backup:
        reason = sanitise(reason) or "backup"
        with self._lock:
            backup = self._take(reason, full, pinned)
            self.newest, self._newest_state = backup, state
            base = self.base
            # The backup just taken is kept whatever the bound says (the one a
            # deletion or a merge is about to rely on), and so is the base it needs.
            kept = (base.path, backup.path) if base else (backup.path,)
            rotate_project(self.path, policy, protect=kept)
        return backup

    def start(
        self,
        reason: str,
        state: ConnectionState,
        done: Done,
        *,
        full: bool = False,
        policy: BackupPolicy | None = None,
        delay: float = 0.0,
    ) -> threading.Thread:
        """``take`` on a worker thread; ``done(backup, None)`` or ``done(None, message)``
        is called on that thread when it ends. A full backup's snapshot is taken here,
        before returning (a read transaction on a connection of its own), so it holds
        the project as it was when asked for however late it runs; ``delay``: seconds
        the copying waits (so that a window opening is not slowed by it)."""
        pinned: sqlite3.Connection | None = None
        # A delta's snapshot is taken when it runs; a full copy's now. A backup asked
        # for while the run's first full copy is being written waits for it and then
        # writes a delta (it still runs before whatever asked for it goes on).
        first = self.base is None and not self.busy()
        if full or not self.large() or first:
            try:
                pinned = self._connect()
                pinned.execute("BEGIN")
                pinned.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            except sqlite3.Error as exc:
                log.warning("no snapshot of %s for a backup: %s", self.path, exc)
                if pinned is not None:
                    pinned.close()
                pinned = None

        previous = self._threads[-1] if self._threads else None
        self._hurry.set()  # one waiting to start goes now: backups are written in order
        hurry = self._hurry = threading.Event()

        def work() -> None:
            if delay:
                hurry.wait(delay)
            if previous is not None:
                previous.join()
            try:
                backup = self._take_on(reason, state, full, policy, pinned)
            except (ProjectError, OSError, sqlite3.Error) as exc:
                log.warning("backup (%s) of %s failed: %s", reason, self.path, exc)
                done(None, str(exc))
                return
            done(backup, None)

        thread = threading.Thread(target=work, name=f"backup-{reason}", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return thread

    def busy(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def wait(self) -> None:
        """Return once every backup started here has ended (a delayed one starts now)."""
        self._hurry.set()
        for thread in self._threads:
            thread.join()
        self._threads = []

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        return conn

    def _take(self, reason: str, full: bool, pinned: sqlite3.Connection | None) -> Backup:
        """``pinned``: a connection whose read transaction holds the snapshot a full
        backup is to copy (closed here)."""
        try:
            conn = pinned or self._connect()
        except sqlite3.Error as exc:
            raise ProjectError(f"No backup could be made: {plain_message(exc)}.") from exc
        try:
            base = self.base
            if pinned is None and not full and base is not None and self.large():
                delta = self._delta(conn, reason, base)
                if delta is not None:
                    return delta
                log.warning("no steady snapshot of %s for a delta: a full backup", self.path)
            backup = write_full(conn, self.folder, reason)
            if self.large():
                self._set_base(backup)
            return backup
        finally:
            conn.close()

    def _snapshot(self, conn: sqlite3.Connection) -> bool:
        """Open a read transaction on ``conn`` whose snapshot is the file itself (see
        the module's notes); False (no transaction) if none could be had."""
        wal = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"
        for _ in range(SNAPSHOT_TRIES):
            if wal:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            conn.execute("BEGIN")
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            if not wal or log_backfilled(self.path):
                return True
            conn.execute("ROLLBACK")
            time.sleep(SNAPSHOT_PAUSE_S)
        return False

    def _delta(self, conn: sqlite3.Connection, reason: str, base: Base) -> Backup | None:
        when = datetime.now(UTC)
        name = f".{when.strftime(STAMP_FORMAT)}-{reason}.{os.getpid()}{PARTIAL_SUFFIX}"
        tmp = self.folder / name
        writer: DeltaWriter | None = None
        try:
            if not self._snapshot(conn):
                return None
            try:
                page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
                page_count = int(conn.execute("PRAGMA page_count").fetchone()[0])
                check = conn.execute("PRAGMA quick_check").fetchall()
                if check != [("ok",)]:
                    detail = "; ".join(str(row[0]) for row in check[:3])
                    raise ProjectError(f"The project fails SQLite's check ({detail}).")
                counts = self._counts(conn)
                writer = DeltaWriter(tmp)
                for number, image in changed_pages(self.path, base.path, page_size, page_count):
                    writer.add(number, image)
            finally:
                conn.execute("ROLLBACK")
            header = DeltaHeader(
                base.path.name, base.sha256, page_size, page_count, tuple(writer.pages), *counts
            )
            writer.finish(header)
            target, when = unique_target(self.folder, when, reason, DELTA_SUFFIX)
            os.replace(tmp, target)
            verified_header(target)  # what was written reads back whole
        except sqlite3.Error as exc:
            raise ProjectError(f"No backup could be made: {plain_message(exc)}.") from exc
        except OSError as exc:
            raise ProjectError(f"No backup could be made: {exc.strerror or exc}.") from exc
        finally:
            if writer is not None:
                writer.close()
            remove_with_sides(tmp)
        return Backup(
            target, when.isoformat(), reason, header.annotations, header.documents, base.path
        )

    @staticmethod
    def _counts(conn: sqlite3.Connection) -> tuple[str | None, int, int]:
        row = conn.execute("SELECT value FROM project_meta WHERE key = 'project_id'").fetchone()
        annotations = conn.execute("SELECT COUNT(*) FROM annotations").fetchone()[0]
        documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        return (None if row is None else str(row[0])), annotations, documents

    # -- the record of a clean close -----------------------------------------------------
    def closed(self, state: ConnectionState) -> None:
        """The project's connection was closed in state ``state``: if the newest backup
        holds it, record the file's identity so that the next open can skip its backup
        (a record left from before no longer matches the file, and is ignored)."""
        if self.newest is not None and self.holds(state):
            write_record(self.path, self.newest, self.base)

    def held_on_open(self, state: ConnectionState) -> Backup | None:
        """The backup that holds the project as it is on opening, by the record of its
        last clean close (see the module's notes); None when a backup must be taken.
        ``state``: the freshly opened connection's."""
        found = recorded_backup(self.path)
        if found is None:
            return None
        backup, base = found
        if base is not None and self.base is None and base.path.is_file():
            with _bases_lock:
                _bases[self.folder] = base
        self.newest, self._newest_state = backup, state
        return backup
