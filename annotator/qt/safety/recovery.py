"""A damaged project: keep it aside and offer the newest good backup.

Whatever the damage (a failed check, a truncated or zeroed file, a damaged
header, a write-ahead log that is not the file's), the newest good backup of
the project is looked for by its identity (store.finding_backups), not only in
the folder of the project open before."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QWidget

from annotator.qt.common import dialogs
from annotator.store.backups import folder_for, restore_backup
from annotator.store.errors import (
    DamagedProjectError,
    ForeignLogError,
    NotAProjectError,
    ProjectError,
)
from annotator.store.finding_backups import good_backups
from annotator.store.project import Project, open_project
from annotator.store.side_log import set_log_aside


def _local_time(created: str) -> str:
    when = datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


def _without_foreign_log(parent: QWidget | None, path: Path, exc: ForeignLogError) -> Project:
    """Offer to set the log aside and open the file as it was last saved."""
    if not dialogs.confirm(
        parent,
        "Write-ahead log that does not belong",
        f"{exc}\n\nSet the log aside (it is kept, renamed) and open the file as it was last saved?",
    ):
        raise exc
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = set_log_aside(path, stamp)
    project = open_project(path)
    dialogs.show_info(parent, "Write-ahead log set aside", f"The log was kept as {aside}.")
    return project


def open_or_recover(parent: QWidget | None, path: Path) -> Project:
    """Open ``path``; if it is damaged, offer its newest good backup (the damaged file
    is kept aside). Raises ProjectError when the user declines or nothing can be done."""
    try:
        return open_project(path)
    except ForeignLogError as exc:
        return _without_foreign_log(parent, path, exc)
    except (DamagedProjectError, NotAProjectError) as exc:
        if not path.is_file():
            raise
        backups = good_backups(path)
        if not backups:
            if isinstance(exc, DamagedProjectError):
                raise ProjectError(f"{exc}\n\nNo good backup of this project was found.") from exc
            raise
        newest = backups[0]
        elsewhere = (
            " It was found among the backups of a project file of the same name, or of "
            "the same project in another place."
            if newest.path.parent != folder_for(path)
            else ""
        )
        if not dialogs.confirm(
            parent,
            "Damaged project",
            f"{exc}\n\nThe newest good backup is from {_local_time(newest.created)} "
            f"({newest.documents} documents, {newest.annotations} annotations); changes "
            f"made after it would be lost.{elsewhere} The damaged file is kept aside, not "
            "deleted.\n\nRestore the backup and open it?",
        ):
            raise
        aside = restore_backup(newest, path)
        project = open_project(path)
        dialogs.show_info(
            parent,
            "Damaged project",
            f"The backup from {_local_time(newest.created)} was restored. "
            f"The damaged file is kept as {aside}.",
        )
        return project
