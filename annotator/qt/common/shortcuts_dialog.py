"""Help ▸ Keyboard Shortcuts: every key of the window, read from its menus.

The rows come from the actions themselves (their menu, text and shortcuts), so a
key added to a menu is listed without anything else to update; the few keys that
widgets handle on their own (Enter in the text, in a reference field, in the find
bar) are declared beside those widgets and listed after them.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

Row = tuple[str, str, str]  # (where, what, keys)


def _plain(text: str) -> str:
    """A menu text as read: without the mnemonic ampersands and the trailing "…"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _keys(action: QAction) -> str:
    return ", ".join(
        k.toString(QKeySequence.SequenceFormat.NativeText)
        for k in action.shortcuts()
        if not k.isEmpty()
    )


def menu_rows(bar: QMenuBar) -> list[Row]:
    """(menu, action, keys) of every action with a shortcut, in menu order."""
    rows: list[Row] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} ▸ {_plain(sub.title())}")
            elif not action.isSeparator() and (keys := _keys(action)):
                rows.append((path, _plain(action.text()), keys))

    for action in bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            walk(menu, _plain(menu.title()))
    return rows


def shortcut_rows(bar: QMenuBar, widget_keys: Iterable[tuple[str, str]]) -> list[Row]:
    """The menus' keys, then the keys widgets handle themselves ("Text")."""
    return [*menu_rows(bar), *(("Text", what, keys) for keys, what in widget_keys)]


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[Row], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Every key of the coding window. Menus show the same keys beside their items."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels(["Keys", "Does", "Menu"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, (where, what, keys) in enumerate(rows):
            for column, text in enumerate((keys, what, where)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
