"""The record of a clean close: which verified backup holds the project file as
it was closed, and the file's identity then (store.backup_keeper).

``state.json`` in the project's backup folder holds the file's device, inode,
size, mtime and ctime (ns), the backup's name and its own identity, its counts,
and the base the run's deltas built on. It is written once the file's clock has
moved past the file's last write (``RACY_NS``), so that a later write cannot
leave the mtime as recorded. It is trusted only while the file has exactly that
identity, no write-ahead log with frames lies beside it and the backup is there
as written: then the open needs neither a backup nor SQLite's check.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from annotator.store.backup_deltas import DELTA_SUFFIX, read_header
from annotator.store.backups import Backup, folder_for, parse_backup_name
from annotator.store.side_log import read_log_header

log = logging.getLogger(__name__)

STATE_FILE = "state.json"
RACY_NS = 30_000_000  # the file clock's coarseness, with room to spare


@dataclass(frozen=True)
class Base:
    """The full backup a run's deltas build on, and its SHA-256."""

    path: Path
    sha256: str


def file_identity(path: Path) -> list[int] | None:
    """What every write to a file changes: device, inode, size, mtime and ctime (ns)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def write_record(project_path: Path, backup: Backup, base: Base | None) -> None:
    """Record that ``backup`` holds the closed project file as it is now."""
    if read_log_header(project_path) is not None:
        return  # another connection keeps a log: the file alone is not the project
    identity = file_identity(project_path)
    if identity is None:
        return
    while time.time_ns() < identity[3] + RACY_NS:  # a later write gets a later mtime
        time.sleep(RACY_NS / 1e9)
    data = {
        "file": file_identity(project_path),
        "backup": backup.path.name,
        "backup_file": file_identity(backup.path),
        "counts": [backup.annotations, backup.documents],
        "base": None if base is None else [base.path.name, base.sha256],
    }
    folder = folder_for(project_path)
    try:
        tmp = folder / (STATE_FILE + ".partial")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(folder / STATE_FILE)
    except OSError as exc:
        log.warning("the backup record of %s was not written: %s", project_path, exc)


def recorded_backup(project_path: Path) -> tuple[Backup, Base | None] | None:
    """The verified backup that holds the project file as it is, by the record of its
    last clean close, and the base recorded with it; None unless the file has exactly
    the identity it had then, no log with frames lies beside it and the backup is
    still there as it was written."""
    project_path = Path(project_path)
    folder = folder_for(project_path)
    try:
        data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        identity, name = list(data["file"]), str(data["backup"])
        held, base = data["backup_file"], data["base"]
        annotations, documents = (int(n) for n in data["counts"])
        if identity != file_identity(project_path) or read_log_header(project_path):
            return None
        path = folder / name
        parsed = parse_backup_name(path)
        if parsed is None or held != file_identity(path):
            return None
        base_path = path.with_name(read_header(path).base) if path.suffix == DELTA_SUFFIX else None
        if base_path is not None and not base_path.is_file():
            return None
        recorded = None if base is None else Base(folder / str(base[0]), str(base[1]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    when, reason = parsed
    return Backup(path, when.isoformat(), reason, annotations, documents, base_path), recorded


def verified_as_closed(project_path: Path) -> bool:
    """Whether the file is, page for page, what SQLite's check passed in its last
    verified backup before a clean close: no write has reached it since (its
    identity on disk is as recorded then). Opening it need not check it again."""
    return recorded_backup(project_path) is not None
