"""A settlement (one unit's decision, or a whole pre-merge) on the Adjudicate
window's history: undo withdraws it, redo writes it again with the same ids, and
the window's board is told which units that settles or unsettles instead of
reading the documents again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.ops.adjudication import PremergeReport, Settlement
from annotator.ops.changes import Result
from annotator.qt.commands import Operation, OperationCommand
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.qt.team.adjudication_window import AdjudicationWindow


class SettlementCommand(OperationCommand):
    """``operation``: run on the first redo; or a ``Result`` already written (by a
    worker's connection), announced on the first redo and undone like the rest."""

    def __init__(
        self, window: AdjudicationWindow, text: str, operation: Operation | Result[Any]
    ) -> None:
        if isinstance(operation, Result):
            done: Result[Any] = operation

            def announce(_project: Project) -> Result[Any]:
                return done

            super().__init__(window.session, text, "pre-merge", announce)
        else:
            super().__init__(window.session, text, "settle the unit", operation)
        self._window = window
        self._undoing = False

    def undo(self) -> None:
        self._undoing = True
        try:
            super().undo()
        finally:
            self._undoing = False

    def _run(self, action: str, operation: Operation | None) -> Result[Any] | None:
        self._window.replaying(True)
        try:
            result = super()._run(action, operation)
        finally:
            self._window.replaying(False)
        if result is not None:
            value = result.value
            settlement: Settlement = (
                value.settlement if isinstance(value, PremergeReport) else value
            )
            if self._undoing:
                self._window.board.forget(settlement.decisions)
            else:
                self._window.board.record(settlement.decisions)
        return result
