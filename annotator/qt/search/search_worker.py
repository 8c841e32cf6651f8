"""The corpus search on a worker thread, with its own read-only connection to the
project file: each document with hits is sent as it is read, the result at the end.
``SearchRun`` starts one and stops it (Stop, a new query, the project closing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from annotator.core.corpus_query import DocumentHits, QueryError
from annotator.core.progress import Cancelled, Progress
from annotator.store.corpus_search import SearchFilters
from annotator.store.errors import ProjectError
from annotator.store.project import open_project


class SearchWorker(QObject):
    document = Signal(object)  # DocumentHits, as each is read
    done = Signal(object)  # SearchResult
    failed = Signal(str)
    stopped = Signal()

    def __init__(
        self,
        path: Path,
        query: str,
        regex: bool,
        filters: SearchFilters,
        time_limit: float,
        regex_limit: float,
    ) -> None:
        super().__init__()
        self.path = path
        self.query = query
        self.regex = regex
        self.filters = filters
        self.time_limit = time_limit
        self.regex_limit = regex_limit
        self.progress = Progress()

    def _found(self, doc: DocumentHits) -> None:
        self.document.emit(doc)

    def run(self) -> None:
        try:
            project = open_project(self.path, read_only=True)
            try:
                result = project.search(
                    self.query,
                    regex=self.regex,
                    filters=self.filters,
                    progress=self.progress,
                    time_limit=self.time_limit,
                    coded=False,
                    found=self._found,
                    regex_limit=self.regex_limit,
                )
            finally:
                project.close()
        except Cancelled:
            self.stopped.emit()
            return
        except (QueryError, ProjectError, OSError) as exc:
            self.failed.emit(str(exc))
            return
        self.done.emit(result)


class SearchRun:
    """One search's thread and worker. ``stop`` cancels it: what it sends afterwards is
    not delivered; ``wait`` also waits for its connection to close."""

    def __init__(self, worker: SearchWorker, parent: QObject) -> None:
        self.worker = worker
        self._slots: list[tuple[Any, Callable[..., None]]] = []
        self.thread = QThread(parent)
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        for signal in (worker.done, worker.failed, worker.stopped):
            signal.connect(self.thread.quit)
        self.thread.finished.connect(self.thread.deleteLater)
        # The worker is this object's: kept until its thread has ended (``ended``).

    def start(
        self,
        document: Callable[[DocumentHits], None],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> None:
        """Run, telling ``document`` of each document with hits, then ``done`` (or
        ``failed``), on the thread of the QObjects those belong to."""
        worker = self.worker
        self._slots = [(worker.document, document), (worker.done, done), (worker.failed, failed)]
        for signal, slot in self._slots:
            signal.connect(slot)
        self.thread.start()

    def stop(self) -> None:
        """Cancel: the worker stops at its next document (or its regular expression's
        time limit); nothing more is delivered."""
        self.worker.progress.cancel()
        for signal, slot in self._slots:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self._slots = []

    def ended(self) -> bool:
        try:
            return self.thread.isFinished()
        except RuntimeError:  # deleted once finished
            return True

    def wait(self) -> None:
        self.stop()
        try:
            self.thread.quit()
            self.thread.wait()
        except RuntimeError:  # already deleted: it had finished
            pass
