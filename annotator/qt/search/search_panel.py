"""Edit ▸ Search Corpus (Ctrl+Shift+F): a dock that searches every document's text.

A query line (words, "phrases", ``secur*``; or a regular expression), filters by
document status, source, date range and a document variable, and the hits as
keyword-in-context lines grouped by document (``SearchResultsModel``). Enter or a
double click opens the document at the hit with it selected; a category's key on
selected hits tags them all in one undoable step (``search_tagging``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.corpus_query import DocumentHits, Hit, SearchResult
from annotator.core.model import DocumentStatus
from annotator.ops.changes import Changes
from annotator.qt.common.bottom_docks import dock_at_bottom
from annotator.qt.search.results_model import (
    AFTER,
    BEFORE,
    MATCH,
    SearchResultsModel,
    hits_text,
)
from annotator.qt.search.search_tagging import tag_hits
from annotator.qt.search.search_worker import SearchRun, SearchWorker
from annotator.store.corpus_search import REGEX_LIMIT_S, SearchFilters
from annotator.store.errors import ProjectError

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow
    from annotator.qt.session import ProjectSession

ANY = ""
TIME_LIMIT_S = 10.0
_STATUSES = [("Any status", ANY)] + [
    (s.value.replace("_", " ").capitalize(), s.value) for s in DocumentStatus
]


class ResultsView(QTreeView):
    """The hits; Enter opens one, a category's key tags the selected ones (the key is
    taken from the window's own shortcut while the list has the focus)."""

    KEYS = (  # for Help ▸ Keyboard Shortcuts
        ("Enter", "In the corpus search's hits: open the document at the hit"),
        ("1, 2, 3…", "In the corpus search's hits: tag the selected hits with that category"),
    )

    def __init__(self, panel: SearchPanel) -> None:
        super().__init__()
        self.panel = panel

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self.panel.category_for(event) is not None:
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        category = self.panel.category_for(event)
        if category is not None:
            self.panel.tag_selected(category)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.panel.open_hit(self.currentIndex())
        else:
            super().keyPressEvent(event)


class SearchPanel(QDockWidget):
    """The search runs on a worker thread (``search_worker``) with its own read-only
    connection; its documents come into the list as they are read. Stop, a changed
    query or another project cancels it."""

    finished = Signal()  # a search ended: done, failed or stopped

    def __init__(self, window: MainWindow) -> None:
        super().__init__("Search Corpus", window)
        self.setObjectName("corpusSearch")
        self.window_ = window
        self._session: ProjectSession | None = None
        self._run: SearchRun | None = None
        self._ending: list[SearchRun] = []  # ended or stopped, their threads maybe not
        self.regex_limit = REGEX_LIMIT_S  # a regular expression's seconds in one document
        self._started = 0.0
        self._found = 0  # hits listed so far
        self._elapsed = QTimer(self)  # says how long a search has run
        self._elapsed.setInterval(250)
        self._elapsed.timeout.connect(self._report)

        self.query = QLineEdit()
        self.query.setPlaceholderText('Words, "a phrase", secur* …')
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.run_search)
        self.query.textEdited.connect(self._query_changed)
        self.regex = QCheckBox("Regular e&xpression")
        self.regex.setToolTip("Python syntax, case-sensitive unless it starts with (?i)")
        self.search_button = QPushButton("&Search")
        self.search_button.clicked.connect(self._search_or_stop)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.regex)
        top.addWidget(self.search_button)

        self.status = QComboBox()
        for label, value in _STATUSES:
            self.status.addItem(label, value)
        self.source = QComboBox()
        self.date_from = QLineEdit()
        self.date_to = QLineEdit()
        for edit, hint in ((self.date_from, "from YYYY-MM-DD"), (self.date_to, "to YYYY-MM-DD")):
            edit.setPlaceholderText(hint)
            edit.setMaximumWidth(120)
            edit.returnPressed.connect(self.run_search)
        self.variable = QComboBox()
        self.variable_value = QLineEdit()
        self.variable_value.setPlaceholderText("value")
        self.variable_value.returnPressed.connect(self.run_search)
        filters = QHBoxLayout()
        for widget in (self.status, self.source, self.date_from, self.date_to, self.variable):
            filters.addWidget(widget)
        filters.addWidget(self.variable_value, 1)

        self.model = SearchResultsModel(self._coded_at)
        self.results = ResultsView(self)
        self.results.setObjectName("corpusHits")
        self.results.setModel(self.model)
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.results.setTextElideMode(Qt.TextElideMode.ElideLeft)
        self.results.doubleClicked.connect(self.open_hit)
        header = self.results.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(BEFORE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MATCH, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AFTER, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(
            "Enter opens a hit; select hits and press a category's key to tag them."
        )
        self.summary.setWordWrap(True)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.summary)
        self.setWidget(body)

    # -- filters ---------------------------------------------------------------------------
    def refresh_filters(self) -> None:
        """The sources and variables of the project now open."""
        project = self.window_.project
        for combo, first, items in (
            (
                self.source,
                "Any source",
                sorted({d.source for d in project.documents(counts=False)} - {""}),
            ),
            (self.variable, "Any variable", [v.key for v in project.variables()]),
        ):
            chosen = combo.currentData()
            combo.clear()
            combo.addItem(first, ANY)
            for item in items:
                combo.addItem(item, item)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))

    def filters(self) -> SearchFilters:
        variable = self.variable.currentData() or ""
        value = self.variable_value.text().strip()
        return SearchFilters(
            statuses=(self.status.currentData(),) if self.status.currentData() else (),
            sources=(self.source.currentData(),) if self.source.currentData() else (),
            date_from=self.date_from.text().strip(),
            date_to=self.date_to.text().strip(),
            variables=((variable, value),) if variable and value else (),
        )

    # -- searching -------------------------------------------------------------------------
    def start(self) -> None:
        """Show the panel with the query selected, ready to type."""
        self._follow_session()
        self.refresh_filters()
        self.show()
        self.raise_()
        self.query.setFocus()
        self.query.selectAll()

    @property
    def searching(self) -> bool:
        return self._run is not None

    def _search_or_stop(self) -> None:
        if self._run is not None:
            self.stop_search()
        else:
            self.run_search()

    def _query_changed(self) -> None:
        """A search of the query before is of no more use."""
        if self._run is not None:
            self.stop_search("Search stopped: the query changed.")

    def stop_search(self, message: str = "") -> None:
        """Cancel the search under way; its thread ends on its own (at its next
        document, or its regular expression's time limit)."""
        run = self._run
        if run is None:
            return
        run.stop()
        self._ending.append(run)
        self._run = None
        self._busy(False)
        docs = self.model.rowCount()
        self.summary.setText(
            message
            or f"Search stopped: {hits_text(self._found)} in {docs} document"
            f"{'' if docs == 1 else 's'} so far."
        )
        self.finished.emit()

    def wait(self) -> None:
        """Stop the search and wait for its connection to close (the project closing)."""
        self.stop_search()
        for run in self._ending:
            run.wait()
        self._ending = []

    def run_search(self) -> None:
        if self.window_.session is None:
            return
        self.stop_search()
        self._ending = [run for run in self._ending if not run.ended()]
        self._follow_session()
        project = self.window_.project
        self.model.reset(None, {c.key: c.label for c in project.categories()})
        self._found = 0
        worker = SearchWorker(
            project.path,
            self.query.text(),
            self.regex.isChecked(),
            self.filters(),
            TIME_LIMIT_S,
            self.regex_limit,
        )
        self._run = SearchRun(worker, self)
        self._started = time.perf_counter()
        self._busy(True)
        self.summary.setText("Searching…")
        self._run.start(self._document_found, self._done, self._failed)

    def _document_found(self, doc: DocumentHits) -> None:
        row = self.model.append(doc)
        self._found += doc.count
        self.results.setFirstColumnSpanned(row, QModelIndex(), True)
        self.results.expand(self.model.index(row, 0))
        if row == 0:
            self.results.setCurrentIndex(self.model.index(0, 0, self.model.index(0, 0)))

    def _failed(self, message: str) -> None:
        self._end()
        self.model.reset(None, {})
        self.summary.setText(message)

    def _done(self, result: SearchResult) -> None:
        self._end()
        elapsed = time.perf_counter() - self._started
        docs = len(result.documents)
        text = f"{hits_text(result.total)} in {docs} document{'' if docs == 1 else 's'}"
        if result.shown < result.total:
            text += f" (the first {result.shown} listed)"
        self.summary.setText(f"{text}, {elapsed * 1000:.0f} ms. {result.stopped}".strip())
        if docs:
            self.results.setFocus()

    def _end(self) -> None:
        if self._run is not None:  # its thread ends on its own: kept until then
            self._ending.append(self._run)
        self._run = None
        self._busy(False)
        self.finished.emit()

    def _report(self) -> None:
        """While a search runs: how far it got."""
        docs = self.model.rowCount()
        seconds = time.perf_counter() - self._started
        self.summary.setText(
            f"Searching… {hits_text(self._found)} in {docs} document"
            f"{'' if docs == 1 else 's'} so far ({seconds:.0f} s). Stop ends it."
        )

    def _busy(self, busy: bool) -> None:
        self.search_button.setText("&Stop" if busy else "&Search")
        if busy:
            self._elapsed.start()
        else:
            self._elapsed.stop()

    def _coded_at(self, document_id: str, spans: list[tuple[int, int]]) -> list[tuple[str, ...]]:
        try:
            return self.window_.project.coded_at(document_id, spans)
        except ProjectError:
            return [()] * len(spans)

    def _follow_session(self) -> None:
        """Keep the coded marks current as the open project changes."""
        session = self.window_.session
        if session is not self._session:
            self.wait()
            if self._session is not None:
                self._session.changed.disconnect(self._on_changed)
            if session is not None:
                session.changed.connect(self._on_changed)
            self._session = session
            self.model.reset(None, {})

    def _on_changed(self, changes: Changes) -> None:
        if changes.annotation.all or changes.codebook:
            self.model.forget_coded(changes.document.all | set(changes.annotations))

    # -- hits ------------------------------------------------------------------------------
    def selected_hits(self) -> list[Hit]:
        """The hits of the selected rows (a selected document: all its listed hits)."""
        hits: list[Hit] = []
        for index in self.results.selectionModel().selectedRows(0):
            hit = self.model.hit(index)
            doc = self.model.document(index)
            found = [hit] if hit is not None else list(doc.hits if doc is not None else ())
            hits.extend(h for h in found if h not in hits)
        return sorted(hits, key=lambda h: (h.document_id, h.start))

    def open_hit(self, index: QModelIndex) -> None:
        """Show the hit's document with the hit selected in the text."""
        hit = self.model.hit(index)
        doc = self.model.document(index)
        if doc is None:
            return
        window = self.window_
        row = window.documents.row_of(doc.document_id)
        if row < 0:
            self.summary.setText(f"“{doc.title}” is not in the document list.")
            return
        if window.current is None or window.current.id != doc.document_id:
            window.doc_table.selectRow(row)
        if hit is not None:
            window.view.select_span(hit.start, hit.end)
        window.view.setFocus()

    def category_for(self, event: QKeyEvent) -> str | None:
        """The category whose key (its action's shortcut in the window) ``event`` is,
        if hits are selected."""
        if self.window_.session is None or not self.results.selectionModel().hasSelection():
            return None
        pressed = QKeySequence(event.keyCombination())
        for name, action in self.window_.menus.actions.items():
            if name.startswith("tag_") and any(
                shortcut.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
                for shortcut in action.shortcuts()
            ):
                return name.removeprefix("tag_")
        return None

    def tag_selected(self, category: str) -> None:
        message = tag_hits(self.window_, self.selected_hits(), category)
        self.summary.setText(message)


def open_corpus_search(window: MainWindow) -> SearchPanel:
    """Edit ▸ Search Corpus: the window's one panel, docked at the bottom."""
    panel = window.findChild(SearchPanel)
    if not isinstance(panel, SearchPanel):
        panel = SearchPanel(window)
        dock_at_bottom(window, panel)
    panel.start()
    return panel
