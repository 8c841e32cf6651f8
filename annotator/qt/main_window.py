"""The main window: the document list beside the coding widgets.

A thin composition: the coding controller (``qt/coding``) owns the document view,
the annotation table and the attribute panel; the menus (``qt/menus.py``) are made
once and kept as ``self.menus``; dialogs live in their feature packages.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSize, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QTextCursor, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
)

from annotator.core.gcpause import gc_paused
from annotator.core.model import Document, DocumentStatus
from annotator.ops import documents as document_ops
from annotator.ops.changes import Changes
from annotator.qt.coding.controller import CodingController
from annotator.qt.coding.document_view import DEFAULT_POINT_SIZE
from annotator.qt.commands import OperationCommand
from annotator.qt.common import dialogs
from annotator.qt.common.screen_fit import restore_or_fit
from annotator.qt.common.settings import AppSettings
from annotator.qt.documents.document_model import DocumentListModel
from annotator.qt.documents.list_filter import DocumentListFilter
from annotator.qt.first_steps import (
    done_despite_incomplete,
    install_first_steps,
    show_import_when_empty,
    show_shortcuts,
    show_welcome,
)
from annotator.qt.menus import build_menus, install_category_actions
from annotator.qt.safety.location import offer_local_copy
from annotator.qt.safety.lock_file import ProjectLock
from annotator.qt.safety.project_lock import open_locked
from annotator.qt.session import ProjectSession
from annotator.qt.undo_feedback import clear_history, show_replayed
from annotator.qt.window_layout import (
    column,
    document_table,
    document_title,
    panes,
    right_pane,
    share_width,
    with_banner,
)
from annotator.store.errors import DamagedDocumentError, ProjectError
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.qt.importing.import_runner import ImportRunner
    from annotator.qt.registry.registry_window import RegistryWindow


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


BACKUP_MINUTES = 30
PREFERRED_SIZE = QSize(1280, 800)  # where the screen has room for it


# Actions that change the project: disabled while it is open read-only.
EDITING_ACTIONS = (
    "import_documents",
    "import_folder",
    "delete",
    "edit_attributes",
    "repeat_code",
    "registry",
    "codebook",
    "import_codebook",
    "properties",
    "document_variables",
    "backups",
)
EDITING_PREFIXES = ("tag_", "polarity_", "status_")


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: AppSettings,
        project: Project,
        coder: str,
        lock: ProjectLock | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.lock: ProjectLock | None = None
        self.undo_stack = QUndoStack(self)
        self.session: ProjectSession | None = None
        self._copy_coder = ""  # the coder of the coder copy open, if one is
        self._colours: dict[str, str] = {}

        self.documents = DocumentListModel()
        self.doc_table = document_table(self.documents)
        self.list_filter = DocumentListFilter(
            self.doc_table, self.documents, lambda: self.session.project if self.session else None
        )

        self.coding = CodingController(
            self, self.undo_stack, self.documents, self.statusBar().showMessage, self.mark_stale
        )
        # The coding widgets, laid out here.
        self.view = self.coding.view
        self.find_bar = self.coding.find_bar
        self.annotations = self.coding.annotations
        self.ann_table = self.coding.ann_table
        self.panel = self.coding.panel
        self.doc_title = document_title()
        centre, centre_layout = column(self.doc_title)
        self.welcome, self.import_button = install_first_steps(self, centre_layout)
        centre_layout.addWidget(self.view, 1)
        centre_layout.addWidget(self.find_bar)
        self.right = right_pane(self.coding.table_box, self.panel)
        self.splitter = panes(column(self.list_filter, self.doc_table)[0], centre, self.right)
        self.setCentralWidget(with_banner(self.welcome, self.splitter))

        self._stale: set[str] = set()
        self._stale_timer = QTimer(self)
        self._stale_timer.setSingleShot(True)
        self._stale_timer.setInterval(50)
        self._stale_timer.timeout.connect(self._refresh_stale)

        self.import_runner: ImportRunner | None = None  # an import in progress
        self.pending_imports: list[Path] = []  # files to import once the window shows
        self.registry_window: RegistryWindow | None = None  # opened on first use
        self.setAcceptDrops(True)
        # A backup every 30 minutes while the project changes (and one on opening).
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(BACKUP_MINUTES * 60 * 1000)
        self._backup_timer.timeout.connect(self.periodic_backup)
        self._backup_timer.start()

        self.read_only_label = QLabel("Read-only")
        self.read_only_label.setStyleSheet("color: #b91c1c; font-weight: bold;")
        self.read_only_label.setToolTip(
            "Another window has this project open: it can be read and exported here, "
            "not changed. File ▸ Open for Editing once the other window has closed it."
        )
        self.statusBar().addPermanentWidget(self.read_only_label)
        self.coder_label = QLabel()
        self.statusBar().addPermanentWidget(self.coder_label)
        self.menus = build_menus(self)

        self.doc_table.selectionModel().currentRowChanged.connect(self._on_document_row)
        self.view.zoom_changed.connect(self.settings.set_point_size)

        self.view.set_point_size(self.settings.point_size(DEFAULT_POINT_SIZE))
        restore_or_fit(self, self.settings.state("geometry"), PREFERRED_SIZE)
        share_width(self.splitter, self.width())
        for name, splitter in (("splitter", self.splitter), ("right_splitter", self.right)):
            state = self.settings.state(name)
            if state is not None:
                splitter.restoreState(state)
        self.set_project(project, coder, lock)
        # Keys first go to the text (select with Shift+arrows, code with 1, 2, 3…), as
        # the welcome banner says, not to its first button.
        self.view.setFocus()

    # -- project ------------------------------------------------------------------------
    @property
    def current(self) -> Document | None:
        """The document shown (the coding controller's)."""
        return self.coding.current

    @current.setter
    def current(self, doc: Document | None) -> None:
        self.coding.current = doc

    @property
    def project(self) -> Project:
        assert self.session is not None
        return self.session.project

    def set_project(self, project: Project, coder: str, lock: ProjectLock | None = None) -> None:
        """Show ``project`` (holding ``lock``); the previous one (if any) is closed
        and its lock released."""
        self._stop_import()
        if self.session is not None:
            self._remember_position()
            self.session.backup_on_close()
            self._close_corpus_views()
            self.session.project.close()
            self.session.deleteLater()
        if lock is not self.lock:
            self._release_lock()
            self.lock = lock
        self.undo_stack.clear()
        coder = self._coder_for(project, coder)
        if self.registry_window is not None:  # it shows the project that was open before
            self.registry_window.close()
            self.registry_window = None
        self.session = ProjectSession(project, coder)
        self.session.changed.connect(self._on_changed)
        self.session.failed.connect(lambda msg: dialogs.show_error(self, "Annotator", msg))
        self.session.history_broken.connect(lambda: QTimer.singleShot(0, self._clear_history))
        self.session.replayed.connect(self._show_replayed)
        self.coding.set_session(self.session)
        if not project.read_only:  # the window that can write keeps the backups
            self.session.backup_on_open()  # a large project's in the background
            QTimer.singleShot(0, self.warn_about_location)  # once the window is up
        self._apply_categories()
        self.settings.remember_project(project.path)
        self.coder_label.setText(f"Coder: {coder}")
        suffix = " (read-only)" if project.read_only else ""
        self.setWindowTitle(f"{project.path.stem}{suffix} — Annotator")
        self.current = None
        self.documents.reset(project.documents())
        self.rebuild_recent_menu()
        last_doc, position = self.settings.last_document(project.path)
        row = self.documents.row_of(last_doc)
        if self.documents.rowCount() == 0:
            self.coding.show_nothing()
            self.doc_title.setText("This project has no documents yet.")
            return
        self.doc_table.selectRow(max(row, 0))
        if row >= 0:
            cursor = self.view.textCursor()
            cursor.setPosition(min(position, self.view.document().characterCount() - 1))
            self.view.setTextCursor(cursor)
            self.view.centerCursor()

    def _coder_for(self, project: Project, coder: str) -> str:
        """A coder copy's own coder; after one, the coder of the settings again."""
        copy_coder = project.copy_coder()
        if not copy_coder and self._copy_coder and coder == self._copy_coder:
            coder = self.settings.coder or coder
        self._copy_coder = copy_coder
        return copy_coder or coder

    def _show_replayed(self, what: str, changes: Changes) -> None:
        show_replayed(self, what, changes)

    def _clear_history(self) -> None:
        clear_history(self)

    def _done_despite_incomplete(self, doc: Document) -> bool:
        return done_despite_incomplete(self, doc)

    def _show_import_when_empty(self) -> None:
        show_import_when_empty(self)

    def show_welcome(self) -> None:
        """Help ▸ Welcome: the first-run guidance again."""
        show_welcome(self)

    def show_shortcuts(self) -> None:
        """Help ▸ Keyboard Shortcuts: every key, from the menus and the text's own keys."""
        self.shortcuts_dialog = show_shortcuts(self)

    def _apply_categories(self) -> None:
        categories = self.project.categories()
        self.welcome.set_categories(categories)
        self._colours = {c.key: c.colour for c in categories}
        self.coding.set_categories(
            {c.key: c.label for c in categories},
            self._colours,
            {c.key: c.description for c in categories},
        )
        install_category_actions(self, self.menus, categories)
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        """A read-only project: the actions that would change it are off."""
        read_only = self.project.read_only
        for name, action in self.menus.actions.items():
            if name in EDITING_ACTIONS or name.startswith(EDITING_PREFIXES):
                action.setEnabled(not read_only)
        self.panel.setEnabled(not read_only)
        self.read_only_label.setVisible(read_only)
        self.menus.actions["edit_read_only"].setEnabled(read_only)
        self._show_import_when_empty()

    def _release_lock(self) -> None:
        lock, self.lock = self.lock, None
        if lock is not None:
            lock.release()

    def refresh_codebook(self) -> None:
        """The codebook changed: new labels, colours, hotkeys and attributes everywhere."""
        self._apply_categories()
        self.documents.reset(self.project.documents())
        if self.current is not None:
            row = self.documents.row_of(self.current.id)
            self.doc_table.selectionModel().blockSignals(True)
            self.doc_table.selectRow(row)
            self.doc_table.selectionModel().blockSignals(False)
            self._show_again(self.project.document(self.current.id))

    def _show_again(self, doc: Document) -> None:
        """Show the current document anew (new colours, labels, fields) where the coder
        was: the same scroll position, text selection and selected annotation."""
        view = self.view
        cursor = view.textCursor()
        anchor, position = cursor.anchor(), cursor.position()
        scroll = view.verticalScrollBar().value()
        selected = self.coding.selected_annotation()
        self.show_document(doc)
        cursor = view.textCursor()
        length = view.document().characterCount() - 1
        cursor.setPosition(min(anchor, length))
        cursor.setPosition(min(position, length), QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        if selected is not None:
            self.coding.select_annotation(selected.id)
        view.verticalScrollBar().setValue(scroll)

    def _on_changed(self, changes: Changes) -> None:
        """Show what an operation changed (the session's one signal)."""
        if changes.codebook:
            self.refresh_codebook()  # labels, colours, fields: the document is shown again
        else:
            self.coding.apply(changes)
        for doc in changes.documents.values():
            self.document_edited(doc)

    def _close_corpus_views(self) -> None:
        """View ▸ Coded Segments and Statistics read the project through connections
        of their own: closed before the project is (the last connection to close
        takes its log file away)."""
        from annotator.qt.segments.segments_dock import SegmentsDock
        from annotator.qt.statistics.statistics_window import StatisticsWindow

        dock = self.findChild(SegmentsDock, "codedSegments")
        if dock is not None:
            dock.detach()
        stats = self.findChild(StatisticsWindow, "statisticsWindow")
        if stats is not None:
            stats.stop()
        from annotator.qt.search.search_panel import SearchPanel

        search = self.findChild(SearchPanel)
        if search is not None:  # its search reads through a connection of its own
            search.wait()

    def show_registry(self) -> None:
        """Codebook ▸ Actor Registry: one registry window per project, raised when open."""
        from annotator.qt.registry.registry_window import RegistryWindow

        if self.session is None:
            return
        registry = self.registry_window
        if registry is not None and registry.session is not self.session:
            registry.close()  # it belongs to the project that was open before
            registry = None
        if registry is None:
            registry = RegistryWindow(
                self.session,
                self.undo_stack,
                lambda: self.current.id if self.current else None,
                self,
            )
            self.registry_window = registry
        registry.show()
        registry.raise_()
        registry.activateWindow()

    def warn_about_location(self) -> None:
        """A project in a synced or network folder: offer to move it (qt/safety)."""
        if self.session is not None:
            offer_local_copy(self, self.project)

    def periodic_backup(self) -> None:
        if self.session is None or self.project.read_only:
            return
        if self.session.changes != self.session.backed_up_at:
            self.session.backup("periodic", wait=False)

    def mark_stale(self, doc_id: str) -> None:
        """Another document's counts changed: recount it shortly, once per burst."""
        self._stale.add(doc_id)
        self._stale_timer.start()

    def _refresh_stale(self) -> None:
        stale, self._stale = self._stale, set()
        if self.session is None:
            return
        for doc_id in stale:
            try:
                self.documents.update(self.project.document(doc_id))
            except KeyError:
                continue

    def set_coder(self, coder: str) -> None:
        assert self.session is not None
        self.session.coder = coder
        self.coder_label.setText(f"Coder: {coder}")

    def rebuild_recent_menu(self) -> None:
        menu = self.menus.recent
        menu.clear()
        for path in self.settings.recent_projects():
            action = menu.addAction(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_project_file(p))
        menu.setEnabled(not menu.isEmpty())

    def open_project_file(self, path: Path, *, create: bool = False) -> bool:
        if self.session is not None and _same_file(path, self.project.path):
            if self.project.read_only:
                return self.open_for_editing()
            self.statusBar().showMessage(f"“{path.name}” is the project open here.", 4000)
            return True
        try:
            project, lock = open_locked(self, path, create=create)
        except (ProjectError, OSError) as exc:
            dialogs.show_error(self, "Cannot open project", str(exc))
            return False
        self.set_project(project, self.session.coder if self.session else "", lock)
        return True

    def open_for_editing(self) -> bool:
        """A read-only project: take its lock if the other window has let it go,
        and open it again for editing."""
        from annotator.qt.safety.project_lock import try_to_lock

        if self.session is None or not self.project.read_only:
            return True
        lock = try_to_lock(self.project.path)
        if lock is None:
            self.statusBar().showMessage(
                f"“{self.project.path.name}” is still open in another window: "
                "it stays read-only here.",
                8000,
            )
            return False
        self.lock = lock  # set_project keeps it: reopen_project passes it on
        return self.reopen_project()

    def reopen_project(self) -> bool:
        """Open the current project file again (after it was replaced on disk),
        keeping its lock."""
        from annotator.qt.safety.recovery import open_or_recover

        assert self.session is not None
        path, coder = self.project.path, self.session.coder
        self._close_corpus_views()
        self.session.project.close()
        try:
            project = open_or_recover(self, path)
        except (ProjectError, OSError) as exc:
            dialogs.show_error(self, "Cannot open project", str(exc))
            return False
        self.set_project(project, coder, self.lock)
        return True

    # -- documents ----------------------------------------------------------------------
    def _on_document_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.show_document(self.documents.document(current.row()))

    def show_document(self, doc: Document) -> None:
        if self.current is not None and self.current.id != doc.id:
            self._remember_position()
        self.current = doc
        with gc_paused():  # tens of thousands of small records, no cycles among them
            self._load_document(doc)

    def _load_document(self, doc: Document) -> None:
        try:
            text = self.project.document_text(doc.id)
            annotations = self.project.annotations_for_display(doc.id)
        except DamagedDocumentError as exc:  # its text no longer matches its SHA-256
            dialogs.show_error(self, "Damaged document", str(exc))
            text, annotations = "", []
        self.coding.show_document(doc, text, annotations, self._colours)
        self.show_document_title(doc)
        self.settings.remember_document(self.project.path, doc.id, 0)

    def refresh_documents(self, select_id: str | None = None) -> None:
        """Re-read the document list (after an import); show ``select_id`` if given."""
        self.documents.reset(self.project.documents())
        doc_id = select_id or (self.current.id if self.current else None)
        row = self.documents.row_of(doc_id) if doc_id else -1
        if row < 0 and self.documents.rowCount():
            row = 0
        if row < 0:
            return
        if self.current is not None and self.documents.document(row).id == self.current.id:
            self.doc_table.selectionModel().blockSignals(True)  # keep the view as it is
            self.doc_table.selectRow(row)
            self.doc_table.selectionModel().blockSignals(False)
            self.current = self.documents.document(row)
            self.show_document_title(self.current)
        else:
            self.doc_table.selectRow(row)

    def show_document_title(self, doc: Document) -> None:
        meta = " · ".join(part for part in (doc.source, doc.author, doc.date) if part)
        self.doc_title.setText(doc.title + (f"   ({meta})" if meta else ""))

    def document_edited(self, doc: Document) -> None:
        """The document's properties changed: its list row and the title above the text."""
        self.documents.update(doc)
        if self.current is not None and self.current.id == doc.id:
            self.current = doc
            self.show_document_title(doc)

    def step_document(self, step: int) -> None:
        count = self.documents.rowCount()
        if count == 0:
            return
        row = self.doc_table.currentIndex().row()
        # ``step`` rows on among those the list's filter shows (a hidden one is never
        # opened), or as far as there are; at the last shown row the step goes nowhere.
        rows = range(row + 1, count) if step > 0 else range(min(row, count) - 1, -1, -1)
        target = None
        left = abs(step)
        for r in rows:
            if not self.doc_table.isRowHidden(r):
                target, left = r, left - 1
                if left == 0:
                    break
        if target is not None:
            self.doc_table.selectRow(target)

    def set_status(self, status: DocumentStatus) -> None:
        if self.current is not None and self.session is not None:
            doc = self.current
            if status == DocumentStatus.DONE and not self._done_despite_incomplete(doc):
                return
            before = self.undo_stack.index()
            self.undo_stack.push(
                OperationCommand(
                    self.session,
                    f"Mark “{doc.title}” {status.label}",
                    "change the document's status",
                    lambda p: document_ops.set_document_status(p, doc.id, status),
                )
            )
            if self.undo_stack.index() != before:
                self.statusBar().showMessage(f"Marked “{doc.title}” {status.label}.", 4000)

    def _remember_position(self) -> None:
        if self.current is not None and self.session is not None:
            position = self.view.textCursor().position()
            self.settings.remember_document(self.project.path, self.current.id, position)

    # -- drag and drop ------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        from annotator.qt.importing.import_runner import import_paths

        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths or self.session is None or self.project.read_only:
            event.ignore()
            return
        event.acceptProposedAction()
        # Start after the drop returns: the drag source is not kept waiting on dialogs.
        QTimer.singleShot(0, self, lambda: import_paths(self, paths))

    def _stop_import(self) -> None:
        runner, self.import_runner = self.import_runner, None
        if runner is not None:
            runner.stop()

    # -- window state -------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        from annotator.qt.exporting import export_runner, refi_export

        # An export runs and the user wants it to finish.
        if not export_runner.may_close(self) or not refi_export.may_close(self):
            event.ignore()
            return
        self._remember_position()
        if self.session is not None:  # of two windows, the one closed last reopens
            self.settings.remember_project(self.project.path)
        self.settings.set_state("geometry", self.saveGeometry())
        self.settings.set_state("splitter", self.splitter.saveState())
        self.settings.set_state("right_splitter", self.right.saveState())
        self.settings.sync()
        self._stop_import()
        if self.session is not None:
            self.session.backup_on_close()
            self._close_corpus_views()
            self.session.project.close()
            self.session = None
        self._release_lock()
        super().closeEvent(event)
