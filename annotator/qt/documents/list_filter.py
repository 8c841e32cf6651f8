"""Filters and grouping above the document list, and its "shown / total" count,
so that a project of 2,000 documents stays navigable.

Filtering hides rows of the list (the model keeps every document, so a row
still is a document's place in it); grouping orders the rows by status, source,
month of the date or a variable's value, each group's first row naming it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Document, DocumentStatus
from annotator.qt.documents.document_model import DocumentListModel
from annotator.store.project import Project

ANY = "(any)"
NO_GROUP = ""
STATUS, SOURCE, MONTH = "status", "source", "month"
VARIABLE = "variable:"  # + the variable's key
NONE_LABEL = "(none)"


def group_of(doc: Document, by: str, variables: dict[str, dict[str, str]]) -> str:
    """The group a document falls in (an empty field: NONE_LABEL)."""
    if by == STATUS:
        return doc.status.label
    if by == SOURCE:
        value = doc.source
    elif by == MONTH:
        value = doc.date[:7]
    elif by.startswith(VARIABLE):
        value = variables.get(doc.id, {}).get(by[len(VARIABLE) :], "")
    else:
        return ""
    return value or NONE_LABEL


class DocumentListFilter(QWidget):
    def __init__(
        self, table: QTableView, model: DocumentListModel, project: Callable[[], Project | None]
    ) -> None:
        super().__init__()
        self.setObjectName("documentListFilter")
        # The list's width is the splitter's to choose (and to restore): the fields
        # narrow with it rather than hold it open.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        self.table = table
        self.model = model
        self._project = project
        self._variables: dict[str, dict[str, str]] = {}
        self.toggle = QToolButton()
        self.toggle.setObjectName("documentFilterToggle")
        self.toggle.setText("Filter and Group")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.count = QLabel()
        self.count.setObjectName("documentCount")
        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 2)
        top.addWidget(self.toggle)
        top.addStretch(1)
        top.addWidget(self.count)

        self.fields = QWidget()
        self.status = QComboBox()
        self.status.setObjectName("documentStatusFilter")
        self.source = QComboBox()
        self.source.setObjectName("documentSourceFilter")
        self.date_from = QLineEdit()
        self.date_from.setObjectName("documentDateFrom")
        self.date_from.setPlaceholderText("from 2024-01")
        self.date_to = QLineEdit()
        self.date_to.setObjectName("documentDateTo")
        self.date_to.setPlaceholderText("to 2024-12")
        self.variable = QComboBox()
        self.variable.setObjectName("documentVariableFilter")
        self.value = QLineEdit()
        self.value.setObjectName("documentVariableValue")
        self.value.setPlaceholderText("value contains")
        self.group = QComboBox()
        self.group.setObjectName("documentGrouping")
        grid = QGridLayout(self.fields)
        grid.setContentsMargins(4, 0, 4, 4)
        for row, (label, first, second) in enumerate(
            (
                ("Status", self.status, None),
                ("Source", self.source, None),
                ("Date", self.date_from, self.date_to),
                ("Variable", self.variable, self.value),
                ("Group by", self.group, None),
            )
        ):
            caption = QLabel(label)
            caption.setBuddy(first)
            grid.addWidget(caption, row, 0)
            if second is None:
                grid.addWidget(first, row, 1, 1, 2)
            else:
                grid.addWidget(first, row, 1)
                grid.addWidget(second, row, 2)
        self.fields.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.fields)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(250)
        self._typing.timeout.connect(self.apply)
        self.toggle.toggled.connect(self._show_fields)
        for combo in (self.status, self.source, self.variable):
            combo.currentIndexChanged.connect(lambda _i: self.apply())
        self.group.currentIndexChanged.connect(lambda _i: self.regroup())
        for edit in (self.date_from, self.date_to, self.value):
            edit.textEdited.connect(lambda _t: self._typing.start())
        model.modelReset.connect(self._after_reset)
        model.dataChanged.connect(lambda *_a: self._typing.start())
        self._fill()

    def _show_fields(self, shown: bool) -> None:
        self.fields.setVisible(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        if shown:
            self._fill()

    def _documents(self) -> list[Document]:
        return [self.model.document(row) for row in range(self.model.rowCount())]

    def _fill(self) -> None:
        """The lists from the documents (choices made are kept)."""
        project = self._project()
        variables = project.variables() if project is not None else []
        self._variables = (
            project.all_document_variables() if project is not None and variables else {}
        )
        sources = sorted({d.source for d in self._documents() if d.source}, key=str.casefold)
        for combo, items in (
            (self.status, [(s.label, s.value) for s in DocumentStatus]),
            (self.source, [(s, s) for s in sources]),
            (self.variable, [(v.label, v.key) for v in variables]),
            (
                self.group,
                [("status", STATUS), ("source", SOURCE), ("month", MONTH)]
                + [(v.label, VARIABLE + v.key) for v in variables],
            ),
        ):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ANY if combo is not self.group else "(none)", "")
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(combo.findData(keep), 0) if keep else 0)
            combo.blockSignals(False)

    def _after_reset(self) -> None:
        """The list was read again (an import, another project): group and filter anew."""
        QTimer.singleShot(0, self._refilled)

    def _refilled(self) -> None:
        if self.fields.isVisible():
            self._fill()
        self.apply()

    def matches(self, doc: Document) -> bool:
        status, source = self.status.currentData(), self.source.currentData()
        if status and doc.status.value != status:
            return False
        if source and doc.source != source:
            return False
        low, high = self.date_from.text().strip(), self.date_to.text().strip()
        if low and (not doc.date or doc.date < low):
            return False
        if high and (not doc.date or doc.date[: len(high)] > high):
            return False
        variable, value = self.variable.currentData(), self.value.text().strip().casefold()
        if variable:
            held = self._variables.get(doc.id, {}).get(str(variable), "")
            if not held or (value and value not in held.casefold()):
                return False
        return True

    def regroup(self) -> None:
        """Order the list by the chosen group (project order within each), then filter."""
        by = str(self.group.currentData() or "")
        if by.startswith(VARIABLE) and not self._variables and self._project() is not None:
            self._variables = self._project().all_document_variables()  # type: ignore[union-attr]
        current = self.table.currentIndex()
        shown = self.model.document(current.row()).id if current.isValid() else None
        self.model.set_groups((lambda d: group_of(d, by, self._variables)) if by else None)
        self.table.verticalHeader().setVisible(bool(by))
        self.apply()
        row = self.model.row_of(shown) if shown else -1
        if row >= 0:  # the open document stays the list's current row (not opened again)
            selection = self.table.selectionModel()
            with QSignalBlocker(selection):
                selection.setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
            self.table.scrollTo(self.model.index(row, 0))
            self.table.viewport().update()

    def apply(self) -> None:
        """Hide the rows the filter leaves out; count what is shown."""
        shown = 0
        total = self.model.rowCount()
        for row in range(total):
            keep = self.matches(self.model.document(row))
            self.table.setRowHidden(row, not keep)
            shown += keep
        self.model.label_shown(lambda row: not self.table.isRowHidden(row))
        self.count.setText(
            f"{shown:,} / {total:,} shown" if shown != total else f"{total:,} documents"
        )
