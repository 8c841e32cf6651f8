"""Ctrl+F: find text in the current document, with next, previous and a count."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Case-insensitive matches of ``needle`` in ``text``, as code-point spans."""
    if not needle:
        return []
    return [m.span() for m in re.finditer(re.escape(needle), text, re.IGNORECASE)]


class _FindEdit(QLineEdit):
    step = Signal(int)
    closed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.step.emit(-1 if shift else 1)
        elif event.key() == Qt.Key.Key_Escape:
            self.closed.emit()
        else:
            super().keyPressEvent(event)


class FindBar(QWidget):
    """Emits ``match_selected(start, end)`` in code points for the view to select."""

    @staticmethod
    def key_help() -> list[tuple[str, str]]:
        """The keys of the bar, for Help ▸ Keyboard Shortcuts: (keys, what they do)."""

        def named(standard: QKeySequence.StandardKey) -> str:
            return ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText)
                for k in QKeySequence.keyBindings(standard)
            )

        following = named(QKeySequence.StandardKey.FindNext)
        previous = named(QKeySequence.StandardKey.FindPrevious)
        return [
            ("Enter" + (f", {following}" if following else ""), "In the find bar: next match"),
            ("Shift+Enter" + (f", {previous}" if previous else ""), "In the find bar: previous"),
            ("Esc", "In the find bar: close it"),
        ]

    match_selected = Signal(int, int)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._matches: list[tuple[int, int]] = []
        self._current = -1
        self.edit = _FindEdit(self)
        self.edit.setPlaceholderText("Find in document")
        self.edit.setClearButtonEnabled(True)
        self.count_label = QLabel("", self)
        self.count_label.setMinimumWidth(80)
        previous = QToolButton(self)
        previous.setText("▲")
        previous.setToolTip("Previous match (Shift+Enter)")
        following = QToolButton(self)
        following.setText("▼")
        following.setToolTip("Next match (Enter)")
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        for widget in (QLabel("Find:", self), self.edit, previous, following, self.count_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(close)
        self.edit.textChanged.connect(self._search)
        self.edit.step.connect(self.step)
        self.edit.closed.connect(self.close_bar)
        previous.clicked.connect(lambda: self.step(-1))
        following.clicked.connect(lambda: self.step(1))
        close.clicked.connect(self.close_bar)
        for keys, direction in (
            (QKeySequence.StandardKey.FindNext, 1),
            (QKeySequence.StandardKey.FindPrevious, -1),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=direction: self.step(d))

    def set_text(self, text: str) -> None:
        self._text = text
        if self.isVisible():
            self._search(self.edit.text())

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self._search(self.edit.text())

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    @property
    def match_count(self) -> int:
        return len(self._matches)

    def _search(self, needle: str) -> None:
        self._matches = find_all(self._text, needle)
        self._current = -1
        if self._matches:
            self.step(1)
        else:
            self.count_label.setText("No matches" if needle else "")

    def step(self, direction: int) -> None:
        if not self._matches:
            return
        self._current = (self._current + direction) % len(self._matches)
        self.count_label.setText(f"{self._current + 1} of {len(self._matches)}")
        self.match_selected.emit(*self._matches[self._current])
