"""Document ▸ Properties… and Document ▸ Document Variables…"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
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
from annotator.qt.common import dialogs
from annotator.qt.common.dialogs import ok_cancel_buttons
from annotator.store.errors import ProjectError

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow
    from annotator.store.project import Project

FIELDS = (
    ("title", "&Title:"),
    ("source", "&Source / outlet:"),
    ("author", "&Author:"),
    ("date", "&Date:"),
)
TYPE_LABELS = {VariableType(name): kind.label for name, kind in VARIABLE_TYPES.items()}
_ERRORS = (ValueError, KeyError, ProjectError)


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


# Each variable type's field in the properties dialog (a new type: its definition
# in core/types, and an entry here).
FIELDS_BY_TYPE: dict[str, Callable[[Variable, str], QLineEdit | QComboBox]] = {
    VariableType.TEXT: _line_field,
    VariableType.NUMBER: _line_field,
    VariableType.DATE: _line_field,
    VariableType.CHOICE: _choice_field,
    VariableType.BOOLEAN: _yes_no_field,
}


def _variable_field(variable: Variable, value: str) -> QLineEdit | QComboBox:
    return FIELDS_BY_TYPE[variable.type](variable, value)


def _field_value(widget: QLineEdit | QComboBox) -> str:
    if isinstance(widget, QComboBox):
        return str(widget.currentData() or "")
    return widget.text().strip()


class PropertiesDialog(QDialog):
    """Title, source, author, date and the project's variables of one document."""

    def __init__(self, project: Project, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
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
        values = project.document_variables(document.id)
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
        """Write the changes; on a bad value show why and write nothing."""
        fields = {name: edit.text().strip() for name, edit in self.fields.items()}
        if not fields["title"]:
            dialogs.show_error(self, "Document Properties", "A document needs a title.")
            return None
        values = {key: _field_value(w) for key, w in self.variable_fields.items()}
        try:
            if values:  # checked in full before anything is written
                self.project.set_document_variables(self.document.id, dict(values))
            return self.project.update_document(self.document.id, **fields)
        except _ERRORS as exc:
            detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            dialogs.show_error(self, "Document Properties", f"Nothing was saved: {detail}")
            return None

    def accept(self) -> None:
        saved = self.save()
        if saved is not None:
            self.document = saved
            super().accept()


def edit_properties(window: MainWindow) -> None:
    if window.session is None or window.current is None:
        return
    dialog = PropertiesDialog(window.project, window.current, window)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            window.document_edited(window.project.document(dialog.document.id))
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
        project: Project,
        parent: QWidget | None = None,
        backup: Callable[[str, QWidget], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self._backup = backup  # a backup before values are deleted for good
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
        self.reload()

    def reload(self, select: str = "") -> None:
        self.list.clear()
        for variable in self.project.variables():
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
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _attempt(self, action: str, call: Callable[[], object]) -> object:
        try:
            return call()
        except _ERRORS as exc:
            dialogs.show_error(self, "Document Variables", f"Could not {action}: {exc}")
            return None

    def add(self) -> None:
        answer = ask_new_variable(self)
        if answer is not None:
            label, kind, choices = answer
            variable = self._attempt(
                "add the variable", lambda: self.project.add_variable(label, kind, choices=choices)
            )
            if isinstance(variable, Variable):
                self.reload(variable.id)

    def rename(self) -> None:
        variable = self.current()
        if variable is None:
            return
        label = dialogs.ask_text(self, "Rename Variable", "New label:", variable.label)
        if label and label != variable.label:
            self._attempt(
                "rename the variable",
                lambda: self.project.update_variable(variable.id, label=label),
            )
            self.reload(variable.id)

    def delete(self) -> None:
        variable = self.current()
        if variable is None:
            return
        if dialogs.confirm(
            self,
            "Delete Variable",
            f"Delete the variable “{variable.label}” and its value in every "
            "document? This cannot be undone.",
        ):
            if self._backup is not None and not self._backup(
                f"deleting the variable “{variable.label}”", self
            ):
                return
            self._attempt("delete the variable", lambda: self.project.delete_variable(variable.id))
            self.reload()


def edit_variables(window: MainWindow) -> None:
    if window.session is None:
        return
    dialog = VariablesDialog(window.project, window, window.session.backup_before)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
