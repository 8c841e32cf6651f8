"""The two small dialogs of adjudication: accept a coder's version with another
span (E), and merge one coder's span with another's values (M)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from annotator.core.agreement.units import Unit


class EditSpanDialog(QDialog):
    """Accept ``coder``'s version of a unit, with the span changed."""

    def __init__(self, unit: Unit, coder: str, text_length: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Accept and Edit")
        span = unit.spans[coder]
        self.coder = QComboBox()
        self.coder.addItems(sorted(unit.spans))
        self.coder.setCurrentText(coder)
        self.start = QSpinBox()
        self.end = QSpinBox()
        for box, value in ((self.start, span.start), (self.end, span.end)):
            box.setRange(0, text_length)
            box.setValue(value)
        self.coder.currentTextChanged.connect(self._take)
        self._unit = unit
        form = QFormLayout(self)
        form.addRow("Version of", self.coder)
        form.addRow("Start", self.start)
        form.addRow("End", self.end)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _take(self, coder: str) -> None:
        span = self._unit.spans.get(coder)
        if span is not None:
            self.start.setValue(span.start)
            self.end.setValue(span.end)

    def choice(self) -> tuple[str, tuple[int, int]]:
        return self.coder.currentText(), (self.start.value(), self.end.value())


class MergeDialog(QDialog):
    """The span of one coder, the values of another."""

    def __init__(self, unit: Unit, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge Versions")
        coders = sorted(unit.spans)
        self.span_coder = QComboBox()
        self.values_coder = QComboBox()
        self.span_coder.addItems(coders)
        self.values_coder.addItems(coders)
        if len(coders) > 1:
            self.values_coder.setCurrentIndex(1)
        form = QFormLayout(self)
        form.addRow("Span from", self.span_coder)
        form.addRow("Values from", self.values_coder)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choice(self) -> tuple[str, str]:
        return self.span_coder.currentText(), self.values_coder.currentText()
