"""A first-run welcome above the text: how to code, where things are; dismissible.

It names the keys of the project's own categories, so it stays true when the
codebook changes; Help ▸ Welcome shows it again.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.core.model import Category


def welcome_html(categories: list[Category]) -> str:
    keyed = [c for c in categories if c.hotkey]
    keys = ", ".join(f"<b>{escape(c.hotkey)}</b> {escape(c.label)}" for c in keyed)
    code = f"then press {keys}" if keys else "then choose a code in the Code menu"
    return (
        "<b>Welcome.</b> Select a passage with the mouse (or Shift+arrows), "
        f"{code} to code it. Press <b>Enter</b> to fill in its fields; Enter in a field "
        "saves it and moves to the next. The codes and their fields are under "
        "<b>Codebook ▸ Edit Codebook</b>, the list of known actors under "
        "<b>Codebook ▸ Actor Registry</b>, and every key under "
        "<b>Help ▸ Keyboard Shortcuts</b>."
    )


class WelcomeBanner(QFrame):
    """Emits ``dismissed`` when the coder closes it, ``shortcuts`` for the key list."""

    dismissed = Signal()
    shortcuts = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#welcomeBanner { background: palette(alternate-base);"
            " border: 1px solid palette(mid); }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.text = QLabel()
        self.text.setObjectName("welcomeText")
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        buttons = QVBoxLayout()
        self.keys_button = QPushButton("&Keyboard Shortcuts")
        self.close_button = QPushButton("Got &it")
        self.close_button.setObjectName("welcomeDismiss")
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.keys_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.close_button.clicked.connect(self._dismiss)
        self.keys_button.clicked.connect(self.shortcuts.emit)

    def set_categories(self, categories: list[Category]) -> None:
        self.text.setText(welcome_html(categories))

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
