"""Sharing a codebook as a JSON file: Export Codebook… and Import Codebook…."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow

from annotator.importing.codebook_json import export_codebook as write_codebook
from annotator.importing.codebook_json import merge_codebook
from annotator.qt.commands import OperationCommand
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


def import_codebook(
    window: QMainWindow, session: ProjectSession | None, undo_stack: QUndoStack, folder: str
) -> None:
    """Merge a codebook file into the project, as one step that Ctrl+Z undoes."""
    path = dialogs.choose_file_to_open(window, "Import Codebook", folder, CODEBOOK_FILTER)
    if not path or session is None:
        return
    command = OperationCommand(
        session, "Import codebook", "import the codebook", lambda p: merge_codebook(p, path)
    )
    with session.failures_to(
        lambda message: dialogs.show_error(window, "Import Codebook", message)
    ):
        undo_stack.push(command)
    if command.result is not None:
        dialogs.show_info(window, "Import Codebook", str(command.result.value))
