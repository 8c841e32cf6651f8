"""The small dialogs of the actor registry: the actor form and the merge target."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Actor
from annotator.qt.common import dialogs

ACTOR_TYPES = ("person", "government", "party", "organisation", "media", "expert", "other")


def mentions_text(count: int) -> str:
    return f"{count} mention{'' if count == 1 else 's'}"


class ActorFields(TypedDict):
    name: str
    type: str
    country: str
    notes: str
    aliases: tuple[str, ...]


# -- the add/edit form ------------------------------------------------------------------
class ActorForm(QDialog):
    """Name, type, country, aliases (one per line) and notes of one actor.

    Fill the widgets (``name_edit``, ``type_combo``, ``country_edit``,
    ``aliases_edit``, ``notes_edit``) and call ``accept()``; read ``fields()``.
    OK stays disabled while the name is blank.
    """

    def __init__(
        self,
        actor: Actor | None = None,
        others: Sequence[Actor] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.actor = actor
        self.setWindowTitle("Edit Actor" if actor else "Add Actor")
        self._taken = {
            name.casefold(): other
            for other in others
            if actor is None or other.id != actor.id
            for name in other.names()
        }

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Vladimir Putin")
        self.name_hint = QLabel()
        self.name_hint.setObjectName("nameHint")
        self.name_hint.setWordWrap(True)
        self.name_hint.hide()
        self.type_combo = QComboBox()
        self.type_combo.setEditable(True)
        self.type_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.type_combo.addItems(list(ACTOR_TYPES))
        self.type_combo.setCurrentIndex(-1)
        line = self.type_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText("choose or type")
        self.country_edit = QLineEdit()
        self.country_edit.setPlaceholderText("e.g. RU, KR, US")
        self.aliases_edit = QPlainTextEdit()
        self.aliases_edit.setTabChangesFocus(True)
        self.aliases_edit.setPlaceholderText("Putin\nPresident Putin")
        self.aliases_edit.setFixedHeight(84)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(64)

        if actor is not None:
            self.name_edit.setText(actor.name)
            self.type_combo.setCurrentText(actor.type)
            self.country_edit.setText(actor.country)
            self.aliases_edit.setPlainText("\n".join(actor.aliases))
            self.notes_edit.setPlainText(actor.notes)

        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("", self.name_hint)
        form.addRow("&Type:", self.type_combo)
        form.addRow("&Country:", self.country_edit)
        form.addRow("&Aliases:", self.aliases_edit)
        aliases_help = QLabel("One per line. Other ways the texts name this actor.")
        aliases_help.setEnabled(False)  # drawn in the palette's secondary text colour
        form.addRow("", aliases_help)
        form.addRow("N&otes:", self.notes_edit)

        self.buttons, self.ok_button = dialogs.ok_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.name_edit.textChanged.connect(self._on_name)
        self._on_name(self.name_edit.text())
        self.setMinimumWidth(400)

    def fields(self) -> ActorFields:
        aliases: list[str] = []
        for line in self.aliases_edit.toPlainText().splitlines():
            alias = " ".join(line.split())
            if alias and alias.casefold() not in {a.casefold() for a in aliases}:
                aliases.append(alias)
        return ActorFields(
            name=" ".join(self.name_edit.text().split()),
            type=self.type_combo.currentText().strip(),
            country=self.country_edit.text().strip(),
            notes=self.notes_edit.toPlainText().strip(),
            aliases=tuple(aliases),
        )

    def _on_name(self, text: str) -> None:
        name = " ".join(text.split())
        self.ok_button.setEnabled(bool(name))
        other = self._taken.get(name.casefold())
        if other is None:
            hint = ""
        else:
            what = "the name" if other.name.casefold() == name.casefold() else "an alias"
            hint = (
                f"“{name}” is already {what} of “{other.name}”. To treat them as one"
                " actor, use Merge instead."
            )
        if hint == self.name_hint.text():
            return
        self.name_hint.setText(hint)
        self.name_hint.setVisible(bool(hint))
        if self.isVisible():  # make room for the wrapped hint (or give it back)
            layout = self.layout()
            assert layout is not None  # set in __init__
            layout.activate()
            self.resize(self.width(), max(self.height(), self.heightForWidth(self.width())))

    def accept(self) -> None:
        if self.fields()["name"]:
            super().accept()


# -- choosing the actor to merge into -----------------------------------------------------
def _describe(actor: Actor) -> str:
    details = ", ".join(p for p in (actor.type, actor.country) if p)
    count = mentions_text(actor.mention_count)
    return f"{actor.name}{f' ({details})' if details else ''} · {count}"


class MergeTargetDialog(QDialog):
    """Pick the actor that ``dropped`` is merged into (and that is kept)."""

    def __init__(
        self,
        dropped: Actor,
        candidates: Sequence[Actor],
        preferred: Actor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge Actor")
        self.candidates = list(candidates)
        label = QLabel(f"Merge “{dropped.name}” ({mentions_text(dropped.mention_count)}) into:")
        self.combo = QComboBox()
        self.combo.addItems([_describe(a) for a in self.candidates])
        if preferred is not None and preferred in self.candidates:
            self.combo.setCurrentIndex(self.candidates.index(preferred))
        label.setBuddy(self.combo)
        note = QLabel(
            f"The chosen actor is kept: it takes over the mentions of “{dropped.name}”,"
            " whose name and aliases become its aliases."
        )
        note.setWordWrap(True)
        buttons, _ok = dialogs.ok_cancel_buttons(self)
        layout = QVBoxLayout(self)
        for widget in (label, self.combo, note, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(420)

    def target(self) -> Actor | None:
        row = self.combo.currentIndex()
        return self.candidates[row] if 0 <= row < len(self.candidates) else None


def choose_merge_target(
    parent: QWidget | None,
    dropped: Actor,
    candidates: Sequence[Actor],
    preferred: Actor | None = None,
) -> Actor | None:
    """Ask which actor to merge ``dropped`` into; ``None`` when cancelled."""
    dialog = MergeTargetDialog(dropped, candidates, preferred, parent)
    try:
        return dialog.target() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


# -- the window ------------------------------------------------------------------------------
