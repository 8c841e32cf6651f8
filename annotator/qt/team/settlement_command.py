"""A settlement (one unit's decision, or a whole pre-merge) on the Adjudicate
window's history: undo withdraws it, redo writes it again with the same ids, and
the window's board is told which units that settles or unsettles instead of
reading the documents again.

A pre-merge settles thousands of units at once, so its undo and redo run on a
worker's connection, as the pre-merge itself did, behind a progress dialog: the
window keeps turning. They cannot be cancelled half way (the history has already
counted the step); each is one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.core.progress import Progress
from annotator.ops.adjudication import PremergeReport, Settlement
from annotator.ops.changes import Result
from annotator.qt.commands import Operation, OperationCommand
from annotator.qt.common.worker_run import WorkerRun, run_with_progress
from annotator.store.errors import ProjectError
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
        self._on_worker = isinstance(operation, Result)  # a pre-merge

    def _written_on_worker(self, operation: Operation) -> Operation:
        """``operation`` run now on a worker's connection behind a progress dialog;
        what is returned hands its result (or its failure) to the session."""
        title = "Undoing the pre-merge" if self._undoing else "Redoing the pre-merge"

        def work(beside: Project, _progress: Progress) -> Result[Any]:
            return operation(beside)

        run = run_with_progress(
            self._window,
            title,
            WorkerRun(self._window.session.project, work, "premerge-history", reads=False),
            "adjudication-progress",
            cancellable=False,
        )
        value, error = run.value, run.error

        def written(_project: Project) -> Result[Any]:
            if value is None:
                raise ProjectError(error or "the work stopped")
            return value

        return written

    def undo(self) -> None:
        self._undoing = True
        try:
            super().undo()
        finally:
            self._undoing = False

    def _run(self, action: str, operation: Operation | None) -> Result[Any] | None:
        if self._on_worker and operation is not None and self.result is not None:
            operation = self._written_on_worker(operation)
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
