"""Document ▸ Properties… and Document ▸ Document Variables…

Every change is an operation (``annotator.ops``) pushed onto the window's undo
stack, so Ctrl+Z undoes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Document, Variable, VariableType
from annotator.core.types import VARIABLE_TYPES, variable_type
from annotator.ops import documents, variables
from annotator.ops.changes import Changes, Result
from annotator.qt.commands import Operation, OperationCommand
from annotator.qt.common import dialogs
from annotator.qt.common.dialogs import ok_cancel_buttons
from annotator.qt.common.undo_actions import add_undo_actions, undo_hint
from annotator.qt.session import ProjectSession

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

FIELDS = (
    ("title", "&Title:"),
    ("source", "&Source / outlet:"),
    ("author", "&Author:"),
    ("date", "&Date:"),
)
TYPE_LABELS = {name: kind.label for name, kind in VARIABLE_TYPES.items()}


def push(
    session: ProjectSession,
    undo_stack: QUndoStack,
    parent: QWidget,
    text: str,
    action: str,
    operation: Operation,
) -> Result[Any] | None:
    """Run an edit as an undoable command; a failure is shown over ``parent`` (with
    its title) and gives ``None``."""
    command = OperationCommand(session, text, action, operation)
    title = parent.windowTitle()
    with session.failures_to(lambda message: dialogs.show_error(parent, title, message)):
        undo_stack.push(command)
    return command.result


def _line_field(variable: Variable, value: str) -> QLineEdit | QComboBox:
    edit = QLineEdit(value)
    edit.setPlaceholderText(variable_type(variable.type).hint)
    return edit


def _list_field(items: list[tuple[str, str]], value: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem("", "")
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(value)
    if index < 0 and value:  # a value the choices no longer list
        combo.addItem(value, value)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))
    return combo


def _choice_field(variable: Variable, value: str) -> QLineEdit | QComboBox:
    return _list_field([(choice, choice) for choice in variable.choices], value)


def _yes_no_field(variable: Variable, value: str) -> QLineEdit | QComboBox:
    return _list_field([("Yes", "1"), ("No", "0")], value)


# Each variable type's field in the properties dialog; a type not listed here (a
# new one defined only in core/types) gets a line edit that its definition checks.
FIELDS_BY_TYPE: dict[str, Callable[[Variable, str], QLineEdit | QComboBox]] = {
    VariableType.CHOICE: _choice_field,
    VariableType.BOOLEAN: _yes_no_field,
}


def _variable_field(variable: Variable, value: str) -> QLineEdit | QComboBox:
    return FIELDS_BY_TYPE.get(variable.type, _line_field)(variable, value)


def _field_value(widget: QLineEdit | QComboBox) -> str:
    if isinstance(widget, QComboBox):
        return str(widget.currentData() or "")
    return widget.text().strip()


class PropertiesDialog(QDialog):
    """Title, source, author, date and the project's variables of one document."""

    def __init__(
        self,
        session: ProjectSession,
        undo_stack: QUndoStack,
        document: Document,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.undo_stack = undo_stack
        project = session.project
        self.document = document
        self.setWindowTitle("Document Properties")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for name, label in FIELDS:
            edit = QLineEdit(getattr(document, name))
            edit.setObjectName(f"property_{name}")
            self.fields[name] = edit
            form.addRow(label, edit)
        self.fields["date"].setPlaceholderText("YYYY-MM-DD")
        layout.addLayout(form)
        self.variables = project.variables()
        self.variable_fields: dict[str, QLineEdit | QComboBox] = {}
        values = self._stored = project.document_variables(document.id)
        box = QGroupBox("Document variables")
        var_form = QFormLayout(box)
        for variable in self.variables:
            widget = _variable_field(variable, values.get(variable.key, ""))
            widget.setObjectName(f"variable_{variable.key}")
            self.variable_fields[variable.key] = widget
            var_form.addRow(f"{variable.label}:", widget)
        if not self.variables:
            var_form.addRow(QLabel("The project defines none (Document ▸ Document Variables…)."))
        layout.addWidget(box)
        details = [
            f"File: {document.file_name}" if document.file_name else "",
            f"Encoding: {document.encoding}" if document.encoding else "",
            f"{document.char_count:,} characters, imported {document.imported_at[:10]}",
        ]
        note = QLabel(
            " · ".join(d for d in details if d)
            + "<br><i>The text itself cannot be edited: annotations point into it.</i>"
        )
        note.setTextFormat(Qt.TextFormat.RichText)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        buttons, self.ok = ok_cancel_buttons(self)
        layout.addWidget(buttons)

    def save(self) -> Document | None:
        """Write what changed, in one undoable step; on a bad value show why and
        write nothing."""
        fields = {name: edit.text().strip() for name, edit in self.fields.items()}
        if not fields["title"]:
            dialogs.show_error(self, "Document Properties", "A document needs a title.")
            return None
        doc = self.document
        fields = {name: v for name, v in fields.items() if v != getattr(doc, name)}
        values = {key: _field_value(w) for key, w in self.variable_fields.items()}
        values = {key: v for key, v in values.items() if v != self._stored.get(key, "")}
        if not fields and not values:
            return doc
        result = push(
            self.session,
            self.undo_stack,
            self,
            f"Edit “{doc.title}”",
            "save the document's properties",
            lambda p: documents.edit_document(p, doc.id, fields, dict(values)),
        )
        return None if result is None else result.value

    def accept(self) -> None:
        saved = self.save()
        if saved is not None:
            self.document = saved
            super().accept()


def edit_properties(window: MainWindow) -> None:
    if window.session is None or window.current is None:
        return
    dialog = PropertiesDialog(window.session, window.undo_stack, window.current, window)
    try:
        dialog.exec()  # the window shows what changed (the session says)
    finally:
        dialog.deleteLater()


class NewVariableDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Document Variable")
        self.setMinimumWidth(420)
        form = QFormLayout(self)
        self.label = QLineEdit()
        self.label.setPlaceholderText("e.g. Country, Genre, Word count")
        self.type = QComboBox()
        for name, kind in VARIABLE_TYPES.items():
            self.type.addItem(kind.label, name)
        self.choices = QLineEdit()
        self.choices.setPlaceholderText("comma-separated, e.g. news, opinion, interview")
        form.addRow("&Label:", self.label)
        form.addRow("&Type:", self.type)
        form.addRow("&Choices:", self.choices)
        buttons, self.ok = ok_cancel_buttons(self)
        form.addRow(buttons)
        self.type.currentIndexChanged.connect(lambda _i: self._update())
        self.label.textChanged.connect(lambda _t: self._update())
        self._update()

    def _update(self) -> None:
        self.choices.setEnabled(variable_type(str(self.type.currentData())).has_choice_list)
        self.ok.setEnabled(bool(self.label.text().strip()))

    def result_tuple(self) -> tuple[str, str, list[str]]:
        choices = [c.strip() for c in self.choices.text().split(",") if c.strip()]
        kind = str(self.type.currentData())
        listed = variable_type(kind).has_choice_list
        return self.label.text().strip(), kind, choices if listed else []


def ask_new_variable(parent: QWidget | None) -> tuple[str, str, list[str]] | None:
    """Label, type and choices of a new variable, or ``None`` on Cancel."""
    dialog = NewVariableDialog(parent)
    try:
        return dialog.result_tuple() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


class VariablesDialog(QDialog):
    """Add, rename and delete the project's document variables."""

    def __init__(
        self,
        session: ProjectSession,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        backup: Callable[[str, QWidget], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.undo_stack = undo_stack
        self._backup = backup  # a backup before values are deleted
        self.setWindowTitle("Document Variables")
        self.resize(460, 320)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Variables every document of this project can have:"))
        row = QHBoxLayout()
        self.list = QListWidget()
        row.addWidget(self.list, 1)
        side = QVBoxLayout()
        self.add_button = QPushButton("&Add…")
        self.rename_button = QPushButton("&Rename…")
        self.delete_button = QPushButton("&Delete")
        for button, slot in (
            (self.add_button, self.add),
            (self.rename_button, self.rename),
            (self.delete_button, self.delete),
        ):
            button.clicked.connect(lambda _c=False, s=slot: s())
            side.addWidget(button)
        side.addStretch(1)
        row.addLayout(side)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(lambda _r: self._update())
        add_undo_actions(self, undo_stack)
        session.changed.connect(self._on_changed)
        self.reload()

    def _on_changed(self, changes: Changes) -> None:
        if changes.variable:  # (undo, redo, or an edit here)
            current = self.current()
            self.reload(current.id if current is not None else "")

    def reload(self, select: str = "") -> None:
        self.list.clear()
        for variable in self.session.project.variables():
            text = f"{variable.label}  —  {TYPE_LABELS[variable.type]}"
            if variable.choices:
                text += f": {', '.join(variable.choices)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, variable)
            self.list.addItem(item)
            if variable.id == select:
                self.list.setCurrentItem(item)
        self._update()

    def _update(self) -> None:
        chosen = self.current() is not None
        self.rename_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def current(self) -> Variable | None:
        item = self.list.currentItem()
        if item is None:
            return None
        variable: Variable = item.data(Qt.ItemDataRole.UserRole)  # set by reload
        return variable

    def _push(self, text: str, action: str, operation: Operation) -> Result[Any] | None:
        return push(self.session, self.undo_stack, self, text, action, operation)

    def add(self) -> None:
        answer = ask_new_variable(self)
        if answer is not None:
            label, kind, choices = answer
            added = self._push(
                f"Add variable “{label}”",
                "add the variable",
                lambda p: variables.add_variable(p, label, kind, choices=choices),
            )
            if added is not None:
                self.reload(added.value.id)

    def rename(self) -> None:
        variable = self.current()
        if variable is None:
            return
        label = dialogs.ask_text(self, "Rename Variable", "New label:", variable.label)
        if label and label != variable.label:
            self._push(
                f"Rename variable “{variable.label}”",
                "rename the variable",
                lambda p: variables.update_variable(p, variable.id, label=label),
            )
            self.reload(variable.id)

    def delete(self) -> None:
        variable = self.current()
        if variable is None:
            return
        if dialogs.confirm(
            self,
            "Delete Variable",
            f"Delete the variable “{variable.label}” and its value in every document?"
            + undo_hint(),
        ):
            if self._backup is not None and not self._backup(
                f"deleting the variable “{variable.label}”", self
            ):
                return
            self._push(
                f"Delete variable “{variable.label}”",
                "delete the variable",
                lambda p: variables.delete_variable(p, variable.id),
            )
            self.reload()


def edit_variables(window: MainWindow) -> None:
    if window.session is None:
        return
    dialog = VariablesDialog(
        window.session, window.undo_stack, window, window.session.backup_before
    )
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
