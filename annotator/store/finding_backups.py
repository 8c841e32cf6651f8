"""Finding a project's good backups by what the project is, not only where it is.

Backups live in one folder per project path (store.backups.folder_for). A
damaged file may have been moved, copied or renamed since, so its backups are
looked for by its identity too: the folders named after the same file name,
and every backup whose project UUID (``project_meta.project_id``) is the one
the damaged file still shows, if it still shows one. A backup is offered only
once SQLite's check of it passes; a delta (store.backup_deltas) once its own
digest holds and its base is there, unchanged and sound (restoring it checks the
built copy again).
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from annotator.core.text import sha256_text
from annotator.store.backup_deltas import DELTA_SUFFIX, file_sha256, verified_header
from annotator.store.backups import (
    Backup,
    backups_dir,
    dated_backups,
    folder_for,
    parse_backup_name,
    read_backup,
)
from annotator.store.errors import ProjectError
from annotator.store.schema import APPLICATION_ID
from annotator.store.side_log import uri

log = logging.getLogger(__name__)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(uri(path, immutable=True), uri=True)


def project_id_of(path: Path) -> str | None:
    """The project UUID a file still shows, read without writing; None if it cannot be read."""
    if path.suffix == DELTA_SUFFIX:
        try:
            return verified_header(path).project_id
        except ProjectError:
            return None
    try:
        conn = _read_only(path)
    except sqlite3.Error:
        return None
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return None
        row = conn.execute("SELECT value FROM project_meta WHERE key = 'project_id'").fetchone()
        return None if row is None else str(row[0])
    except (sqlite3.Error, UnicodeDecodeError):
        return None
    finally:
        conn.close()


def _backup(when: datetime, path: Path) -> Backup | None:
    parsed = parse_backup_name(path)
    return read_backup(path, when, parsed[1] if parsed else "")


def _sound(path: Path) -> bool:
    if path.suffix == DELTA_SUFFIX:
        try:
            header = verified_header(path)
            base = path.with_name(header.base)
            return _sound(base) and file_sha256(base) == header.base_sha256
        except (ProjectError, OSError):
            return False
    try:
        conn = _read_only(path)
    except sqlite3.Error:
        return False
    try:
        result = conn.execute("PRAGMA quick_check").fetchall()
        return result == [("ok",)] and conn.execute("PRAGMA application_id").fetchone()[0] == (
            APPLICATION_ID
        )
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _newest_first(folders: list[Path]) -> list[tuple[datetime, Path]]:
    found = [item for folder in folders if folder.is_dir() for item in dated_backups(folder)]
    return sorted(found, key=lambda item: item[0], reverse=True)


def _candidate_files(project_path: Path) -> list[tuple[datetime, Path]]:
    """Backups in this path's own folder, newest first, then those in the folders of
    files of the same name elsewhere, newest first."""
    own = folder_for(project_path)
    stem = own.name.rsplit("-", 1)[0]
    root = backups_dir()
    others = sorted(
        folder
        for folder in (root.glob(f"{stem}-*") if root.is_dir() else [])
        if folder != own and folder.is_dir() and folder.name.rsplit("-", 1)[0] == stem
    )
    return _newest_first([own]) + _newest_first(others)


def _other_folders(project_path: Path) -> list[tuple[datetime, Path]]:
    root = backups_dir()
    if not root.is_dir():
        return []
    stem = folder_for(project_path).name.rsplit("-", 1)[0]
    return _newest_first(
        [f for f in root.iterdir() if f.is_dir() and f.name.rsplit("-", 1)[0] != stem]
    )


def good_backups(project_path: Path, limit: int = 1) -> list[Backup]:
    """Up to ``limit`` sound backups of the project at ``project_path``, newest
    first, wherever its identity finds them. A backup of another project (another
    UUID, when the file still shows its own) is never among them."""
    project_path = Path(project_path)
    wanted = project_id_of(project_path) if project_path.is_file() else None
    candidates = _candidate_files(project_path)
    if wanted is not None:  # a moved or renamed file: its UUID finds its backups anywhere
        candidates += _other_folders(project_path)
    found: list[Backup] = []
    for when, path in candidates:
        if wanted is not None and project_id_of(path) != wanted:
            continue
        if not _sound(path):
            log.warning("backup %s fails its check; not offered", path)
            continue
        backup = _backup(when, path)
        if backup is not None:
            found.append(backup)
            if len(found) >= limit:
                break
    return found


def backup_holding(project_path: Path, document_id: str, sha256: str) -> Backup | None:
    """The newest backup of the project whose copy of this document's text still
    matches ``sha256`` (the hash stored when it was imported)."""
    for when, path in _candidate_files(Path(project_path)):
        try:
            conn = _read_only(path)
        except sqlite3.Error:
            continue
        try:
            row = conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        except (sqlite3.Error, UnicodeDecodeError):
            row = None
        finally:
            conn.close()
        if row is not None and isinstance(row[0], str) and sha256_text(row[0]) == sha256:
            return _backup(when, path)
    return None


def damaged_document_message(project_path: Path, document_id: str, title: str, sha256: str) -> str:
    """Which document's text is damaged, and which backup holds it intact."""
    message = (
        f"The text of the document “{title}” is damaged: it no longer matches the "
        "SHA-256 stored with it when it was imported."
    )
    backup = backup_holding(project_path, document_id, sha256)
    if backup is None:
        return message + " No backup of this project holds it intact."
    when = backup.created[:16].replace("T", " ")
    return (
        f"{message} The backup from {when} UTC ({backup.path.name}) holds it intact: "
        "restore it with File ▸ Backups…, or copy the text from it."
    )
