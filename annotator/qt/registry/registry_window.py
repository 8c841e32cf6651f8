"""The actor registry window: list, filter, add, edit, merge and delete actors,
and tag the occurrences of an actor's names that are still untagged."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Actor
from annotator.ops import registry
from annotator.ops.changes import Changes
from annotator.qt.commands import Operation, OperationCommand, merge_actors
from annotator.qt.common import dialogs
from annotator.qt.registry.actor_dialogs import (
    ActorForm,
    choose_merge_target,
    mentions_text,
)
from annotator.qt.registry.mentions_dialog import MentionsDialog
from annotator.qt.registry.registry_model import (
    ALIASES,
    COUNTRY,
    MENTIONS,
    NAME,
    TYPE,
    ActorTableModel,
    actor_proxy,
)
from annotator.qt.session import ProjectSession
from annotator.store.errors import ProjectError

_PLAIN_KEYS = {
    Qt.Key.Key_Return: "edit",
    Qt.Key.Key_Enter: "edit",
    Qt.Key.Key_Delete: "delete",
    Qt.Key.Key_Backspace: "delete",
}


def _shortcut_text(key: QKeySequence.StandardKey) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class _ActorTable(QTableView):
    """Enter edits, Delete (or Backspace) deletes: these keys win over any shortcut."""

    key_action = Signal(str)

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.modifiers()
            in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            and Qt.Key(event.key()) in _PLAIN_KEYS
            and self.currentIndex().isValid()
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        action = _PLAIN_KEYS.get(Qt.Key(event.key()))
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if action and plain and self.currentIndex().isValid():
            event.accept()
            self.key_action.emit(action)
            return
        super().keyPressEvent(event)


class _FilterEdit(QLineEdit):
    """Down or Enter moves to the table; Esc clears the filter (then closes)."""

    to_table = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.to_table.emit()
        elif key == Qt.Key.Key_Escape and self.text():
            event.accept()
            self.clear()
        else:
            super().keyPressEvent(event)


class RegistryWindow(QDialog):
    """Non-modal window over the project's actor registry.

    Every edit (add, change, merge, delete, tagging the mentions found by Find
    Other Mentions) goes onto ``undo_stack``: Ctrl+Z in this window or the main
    window undoes it.
    """

    def __init__(
        self,
        session: ProjectSession,
        undo_stack: QUndoStack,
        current_document_id: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.undo_stack = undo_stack
        self.current_document_id = current_document_id
        self.form: ActorForm | None = None
        self.mentions_dialog: MentionsDialog | None = None
        self._stale = False
        self.setWindowTitle("Actor Registry")
        # An ordinary top-level window: the main window's single-key hotkeys and
        # its Delete shortcut stay out of it (a Qt.Tool window would inherit them).
        self.setWindowFlags(Qt.WindowType.Window)
        self.setModal(False)

        self.model = ActorTableModel(self)
        self.proxy = actor_proxy(self.model, self)

        self.filter_edit = _FilterEdit()
        self.filter_edit.setObjectName("actorFilter")
        self.filter_edit.setPlaceholderText("Filter by name or alias")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter)
        self.filter_edit.to_table.connect(self._focus_table)
        filter_label = QLabel("&Filter:")
        filter_label.setBuddy(self.filter_edit)

        self.table = _ActorTable()
        self.table.setObjectName("actorTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ALIASES, QHeaderView.ResizeMode.Stretch)
        for column in (TYPE, COUNTRY, MENTIONS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(NAME, 220)
        self.table.doubleClicked.connect(lambda _index: self.edit_actor())
        self.table.key_action.connect(self._on_table_key)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.add_button = self._button(
            "&Add…", "Add an actor to the registry", lambda: self.add_actor()
        )
        self.edit_button = self._button(
            "&Edit…", "Change the selected actor (Enter)", lambda: self.edit_actor()
        )
        self.merge_button = self._button(
            "&Merge…", "Merge the selected actor into another one", lambda: self.merge_actor()
        )
        self.delete_button = self._button(
            "&Delete", "Delete the selected actor (Delete)", lambda: self.delete_actor()
        )
        self.mentions_button = self._button(
            "Find Other &Mentions…",
            "Find untagged occurrences of the actor's names and tag them",
            lambda: self.find_other_mentions(),
        )
        close_button = self._button("Close", "Close this window (Esc)", self.close)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.merge_button,
            self.delete_button,
            self.mentions_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)

        self.count_label = QLabel()
        self.count_label.setObjectName("actorCount")
        self.status_label = QLabel()
        self.status_label.setObjectName("registryStatus")
        status = QHBoxLayout()
        status.addWidget(self.status_label, 1)
        status.addWidget(self.count_label)

        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter_edit, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(status)

        # Undo and redo from this window too (the main window's shortcuts do not
        # reach an ordinary top-level window).
        undo = undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        find = QAction("Filter", self)
        find.setShortcuts(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_filter)
        self.addActions([undo, redo, find])
        self.undo_action, self.redo_action = undo, redo
        undo_stack.indexChanged.connect(self._on_undo_index)

        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.refresh)
        session.changed.connect(self._on_changed)

        self.refresh()
        self.resize(780, 460)
        self.table.setFocus()

    def _button(self, text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAutoDefault(False)  # Enter belongs to the table and the filter
        button.clicked.connect(slot)
        return button

    # -- contents ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the registry, keeping the selected actor selected."""
        self._later.stop()
        self._stale = False
        selected = self.selected_actor()
        try:
            actors = self.session.project.actors()
        except ProjectError as exc:
            self.status_label.setText(f"Could not read the registry: {exc}")
            return
        self.model.reset(actors)
        if not (selected is not None and self.select_actor(selected.id)) and self.proxy.rowCount():
            self._select_proxy_row(0)
        self._update_count()
        self._update_buttons()

    def _on_changed(self, changes: Changes) -> None:
        if not (changes.actor or changes.annotation or changes.values):
            return
        if not self.isVisible():  # a hidden window catches up when shown again
            self._stale = True
        elif changes.actor:
            self.refresh()
        else:  # mention counts change as annotations come and go: once per burst
            self._later.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if not self.table.selectionModel().hasSelection() and self.proxy.rowCount():
            self._select_proxy_row(0)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        noun = "actor" if total == 1 else "actors"
        self.count_label.setText(
            f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}"
        )

    def _update_buttons(self) -> None:
        has = self.selected_actor() is not None
        for button in (self.edit_button, self.delete_button, self.mentions_button):
            button.setEnabled(has)
        self.merge_button.setEnabled(has and self.model.rowCount() > 1)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _focus_table(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self._select_proxy_row(0)

    def _select_proxy_row(self, row: int) -> None:
        index = self.proxy.index(row, NAME)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def selected_actor(self) -> Actor | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.model.actor(source.row()) if source.isValid() else None

    def select_actor(self, actor_id: str) -> bool:
        """Select the actor's row (clearing a filter that hides it)."""
        row = self.model.row_of(actor_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, NAME))
        if not index.isValid() and self.filter_edit.text():
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, NAME))
        if not index.isValid():
            return False
        self._select_proxy_row(index.row())
        return True

    def _on_table_key(self, action: str) -> None:
        if action == "edit":
            self.edit_actor()
        else:
            self.delete_actor()

    def _say(self, message: str) -> None:
        self.status_label.setText(message)

    def _on_undo_index(self, _index: int) -> None:
        self._say("")  # "Merged …" is stale once anything is undone or done

    # -- add and edit ----------------------------------------------------------------------
    def _open_form(self, actor: Actor | None) -> ActorForm:
        if self.form is not None:
            self.form.deleteLater()
        form = ActorForm(actor, self.model.actors(), self)
        form.accepted.connect(lambda: self._apply_form(form))
        self.form = form
        form.open()
        form.name_edit.setFocus()
        return form

    def add_actor(self) -> ActorForm:
        """Open the empty form; accepting it adds the actor."""
        return self._open_form(None)

    def edit_actor(self) -> ActorForm | None:
        """Open the form on the selected actor; accepting it saves the changes."""
        actor = self.selected_actor()
        return self._open_form(actor) if actor is not None else None

    def _apply_form(self, form: ActorForm) -> None:
        fields = form.fields()
        if form.actor is None:
            added = self._push(
                "Add actor",
                "add the actor",
                lambda p: registry.add_actor(
                    p,
                    fields["name"],
                    type=fields["type"],
                    country=fields["country"],
                    notes=fields["notes"],
                    aliases=fields["aliases"],
                ),
            )
            if added is not None:
                self.select_actor(added.id)
                self._say(f"Added “{added.name}”.")
            return
        current = form.actor
        changes = {key: value for key, value in fields.items() if getattr(current, key) != value}
        if not changes:
            return
        updated = self._push(
            f"Edit actor {current.name}",
            "change the actor",
            lambda p: registry.update_actor(p, current.id, **changes),
        )
        if updated is not None:
            self.select_actor(updated.id)
            self._say(f"Saved “{updated.name}”.")

    def _push(self, text: str, action: str, operation: Operation) -> Actor | None:
        """Run an edit as an undoable command; the actor it returns, or ``None``
        when it failed (the session said why)."""
        command = OperationCommand(self.session, text, action, operation)
        self.undo_stack.push(command)
        return command.result.value if command.result is not None else None

    # -- merge and delete -------------------------------------------------------------------
    def merge_actor(self) -> bool:
        """Merge the selected actor into one the user picks; undoable."""
        dropped = self.selected_actor()
        if dropped is None:
            return False
        candidates = [a for a in self.model.actors() if a.id != dropped.id]
        if not candidates:
            dialogs.show_info(self, "Merge Actor", "There is no other actor to merge with.")
            return False
        matches = [a for a in self.session.project.match_actors(dropped.name) if a.id != dropped.id]
        preferred = next((a for a in candidates if matches and a.id == matches[0].id), None)
        kept = choose_merge_target(self, dropped, candidates, preferred)
        if kept is None or kept.id == dropped.id:
            return False
        total = kept.mention_count + dropped.mention_count
        question = (
            f"Merge “{dropped.name}” ({mentions_text(dropped.mention_count)}) into"
            f" “{kept.name}” ({mentions_text(kept.mention_count)})?\n\n"
            f"“{kept.name}” will have {mentions_text(total)}, and “{dropped.name}” becomes"
            f" one of its aliases. You can undo this with"
            f" {_shortcut_text(QKeySequence.StandardKey.Undo)}."
        )
        if not dialogs.confirm(self, "Merge Actors", question):
            return False
        before = self.undo_stack.index()
        self.session.backup("before-merge")
        self.undo_stack.push(merge_actors(self.session, kept.id, dropped.id))
        if self.undo_stack.index() == before:  # the merge failed; the session said why
            return False
        self.select_actor(kept.id)
        self._say(f"Merged “{dropped.name}” into “{kept.name}”.")
        return True

    def delete_actor(self) -> bool:
        """Delete the selected actor after asking; annotations lose their link to it."""
        actor = self.selected_actor()
        if actor is None:
            return False
        if actor.mention_count:
            detail = (
                f"It has {mentions_text(actor.mention_count)}. The annotations stay, but their"
                " link to this actor is cleared."
            )
        else:
            detail = "No annotation refers to it."
        question = (
            f"Delete “{actor.name}” from the registry?\n\n{detail} You can undo this with"
            f" {_shortcut_text(QKeySequence.StandardKey.Undo)}."
        )
        if not dialogs.confirm(self, "Delete Actor", question):
            return False
        if (actor.mention_count or actor.aliases) and not self.session.backup_before(
            f"deleting “{actor.name}”", self
        ):  # links and aliases go with it: keep a copy too
            return False
        row = self.table.currentIndex().row()
        command = OperationCommand(
            self.session,
            f"Delete actor {actor.name}",
            "delete the actor",
            lambda p: registry.delete_actor(p, actor.id),
        )
        self.undo_stack.push(command)
        if command.result is None:
            return False
        if self.proxy.rowCount():
            self._select_proxy_row(min(max(row, 0), self.proxy.rowCount() - 1))
        self._say(f"Deleted “{actor.name}”.")
        return True

    # -- mentions --------------------------------------------------------------------------------
    def find_other_mentions(self) -> MentionsDialog | None:
        """Open the list of untagged occurrences of the selected actor's names."""
        actor = self.selected_actor()
        if actor is None:
            return None
        if self.mentions_dialog is not None:
            self.mentions_dialog.deleteLater()
        dialog = MentionsDialog(
            self.session, self.undo_stack, actor, self.current_document_id(), self
        )
        self.mentions_dialog = dialog
        dialog.accepted.connect(lambda: self._mentions_tagged(dialog))
        dialog.open()
        return dialog

    def _mentions_tagged(self, dialog: MentionsDialog) -> None:
        if dialog.tagged:
            self._say(f"Tagged {mentions_text(len(dialog.tagged))} of “{dialog.actor.name}”.")
