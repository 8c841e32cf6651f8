"""The pieces of the codebook editor: lists, forms, the choice table, the new-attribute dialog.

These widgets only show data and report what the user did; ``codebook_dialog``
decides what to save.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QIcon, QKeyEvent, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import REGISTRY, Attribute, Choice, Codebook
from annotator.core.model import Category
from annotator.core.types import ATTRIBUTE_TYPES, attribute_type

ID_ROLE = Qt.ItemDataRole.UserRole
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1
TYPE_LABELS = {name: kind.label for name, kind in ATTRIBUTE_TYPES.items()}
_Index = QModelIndex | QPersistentModelIndex


def swatch(colour: str, size: int = 14) -> QIcon:
    """A filled square with a thin border; an empty colour gives an empty square."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    fill = QColor(colour) if colour else QColor(Qt.GlobalColor.transparent)
    painter.setBrush(fill)
    painter.setPen(fill.darker(140) if colour else QColor("#9ca3af"))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    icon = QIcon(pixmap)
    icon.addPixmap(pixmap, QIcon.Mode.Selected)  # the true colour on a selected row too
    return icon


def target_options(codebook: Codebook) -> list[tuple[str, str]]:
    """What a reference attribute may point to, as ``(target, description)``."""
    options = [(f"category:{c.key}", f"{c.label} annotations") for c in codebook.categories]
    options.append((REGISTRY, "Actors in the registry"))
    for attribute in codebook.attributes:
        if attribute_type(attribute.type).has_choice_list:
            owner = codebook.category_by_id(attribute.category_id)
            options.append(
                (f"choices:{owner.key}.{attribute.key}", f"{attribute.label} ({owner.label} list)")
            )
    return options


class DetailDelegate(QStyledItemDelegate):
    """Draws an item's detail (a hotkey, a type) right-aligned beside its label."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height() + 6, 24))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        detail = str(index.data(DETAIL_ROLE) or "")
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        width = opt.fontMetrics.horizontalAdvance(detail) + 12 if detail else 0
        opt.text = opt.fontMetrics.elidedText(
            opt.text, Qt.TextElideMode.ElideRight, rect.width() - width - 8
        )
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if detail:
            selected = bool(opt.state & QStyle.StateFlag.State_Selected)
            painter.save()
            painter.setFont(opt.font)
            painter.setPen(
                opt.palette.color(
                    QPalette.ColorRole.HighlightedText
                    if selected
                    else QPalette.ColorRole.PlaceholderText
                )
            )
            box = QRect(rect.right() - width, rect.top(), width, rect.height())
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, detail)
            painter.restore()


class ItemList(QListWidget):
    """A list of codebook items; Delete asks to delete, Ctrl+Up/Down moves."""

    delete_requested = Signal()
    move_requested = Signal(int)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setItemDelegate(DetailDelegate(self))
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        step = _move_step(event)
        if _is_delete(event):
            self.delete_requested.emit()
        elif step:
            self.move_requested.emit(step)
        else:
            super().keyPressEvent(event)

    def current_id(self) -> str | None:
        item = self.currentItem()
        return None if item is None else str(item.data(ID_ROLE))

    def fill(
        self, rows: list[tuple[str, str, QIcon, str, str]], select: str | None, row: int = 0
    ) -> None:
        """Show ``(id, label, icon, detail, tooltip)`` rows; select ``select`` or ``row``."""
        self.clear()
        for ident, label, icon, detail, tooltip in rows:
            item = QListWidgetItem(icon, label)
            item.setData(ID_ROLE, ident)
            item.setData(DETAIL_ROLE, detail)
            item.setToolTip(tooltip)
            self.addItem(item)
        ids = [r[0] for r in rows]
        if ids:
            self.setCurrentRow(ids.index(select) if select in ids else _clamp(row, len(ids)))

    def update_row(self, ident: str, label: str, icon: QIcon, detail: str, tooltip: str) -> None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(ID_ROLE) == ident:
                item.setText(label)
                item.setIcon(icon)
                item.setData(DETAIL_ROLE, detail)
                item.setToolTip(tooltip)


def _clamp(row: int, count: int) -> int:
    return max(0, min(row, count - 1))


def _is_delete(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers()


def _move_step(event: QKeyEvent) -> int:
    if event.modifiers() != Qt.KeyboardModifier.ControlModifier:
        return 0
    if event.key() == Qt.Key.Key_Up:
        return -1
    return 1 if event.key() == Qt.Key.Key_Down else 0


class ChoiceTable(QTableWidget):
    """The choices of one attribute: label and code are edited in place."""

    LABEL, CODE, COLOUR = range(3)
    delete_requested = Signal()
    move_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("choiceTable")
        self.setHorizontalHeaderLabels(["Label", "Code", "Colour"])
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(24)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(self.LABEL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.CODE, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(self.COLOUR, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(self.CODE, 70)
        self.setColumnWidth(self.COLOUR, 100)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        editing = self.state() == QAbstractItemView.State.EditingState
        step = _move_step(event)
        if not editing and _is_delete(event):
            self.delete_requested.emit()
        elif not editing and step:
            self.move_requested.emit(step)
        else:
            super().keyPressEvent(event)

    def fill(self, choices: tuple[Choice, ...], select: str | None, row: int = 0) -> None:
        self.setRowCount(0)
        self.setRowCount(len(choices))
        for r, choice in enumerate(choices):
            label = QTableWidgetItem(choice.label)
            label.setData(ID_ROLE, choice.id)
            code = QTableWidgetItem(choice.code_text)
            code.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            colour = QTableWidgetItem(swatch(choice.colour), choice.colour or "none")
            colour.setFlags(colour.flags() & ~Qt.ItemFlag.ItemIsEditable)
            colour.setToolTip("Double-click to choose a colour")
            for column, item in enumerate((label, code, colour)):
                self.setItem(r, column, item)
        ids = [c.id for c in choices]
        if ids:
            self.setCurrentCell(ids.index(select) if select in ids else _clamp(row, len(ids)), 0)

    def choice_id(self, row: int) -> str | None:
        item = self.item(row, self.LABEL)
        return None if item is None else str(item.data(ID_ROLE))


class HotkeyEdit(QLineEdit):
    """One key: typing a character replaces the hotkey; Backspace or Delete clears it."""

    hotkey_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hotkeyEdit")
        self.setMaxLength(1)
        self.setPlaceholderText("none")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFixedWidth(52)
        self.textEdited.connect(self.hotkey_edited)  # e.g. a paste

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        text = event.text()
        plain = not event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        if _is_delete(event):
            if self.text():
                self.clear()
                self.hotkey_edited.emit("")
        elif plain and len(text) == 1 and text.isprintable() and not text.isspace():
            if text != self.text():
                self.setText(text)
                self.hotkey_edited.emit(text)
        else:
            super().keyPressEvent(event)


class CommitTextEdit(QPlainTextEdit):
    """Multi-line text that reports ``committed`` when the user leaves it."""

    committed = Signal()

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(64)
        self.setMaximumHeight(110)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self.committed.emit()


class ColourButton(QPushButton):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("colourButton")
        self.setToolTip("Choose a colour")
        self.setMinimumWidth(110)

    def set_colour(self, colour: str) -> None:
        self.setIcon(swatch(colour, 16))
        self.setText(colour or "none")


class TargetPicker(QWidget):
    """Checkboxes for what a reference may point to; ``changed`` on each click."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}

    def set_options(self, options: list[tuple[str, str]], targets: tuple[str, ...] = ()) -> None:
        for box in self.boxes.values():
            self._layout.removeWidget(box)
            box.deleteLater()
        self.boxes = {}
        known = {target for target, _ in options}
        missing = [(t, f"{t} (no longer in the codebook)") for t in targets if t not in known]
        for target, text in [*options, *missing]:
            box = QCheckBox(text, self)
            box.setToolTip(target)
            box.setChecked(target in targets)
            box.clicked.connect(self.changed)
            self._layout.addWidget(box)
            self.boxes[target] = box

    def targets(self) -> tuple[str, ...]:
        return tuple(target for target, box in self.boxes.items() if box.isChecked())


def _muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


KEY_TIP = "The name in exports and in existing annotations; renaming does not change it."


def small_button(text: str, tip: str = "") -> QPushButton:
    """A push button that may shrink to its text when space is short."""
    button = QPushButton(text)
    button.setMinimumWidth(button.fontMetrics().horizontalAdvance(text) + 24)
    button.setToolTip(tip)
    return button


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(4)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class ListPanel(QGroupBox):
    """A titled list (or table) with Add…, Delete, Move Up and Move Down below it."""

    add_requested = Signal()
    delete_requested = Signal()
    move_requested = Signal(int)

    def __init__(
        self,
        title: str,
        view: ItemList | ChoiceTable,
        *extra: QPushButton,
        hint: str = "",
        up: str = "Move Up",
        down: str = "Move Down",
    ) -> None:
        super().__init__(title)
        self.view = view
        self.add_button = small_button("Add…")
        self.delete_button = small_button("Delete", "Delete (Del)")
        self.up_button = small_button(up, "Move up (Ctrl+Up)")
        self.down_button = small_button(down, "Move down (Ctrl+Down)")
        layout = QVBoxLayout(self)
        layout.addWidget(view, 1)
        layout.addLayout(
            button_row(
                self.add_button, self.delete_button, self.up_button, self.down_button, *extra
            )
        )
        if hint:
            note = _muted(hint)
            note.setWordWrap(True)
            layout.addWidget(note)
        self.add_button.clicked.connect(self.add_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self.up_button.clicked.connect(lambda: self.move_requested.emit(-1))
        self.down_button.clicked.connect(lambda: self.move_requested.emit(1))
        view.delete_requested.connect(self.delete_requested)
        view.move_requested.connect(self.move_requested)

    def enable(self, can_add: bool, has_item: bool) -> None:
        self.add_button.setEnabled(can_add)
        for button in (self.delete_button, self.up_button, self.down_button):
            button.setEnabled(has_item)


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return form


class CategoryForm(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Category", parent)
        self.label_edit = QLineEdit()
        self.label_edit.setObjectName("categoryLabel")
        self.colour_button = ColourButton()
        self.hotkey_edit = HotkeyEdit()
        self.key_label = _muted()
        self.key_label.setToolTip(KEY_TIP)
        self.description_edit = CommitTextEdit(
            "What coders should tag with this category; shown as a tooltip while coding."
        )
        self.description_edit.setObjectName("categoryDescription")
        hotkey = QHBoxLayout()
        hotkey.addWidget(self.hotkey_edit)
        hotkey.addWidget(_muted("press one key; Backspace clears"), 1)
        hotkey_label = QLabel("&Hotkey:")
        hotkey_label.setBuddy(self.hotkey_edit)
        form = _form()
        form.addRow("&Label:", self.label_edit)
        form.addRow("Colour:", _left(self.colour_button))
        form.addRow(hotkey_label, hotkey)
        form.addRow("Key:", self.key_label)
        form.addRow("Coding\ninstructions:", self.description_edit)
        self.setLayout(form)

    def load(self, category: Category | None) -> None:
        self.setEnabled(category is not None)
        self.label_edit.setText(category.label if category else "")
        self.colour_button.set_colour(category.colour if category else "")
        self.hotkey_edit.setText(category.hotkey if category else "")
        self.key_label.setText(f"{category.key}   (never changes)" if category else "")
        self.description_edit.setPlainText(category.description if category else "")


def _left(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


class AttributeForm(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Attribute", parent)
        self.label_edit = QLineEdit()
        self.label_edit.setObjectName("attributeLabel")
        self.type_label = QLabel()
        self.key_label = _muted()
        self.key_label.setToolTip(KEY_TIP)
        self.required_box = QCheckBox("Coders must fill this in")
        self.required_box.setObjectName("requiredBox")
        self.description_edit = CommitTextEdit("A note for coders on how to fill this in.")
        self.description_edit.setObjectName("attributeDescription")
        form = _form()
        form.addRow("La&bel:", self.label_edit)
        form.addRow("Type:", self.type_label)
        form.addRow("Key:", self.key_label)
        form.addRow("", self.required_box)
        form.addRow("Description:", self.description_edit)

        self.targets = TargetPicker()
        self.targets_box = QGroupBox("May point to")
        QVBoxLayout(self.targets_box).addWidget(self.targets)

        self.table = ChoiceTable()
        self.colour_button = small_button("Colour…", "Choose the selected choice's colour")
        self.choices = ListPanel(
            "Choices",
            self.table,
            self.colour_button,
            hint=("Double-click a label or code to edit it; the code may be left empty."),
        )

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.targets_box)
        layout.addWidget(self.choices, 1)
        self.spacer = QWidget()
        layout.addWidget(self.spacer, 1)

    def load(self, attribute: Attribute | None, codebook: Codebook) -> None:
        self.setEnabled(attribute is not None)
        kind = attribute.type if attribute else None
        self.label_edit.setText(attribute.label if attribute else "")
        self.type_label.setText(TYPE_LABELS[attribute.type] if attribute else "")
        self.key_label.setText(f"{attribute.key}   (never changes)" if attribute else "")
        self.required_box.setChecked(bool(attribute and attribute.required))
        self.description_edit.setPlainText(attribute.description if attribute else "")
        definition = attribute_type(kind) if kind is not None else None
        targets = definition is not None and definition.takes_targets
        listed = definition is not None and definition.has_choice_list
        self.targets_box.setVisible(targets)
        self.choices.setVisible(listed)
        self.spacer.setVisible(not listed)
        if attribute is not None and targets:
            self.targets.set_options(target_options(codebook), attribute.targets)


@dataclass(frozen=True)
class NewAttribute:
    label: str
    type: str
    targets: tuple[str, ...] = ()


class NewAttributeDialog(QDialog):
    """Asks for a new attribute's label and type (and, for a reference, its targets)."""

    def __init__(
        self, codebook: Codebook, category: Category, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Add Attribute to “{category.label}”")
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText("e.g. Frame type")
        self.type_combo = QComboBox()
        for name, kind in ATTRIBUTE_TYPES.items():
            self.type_combo.addItem(kind.label, name)
        self.targets = TargetPicker()
        self.targets.set_options(target_options(codebook))
        self.targets_box = QGroupBox("May point to (tick at least one)")
        QVBoxLayout(self.targets_box).addWidget(self.targets)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        form = _form()
        form.addRow("&Label:", self.label_edit)
        form.addRow("&Type:", self.type_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.targets_box)
        layout.addWidget(self.buttons)
        self.label_edit.textChanged.connect(self._update)
        self.type_combo.currentIndexChanged.connect(self._update)
        self.targets.changed.connect(self._update)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(360)
        self._update()

    def kind(self) -> str:
        return str(self.type_combo.currentData())

    def _update(self) -> None:
        reference = attribute_type(self.kind()).takes_targets
        self.targets_box.setVisible(reference)
        ready = bool(self.label_edit.text().strip()) and (not reference or self.targets.targets())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(ready))
        self.adjustSize()

    def value(self) -> NewAttribute:
        kind = self.kind()
        targets = self.targets.targets() if attribute_type(kind).takes_targets else ()
        return NewAttribute(self.label_edit.text().strip(), kind, targets)
