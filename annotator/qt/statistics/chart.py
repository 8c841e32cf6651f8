"""Bars and time lines painted with QPainter: the same painting on the screen,
into a PNG and into an SVG (QSvgGenerator). Qt's own charts (QtCharts) are not
in PySide6-Essentials, and a plotting library would add tens of megabytes to the
bundle for two kinds of chart."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#64748b")
BARS, LINES = "bars", "lines"
MAX_BARS = 30  # the largest ones; the table holds every row
EXPORT_SIZE = QSize(1000, 600)
Series = list[tuple[str, list[float]]]  # (name, one value per label)


def axis(top: float, whole: bool) -> tuple[float, float]:
    """The value axis's top and step for values up to ``top``: about four steps of
    1, 2 or 5 times a power of ten (whole numbers for counts), the top a whole
    number of steps at or above ``top``."""
    rough = top / 4
    power = 10.0 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    if whole:
        step = max(1.0, round(step))
    return step * math.ceil(top / step - 1e-9), step


class Chart(QWidget):
    """Stacked bars (one per label) or lines (one per series over the labels)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsChart")
        self.setMinimumSize(320, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.kind = BARS
        self.title = ""
        self.labels: list[str] = []
        self.series: Series = []

    def show_data(self, kind: str, title: str, labels: list[str], series: Series) -> None:
        self.kind, self.title, self.labels, self.series = kind, title, labels, series
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        self.paint(painter, self.rect())
        painter.end()

    # -- files ----------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """PNG or SVG by the file's suffix; OSError if it cannot be written."""
        rect = QRect(0, 0, EXPORT_SIZE.width(), EXPORT_SIZE.height())
        if path.suffix.lower() == ".svg":
            generator = QSvgGenerator()
            generator.setFileName(str(path))
            generator.setSize(EXPORT_SIZE)
            generator.setViewBox(rect)
            generator.setTitle(self.title)
            painter = QPainter(generator)
            self.paint(painter, rect)
            painter.end()
            if not path.exists():
                raise OSError(f"“{path}” was not written")
            return
        image = QImage(EXPORT_SIZE, QImage.Format.Format_ARGB32)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        self.paint(painter, rect)
        painter.end()
        if not image.save(str(path.with_suffix(".png"))):
            raise OSError(f"“{path}” could not be written")

    # -- painting -------------------------------------------------------------------------
    def paint(self, painter: QPainter, rect: QRect) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(painter.font())
        line = metrics.height()
        painter.setPen(QColor("#111827"))
        painter.drawText(rect.adjusted(8, 4, -8, 0), Qt.AlignmentFlag.AlignTop, self.title)
        legend = len(self.series) > 1
        plot = QRectF(rect.adjusted(8 + metrics.horizontalAdvance("0000000"), 2 * line, -12, 0))
        plot.setBottom(rect.bottom() - 3 * line - (line if legend else 0))
        if not self.labels or plot.width() < 40 or plot.height() < 40:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "nothing to show")
            return
        if self.kind == BARS:
            top = max(sum(s[1][i] for s in self.series) for i in range(len(self.labels)))
        else:
            top = max((max(v) for _, v in self.series if v), default=0.0)
        top, step = axis(max(top, 1.0), self._whole())
        self._axes(painter, plot, top, step, metrics)
        if self.kind == BARS:
            self._bars(painter, plot, top, metrics)
        else:
            self._lines(painter, plot, top, metrics)
        if legend:
            x = plot.left()
            y = rect.bottom() - line
            for number, (name, _values) in enumerate(self.series):
                colour = QColor(PALETTE[number % len(PALETTE)])
                painter.fillRect(QRectF(x, y - line * 0.8, line * 0.8, line * 0.8), colour)
                painter.setPen(QColor("#111827"))
                painter.drawText(QPointF(x + line, y - 2), name)
                x += line * 2 + metrics.horizontalAdvance(name)

    def _whole(self) -> bool:
        """Whether every value is a whole number (counts): the axis then steps by
        whole numbers too."""
        return all(float(v).is_integer() for _name, values in self.series for v in values)

    def _axes(
        self, painter: QPainter, plot: QRectF, top: float, step: float, metrics: QFontMetrics
    ) -> None:
        painter.setPen(QPen(QColor("#e5e7eb"), 1))
        ticks = round(top / step)
        decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
        for tick in range(ticks + 1):
            value = step * tick
            y = plot.bottom() - plot.height() * tick / ticks
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor("#6b7280"))
            text = f"{value:,.{decimals}f}"
            painter.drawText(
                QPointF(
                    plot.left() - metrics.horizontalAdvance(text) - 4, y + metrics.ascent() / 2
                ),
                text,
            )
            painter.setPen(QPen(QColor("#e5e7eb"), 1))
        painter.setPen(QPen(QColor("#374151"), 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())

    def _label(self, painter: QPainter, x: float, width: float, y: float, text: str) -> None:
        metrics = QFontMetrics(painter.font())
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(max(width, 30)))
        painter.setPen(QColor("#374151"))
        painter.drawText(
            QRectF(x, y + 2, width, metrics.height()), Qt.AlignmentFlag.AlignHCenter, shown
        )

    def _bars(self, painter: QPainter, plot: QRectF, top: float, metrics: QFontMetrics) -> None:
        count = len(self.labels)
        slot = plot.width() / count
        width = max(slot * 0.7, 1.0)
        every = max(1, int(metrics.horizontalAdvance("mmmmmm") // max(slot, 1)) + 1)
        for i, label in enumerate(self.labels):
            x = plot.left() + slot * i + (slot - width) / 2
            base = plot.bottom()
            for number, (_name, values) in enumerate(self.series):
                height = plot.height() * values[i] / top
                colour = QColor(PALETTE[number % len(PALETTE)])
                painter.fillRect(QRectF(x, base - height, width, height), colour)
                base -= height
            if i % every == 0:
                self._label(painter, plot.left() + slot * i, slot * every, plot.bottom(), label)

    def _lines(self, painter: QPainter, plot: QRectF, top: float, metrics: QFontMetrics) -> None:
        count = len(self.labels)
        step = plot.width() / max(count - 1, 1)
        every = max(1, int(metrics.horizontalAdvance("2024-01 ") // max(step, 1)) + 1)
        for number, (_name, values) in enumerate(self.series):
            pen = QPen(QColor(PALETTE[number % len(PALETTE)]), 2)
            painter.setPen(pen)
            points = [
                QPointF(plot.left() + step * i, plot.bottom() - plot.height() * v / top)
                for i, v in enumerate(values)
            ]
            for a, b in zip(points, points[1:], strict=False):
                painter.drawLine(a, b)
            for point in points:
                painter.drawEllipse(point, 2.5, 2.5)
        for i, label in enumerate(self.labels):
            if i % every == 0:
                width = step * every
                # Centred on its point, but kept inside the chart (the last month's
                # label would otherwise run past its right edge and be cut).
                x = min(plot.left() + step * i - width / 2, plot.right() + 8 - width)
                self._label(painter, x, width, plot.bottom(), label)
