"""Team ▸ Adjudicate: settle the coders' disagreements, one unit at a time, from the
keyboard. N / P next / previous unsettled unit across documents; 1…9 accept that
coder's version; E accept it with another span; M merge; R reject; Ctrl+Z /
Ctrl+Shift+Z undo and redo (the window's own history). Each decision is an
operation (ops.adjudication) run through the session, saved at once."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat, QTextCursor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.adjudication import DecisionKind
from annotator.core.agreement.units import Unit
from annotator.core.codebook import Value
from annotator.core.offsets import OffsetMap
from annotator.ops import adjudication as adjudication_ops
from annotator.ops.adjudication import PremergeReport, Settlement
from annotator.ops.adjudication_units import Board, DocumentUnits
from annotator.ops.changes import Changes, Result
from annotator.qt.session import ProjectSession
from annotator.qt.team.adjudication_dialogs import MergeDialog
from annotator.qt.team.adjudication_edit import AcceptEditDialog
from annotator.qt.team.adjudication_lanes import LanesView
from annotator.qt.team.adjudication_model import CODER_COLOURS, UnitsModel
from annotator.qt.team.adjudication_runner import premerge_run, read_units, run_with_progress
from annotator.qt.team.settlement_command import SettlementCommand
from annotator.store.project import Project

KEYS: dict[str, list[str | QKeySequence.StandardKey]] = {
    "next": ["N"],
    "previous": ["P"],
    "reject": ["R"],
    "edit": ["E"],
    "merge": ["M"],
    "premerge": ["Ctrl+M"],
    "undo": [QKeySequence.StandardKey.Undo],
    # Not the standard Redo beside them: where a platform binds it to Ctrl+Shift+Z
    # first (Linux desktops, macOS), that key was registered twice, and Qt answers a
    # key bound twice ("ambiguous") with neither.
    "redo": ["Ctrl+Shift+Z", "Ctrl+Y"],
}


class AdjudicationWindow(QMainWindow):
    def __init__(
        self,
        session: ProjectSession,
        parent: QWidget | None = None,
        units: Sequence[DocumentUnits] | None = None,
    ) -> None:
        """``units``: every document's units read before (on a worker: see
        :func:`show_adjudication`); else read here."""
        super().__init__(parent)
        self.setWindowTitle("Adjudicate")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.session = session
        self.undo_stack = QUndoStack(self)
        self.board = Board(session.project)
        if units is None:
            self.board.load_all()
        else:
            self.board.fill(units)
        self.titles = {d.id: d.title for d in session.project.documents(counts=False)}
        self.document_id: str | None = None
        self._settling = False
        self.offsets = OffsetMap("")
        self.unit_key: str | None = None
        self.model = UnitsModel()
        self.model.labels = self._labels()
        self.heading = QLabel()
        self.progress = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.lanes = LanesView()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.clicked.connect(lambda index: self._select_row(index.row()))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.text)
        splitter.addWidget(self.table)
        body = QWidget()
        layout = QVBoxLayout(body)
        for widget in (self.heading, self.progress, self.lanes):
            layout.addWidget(widget)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.note)
        self.setCentralWidget(body)
        self.actions_by_name: dict[str, QAction] = {}
        self._add("next", "Next Unsettled Unit", lambda: self.step(backwards=False))
        self._add("previous", "Previous Unsettled Unit", lambda: self.step(backwards=True))
        self._add("reject", "Reject Unit", self.reject_unit)
        self._add("edit", "Accept and Edit…", self.edit_unit)
        self._add("merge", "Merge Versions…", self.merge_unit)
        self._add("premerge", "Pre-merge Agreed Units", self.premerge)
        self._add("undo", "Undo", self.undo_stack.undo)
        self._add("redo", "Redo", self.undo_stack.redo)
        for number in range(1, 10):
            action = QAction(f"Accept Coder {number}", self)
            action.setShortcut(QKeySequence(str(number)))
            action.triggered.connect(partial(self.accept_coder, number))
            self.addAction(action)
            self.actions_by_name[f"accept_{number}"] = action
        session.changed.connect(self._on_changed)
        session.replayed.connect(self._on_replayed)
        self.resize(1000, 700)
        found = self.board.next_unsettled(None, None)
        if found is not None:
            self.show_unit(*found)
        elif self.board.document_ids:
            self.show_document(self.board.document_ids[0])
        self._show_progress()

    def _add(self, name: str, text: str, slot: Callable[[], object]) -> None:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in KEYS[name]])
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        self.actions_by_name[name] = action

    def _labels(self) -> dict[object, str]:
        project = self.session.project
        labels: dict[object, str] = {("actor", a.id): a.name for a in project.actors()}
        for attribute in self.session.codebook.attributes:
            for choice in attribute.choices:
                labels[("choice", choice.id)] = choice.label
        return labels

    # -- showing --------------------------------------------------------------
    def show_document(self, document_id: str) -> None:
        units = self.board.units(document_id)
        text = self.session.project.document_text(document_id)
        if document_id != self.document_id:
            self.text.setPlainText(text)
            self.offsets = OffsetMap(text)
        self.document_id = document_id
        self.model.show(units, text, units.coders)
        header = self.table.horizontalHeader()
        lanes = len(units.coders)
        for column in range(self.model.columnCount()):
            lane = 2 <= column < 2 + lanes
            # Fixed widths, not sized to the contents: that would read every row again.
            mode = QHeaderView.ResizeMode.Stretch if lane else QHeaderView.ResizeMode.Interactive
            header.setSectionResizeMode(column, mode)
            if not lane:
                header.resizeSection(column, 210 if column == 2 + lanes else 80)
        self.lanes.show_units(units, len(text), units.coders)
        self.heading.setText(f"<b>{self.titles.get(document_id, '')}</b>")
        self._show_progress()
        # The unit the keys act on stays the one selected (a document shown anew after
        # an undo or a change had lost its row's selection, not the unit).
        key = self.unit_key
        row = self.model.row_of(key) if key else -1
        if key and row >= 0:
            self.table.selectRow(row)
            self.lanes.set_current(key)

    def show_unit(self, document_id: str, unit: Unit) -> None:
        if document_id != self.document_id or self.model.units is None:
            self.show_document(document_id)
        self.unit_key = unit.key
        row = self.model.row_of(unit.key)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.lanes.set_current(unit.key)
        self._highlight(unit)

    def _select_row(self, row: int) -> None:
        unit = self.model.unit(row)
        if unit is not None and self.document_id is not None:
            self.show_unit(self.document_id, unit)

    def _highlight(self, unit: Unit) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        coders = self.model.coders
        offsets = self.offsets
        first = None
        for coder, span in unit.spans.items():
            lane = coders.index(coder) if coder in coders else 0
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            colour = QColor(CODER_COLOURS[lane % len(CODER_COLOURS)])
            colour.setAlpha(70)
            fmt.setBackground(colour)
            selection.format = fmt
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(offsets.to_utf16(span.start))
            cursor.setPosition(offsets.to_utf16(span.end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selections.append(selection)
            first = cursor if first is None else first
        self.text.setExtraSelections(selections)
        if first is not None:  # scrolled to, not selected: the coders' colours stay visible
            first.setPosition(first.selectionStart())
            self.text.setTextCursor(first)
            self.text.ensureCursorVisible()

    def _show_progress(self) -> None:
        settled, unsettled = self.board.progress()
        here = self.board.units(self.document_id) if self.document_id else None
        doc = f"this document: {here.settled} settled, {here.unsettled} unsettled" if here else ""
        done = " (done)" if here is not None and here.unsettled == 0 else ""
        self.progress.setText(f"{doc}{done} · all: {settled} settled, {unsettled} unsettled")

    def current_unit(self) -> Unit | None:
        row = self.model.row_of(self.unit_key) if self.unit_key else -1
        return self.model.unit(row)

    # -- moving -------------------------------------------------------------
    def step(self, *, backwards: bool, refresh: bool = False) -> None:
        """To the next (previous) unsettled unit; ``refresh``: show the current
        document's states anew even if the unit found is elsewhere."""
        found = self.board.next_unsettled(self.document_id, self.unit_key, backwards=backwards)
        if (
            refresh
            and self.document_id is not None
            and (found is None or found[0] != self.document_id)
        ):
            self.show_document(self.document_id)
        if found is None:
            self.note.setText("Every unit is settled.")
            if refresh:
                self._show_progress()
            return
        if refresh and found[0] == self.document_id:
            self.show_document(self.document_id)
        self.show_unit(*found)

    # -- settling ---------------------------------------------------------------
    def _settle(
        self,
        text: str,
        kind: DecisionKind,
        coder: str = "",
        values_coder: str = "",
        span: tuple[int, int] | None = None,
        values: Sequence[Value] = (),
    ) -> None:
        unit = self.current_unit()
        document_id = self.document_id
        if unit is None or document_id is None:
            return
        units = self.board.units(document_id)
        if unit.key in units.decisions:
            self.note.setText("That unit is settled already: undo its decision to change it.")
            return
        by = self.session.coder
        key = unit.key

        def operation(project: Project) -> Result[Settlement]:
            return adjudication_ops.settle(
                project,
                document_id,
                key,
                kind,
                settled_by=by,
                coder=coder,
                values_coder=values_coder,
                span=span,
                values=values,
                units=units,
            )

        command = self._push(SettlementCommand(self, text, operation))
        if command.result is not None:
            settlement = command.result.value
            self.board.record(settlement.decisions)
            self.note.setText(" ".join(settlement.notes))
            self.step(backwards=False, refresh=True)

    def _push(self, command: SettlementCommand) -> SettlementCommand:
        """Put a new settlement on the history (which runs it): the board learns its
        decisions from the caller, without a re-read."""
        self._settling = True
        try:
            self.undo_stack.push(command)
        finally:
            self._settling = False
        return command

    def premerge(self) -> None:
        """Settle every unit all coders of its document agree on, at once: read,
        planned and written on a worker (progress and Cancel), then put on the
        window's history like any other step."""
        if self.session.project.read_only:
            self.note.setText("This project is open read-only: nothing was settled.")
            return
        run = run_with_progress(
            self, "Pre-merge", premerge_run(self.session.project, self.session.coder)
        )
        if run.error is not None:
            self.note.setText(f"Could not pre-merge: {run.error}. Nothing was changed.")
            return
        done = run.value
        if run.cancelled or done is None:
            self.note.setText("Pre-merge cancelled: nothing was changed.")
            return
        command = self._push(SettlementCommand(self, "Pre-merge", done))
        if command.result is not None:
            report: PremergeReport = command.result.value
            self.board.record(report.settlement.decisions)
            if self.document_id is not None:
                self.show_document(self.document_id)
            waiting = (
                f" {report.waiting} agreed units point at one the coders disagree on:"
                " settle that first."
                if report.waiting
                else ""
            )
            self.note.setText(
                f"Pre-merge settled {report.settled} units ({report.agreed} agreed, "
                f"{report.carried} brought along); {len(report.changed)} settled before "
                f"changed since.{waiting}"
            )
            if self.unit_key in self.board.units(self.document_id or "").decisions:
                self.step(backwards=False)

    def accept_coder(self, number: int) -> None:
        unit = self.current_unit()
        coders = self.model.coders
        if unit is None or not 0 < number <= len(coders):
            return
        coder = coders[number - 1]
        if coder not in unit.spans:
            self.note.setText(f"{coder} did not code this unit.")
            return
        self._settle(f"Accept {coder}'s version", DecisionKind.ACCEPTED, coder=coder)

    def reject_unit(self) -> None:
        self._settle("Reject unit", DecisionKind.REJECTED)

    def edit_unit(self) -> None:
        unit = self.current_unit()
        if unit is None:
            return
        project = self.session.project
        names = {a.id: a.name for a in project.actors()}
        for coded in unit.spans.values():  # the coders' references to annotations
            for value in project.values(coded.annotation_id).values():
                if value.annotation_id and value.annotation_id not in names:
                    try:
                        quoted = project.annotation(value.annotation_id).quote
                    except KeyError:
                        continue
                    names[value.annotation_id] = f"“{quoted}”"
        dialog = AcceptEditDialog(
            unit,
            min(unit.spans),
            self.model.text,
            self.session.codebook,
            project.values,
            names,
            self,
        )
        self.edit_dialog = dialog  # for the tests to drive
        if dialog.exec() != AcceptEditDialog.DialogCode.Accepted:
            return
        coder, span, values = dialog.choice()
        self._settle(
            f"Accept {coder}'s version, edited",
            DecisionKind.EDITED,
            coder=coder,
            span=span,
            values=values,
        )

    def merge_unit(self) -> None:
        unit = self.current_unit()
        if unit is None or len(unit.spans) < 2:
            self.note.setText("Only one coder coded this unit: accept or reject it.")
            return
        dialog = MergeDialog(unit, self)
        if dialog.exec() != MergeDialog.DialogCode.Accepted:
            return
        span_coder, values_coder = dialog.choice()
        self._settle(
            f"Merge {span_coder}'s span with {values_coder}'s values",
            DecisionKind.MERGED,
            coder=span_coder,
            values_coder=values_coder,
        )

    # -- what changed -------------------------------------------------------------
    def _on_changed(self, changes: Changes) -> None:
        if self._settling:
            return  # _settle brings the board up to date itself
        documents = changes.document.all
        if not documents and not changes.annotation and not changes.values:
            return
        self.board.drop(documents or self.board.document_ids)
        if self.document_id is not None and (not documents or self.document_id in documents):
            self.show_document(self.document_id)
            unit = self.current_unit()
            if unit is not None:
                self.show_unit(self.document_id, unit)
        self._show_progress()

    def replaying(self, replaying: bool) -> None:
        """Undo or redo of a settlement (SettlementCommand) under way: the board is
        told of its decisions by the command, not read again."""
        self._settling = replaying

    def _on_replayed(self, _what: str, changes: Changes) -> None:
        """After undo or redo, show the unit it concerned."""
        for document_id in sorted(changes.document.all):
            if document_id in self.board.document_ids:
                self.show_document(document_id)
                break


_open: weakref.WeakKeyDictionary[QWidget, AdjudicationWindow] = weakref.WeakKeyDictionary()


def show_adjudication(parent: QWidget, session: ProjectSession) -> AdjudicationWindow | None:
    """Team ▸ Adjudicate: one window per main window and project, raised when open;
    the units are read on a worker first (None: that was cancelled or failed)."""
    window = _open.get(parent)
    if window is not None and window.session is not session:
        window.close()
        window = None
    if window is None:
        units = None  # open read-only: read here (a worker's connection would open it to write)
        if not session.project.read_only:
            run = run_with_progress(parent, "Reading the units", read_units(session.project))
            if run.error is not None:
                session.failed.emit(f"Could not read the coders' units: {run.error}")
                return None
            if run.value is None:  # cancelled
                return None
            units = run.value
        window = AdjudicationWindow(session, parent, units)
        window.setWindowFlag(Qt.WindowType.Window, True)
        _open[parent] = window
    window.show()
    window.raise_()
    window.activateWindow()
    return window
