"""The side panel for the selected annotation: its attributes and memo.

Every change goes onto the undo stack as soon as it is made. Keyboard flow:
Enter in the text opens the first empty field; Enter in a field saves it and
moves to the next empty one; Escape goes back to the text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QDoubleValidator, QUndoStack, QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Attribute, AttributeType, Codebook, Value
from annotator.core.completeness import missing_required
from annotator.core.links import describe, short_quote
from annotator.core.model import Annotation
from annotator.core.types import attribute_type
from annotator.ops import codebook as codebook_ops
from annotator.ops import registry
from annotator.qt.coding.panel_layout import FieldsPage, LabelStack
from annotator.qt.coding.reference_candidates import candidates_for, kinds_of
from annotator.qt.coding.reference_picker import ReferencePicker
from annotator.qt.commands import OperationCommand, set_memo, set_value
from annotator.qt.common import dialogs
from annotator.qt.session import ProjectSession


class AttributePanel(QWidget):
    pick_requested = Signal(str)  # attribute label: the next span clicked is the value
    back_to_text = Signal()

    def __init__(self, session: ProjectSession | None, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.setObjectName("attributePanel")
        self.session: ProjectSession = session  # type: ignore[assignment]  # set by the window
        self.undo_stack = undo_stack
        # An annotation's values by attribute id (the coding controller keeps those
        # of the document shown; by default they are read).
        self.values_of: Callable[[str], Mapping[str, Value]] = lambda annotation_id: (
            self.session.project.values(annotation_id)
        )
        self.annotation: Annotation | None = None
        self.document_annotations: Mapping[str, Annotation] = {}
        # The fields of the category shown: attribute key → editor, and → setter.
        self.editors: dict[str, QWidget] = {}
        self._setters: dict[str, Callable[[Value | None], None]] = {}
        self._pages: dict[str, FieldsPage] = {}  # category key → its fields
        self._pages_codebook: int | None = None  # id() of the codebook they were built for
        self._page: FieldsPage | None = None  # the one shown
        self._picking: Attribute | None = None
        self._focus_after: str | None = None
        lines = self.fontMetrics().lineSpacing()
        heading = LabelStack((2 * lines + 4, lines + 2))
        self.title, self.missing = heading.labels
        self.title.setText("Select an annotation to see its attributes.")
        self.title.setWordWrap(True)
        self.title.setObjectName("panelTitle")
        self.missing.setStyleSheet("color: #b91c1c;")
        self._fields = QVBoxLayout()  # the pages, one shown at a time
        self._fields.setContentsMargins(0, 0, 0, 0)
        self.memo = QPlainTextEdit()
        self.memo.setPlaceholderText("Memo")
        self.memo.setMaximumHeight(90)
        self.memo.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(heading)
        layout.addLayout(self._fields)
        layout.addWidget(QLabel("Memo:"))
        layout.addWidget(self.memo)
        layout.addStretch(1)
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        self.memo.setEnabled(enabled)

    # -- showing ------------------------------------------------------------------------
    def show_annotation(
        self, annotation: Annotation | None, document_annotations: Mapping[str, Annotation]
    ) -> None:
        """Show ``annotation``; ``document_annotations`` are its document's, by id."""
        self._save_memo()
        if annotation is not None:  # the whole record, memo included
            annotation = self.session.project.annotation(annotation.id)
        self.annotation = annotation
        self.document_annotations = document_annotations
        self._picking = None
        self._rebuild()

    def refresh(self) -> None:
        """Values changed in the store: show them again (keeps the memo being typed)."""
        if self.annotation is not None:
            try:
                self.annotation = self.session.project.annotation(self.annotation.id)
            except KeyError:
                self.annotation = None
        self._rebuild()

    def _rebuild(self) -> None:
        ann = self.annotation
        codebook = self.session.codebook if self.session is not None else None
        if id(codebook) != self._pages_codebook:  # a new codebook: new fields
            for old in self._pages.values():
                old.widget.hide()
                self._fields.removeWidget(old.widget)
                old.widget.deleteLater()
            self._pages.clear()
            self._page = None
            self._pages_codebook = id(codebook)
        page = self._pages.get(ann.category) if ann is not None else None
        if self._page is not None and self._page is not page:
            self._page.widget.hide()
        self._page = page
        if ann is None:
            self.editors, self._setters = {}, {}
            self.title.setText("Select an annotation to see its attributes.")
            self.missing.clear()
            self.memo.setPlainText("")
            self._set_enabled(False)
            return
        assert codebook is not None
        values = self.values_of(ann.id)
        category = codebook.category(ann.category)
        self.title.setText(f"<b>{category.label}</b>: “{short_quote(ann.quote, 80)}”")
        self.title.setToolTip(category.description)
        attributes = codebook.attributes_of(ann.category)
        required = frozenset(a.id for a in attributes if a.required)
        lacking = missing_required(required, values.keys())
        missing = [a.label for a in attributes if a.id in lacking]
        self.missing.setText("Missing: " + ", ".join(missing) if missing else "")
        self.missing.setToolTip(self.missing.text())
        if page is not None:  # built before: the same fields, only their values change
            self.editors, self._setters = page.editors, page.setters
            for attribute in codebook.attributes_of(ann.category):
                self._setters[attribute.key](values.get(attribute.id))
        else:
            page = self._page = self._pages[ann.category] = FieldsPage()
            self.editors, self._setters = page.editors, page.setters
            for attribute in codebook.attributes_of(ann.category):
                editor = self._editor(attribute, codebook, values.get(attribute.id))
                if not editor.toolTip():
                    editor.setToolTip(attribute.description)
                label = attribute.label + (" *" if attribute.required else "")
                page.form.addRow(label, editor)
            self._fields.addWidget(page.widget)
        if page.widget.isHidden():
            page.widget.show()
        if not self.memo.hasFocus():
            self.memo.setPlainText(ann.memo)
        self._set_enabled(True)
        if self._focus_after is not None:
            key, self._focus_after = self._focus_after, None
            self.focus_next_empty(after=key)

    def _editor(self, attribute: Attribute, codebook: Codebook, value: Value | None) -> QWidget:
        # A type without an editor of its own is typed in a line, checked by its definition.
        editor = EDITORS.get(attribute.type, AttributePanel._line_editor)
        return editor(self, attribute, codebook, value)

    def _register(
        self,
        attribute: Attribute,
        focus_widget: QWidget,
        editor: QWidget,
        show: Callable[[Value | None], None],
    ) -> QWidget:
        self.editors[attribute.key] = focus_widget
        self._setters[attribute.key] = show
        focus_widget.setObjectName(f"attr_{attribute.key}")
        return editor

    def _choice_editor(
        self, attribute: Attribute, codebook: Codebook, value: Value | None
    ) -> QWidget:
        items: list[tuple[str, object]] = [("—", None)]
        for choice in attribute.choices:
            code = f" ({choice.code_text})" if choice.code_text else ""
            items.append((choice.label + code, choice.id))
        if not attribute.choices:
            # Said where the coder looks, not left as an empty list without a word.
            items = [(f"No {attribute.label.lower()} choices yet: Codebook ▸ Edit Codebook", None)]
        editor = self._combo_editor(attribute, value, items)
        if not attribute.choices:
            editor.setToolTip(
                f"The codebook lists no choices for “{attribute.label}” yet: add them under "
                "Codebook ▸ Edit Codebook."
            )
        return editor

    def _boolean_editor(
        self, attribute: Attribute, codebook: Codebook, value: Value | None
    ) -> QWidget:
        items: list[tuple[str, object]] = [("—", None), ("yes", 1.0), ("no", 0.0)]
        return self._combo_editor(attribute, value, items)

    def _combo_editor(
        self,
        attribute: Attribute,
        value: Value | None,
        items: list[tuple[str, object]],
    ) -> QWidget:
        field = attribute_type(attribute.type).field  # the Value field the items' data go into
        combo = QComboBox()
        for text, data in items:
            combo.addItem(text, data)

        def show(value: Value | None) -> None:
            combo.setCurrentIndex(max(0, combo.findData(getattr(value, field, None))))

        show(value)
        combo.activated.connect(
            lambda i: self.commit(attribute, Value(attribute.id, **{field: combo.itemData(i)}))
        )
        return self._register(attribute, combo, combo, show)

    def _line_editor(
        self,
        attribute: Attribute,
        codebook: Codebook,
        value: Value | None,
        validator: QValidator | None = None,
    ) -> QWidget:
        """A typed-in value: checked by its type when Enter is pressed (or the field
        is left); a value that does not fit is not saved, and the field says why."""
        kind = attribute_type(attribute.type)
        edit = QLineEdit()
        edit.setPlaceholderText(kind.hint)
        if validator is not None:
            validator.setParent(edit)
            edit.setValidator(validator)
        shown = [""]

        def flag(problem: str) -> None:
            if (edit.property("problem") or "") != problem:
                edit.setProperty("problem", problem)
                edit.setStyleSheet("QLineEdit { border: 1px solid #b91c1c; }" if problem else "")
                edit.setToolTip(problem or attribute.description)
            if problem and edit.isVisible():
                QToolTip.showText(edit.mapToGlobal(edit.rect().bottomLeft()), problem, edit)

        def show(value: Value | None) -> None:
            edit.setText(kind.shown(value))
            shown[0] = edit.text()
            flag("")

        show(value)

        def save() -> None:
            text = edit.text().strip()
            if text == shown[0]:
                flag("")
                return
            try:
                new = kind.parse(attribute, text, codebook)
            except ValueError as exc:
                flag(str(exc))
                return
            flag("")
            self.commit(attribute, new)

        edit.editingFinished.connect(save)
        return self._register(attribute, edit, edit, show)

    def _number_editor(
        self, attribute: Attribute, codebook: Codebook, value: Value | None
    ) -> QWidget:
        return self._line_editor(attribute, codebook, value, QDoubleValidator())

    def _reference_editor(
        self, attribute: Attribute, codebook: Codebook, value: Value | None
    ) -> QWidget:
        assert self.annotation is not None
        registry_only = attribute.targets == ("registry",)
        # A name that matches nothing may become a new actor or a new issue choice.
        can_add = attribute.allows_registry() or attribute.choice_source() is not None
        picker = ReferencePicker(can_add, registry_only)
        picker.set_provider(
            lambda: candidates_for(
                attribute,
                codebook,
                self.annotation,  # type: ignore[arg-type]
                self.document_annotations,
                self.session,
            )
        )

        saved: list[Value | None] = [value]  # what the field shows as the value held

        def show(value: Value | None) -> None:
            saved[0] = value
            project, document = self.session.project, self.document_annotations
            annotations = {}
            if value is not None and value.annotation_id:
                target = document.get(value.annotation_id)
                annotations = {target.id: target} if target is not None else {}
            actors = {}
            if value is not None and value.actor_id:
                actors = {value.actor_id: project.actor(value.actor_id)}
            picker.setText(describe(value, codebook, annotations, actors))
            picker.setCursorPosition(0)
            picker.forget_candidates()  # they depend on the annotation shown

        show(value)
        picker.chosen.connect(
            lambda v: self.commit(attribute, v if v is not None else Value(attribute.id))
        )
        picker.create_requested.connect(lambda name: self._create_new(attribute, name))

        def escaped() -> None:
            """Esc leaves the value as it was: the field shows it again, not a name
            typed (or offered after coding) and never saved."""
            show(saved[0])
            self.back_to_text.emit()

        picker.escaped.connect(escaped)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(picker, 1)
        if attribute.target_categories():
            pick = QToolButton()
            pick.setObjectName(f"pick_{attribute.key}")
            pick.setText("Pick")
            pick.setToolTip("Pick in the text: click a highlighted span")
            pick.clicked.connect(lambda: self.start_picking(attribute))
            layout.addWidget(pick)
        return self._register(attribute, picker, row, show)

    # -- editing ----------------------------------------------------------------------------
    def commit(self, attribute: Attribute, value: Value, *, move_on: bool = True) -> None:
        """Save ``value`` and (``move_on``) go on to the next empty required field.
        Enter in an empty required field saves nothing and stays there, saying why."""
        if self.annotation is None:
            return
        current = self.values_of(self.annotation.id).get(attribute.id)
        if value.is_empty() and current is None and attribute.required:
            editor = self.editors.get(attribute.key)
            if editor is not None:
                QToolTip.showText(
                    editor.mapToGlobal(editor.rect().bottomLeft()),
                    f"{attribute.label} is required: type or pick one, or press Esc to go "
                    "back to the text.",
                    editor,
                )
            return
        if (current or Value(attribute.id)) == value:
            if move_on:
                self.focus_next_empty(after=attribute.key)
            return
        if move_on:
            self._focus_after = attribute.key
        self.undo_stack.push(
            set_value(self.session, self.annotation.id, value, f"Set {attribute.label}")
        )

    def _create_new(self, attribute: Attribute, name: str) -> None:
        """A name that matches nothing. In the registry field of an actor mention (which
        says so in its placeholder) it is a new registry actor; in a field that takes
        mentions, claims or issues too, the coder chooses what it is to become, or
        nothing: a stance target "the treaty" must not silently become an actor."""
        if self.annotation is None:
            return
        annotation_id = self.annotation.id
        source = attribute.choice_source()
        source_attribute = self.session.codebook.attribute(*source) if source else None
        if attribute.targets != ("registry",):
            offers: list[str] = []
            if attribute.allows_registry():
                offers.append("Add to the Registry as a New Actor")
            if source_attribute is not None:
                offers.append(f"Add as a New {source_attribute.label} Choice")
            answer = dialogs.choose(
                self,
                f"New {attribute.label}",
                f"“{name}” matches no {kinds_of(attribute, self.session.codebook)}. Add it?",
                offers,
            )
            if answer is None:
                return  # the field keeps the text; nothing was added
            if offers[answer].startswith("Add as a New") and source_attribute is not None:
                self._focus_after = attribute.key
                source_id = source_attribute.id
                self.undo_stack.push(
                    OperationCommand(
                        self.session,
                        f"Set {attribute.label} to a new {source_attribute.label.lower()}",
                        "add the choice",
                        lambda p: codebook_ops.add_choice_as_value(
                            p, source_id, name, annotation_id, attribute.id
                        ),
                    )
                )
                return
        self._focus_after = attribute.key
        self.undo_stack.push(
            OperationCommand(
                self.session,
                f"Set {attribute.label} to a new actor",
                "add the actor",
                lambda p: registry.add_actor_as_value(p, name, annotation_id, attribute.id),
            )
        )

    def set_choice_by_code(self, attribute_key: str, code: float | None, label: str) -> bool:
        """Polarity keys: choose the choice with this code (or this label)."""
        if self.annotation is None:
            return False
        attribute = self.session.codebook.attribute(self.annotation.category, attribute_key)
        if attribute is None:
            return False
        for choice in attribute.choices:
            if (code is not None and choice.code == code) or choice.label == label:
                # A key pressed in the text: the focus stays in the text.
                self.commit(attribute, Value(attribute.id, choice_id=choice.id), move_on=False)
                return True
        return False

    def start_picking(self, attribute: Attribute) -> None:
        self._picking = attribute
        self.pick_requested.emit(attribute.label)

    def pick(self, annotation_id: str) -> bool:
        """A span was clicked while picking: use it if the attribute allows it."""
        attribute, self._picking = self._picking, None
        if attribute is None or self.annotation is None:
            return False
        target = self.document_annotations.get(annotation_id)
        if target is None or target.category not in attribute.target_categories():
            return False
        self.commit(attribute, Value(attribute.id, annotation_id=annotation_id))
        return True

    @property
    def picking(self) -> bool:
        return self._picking is not None

    # -- keyboard flow ----------------------------------------------------------------------
    def focus_next_empty(self, after: str | None = None) -> bool:
        """Enter in the text (``after`` is None): focus the first empty field,
        required ones first, else the first field. After a field was saved: the
        next empty required field, or back to the text when there is none."""
        if self.annotation is None:
            return False
        codebook = self.session.codebook
        values = self.values_of(self.annotation.id)
        attributes = codebook.attributes_of(self.annotation.category)
        empty = [a for a in attributes if a.id not in values]
        if after is None:
            ordered = [a for a in empty if a.required] + [a for a in empty if not a.required]
            ordered = ordered or attributes
        else:
            keys = [a.key for a in attributes]
            later = attributes[keys.index(after) + 1 :] if after in keys else attributes
            earlier = attributes[: len(attributes) - len(later)]
            ordered = [a for a in later + earlier if a.required and a in empty]
        for attribute in ordered:
            editor = self.editors.get(attribute.key)
            if editor is not None:
                editor.setFocus()
                if isinstance(editor, QLineEdit):
                    editor.selectAll()
                return True
        self.back_to_text.emit()
        return False

    def focus_field(self, key: str, text: str = "") -> None:
        editor = self.editors.get(key)
        if isinstance(editor, QLineEdit):
            editor.setFocus()
            if text:
                editor.setText(text)
            editor.selectAll()

    # -- memo ----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.memo and event.type() == QEvent.Type.FocusOut:
            self._save_memo()
        return super().eventFilter(watched, event)

    def _save_memo(self) -> None:
        ann = self.annotation
        if ann is None or not self.memo.isEnabled():
            return
        memo = self.memo.toPlainText()
        if memo != ann.memo:
            self.undo_stack.push(set_memo(self.session, ann.id, memo))


# Each attribute type's editor in the panel; a type not listed here (a new one
# defined only in core/types) gets a line edit that its definition checks.
EDITORS: dict[str, Callable[[AttributePanel, Attribute, Codebook, Value | None], QWidget]] = {
    AttributeType.CHOICE: AttributePanel._choice_editor,
    AttributeType.TEXT: AttributePanel._line_editor,
    AttributeType.NUMBER: AttributePanel._number_editor,
    AttributeType.BOOLEAN: AttributePanel._boolean_editor,
    AttributeType.REFERENCE: AttributePanel._reference_editor,
    AttributeType.DATE: AttributePanel._line_editor,
}
