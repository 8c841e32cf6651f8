"""One lane per coder across the document: each coder's spans as bars at their
place in the text, coloured by their unit's state; the current unit outlined."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from annotator.ops.adjudication_units import DocumentUnits
from annotator.qt.team.adjudication_model import CODER_COLOURS, STATE_COLOURS

LANE = 18
LABEL = 90


class LanesView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.units: DocumentUnits | None = None
        self.length = 1
        self.coders: tuple[str, ...] = ()
        self.current = ""

    def show_units(self, units: DocumentUnits, length: int, coders: tuple[str, ...]) -> None:
        self.units, self.length, self.coders = units, max(length, 1), coders
        self.setMinimumHeight(LANE * max(len(coders), 1) + 4)
        self.update()

    def set_current(self, key: str) -> None:
        self.current = key
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, LANE * max(len(self.coders), 1) + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        units = self.units
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if units is None:
            return
        width = max(self.width() - LABEL - 4, 1)
        scale = width / self.length
        for lane, coder in enumerate(self.coders):
            top = 2 + lane * LANE
            painter.setPen(QColor(CODER_COLOURS[lane % len(CODER_COLOURS)]))
            painter.drawText(
                QRectF(2, top, LABEL - 6, LANE),
                Qt.AlignmentFlag.AlignVCenter,
                f"{lane + 1} {coder}",
            )
        for unit in units.units:
            colour = QColor(STATE_COLOURS[units.state(unit)]).darker(130)
            for lane, coder in enumerate(self.coders):
                span = unit.spans.get(coder)
                if span is None:
                    continue
                rect = QRectF(
                    LABEL + span.start * scale,
                    2 + lane * LANE + 3,
                    max((span.end - span.start) * scale, 2.0),
                    LANE - 6,
                )
                painter.fillRect(rect, colour)
                if unit.key == self.current:
                    painter.setPen(QPen(QColor("#000000"), 2))
                    painter.drawRect(rect.adjusted(-1, -2, 1, 2))
        painter.end()
