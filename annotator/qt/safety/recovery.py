"""A damaged project: keep it aside and offer the newest good backup."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QWidget

from annotator.qt.common import dialogs
from annotator.store.backups import list_backups, restore_backup
from annotator.store.errors import DamagedProjectError, ProjectError
from annotator.store.project import Project, open_project


def _local_time(created: str) -> str:
    when = datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


def open_or_recover(parent: QWidget | None, path: Path) -> Project:
    """Open ``path``; if it is damaged, offer its newest backup (the damaged file is
    kept aside). Raises ProjectError when the user declines or nothing can be done."""
    try:
        return open_project(path)
    except DamagedProjectError as exc:
        backups = list_backups(path)
        if not backups:
            raise ProjectError(f"{exc}\n\nThere is no backup of this project.") from exc
        newest = backups[0]
        if not dialogs.confirm(
            parent,
            "Damaged project",
            f"{exc}\n\nThe newest good backup is from {_local_time(newest.created)} "
            f"({newest.documents} documents, {newest.annotations} annotations); changes "
            "made after it would be lost. The damaged file is kept aside, not deleted.\n\n"
            "Restore the backup and open it?",
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
