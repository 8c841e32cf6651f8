"""Help ▸ About: the version, the Qt, PySide6, Python and SQLite versions and the
user's data, log and settings folders (what a bug report needs)."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.paths import APP_NAME
from annotator.core.resources import resources_dir
from annotator.selftest import environment

OBJECT_NAME = "aboutDialog"


def about_info() -> dict[str, str]:
    """Everything the About box lists, in order."""
    info = environment()
    versions = {key: info.pop(key) for key in ("Annotator", "Python", "SQLite", "System")}
    return {
        "Version": versions["Annotator"],
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "Python": versions["Python"],
        "SQLite": versions["SQLite"],
        "System": versions["System"],
        **info,
    }


def about_text() -> str:
    """The About box's details as plain text (also what Copy puts on the clipboard)."""
    return "\n".join(f"{key}: {value}" for key, value in about_info().items())


def _icon() -> QPixmap:
    try:
        return QPixmap(str(resources_dir() / "icons" / "annotator-128.png"))
    except FileNotFoundError:
        return QPixmap()


def show_about(parent: QWidget | None) -> QMessageBox:
    """Open the About box (window-modal, not blocking) and return it."""
    box = QMessageBox(parent)
    box.setObjectName(OBJECT_NAME)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowTitle(f"About {APP_NAME}")
    info = about_info()
    box.setText(f"<b>{APP_NAME} {info['Version']}</b>")
    box.setInformativeText(
        "Code actors, claims and stances in news and policy texts.<br><br>"
        + "<br>".join(f"{key}: {_escape(value)}" for key, value in info.items() if key != "Version")
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    pixmap = _icon()
    if not pixmap.isNull():
        box.setIconPixmap(pixmap)
    copy = box.addButton("Copy Details", QMessageBox.ButtonRole.ActionRole)
    copy.setObjectName("copyDetails")
    copy.clicked.disconnect()  # an action button would close the box
    copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(about_text()))
    box.addButton(QMessageBox.StandardButton.Close)
    box.open()
    return box


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
