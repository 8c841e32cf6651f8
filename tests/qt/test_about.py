import sqlite3
import sys

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton

from annotator import __version__
from annotator.core.logs import log_dir
from annotator.core.paths import config_dir, data_dir
from annotator.qt.common.about_dialog import OBJECT_NAME, about_info, about_text


def _open_about(window) -> QMessageBox:
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.menus.actions["about"] in help_menu.actions()
    window.menus.actions["about"].trigger()
    box = window.findChild(QMessageBox, OBJECT_NAME)
    assert box is not None and box.isVisible()
    return box


def test_help_about_shows_versions_and_folders(qtbot, sample_window):
    box = _open_about(sample_window)
    shown = box.text() + box.informativeText()
    python = ".".join(map(str, sys.version_info[:3]))
    for expected in (
        __version__,
        qVersion(),
        PySide6.__version__,
        python,
        sqlite3.sqlite_version,
        str(data_dir()),
        str(log_dir()),
        str(config_dir()),
    ):
        assert expected in shown
    assert box.isModal() and not box.iconPixmap().isNull()
    box.findChild(QPushButton, "copyDetails").click()
    assert box.isVisible()  # copying keeps the box open
    assert QGuiApplication.clipboard().text() == about_text()
    box.close()
    qtbot.waitUntil(lambda: sample_window.findChild(QMessageBox, OBJECT_NAME) is None)


def test_about_info_lists_every_field():
    info = about_info()
    assert list(info)[:6] == ["Version", "Qt", "PySide6", "Python", "SQLite", "System"]
    assert {"Data folder", "Log folder", "Settings folder"} <= set(info)
    assert about_text().splitlines()[0] == f"Version: {info['Version']}"
