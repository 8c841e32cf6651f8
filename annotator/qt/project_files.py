"""The File menu's project commands: New, Open, Save a Copy, and the coder's name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotator.qt.common import dialogs
from annotator.store.errors import ProjectError

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow


def new_project(window: MainWindow, folder: str) -> None:
    path = dialogs.new_project_path(window, folder)
    if path:
        if Path(path).exists():
            dialogs.show_error(window, "New Project", f"“{path}” already exists.")
            return
        window.open_project_file(Path(path), create=True)


def open_project(window: MainWindow, folder: str) -> None:
    path = dialogs.open_project_path(window, folder)
    if path:
        window.open_project_file(Path(path))


def save_copy(window: MainWindow, folder: str) -> None:
    path = dialogs.new_project_path(window, folder, "Save a Copy As")
    if not path or window.session is None:
        return
    try:
        window.project.save_copy(path)
    except (OSError, ProjectError) as exc:
        dialogs.show_error(window, "Save a Copy As", f"The copy could not be written: {exc}")
        return
    window.statusBar().showMessage(f"Saved a copy as {path}", 5000)


def change_coder(window: MainWindow) -> None:
    name = dialogs.ask_coder_name(window, window.settings.coder)
    if name:
        window.settings.coder = name
        window.set_coder(name)
