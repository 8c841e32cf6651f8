"""E in the Adjudicate window: accept a coder's version of a unit, then edit its
span and its values before it goes into the adjudicated set. Each attribute of the
unit's category gets an editor of its codebook type (a list for choices, yes/no
and references, a typed-in field checked by the type for the rest); choosing
another coder's version shows that coder's span and values again."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from annotator.core.agreement.units import Unit
from annotator.core.codebook import Attribute, AttributeType, Codebook, Value
from annotator.core.types.attributes import attribute_type

ValuesOf = Callable[[str], Mapping[str, Value]]  # annotation id → attribute id → value


class AcceptEditDialog(QDialog):
    """``values_of`` reads a coder's values; ``names`` labels registry actors and
    annotations a reference may point to (id → text)."""

    def __init__(
        self,
        unit: Unit,
        coder: str,
        text: str,
        codebook: Codebook,
        values_of: ValuesOf,
        names: Mapping[str, str],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Accept and Edit")
        self._unit, self._codebook, self._values_of, self._names = unit, codebook, values_of, names
        self.attributes = codebook.attributes_of(unit.category)
        self.coder = QComboBox()
        self.coder.addItems(sorted(unit.spans))
        self.start, self.end = QSpinBox(), QSpinBox()
        self.quote = QLabel()
        self.quote.setWordWrap(True)
        for box in (self.start, self.end):
            box.setRange(0, len(text))
            box.valueChanged.connect(
                lambda _v: self.quote.setText(f"“{text[self.start.value() : self.end.value()]}”")
            )
        self.editors: dict[str, QComboBox | QLineEdit] = {}
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b91c1c")
        form = QFormLayout(self)
        form.addRow("Version of", self.coder)
        form.addRow("Start", self.start)
        form.addRow("End", self.end)
        form.addRow("Text", self.quote)
        for attribute in self.attributes:
            editor = self._editor(attribute)
            editor.setObjectName(f"value-{attribute.key}")
            self.editors[attribute.id] = editor
            form.addRow(attribute.label, editor)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.coder.currentTextChanged.connect(self._take)
        self.coder.setCurrentText(coder)
        self._take(coder)

    def _editor(self, attribute: Attribute) -> QComboBox | QLineEdit:
        if attribute.type in (AttributeType.CHOICE, AttributeType.BOOLEAN, AttributeType.REFERENCE):
            return QComboBox()
        edit = QLineEdit()
        edit.setPlaceholderText(attribute_type(attribute.type).hint)
        return edit

    def _items(self, attribute: Attribute, value: Value | None) -> list[tuple[str, Value]]:
        """A list editor's entries: nothing, then what the attribute may hold."""
        empty = Value(attribute.id)
        if attribute.type == AttributeType.BOOLEAN:
            return [
                ("—", empty),
                ("yes", empty._replace(number=1.0)),
                ("no", empty._replace(number=0.0)),
            ]
        if attribute.type == AttributeType.CHOICE:
            return [("—", empty)] + [
                (c.label, empty._replace(choice_id=c.id)) for c in attribute.choices
            ]
        items = [("—", empty)]
        if value is not None and not value.is_empty():  # the coder's own reference
            ref = value.annotation_id or value.actor_id or ""
            items.append((self._names.get(ref, ref), value))
        if attribute.allows_registry():
            items += [
                (name, empty._replace(actor_id=ident))
                for ident, name in self._names.items()
                if not value or ident != value.actor_id
            ]
        return items

    def _take(self, coder: str) -> None:
        """Show ``coder``'s span and values."""
        span = self._unit.spans.get(coder)
        if span is None:
            return
        self.start.setValue(span.start)
        self.end.setValue(span.end)
        values = self._values_of(span.annotation_id)
        for attribute in self.attributes:
            editor, value = self.editors[attribute.id], values.get(attribute.id)
            if isinstance(editor, QComboBox):
                editor.clear()
                for label, item in self._items(attribute, value):
                    editor.addItem(label, item)
                found = [i for i in range(editor.count()) if editor.itemData(i) == value]
                editor.setCurrentIndex(found[0] if found else 0)
            else:
                editor.setText(attribute_type(attribute.type).shown(value))

    def values(self) -> list[Value]:
        """Every attribute's value as edited (an empty one clears it); raises
        ValueError for a typed-in value its type refuses."""
        result: list[Value] = []
        for attribute in self.attributes:
            editor = self.editors[attribute.id]
            if isinstance(editor, QComboBox):
                value = editor.currentData()
                result.append(value if isinstance(value, Value) else Value(attribute.id))
                continue
            text = editor.text().strip()
            try:
                result.append(attribute_type(attribute.type).parse(attribute, text, self._codebook))
            except ValueError as exc:
                raise ValueError(f"{attribute.label}: {exc}") from exc
        return result

    def _accept(self) -> None:
        if self.start.value() >= self.end.value():
            self.problem.setText("The span must end after it starts.")
            return
        try:
            self.values()
        except ValueError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()

    def choice(self) -> tuple[str, tuple[int, int], list[Value]]:
        return self.coder.currentText(), (self.start.value(), self.end.value()), self.values()
