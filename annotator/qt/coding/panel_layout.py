"""Pieces of the attribute panel's layout: a heading that never relays the window,
and one kept page of fields per category."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QWidget

from annotator.core.codebook import Value


class LabelStack(QWidget):
    """Labels one above the other at fixed heights, placed by hand rather than by
    a layout: a label in a layout asks the whole window to be laid out again
    whenever its text changes, and the panel's heading changes with every
    annotation shown. The fields below never move."""

    def __init__(self, heights: tuple[int, ...]) -> None:
        super().__init__()
        self._heights = heights
        self.labels = [QLabel(self) for _ in heights]
        for label in self.labels:
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFixedHeight(sum(heights))
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        top = 0
        for label, height in zip(self.labels, self._heights, strict=True):
            label.setGeometry(0, top, self.width(), height)
            top += height
        super().resizeEvent(event)


class FieldsPage:
    """One category's fields: built the first time an annotation of that category
    is shown, then kept (hidden while another category is shown) until the
    codebook changes. Coders switch between categories all the time."""

    def __init__(self) -> None:
        self.widget = QWidget()
        self.form = QFormLayout(self.widget)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors: dict[str, QWidget] = {}  # attribute key → editor
        # attribute key → shows a value in its editor
        self.setters: dict[str, Callable[[Value | None], None]] = {}
