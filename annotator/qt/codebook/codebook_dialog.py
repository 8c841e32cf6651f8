"""Codebook editor: categories, their attributes and choice lists, saved as you edit.

Every change is one operation (``annotator.ops.codebook``, one transaction) pushed
onto the window's undo stack, so Ctrl+Z undoes it, here or in the window,
deletions included. Labels change freely; keys never do, so existing annotations
and exports keep working. Questions go through ``dialogs`` and the two small
functions below, so tests can answer them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtGui import QColor, QIcon, QUndoStack
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Attribute, Choice, Codebook
from annotator.core.model import Category
from annotator.core.types import attribute_type
from annotator.ops import codebook as codebook_ops
from annotator.ops.changes import Changes, Result
from annotator.qt.codebook.codebook_widgets import (
    TYPE_LABELS,
    AttributeForm,
    CategoryForm,
    ChoiceTable,
    ItemList,
    ListPanel,
    NewAttribute,
    NewAttributeDialog,
    swatch,
)
from annotator.qt.commands import Operation, OperationCommand
from annotator.qt.common import dialogs
from annotator.qt.common.undo_actions import add_undo_actions, undo_hint
from annotator.qt.session import ProjectSession
from annotator.store.project import Project

Row = tuple[str, str, QIcon, str, str]  # id, label, icon, detail, tooltip
PALETTE = (
    "#3b82f6",
    "#f59e0b",
    "#10b981",
    "#ef4444",
    "#8b5cf6",
    "#ec4899",
    "#14b8a6",
    "#84cc16",
    "#f97316",
    "#6366f1",
    "#64748b",
)


def choose_colour(parent: QWidget | None, current: str) -> str | None:
    colour = QColorDialog.getColor(QColor(current or "#808080"), parent, "Choose a Colour")
    return colour.name() if colour.isValid() else None


def ask_new_attribute(
    parent: QWidget | None, codebook: Codebook, category: Category
) -> NewAttribute | None:
    dialog = NewAttributeDialog(codebook, category, parent)
    try:
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def edit_codebook(parent: QWidget | None, session: ProjectSession, undo_stack: QUndoStack) -> None:
    dialog = CodebookDialog(session, undo_stack, parent)
    dialog.exec()
    dialog.deleteLater()


def _annotations(count: int, singular: str, plural: str) -> str:
    return f"1 annotation {singular}" if count == 1 else f"{count} annotations {plural}"


def _moved(ids: list[str], ident: str, step: int) -> list[str] | None:
    i, j = ids.index(ident), ids.index(ident) + step
    if not 0 <= j < len(ids):
        return None
    ids = list(ids)
    ids[i], ids[j] = ids[j], ids[i]
    return ids


def _parse_code(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    return float(text) if text else None


def _category_row(category: Category) -> Row:
    return (
        category.id,
        category.label,
        swatch(category.colour),
        category.hotkey,
        category.description,
    )


def _attribute_row(attribute: Attribute) -> Row:
    detail = TYPE_LABELS[attribute.type] + (", required" if attribute.required else "")
    return attribute.id, attribute.label, QIcon(), detail, attribute.description


class CodebookDialog(QDialog):
    def __init__(
        self, session: ProjectSession, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("codebookDialog")
        self.setWindowTitle("Codebook")
        self.session = session
        self.undo_stack = undo_stack
        self._codebook = session.codebook
        self._category_id: str | None = None  # shown in the category form
        self._attribute_id: str | None = None  # shown in the attribute form
        self._loading = False
        self._writing = False  # an edit of this dialog is being saved

        self.categories = ItemList("categoryList")
        self.category_panel = ListPanel("Categories", self.categories, up="Up", down="Down")
        self.category_form = CategoryForm()
        self.attributes = ItemList("attributeList")
        self.attribute_panel = ListPanel("Attributes", self.attributes)
        self.attribute_form = AttributeForm()
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.category_form)
        middle_layout.addWidget(self.attribute_panel, 1)
        columns = QSplitter()
        columns.setChildrenCollapsible(False)
        for column in (self.category_panel, middle, self.attribute_form):
            columns.addWidget(column)
        columns.setStretchFactor(0, 0)
        columns.setStretchFactor(1, 1)
        columns.setStretchFactor(2, 1)
        columns.setSizes([240, 420, 480])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        note = QLabel(
            "Changes are saved as you make them (Ctrl+Z undoes them). "
            "Renaming keeps every annotation."
        )
        note.setEnabled(False)
        footer = QHBoxLayout()
        footer.addWidget(note, 1)
        footer.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(columns, 1)
        layout.addLayout(footer)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Return in a field must not close the dialog
        self._connect()
        add_undo_actions(self, undo_stack)
        session.changed.connect(self._on_changed)
        self.resize(1140, 660)
        self._rebuild()
        self.categories.setFocus()

    @property
    def project(self) -> Project:
        return self.session.project

    def _connect(self) -> None:
        cat, attr = self.category_form, self.attribute_form
        for panel, add, delete, move in (
            (self.category_panel, self._add_category, self._delete_category, self._move_category),
            (
                self.attribute_panel,
                self._add_attribute,
                self._delete_attribute,
                self._move_attribute,
            ),
            (attr.choices, self._add_choice, self._delete_choice, self._move_choice),
        ):
            panel.add_requested.connect(add)
            panel.delete_requested.connect(delete)
            panel.move_requested.connect(move)
        self.categories.currentRowChanged.connect(self._on_category_row)
        self.attributes.currentRowChanged.connect(self._on_attribute_row)
        cat.label_edit.editingFinished.connect(self._save_category_texts)
        cat.description_edit.committed.connect(self._save_category_texts)
        cat.hotkey_edit.hotkey_edited.connect(self._save_hotkey)
        cat.colour_button.clicked.connect(self._choose_category_colour)
        attr.label_edit.editingFinished.connect(self._save_attribute_texts)
        attr.description_edit.committed.connect(self._save_attribute_texts)
        attr.required_box.clicked.connect(lambda checked: self._save_attribute(required=checked))
        attr.targets.changed.connect(self._save_targets)
        attr.table.itemChanged.connect(self._on_choice_edited)
        attr.table.cellDoubleClicked.connect(self._on_choice_double_clicked)
        attr.colour_button.clicked.connect(self._choose_choice_colour)
        self.buttons.rejected.connect(self.reject)

    # -- what is shown -------------------------------------------------------------------
    def category(self) -> Category | None:
        return next((c for c in self._codebook.categories if c.id == self._category_id), None)

    def attribute(self) -> Attribute | None:
        return next((a for a in self._codebook.attributes if a.id == self._attribute_id), None)

    def _current_choice(self) -> Choice | None:
        table = self.attribute_form.table
        ident = table.choice_id(table.currentRow())
        return self._codebook.choice(ident) if ident else None

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Filling widgets: their change signals are not user edits."""
        self._loading = True
        try:
            yield
        finally:
            self._loading = False

    def _rebuild(
        self, category: str | None = None, attribute: str | None = None, choice: str | None = None
    ) -> None:
        """Show the stored codebook again, selecting the given ids (or the same rows)."""
        self._codebook = self.session.codebook
        with self._quiet():
            self.categories.fill(
                [_category_row(c) for c in self._codebook.categories],
                category or self._category_id,
                self.categories.currentRow(),
            )
        self._show_category(attribute, choice)

    def _show_category(
        self, attribute: str | None = None, choice: str | None = None, row: int | None = None
    ) -> None:
        self._category_id = self.categories.current_id()
        category = self.category()
        self.category_form.load(category)
        attributes = self._codebook.attributes_of(category.key) if category else []
        with self._quiet():
            self.attributes.fill(
                [_attribute_row(a) for a in attributes],
                attribute or self._attribute_id,
                self.attributes.currentRow() if row is None else row,
            )
        self.category_panel.enable(True, category is not None)
        self._show_attribute(choice)

    def _show_attribute(self, choice: str | None = None) -> None:
        self._attribute_id = self.attributes.current_id()
        attribute = self.attribute()
        self.attribute_panel.enable(self.category() is not None, attribute is not None)
        table = self.attribute_form.table
        with self._quiet():
            self.attribute_form.load(attribute, self._codebook)
            table.fill(attribute.choices if attribute else (), choice, table.currentRow())
        self.attribute_form.choices.enable(True, table.rowCount() > 0)

    def _on_category_row(self, _row: int) -> None:
        if not self._loading:
            self._flush()
            self._attribute_id = None
            self._show_category(row=0)

    def _on_attribute_row(self, _row: int) -> None:
        if not self._loading:
            self._flush()
            self._show_attribute()

    def _refresh_rows(self) -> None:
        """After a field was saved: the lists show the new label, colour or hotkey."""
        for category in self._codebook.categories:
            self.categories.update_row(*_category_row(category))
        for attribute in self._codebook.attributes:
            self.attributes.update_row(*_attribute_row(attribute))

    def _reload_forms(self) -> None:
        with self._quiet():
            self.category_form.load(self.category())
            self.attribute_form.load(self.attribute(), self._codebook)

    def _on_changed(self, changes: Changes) -> None:
        """A codebook change made elsewhere (undo, redo): show it."""
        if changes.codebook and not self._writing:
            self._rebuild()

    # -- saving ---------------------------------------------------------------------------
    def _write(self, text: str, action: str, operation: Operation) -> Result[Any] | None:
        """One operation, as an undoable command; on failure say why and change
        nothing. ``None`` means it failed."""
        command = OperationCommand(self.session, text, action, operation)
        self._writing = True
        try:
            with self.session.failures_to(
                lambda message: dialogs.show_error(self, "Codebook", message)
            ):
                self.undo_stack.push(command)
        finally:
            self._writing = False
            self._codebook = self.session.codebook
        return command.result

    def _update(
        self,
        kind: str,
        record: Category | Attribute | Choice,
        update: Callable[..., Result[Any]],
        **fields: object,
    ) -> None:
        """Save the fields that differ from ``record``; on failure show what is stored."""
        changed = {name: v for name, v in fields.items() if v != getattr(record, name)}
        if not changed:
            return
        if changed.get("label") == "":
            self._refuse(f"{kind.capitalize()} label", f"A {kind} needs a label.")
        elif self._write(
            f"Change {kind} “{record.label}”",
            f"change the {kind}",
            lambda p: update(p, record.id, **changed),
        ):
            self._refresh_rows()
        else:
            self._reload_forms()

    def _refuse(self, title: str, message: str) -> None:
        dialogs.show_error(self, title, message)
        self._reload_forms()

    def _flush(self) -> None:
        """Save text still being edited (before another item is shown, or on close)."""
        self._save_category_texts()
        self._save_attribute_texts()

    def done(self, result: int) -> None:
        self._flush()
        super().done(result)

    def _delete(self, kind: str, label: str, consequence: str, operation: Operation) -> bool:
        """Ask; when data goes with it (``consequence`` says what), take a backup
        first; delete. Whether it was deleted."""
        message = f"Delete the {kind} “{label}”?"
        if consequence:
            message += f" {consequence}{undo_hint()}"
        if not dialogs.confirm(self, f"Delete {kind.capitalize()}", message):
            return False
        if consequence and not self.session.backup_before(f"deleting the {kind} “{label}”", self):
            return False
        return self._write(f"Delete {kind} “{label}”", f"delete the {kind}", operation) is not None

    def _reorder(self, table: codebook_ops.Table, ids: list[str], ident: str, step: int) -> bool:
        moved = _moved(ids, ident, step)
        if moved is not None:
            self._write(
                "Change the order",
                "change the order",
                lambda p: codebook_ops.reorder(p, table, moved),
            )
        return moved is not None

    # -- categories -----------------------------------------------------------------------
    def _save_category(self, **fields: object) -> None:
        category = self.category()
        if category is not None:
            self._update("category", category, codebook_ops.update_category, **fields)

    def _save_category_texts(self) -> None:
        form = self.category_form
        self._save_category(
            label=form.label_edit.text().strip(),
            description=form.description_edit.toPlainText().strip(),
        )

    def _save_hotkey(self, key: str) -> None:
        category, key = self.category(), key.strip()
        other = next(
            (
                c
                for c in self._codebook.categories
                if category
                and key
                and c.id != category.id
                and c.hotkey.casefold() == key.casefold()
            ),
            None,
        )
        if other is not None:
            self._refuse(
                "Hotkey in use",
                f"The key “{key}” is already the hotkey of "
                f"“{other.label}”. Choose another key, or clear it there first.",
            )
        else:
            self._save_category(hotkey=key)

    def _choose_category_colour(self) -> None:
        category = self.category()
        colour = choose_colour(self, category.colour) if category else None
        if colour:
            self._save_category(colour=colour)
            self._reload_forms()

    def _add_category(self) -> None:
        label = dialogs.ask_text(self, "Add Category", "Label of the new category:")
        used = {c.colour.lower() for c in self._codebook.categories}
        colour = next((c for c in PALETTE if c not in used), PALETTE[-1])
        added = (
            self._write(
                f"Add category “{label}”",
                "add the category",
                lambda p: codebook_ops.add_category(p, label, colour),
            )
            if label
            else None
        )
        if added is not None:
            self._rebuild(added.value.id)
            self.category_form.hotkey_edit.setFocus()

    def _delete_category(self) -> None:
        category = self.category()
        if category is None:
            return
        used = self.project.category_usage(category.id)
        links = self.project.category_links(category.id)
        consequence = " ".join(
            part
            for part in (
                f"{_annotations(used, 'uses it', 'use it')} and will be deleted." if used else "",
                f"{links} link{'s' if links != 1 else ''} to them from other annotations"
                f" will be removed."
                if links
                else "",
            )
            if part
        )
        if self._delete(
            "category",
            category.label,
            consequence,
            lambda p: codebook_ops.delete_category(p, category.id),
        ):
            self._category_id = self._attribute_id = None
            self._rebuild()

    def _move_category(self, step: int) -> None:
        category = self.category()
        ids = [c.id for c in self._codebook.categories]
        if category and self._reorder("categories", ids, category.id, step):
            self._rebuild(category.id)

    # -- attributes -----------------------------------------------------------------------
    def _save_attribute(self, **fields: object) -> None:
        attribute = self.attribute()
        if attribute is not None:
            self._update("attribute", attribute, codebook_ops.update_attribute, **fields)

    def _save_attribute_texts(self) -> None:
        form = self.attribute_form
        self._save_attribute(
            label=form.label_edit.text().strip(),
            description=form.description_edit.toPlainText().strip(),
        )

    def _save_targets(self) -> None:
        targets = self.attribute_form.targets.targets()
        if targets:
            self._save_attribute(targets=targets)
        else:
            self._refuse(
                "Reference targets",
                "A reference must be able to point to something: tick at least one target.",
            )

    def _add_attribute(self) -> None:
        category = self.category()
        new = ask_new_attribute(self, self._codebook, category) if category else None
        if category is None or new is None:
            return
        added = self._write(
            f"Add attribute “{new.label}”",
            "add the attribute",
            lambda p: codebook_ops.add_attribute(
                p, category.id, new.label, new.type, targets=new.targets
            ),
        )
        if added is not None:
            self._rebuild(attribute=added.value.id)

    def _delete_attribute(self) -> None:
        attribute = self.attribute()
        if attribute is None:
            return
        used = self.project.attribute_usage(attribute.id)
        consequence = (
            (
                f"{_annotations(used, 'has a value', 'have a value')} for it or one of"
                f" its choices; {'it' if used == 1 else 'they'} will be deleted."
            )
            if used
            else ""
        )
        if self._delete(
            "attribute",
            attribute.label,
            consequence,
            lambda p: codebook_ops.delete_attribute(p, attribute.id),
        ):
            self._attribute_id = None
            self._rebuild()

    def _move_attribute(self, step: int) -> None:
        attribute, category = self.attribute(), self.category()
        ids = [a.id for a in self._codebook.attributes_of(category.key)] if category else []
        if attribute and self._reorder("attributes", ids, attribute.id, step):
            self._rebuild(attribute=attribute.id)

    # -- choices --------------------------------------------------------------------------
    def _label_taken(self, attribute: Attribute, label: str, ident: str = "") -> bool:
        taken = any(
            c.label.casefold() == label.casefold() and c.id != ident for c in attribute.choices
        )
        if taken:
            dialogs.show_error(
                self, "Choice label", f"“{attribute.label}” already has a choice “{label}”."
            )
        return taken

    def _add_choice(self) -> None:
        attribute = self.attribute()
        if attribute is None or not attribute_type(attribute.type).has_choice_list:
            return
        label = dialogs.ask_text(self, "Add Choice", f"New choice for “{attribute.label}”:")
        if not label or self._label_taken(attribute, label):
            return
        added = self._write(
            f"Add choice “{label}”",
            "add the choice",
            lambda p: codebook_ops.add_choice(p, attribute.id, label),
        )
        if added is not None:
            self._rebuild(choice=added.value.id)

    def _on_choice_edited(self, item: QTableWidgetItem) -> None:
        attribute = self.attribute()
        ident = self.attribute_form.table.choice_id(item.row())
        choice = self._codebook.choice(ident) if ident else None
        if self._loading or attribute is None or choice is None:
            return
        text, update = item.text().strip(), codebook_ops.update_choice
        if item.column() == ChoiceTable.LABEL:
            if not self._label_taken(attribute, text, choice.id):
                self._update("choice", choice, update, label=text)
        elif item.column() == ChoiceTable.CODE:
            try:
                code = _parse_code(text)
            except ValueError:
                dialogs.show_error(
                    self,
                    "Choice code",
                    f"“{text}” is not a number. A code is a number such as 1, -1 or 0.5, or empty.",
                )
            else:
                self._update("choice", choice, update, code=code)
        stored = self._codebook.choice(choice.id) or choice
        with self._quiet():  # show what is stored: the new value, or the old one
            item.setText(stored.label if item.column() == ChoiceTable.LABEL else stored.code_text)

    def _choose_choice_colour(self) -> None:
        choice = self._current_choice()
        colour = choose_colour(self, choice.colour) if choice else None
        if choice is not None and colour:
            self._update("choice", choice, codebook_ops.update_choice, colour=colour)
            self._rebuild(choice=choice.id)

    def _on_choice_double_clicked(self, _row: int, column: int) -> None:
        if column == ChoiceTable.COLOUR:
            self._choose_choice_colour()

    def _delete_choice(self) -> None:
        choice = self._current_choice()
        if choice is None:
            return
        used = self.project.choice_usage(choice.id)
        consequence = (
            f"{_annotations(used, 'has', 'have')} this value; it will be cleared." if used else ""
        )
        if self._delete(
            "choice", choice.label, consequence, lambda p: codebook_ops.delete_choice(p, choice.id)
        ):
            self._rebuild()

    def _move_choice(self, step: int) -> None:
        choice, attribute = self._current_choice(), self.attribute()
        ids = [c.id for c in attribute.choices] if attribute else []
        if choice and self._reorder("choices", ids, choice.id, step):
            self._rebuild(choice=choice.id)
