"""The units of one document as a table: one lane (column) per coder side by side,
each row coloured by the unit's state."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.adjudication import UnitState
from annotator.core.agreement.units import CodedSpan, Unit
from annotator.ops.adjudication_units import DocumentUnits

STATE_COLOURS = {
    UnitState.AGREED: "#d8f0d2",
    UnitState.DISAGREED: "#f7d4cf",
    UnitState.SINGLE: "#fbefc4",
    UnitState.SETTLED: "#dde3ea",
}
CODER_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b")
FIXED = ("State", "Category")
Index = QModelIndex | QPersistentModelIndex


class UnitsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.units: DocumentUnits | None = None
        self.text = ""
        self.labels: dict[object, str] = {}  # comparable value → what to show
        self._coders: tuple[str, ...] = ()

    def show(self, units: DocumentUnits, text: str, coders: tuple[str, ...]) -> None:
        self.beginResetModel()
        self.units, self.text, self._coders = units, text, coders
        self.endResetModel()

    @property
    def coders(self) -> tuple[str, ...]:
        return self._coders

    def unit(self, row: int) -> Unit | None:
        if self.units is None or not 0 <= row < len(self.units.units):
            return None
        return self.units.units[row]

    def row_of(self, key: str) -> int:
        if self.units is None:
            return -1
        return next((i for i, u in enumerate(self.units.units) if u.key == key), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.units is None else len(self.units.units)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED) + len(self._coders) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        names = [*FIXED, *(f"{i}  {c}" for i, c in enumerate(self._coders, 1)), "Decision"]
        if role == Qt.ItemDataRole.DisplayRole:
            return names[section]
        if role == Qt.ItemDataRole.ForegroundRole and len(FIXED) <= section < len(names) - 1:
            return QBrush(QColor(CODER_COLOURS[(section - len(FIXED)) % len(CODER_COLOURS)]))
        return None

    def _span(self, span: CodedSpan) -> str:
        quote = self.text[span.start : span.end].replace("\n", " ")
        if len(quote) > 60:
            quote = quote[:57] + "…"
        values = "; ".join(f"{k}={self.labels.get(v, v)}" for k, v in sorted(span.values.items()))
        return f"[{span.start}, {span.end}) “{quote}”" + (f"  {values}" if values else "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        units = self.units
        if units is None or not index.isValid():
            return None
        unit = units.units[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(STATE_COLOURS[units.state(unit)]))
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == 0:
            return units.state(unit).value
        if column == 1:
            return unit.category
        if column == len(FIXED) + len(self._coders):
            decision = units.decisions.get(unit.key)
            if decision is None:
                return ""
            who = f" {decision.coder}" if decision.coder else ""
            if decision.values_coder and decision.values_coder != decision.coder:
                who += f" + {decision.values_coder}"
            return f"{decision.kind.value}{who} ({decision.settled_by})"
        coder = self._coders[column - len(FIXED)]
        span = unit.spans.get(coder)
        return "" if span is None else self._span(span)
