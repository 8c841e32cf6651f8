"""Sharing a codebook as a JSON file: Export Codebook… and Import Codebook…."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMainWindow

from annotator.importing.codebook_json import export_codebook as write_codebook
from annotator.importing.codebook_json import import_codebook as read_codebook
from annotator.qt.common import dialogs
from annotator.qt.session import ProjectSession
from annotator.store.errors import ProjectError

CODEBOOK_FILTER = "Codebook (*.json);;All files (*)"


def export_codebook(window: QMainWindow, session: ProjectSession | None, folder: str) -> None:
    if session is None:
        return
    path = dialogs.choose_file_to_save(window, "Export Codebook", folder, CODEBOOK_FILTER)
    if not path:
        return
    try:
        write_codebook(session.project, Path(path))
    except (OSError, ProjectError) as exc:
        dialogs.show_error(window, "Export Codebook", f"The codebook was not written: {exc}")
        return
    window.statusBar().showMessage(f"Codebook written to {path}", 5000)


def import_codebook(window: QMainWindow, session: ProjectSession | None, folder: str) -> None:
    path = dialogs.choose_file_to_open(window, "Import Codebook", folder, CODEBOOK_FILTER)
    if not path or session is None:
        return
    try:
        summary = read_codebook(session.project, Path(path))
    except (OSError, ValueError, ProjectError) as exc:
        dialogs.show_error(window, "Import Codebook", f"The codebook was not imported: {exc}")
        return
    session.codebook_changed.emit()
    dialogs.show_info(window, "Import Codebook", str(summary))
