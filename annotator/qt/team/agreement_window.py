"""Team ▸ Agreement: the agreement figures, and the matched units behind any of them.

The report is computed on a worker thread with its own read-only connection to the
project file (what is saved; the window goes on coding meanwhile), with Cancel. The upper
table lists the figures of the scope chosen (pooled over documents, a pair of coders, or
one document); a click on a figure lists its units below, disagreements first: each
coder's span and value.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement.report import DOCUMENT, PAIR, POOLED, AgreementReport, Figure
from annotator.core.agreement.units import Unit
from annotator.core.progress import Cancelled, Progress
from annotator.exporting.agreement_files import agreement
from annotator.store.errors import ProjectError
from annotator.store.project import open_project

FIGURE_COLUMNS = ("Category", "Attribute", "Measure", "Level", "Value", "Units")
UNIT_COLUMNS = ("Unit", "Coder", "Span", "Value")


class _Relay(QObject):
    done = Signal(object)  # AgreementReport, or the message of what went wrong


class AgreementWindow(QDialog):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Agreement — {path.stem}")
        self.resize(960, 680)
        self.report: AgreementReport | None = None
        self._progress = Progress()
        self.status = QLabel("Computing agreement…")
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self._progress.cancel)
        self.status.setWordWrap(True)
        self.scope = QComboBox()
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope.setEnabled(False)
        self.scope.currentIndexChanged.connect(self._show_figures)
        self.figures = QTableWidget(0, len(FIGURE_COLUMNS))
        self.figures.setHorizontalHeaderLabels(FIGURE_COLUMNS)
        self.figures.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.figures.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.figures.verticalHeader().hide()
        self.figures.itemSelectionChanged.connect(self._show_units)
        self.units = QTreeWidget()
        self.units.setHeaderLabels(UNIT_COLUMNS)
        self.units.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.units_label = QLabel("Click a figure to see the units behind it.")
        top = QHBoxLayout()
        top.addWidget(QLabel("Scope:"))
        top.addWidget(self.scope)
        top.addStretch(1)
        top.addWidget(self.cancel)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.units_label)
        lower_layout.addWidget(self.units)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.figures)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(top)
        layout.addWidget(split)
        self._shown: list[Figure] = []
        self._relay = _Relay(self)
        self._relay.done.connect(self._computed)
        self._thread = threading.Thread(
            target=self._compute, args=(path,), name="agreement", daemon=True
        )
        self._thread.start()

    def _compute(self, path: Path) -> None:
        try:
            with open_project(path, read_only=True) as project:
                result: object = agreement(project, progress=self._progress)
        except Cancelled:
            result = "Cancelled."
        except (ProjectError, ValueError, OSError) as exc:
            result = f"The agreement could not be computed: {exc}"
        self._relay.done.emit(result)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the computation to end (the caller then lets the event loop run)."""
        self._thread.join(timeout)

    def done(self, code: int) -> None:  # closing: ask the worker to stop
        self._progress.cancel()
        super().done(code)

    def _computed(self, result: object) -> None:
        self.cancel.setEnabled(False)
        if not isinstance(result, AgreementReport):
            self.status.setText(str(result))
            return
        self.report = result
        if not result.documents:
            self.status.setText("No document was coded by two or more coders.")
            return
        self.status.setText(
            f"{', '.join(result.coders)}: {len(result.documents)} document(s), "
            f"{len(result.units)} units; {result.rule.describe()}"
        )
        self.scope.blockSignals(True)
        self.scope.addItem("Pooled over documents", (POOLED, ""))
        pairs = sorted({f.coders for f in result.figures if f.scope == PAIR})
        for pair in pairs:
            self.scope.addItem(" × ".join(pair), (PAIR, "|".join(pair)))
        titles = {d.id: d.title for d in result.source.documents}
        for d in result.documents:
            self.scope.addItem(f"Document: {titles.get(d, d)}", (DOCUMENT, d))
        self.scope.blockSignals(False)
        self.scope.setEnabled(True)
        self._show_figures()

    def _show_figures(self) -> None:
        report = self.report
        if report is None:
            return
        kind, which = self.scope.currentData()
        if kind == POOLED:
            shown = report.pooled()
        elif kind == PAIR:
            shown = [f for f in report.figures if f.scope == PAIR and "|".join(f.coders) == which]
        else:
            shown = [f for f in report.figures if f.scope == DOCUMENT and f.document_id == which]
        self._shown = shown
        self.figures.setRowCount(len(shown))
        for row, f in enumerate(shown):
            value = "—" if f.value is None else f"{f.value:.3f}"
            cells = (f.category, f.attribute, f.measure, f.level, value,
                     f"{f.units_paired} / {f.units_total}")  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 4:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.figures.setItem(row, column, item)
        self.units.clear()

    def figure_row(self, category: str, attribute: str, measure: str, level: str = "") -> int:
        """The row of a figure shown (for tests and scripts); -1 if it is not shown."""
        for row, f in enumerate(self._shown):
            if (f.category, f.attribute, f.measure, f.level) == (
                category,
                attribute,
                measure,
                level,
            ):
                return row
        return -1

    def _show_units(self) -> None:
        report = self.report
        rows = {index.row() for index in self.figures.selectedIndexes()}
        self.units.clear()
        if report is None or not rows:
            return
        figure = self._shown[min(rows)]
        units = report.units_for(figure)
        key = figure.attribute
        # Disagreements first; one pass (a unit compared with every other was quadratic).
        marks = ["≠ " if _disagree(u, key) else "alone " if len(u.spans) < 2 else "" for u in units]
        differing = sum(1 for mark in marks if mark == "≠ ")
        alone = sum(1 for u in units if len(u.spans) < 2)
        order = sorted(range(len(units)), key=lambda i: marks[i] != "≠ ")
        quotes = report.source.quotes
        tops = []
        for i in order:
            unit = units[i]
            top = QTreeWidgetItem(
                [f"{marks[i]}{unit.category} {unit.start}–{unit.end}", "", "", ""]
            )
            for coder in figure.coders:
                span = unit.spans.get(coder)
                if span is None:
                    QTreeWidgetItem(top, ["", coder, "(no span)", ""])
                    continue
                value = span.values.get(key) if key else None
                QTreeWidgetItem(
                    top,
                    ["", coder, quotes.get(span.annotation_id, ""), _shown_value(report, value)],
                )
            tops.append(top)
        self.units.addTopLevelItems(tops)  # at once: the view lays itself out once
        self.units.expandAll()
        self.units_label.setText(
            f"{len(units)} units behind this figure: {differing} with differing values, "
            f"{alone} coded by one coder only."
        )


def _disagree(unit: Unit, key: str) -> bool:
    if not key:
        return False
    values = {s.values.get(key) for s in unit.spans.values()}
    return len(unit.spans) >= 2 and len(values) > 1


def _shown_value(report: AgreementReport, value: Hashable) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return " / ".join(_shown_value(report, v) for v in value)
    text = str(value)
    codebook = report.source.codebook
    kind, _, ident = text.partition(":")
    if kind == "actor":
        return report.source.actor_names.get(ident, ident)
    choice = codebook.choice(ident if kind == "choice" else text)
    if choice is not None:
        return choice.label
    return text
