"""M in the Adjudicate window: merge one coder's span with another's values (E,
accept and edit, is adjudication_edit)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QWidget,
)

from annotator.core.agreement.units import Unit


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
