"""Long adjudication work behind the Adjudicate window: reading every document's
units when it opens, and pre-merge. Each runs on a worker thread through a
connection of its own (``ops.team.project_beside``, as the merge of coder files
does) while a progress dialog with Cancel keeps the event loop turning.

Cancel stops the work at its next step and interrupts SQLite in the middle of
one; pre-merge writes in one transaction on the worker's connection, so a
cancelled pre-merge leaves the project as it was. A finished pre-merge comes
back as an operation's ``Result`` (with its undo) for the window's history."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from annotator.core.progress import Progress
from annotator.ops.adjudication import PremergeReport, premerge
from annotator.ops.adjudication_units import DocumentUnits, all_document_units
from annotator.ops.changes import Result
from annotator.qt.common.worker_run import T, WorkerRun
from annotator.qt.common.worker_run import run_with_progress as run_work
from annotator.store.project import Project


def run_with_progress(parent: QWidget | None, title: str, run: WorkerRun[T]) -> WorkerRun[T]:
    """The work behind a progress dialog named ``adjudication-progress``."""
    return run_work(parent, title, run, "adjudication-progress")


def read_units(project: Project) -> WorkerRun[list[DocumentUnits]]:
    """Every document's units, read on a worker (start it with run_with_progress)."""
    return WorkerRun(
        project, lambda p, progress: all_document_units(p, progress), "units", reads=True
    )


def premerge_run(
    project: Project, settled_by: str, majority: int | None = None
) -> WorkerRun[Result[PremergeReport]]:
    """Pre-merge written on a worker's connection, in one transaction."""

    def work(beside: Project, progress: Progress) -> Result[PremergeReport]:
        return premerge(beside, settled_by=settled_by, majority=majority, progress=progress)

    return WorkerRun(project, work, "premerge", reads=False)
