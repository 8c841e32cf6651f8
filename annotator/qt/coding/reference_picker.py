"""A line edit that picks what a reference attribute points to, by keyboard.

Typing filters the candidates (annotations of the allowed categories in this
document, registry actors, borrowed choices); Enter takes the best match; a
new name creates a registry actor where the attribute allows the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from annotator.core.codebook import Value


@dataclass(frozen=True)
class Candidate:
    label: str
    value: Value
    names: tuple[str, ...]  # what an exact match is tested against (quote, name, aliases)


def rank(candidates: list[Candidate], text: str) -> list[Candidate]:
    """Exact name matches first, then names that start with, then contain, the text."""
    needle = " ".join(text.split()).casefold()
    if not needle:
        return list(candidates)
    exact, prefix, partial = [], [], []
    for candidate in candidates:
        names = [n.casefold() for n in candidate.names]
        if needle in names:
            exact.append(candidate)
        elif any(n.startswith(needle) for n in names):
            prefix.append(candidate)
        elif needle in candidate.label.casefold() or any(needle in n for n in names):
            partial.append(candidate)
    return exact + prefix + partial


class ReferencePicker(QLineEdit):
    chosen = Signal(object)  # Value (empty to clear)
    create_requested = Signal(str)  # a new registry actor's name
    escaped = Signal()

    def __init__(
        self, allow_new: bool, registry_only: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.allow_new = allow_new
        self.registry_only = registry_only
        self._candidates: list[Candidate] = []
        self._provider: Callable[[], list[Candidate]] | None = None
        self._listed = False
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.activated.connect(self._take_label)
        self.setCompleter(completer)
        self.setClearButtonEnabled(True)
        hint = "type to filter, Enter to choose"
        if allow_new:
            hint += ", a new name adds an actor" if registry_only else ", or a new name to add"
        self.setPlaceholderText(hint)

    def set_candidates(self, candidates: list[Candidate]) -> None:
        self._candidates = candidates
        self._provider = None
        self._model.setStringList([c.label for c in candidates])

    def set_provider(self, provider: Callable[[], list[Candidate]]) -> None:
        """Candidates are listed when the field is first used, not when it is shown."""
        self._provider = provider
        self._listed = False

    def forget_candidates(self) -> None:
        """List the candidates afresh when the field is next used."""
        self._listed = False

    def _ensure_candidates(self) -> None:
        if self._provider is not None and not self._listed:
            provider = self._provider
            self.set_candidates(provider())
            self._provider, self._listed = provider, True

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        self._ensure_candidates()
        super().focusInEvent(event)

    def _take_label(self, label: str) -> None:
        for candidate in self._candidates:
            if candidate.label == label:
                self.chosen.emit(candidate.value)
                return

    def best(self) -> Candidate | None:
        ranked = rank(self._candidates, self.text())
        return ranked[0] if ranked else None

    def commit(self) -> None:
        self._ensure_candidates()
        text = self.text().strip()
        popup = self.completer().popup()
        if popup is not None and popup.isVisible():
            current = popup.currentIndex()
            popup.hide()
            if current.isValid():
                self._take_label(str(current.data()))
                return
        if not text:
            self.chosen.emit(None)
            return
        exact = [c for c in self._candidates if c.label == text]
        ranked = exact or rank(self._candidates, text)
        needle = " ".join(text.split()).casefold()
        by_name = [c for c in ranked if needle in (n.casefold() for n in c.names)]
        if self.registry_only:
            # Only a name or alias that matches exactly is taken for granted.
            ranked = exact or by_name
        if ranked:
            self.chosen.emit(ranked[0].value)
        elif self.allow_new:
            self.create_requested.emit(" ".join(text.split()))

    KEYS = (  # for Help ▸ Keyboard Shortcuts
        ("Enter", "In a reference field: take the highlighted suggestion"),
        ("Esc", "In a reference field: leave it as it was"),
    )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit()
            event.accept()
        elif event.key() == Qt.Key.Key_Escape and not _popup_shown(self.completer()):
            self.escaped.emit()
        else:
            super().keyPressEvent(event)


def _popup_shown(completer: QCompleter) -> bool:
    popup = completer.popup()
    return popup is not None and popup.isVisible()
