"""Automatic, verified, rotated backups of project files (SQLite backup API).

Backups live under the user data folder (``backups_dir()``), one folder per
project file, never beside the project itself (which may be a synced folder).
Each backup is named ``YYYYMMDDTHHMMSSffffffZ-<reason>.annotator`` (a full,
verified copy) or ``…-<reason>.delta`` (the pages that differ from a full backup
of the same folder, store.backup_deltas; written by store.backup_keeper).

Rotation keeps the newest ``keep_last`` backups and the newest of each of the
last ``keep_days`` days, never a delta without its base, and within a bound on
disk use: all of a project's backups together take at most ``size_factor``
times the project's size, or ``min_bytes`` when that is more (a small project
keeps its ten backups), except that the newest full backup (and nothing else)
is kept whatever its size.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from annotator.core.paths import PROJECT_SUFFIX, backups_dir
from annotator.store.backup_deltas import DELTA_SUFFIX, build, check_file, read_header
from annotator.store.errors import ProjectError, plain_message

__all__ = [
    "Backup",
    "BackupPolicy",
    "backups_dir",
    "copy_verified",
    "folder_for",
    "list_backups",
    "load_policy",
    "make_backup",
    "restore_backup",
    "rotate",
    "save_policy",
]

STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
PARTIAL_SUFFIX = ".partial"  # a backup being written: ``.<stamp>-<reason>.<pid>.partial``
# A partial file of a process that still runs is left alone, unless it is this old.
PARTIAL_STALE_S = 600
_PARTIAL_NAME = re.compile(
    r"^\..*?(?:\.(\d+))?" + re.escape(PARTIAL_SUFFIX) + r"(?:-journal|-wal|-shm)?$"
)
_NAME = re.compile(
    r"^(\d{8}T\d{12}Z)-([a-z0-9-]*)("
    + re.escape(PROJECT_SUFFIX)
    + "|"
    + re.escape(DELTA_SUFFIX)
    + r")$"
)


@dataclass(frozen=True)
class BackupPolicy:
    """How many backups rotation keeps: the newest ``keep_last``, plus the newest
    of each of the last ``keep_days`` days; all of them together in at most
    ``size_factor`` times the project's size or ``min_bytes``, whichever is more
    (the newest full backup is kept whatever its size)."""

    keep_last: int = 10
    keep_days: int = 7
    size_factor: int = 3
    min_bytes: int = 300_000_000

    def __post_init__(self) -> None:
        if self.keep_last < 1 or self.keep_days < 0:
            raise ValueError("keep at least the newest backup, and 0 or more days")
        if self.size_factor < 1 or self.min_bytes < 0:
            raise ValueError("backups may use at least once the project's size")

    def limit_bytes(self, project_size: int) -> int:
        """How many bytes the backups of a project of this size may use."""
        return max(self.size_factor * project_size, self.min_bytes)


POLICY_FILE = "policy.json"


def load_policy() -> BackupPolicy:
    """The user's rotation policy, kept beside the backups so that every backup
    (the window's, the command line's, the one before a migration) follows it.
    The default when none was set or the file is unreadable."""
    try:
        data = json.loads((backups_dir() / POLICY_FILE).read_text(encoding="utf-8"))
        factor = int(data.get("size_factor", BackupPolicy.size_factor))
        floor = int(data.get("min_bytes", BackupPolicy.min_bytes))
        return BackupPolicy(int(data["keep_last"]), int(data["keep_days"]), factor, floor)
    except (OSError, ValueError, KeyError, TypeError):
        return BackupPolicy()


def save_policy(policy: BackupPolicy) -> None:
    folder = backups_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (POLICY_FILE + ".partial")
    tmp.write_text(
        json.dumps(
            {
                "keep_last": policy.keep_last,
                "keep_days": policy.keep_days,
                "size_factor": policy.size_factor,
                "min_bytes": policy.min_bytes,
            }
        ),
        encoding="utf-8",
    )
    tmp.replace(folder / POLICY_FILE)


@dataclass(frozen=True)
class Backup:
    path: Path
    created: str  # UTC, ISO 8601, from the file name
    reason: str
    annotations: int
    documents: int
    base: Path | None = None  # a delta: the full backup it builds on

    @property
    def is_delta(self) -> bool:
        return self.base is not None


def folder_for(project_path: Path) -> Path:
    """The backup folder of one project file (its name plus a hash of its path)."""
    resolved = Path(project_path).resolve()
    digest = hashlib.sha1(str(resolved).encode("utf-8")).hexdigest()[:10]
    return backups_dir() / f"{resolved.stem}-{digest}"


def sanitise(reason: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", reason.lower())).strip("-")


def parse_backup_name(path: Path) -> tuple[datetime, str] | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    when = datetime.strptime(match.group(1), STAMP_FORMAT).replace(tzinfo=UTC)
    return when, match.group(2)


def _count(conn: sqlite3.Connection, table: str) -> int:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] if found else 0


def _counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(annotations, documents) in a project connection."""
    return _count(conn, "annotations"), _count(conn, "documents")


def unique_target(
    folder: Path, when: datetime, reason: str, suffix: str = PROJECT_SUFFIX
) -> tuple[Path, datetime]:
    """A backup name not yet taken in ``folder``, and the time it carries."""
    while True:
        stamp = when.strftime(STAMP_FORMAT)
        taken = [folder / f"{stamp}-{reason}{end}" for end in (PROJECT_SUFFIX, DELTA_SUFFIX)]
        if not any(path.exists() for path in taken):
            return folder / f"{stamp}-{reason}{suffix}", when
        when += timedelta(microseconds=1)


def remove_with_sides(path: Path) -> None:
    for name in (str(path), f"{path}-journal", f"{path}-wal", f"{path}-shm"):
        Path(name).unlink(missing_ok=True)


def copy_verified(conn: sqlite3.Connection, tmp: Path) -> tuple[int, int]:
    """Copy ``conn``'s database into ``tmp`` with the backup API and check the copy
    with quick_check; returns its (annotations, documents). Raises sqlite3.Error, or
    ProjectError when the copy is not sound."""
    target = sqlite3.connect(str(tmp))
    try:
        conn.backup(target)
        result = target.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            detail = "; ".join(str(row[0]) for row in result[:3])
            raise ProjectError(f"The backup copy failed its integrity check ({detail}).")
        target.execute("PRAGMA journal_mode = DELETE")
        return _counts(target)
    finally:
        target.close()


def write_full(conn: sqlite3.Connection, folder: Path, reason: str) -> Backup:
    """Write a verified full backup of ``conn``'s database into ``folder`` (no rotation)."""
    when = datetime.now(UTC)
    tmp = folder / f".{when.strftime(STAMP_FORMAT)}-{reason}.{os.getpid()}{PARTIAL_SUFFIX}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        annotations, documents = copy_verified(conn, tmp)
        target, when = unique_target(folder, when, reason)
        os.replace(tmp, target)
    except ProjectError:
        remove_with_sides(tmp)
        raise
    except sqlite3.Error as exc:
        remove_with_sides(tmp)
        raise ProjectError(f"No backup could be made: {plain_message(exc)}.") from exc
    except OSError as exc:
        remove_with_sides(tmp)
        raise ProjectError(f"No backup could be made: {exc.strerror or exc}.") from exc
    return Backup(target, when.isoformat(), reason, annotations, documents)


def make_backup(
    conn: sqlite3.Connection,
    project_path: Path,
    reason: str,
    policy: BackupPolicy | None = None,
) -> Backup:
    """Write a verified full backup of the open project ``conn``, then rotate its
    folder (by ``policy``, else the user's saved one)."""
    backup = write_full(conn, folder_for(project_path), sanitise(reason) or "backup")
    rotate_project(project_path, policy, protect=(backup.path,))
    return backup


def rotate_project(
    project_path: Path, policy: BackupPolicy | None = None, protect: tuple[Path, ...] = ()
) -> list[Path]:
    """Rotate the backups of ``project_path`` by ``policy`` (else the saved one),
    within ``size_factor`` times the project's size; ``protect``: backups kept
    whatever the policy says (the full backup the next deltas will build on)."""
    policy = policy or load_policy()
    try:
        size = Path(project_path).stat().st_size
    except OSError:
        size = 0
    limit = policy.limit_bytes(size) if size else None
    folder = folder_for(project_path)
    return rotate(folder, policy.keep_last, policy.keep_days, limit_bytes=limit, protect=protect)


def dated_backups(folder: Path) -> list[tuple[datetime, Path]]:
    """Backups (full and delta) in ``folder`` with their times, newest first (others
    are ignored)."""
    found = []
    for pattern in (f"*{PROJECT_SUFFIX}", f"*{DELTA_SUFFIX}"):
        for path in folder.glob(pattern):
            parsed = parse_backup_name(path)
            if parsed is not None:
                found.append((parsed[0], path))
    return sorted(found, key=lambda item: item[0], reverse=True)


def base_of(path: Path) -> Path | None:
    """The full backup a delta builds on (None for a full backup, or an unreadable delta)."""
    if path.suffix != DELTA_SUFFIX:
        return None
    try:
        return path.with_name(read_header(path).base)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def rotate(
    folder: Path,
    keep_last: int = 10,
    keep_daily_days: int = 7,
    now: datetime | None = None,
    *,
    limit_bytes: int | None = None,
    protect: tuple[Path, ...] = (),
) -> list[Path]:
    """Keep the newest ``keep_last`` backups and the newest of each recent day,
    never a delta whose base goes, and (with ``limit_bytes``) no more than that
    many bytes of backups: the newest full backup first, then the others newest
    first while they fit. ``protect``: kept whatever the rules say.

    Returns the backups deleted. Files not named like backups are left alone.
    """
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    dated = dated_backups(folder)
    keep = {path for _, path in dated[:keep_last]}
    seen_days: set[date] = set()
    for when, path in dated:  # newest first: the first of each day is its newest
        day = when.date()
        if 0 <= (today - day).days < keep_daily_days and day not in seen_days:
            seen_days.add(day)
            keep.add(path)
    keep |= set(protect)
    bases = {path: base_of(path) for _, path in dated if path.suffix == DELTA_SUFFIX}
    if limit_bytes is not None:
        fulls = [path for _, path in dated if path.suffix != DELTA_SUFFIX]
        fitted = set(protect) | set(fulls[:1])
        used = sum(_size(path) for path in fitted)
        for _, path in dated:
            if path in keep and path not in fitted:
                size = _size(path)
                base = bases.get(path)
                if base is not None and base not in fitted:
                    size += _size(base)  # a delta brings its base with it
                if used + size <= limit_bytes:
                    fitted |= {path} | ({base} if base is not None else set())
                    used += size
        keep = fitted
    keep = {path for path in keep if path not in bases or bases[path] in keep}
    deleted = [path for _, path in dated if path not in keep]
    for path in deleted:
        remove_with_sides(path)
    _remove_abandoned_partials(folder)
    return deleted


def _running(pid: int) -> bool:
    """Whether process ``pid`` may still be running (True where that cannot be told)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True


def _remove_abandoned_partials(folder: Path) -> None:
    """Delete what interrupted backups left (``.partial`` files and their journals):
    those of a process no longer running, and any older than ``PARTIAL_STALE_S``. A
    backup another program is writing right now is left alone."""
    now = time.time()
    for path in folder.glob(f".*{PARTIAL_SUFFIX}*"):
        match = _PARTIAL_NAME.match(path.name)
        if match is None:
            continue
        try:
            age = now - path.lstat().st_mtime
        except OSError:
            continue
        pid = int(match.group(1)) if match.group(1) else None
        if pid == os.getpid() and age < PARTIAL_STALE_S:
            continue  # this process is writing it (another thread)
        abandoned = pid is not None and pid != os.getpid() and not _running(pid)
        if abandoned or age > (PARTIAL_STALE_S if pid is not None else 60):
            with contextlib.suppress(OSError):  # Windows: still open in another program
                path.unlink()


def read_backup(path: Path, when: datetime, reason: str) -> Backup | None:
    """A backup as listed (its counts), or None when it cannot be read. A delta is
    read from its header, and only while its base is there."""
    if path.suffix == DELTA_SUFFIX:
        try:
            header = read_header(path)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        base = path.with_name(header.base)
        if not base.is_file():
            return None
        return Backup(path, when.isoformat(), reason, header.annotations, header.documents, base)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        annotations, documents = _counts(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return Backup(path, when.isoformat(), reason, annotations, documents)


def list_backups(project_path: Path) -> list[Backup]:
    """The readable backups of ``project_path``, newest first; damaged ones are skipped."""
    folder = folder_for(project_path)
    if not folder.is_dir():
        return []
    backups = []
    for when, path in dated_backups(folder):
        parsed = parse_backup_name(path)
        backup = read_backup(path, when, parsed[1]) if parsed else None
        if backup is not None:
            backups.append(backup)
    return backups


def restore_backup(backup: Backup, project_path: Path, *, check: bool = True) -> Path:
    """Put ``backup`` in place of ``project_path`` (which the caller has closed).

    A delta is first built from its base beside the project and checked (its
    digests, then SQLite's check), a full backup copied beside it and checked; a
    damaged backup or a missing or changed base is reported (ProjectError) and
    nothing is touched. The current file and its
    ``-wal``/``-shm`` are first moved aside to ``<name>.before-restore-<timestamp>``
    in the same folder; that path is returned. ``check=False``: a full copy is put
    back as it is, checked or not (the file a failed restore set aside).
    """
    project_path = Path(project_path)
    if not backup.path.is_file():
        raise ProjectError(f"The backup “{backup.path.name}” no longer exists.")
    stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
    aside = project_path.with_name(f"{project_path.name}.before-restore-{stamp}")
    tmp = project_path.with_name(f"{project_path.name}.restoring")
    try:
        if backup.path.suffix == DELTA_SUFFIX:
            build(backup.path, tmp)  # raises ProjectError, leaving no tmp
        else:
            shutil.copyfile(backup.path, tmp)
            with tmp.open("rb+") as copied:  # on the disk before it replaces anything
                os.fsync(copied.fileno())
            try:  # a backup damaged since it was taken never replaces the project
                if check:
                    check_file(tmp)
            except ProjectError:
                tmp.unlink(missing_ok=True)
                raise
        if project_path.exists():
            os.replace(project_path, aside)
        for suffix in ("-wal", "-shm"):
            side = Path(f"{project_path}{suffix}")
            if side.exists():
                os.replace(side, Path(f"{aside}{suffix}"))
        os.replace(tmp, project_path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if aside.exists() and not project_path.exists():  # put the current file back
            os.replace(aside, project_path)
        raise ProjectError(f"The backup could not be restored: {exc.strerror or exc}.") from exc
    return aside
