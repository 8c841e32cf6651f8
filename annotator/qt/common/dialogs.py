"""Every modal dialog the window opens goes through here, so tests can replace them."""

from __future__ import annotations

import getpass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from annotator.core.paths import PROJECT_SUFFIX

PROJECT_FILTER = f"Annotator projects (*{PROJECT_SUFFIX});;All files (*)"


def default_coder_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name known to the OS
        return ""


def ask_coder_name(parent: QWidget | None, current: str = "") -> str | None:
    name, ok = QInputDialog.getText(
        parent,
        "Coder name",
        "Your name as a coder (recorded on every annotation you make):",
        QLineEdit.EchoMode.Normal,
        current or default_coder_name(),
    )
    return name.strip() if ok and name.strip() else None


def open_project_path(parent: QWidget | None, folder: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Open Project", folder, PROJECT_FILTER)
    return path


def new_project_path(parent: QWidget | None, folder: str, title: str = "New Project") -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, folder, PROJECT_FILTER)
    if path and not path.endswith(PROJECT_SUFFIX):
        path += PROJECT_SUFFIX
    return path


def export_folder(parent: QWidget | None, folder: str) -> str:
    return QFileDialog.getExistingDirectory(parent, "Export for Analysis to Folder", folder)


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


def confirm(parent: QWidget | None, title: str, message: str) -> bool:
    """Ask a yes/no question; the default answer is no."""
    answer = QMessageBox.question(
        parent,
        title,
        message,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def choose(parent: QWidget | None, title: str, message: str, buttons: list[str]) -> int | None:
    """Ask with one button per choice; the index of the one pressed, None for cancel."""
    box = QMessageBox(QMessageBox.Icon.Question, title, message, parent=parent)
    pushed = [box.addButton(text, QMessageBox.ButtonRole.AcceptRole) for text in buttons]
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return pushed.index(clicked) if clicked in pushed else None


def ask_text(parent: QWidget | None, title: str, label: str, current: str = "") -> str | None:
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, current)
    return text.strip() if ok and text.strip() else None


def choose_file_to_save(parent: QWidget | None, title: str, folder: str, filter: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, folder, filter)
    return path


def choose_file_to_open(parent: QWidget | None, title: str, folder: str, filter: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, folder, filter)
    return path


def ok_cancel_buttons(dialog: QDialog) -> tuple[QDialogButtonBox, QPushButton]:
    """The OK / Cancel row of a dialog, wired to accept and reject."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, buttons.button(QDialogButtonBox.StandardButton.Ok)
