"""The main window: document list, document view, annotation table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Codebook, Value
from annotator.core.gcpause import gc_paused
from annotator.core.locations import risky_location
from annotator.core.model import Document, DocumentStatus
from annotator.core.paths import data_dir
from annotator.qt.coding.annotation_model import AnnotationTableModel
from annotator.qt.coding.attribute_panel import AttributePanel
from annotator.qt.coding.controller import CodingMixin
from annotator.qt.coding.document_view import DEFAULT_POINT_SIZE, DocumentView
from annotator.qt.coding.find_bar import FindBar
from annotator.qt.common import dialogs
from annotator.qt.common.settings import AppSettings
from annotator.qt.documents.document_model import DocumentListModel
from annotator.qt.menus import build_menus, install_category_actions
from annotator.qt.safety.project_lock import ProjectLock, open_locked
from annotator.qt.session import ProjectSession
from annotator.store.errors import ProjectError
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.qt.importing.import_runner import ImportRunner


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _table(model: DocumentListModel | AnnotationTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    # Rows are selected whole: no header section to emphasise (and repaint) per click.
    table.horizontalHeader().setHighlightSections(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(24)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    return table


BACKUP_MINUTES = 30


# Actions that change the project: disabled while it is open read-only.
EDITING_ACTIONS = (
    "import_documents",
    "import_folder",
    "delete",
    "edit_attributes",
    "registry",
    "codebook",
    "import_codebook",
    "properties",
    "document_variables",
    "backups",
)
EDITING_PREFIXES = ("tag_", "polarity_", "status_")


class MainWindow(CodingMixin, QMainWindow):
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
        self.current: Document | None = None
        self._colours: dict[str, str] = {}

        self.documents = DocumentListModel()
        self.doc_table = _table(self.documents, "documentList")
        header = self.doc_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Widths from the widest expected contents, not measured again on every
        # count change (that re-measured and repainted the list at each tag).
        metrics = self.doc_table.fontMetrics()
        for column, widest in ((1, "Codes"), (2, "000"), (3, "In progress")):
            header.resizeSection(column, metrics.horizontalAdvance(widest) + 12)

        self.view = DocumentView()
        self.find_bar = FindBar()
        self.find_bar.hide()
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        self.doc_title = QLabel()
        self.doc_title.setObjectName("documentTitle")
        self.doc_title.setContentsMargins(10, 6, 10, 6)
        self.doc_title.setStyleSheet("font-weight: bold;")
        self.doc_title.setWordWrap(True)
        centre_layout.addWidget(self.doc_title)
        centre_layout.addWidget(self.view, 1)
        centre_layout.addWidget(self.find_bar)

        self.annotations = AnnotationTableModel()
        self.annotations.set_detail_source(self.compute_detail)
        self._doc_values: dict[str, dict[str, Value]] = {}
        self._codebook: Codebook | None = None
        self._required: dict[str, frozenset[str]] = {}
        self.ann_table = _table(self.annotations, "annotationTable")
        header = self.ann_table.horizontalHeader()
        # Fixed widths: measuring contents would call the model for every row.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 64), (2, 100), (3, 64), (4, 48)):
            header.resizeSection(column, width)
        self.only_incomplete = QCheckBox("Only incomplete")
        self.only_incomplete.setToolTip("Show only annotations that lack a required attribute")
        self.only_incomplete.toggled.connect(lambda _on: self.apply_filter())
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.only_incomplete)
        table_layout.addWidget(self.ann_table, 1)
        self.panel = AttributePanel(None, self.undo_stack)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.setObjectName("rightSplitter")
        self.right.addWidget(table_box)
        self.right.addWidget(self.panel)
        self.right.setSizes([420, 380])

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for widget in (self.doc_table, centre, self.right):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 600, 440])
        self.setCentralWidget(self.splitter)

        self._stale: set[str] = set()
        self._stale_timer = QTimer(self)
        self._stale_timer.setSingleShot(True)
        self._stale_timer.setInterval(50)
        self._stale_timer.timeout.connect(self._refresh_stale)

        self.import_runner: ImportRunner | None = None  # an import in progress
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
        self.actions: dict[str, QAction] = {}
        self.recent_menu: QMenu
        self.code_menu: QMenu
        self.links_menu: QMenu
        self.code_toolbar: QToolBar
        self.undo_redo: tuple[QAction, QAction]
        build_menus(self)

        self.doc_table.selectionModel().currentRowChanged.connect(self._on_document_row)
        self.ann_table.selectionModel().currentRowChanged.connect(self._on_annotation_row)
        self.view.span_clicked.connect(self.select_annotation)
        self.view.span_hovered.connect(self._on_hover)
        self.view.edit_requested.connect(self.edit_attributes)
        self.panel.back_to_text.connect(self.view.setFocus)
        self.panel.pick_requested.connect(self.start_pick)
        self.view.zoom_changed.connect(self.settings.set_point_size)
        self.find_bar.match_selected.connect(self.view.select_span)
        self.find_bar.closed.connect(self.view.setFocus)

        self.view.set_point_size(self.settings.point_size(DEFAULT_POINT_SIZE))
        self.resize(1280, 800)
        for name, restore in (
            ("geometry", self.restoreGeometry),
            ("splitter", self.splitter.restoreState),
            ("right_splitter", self.right.restoreState),
        ):
            state = self.settings.state(name)
            if state is not None:
                restore(state)
        self.set_project(project, coder, lock)

    # -- project ------------------------------------------------------------------------
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
            self.session.project.close()
            self.session.deleteLater()
        if lock is not self.lock:
            self._release_lock()
            self.lock = lock
        self.undo_stack.clear()
        registry = getattr(self, "registry_window", None)
        if registry is not None:  # it shows the project that was open before
            registry.close()
            self.registry_window = None
        self.session = ProjectSession(project, coder)
        self.session.annotation_added.connect(self._on_annotation_added)
        self.session.annotation_removed.connect(self._on_annotation_removed)
        self.session.document_changed.connect(self.documents.update)
        self.session.values_changed.connect(self._on_values_changed)
        self.session.codebook_changed.connect(self.refresh_codebook)
        self.session.history_invalidated.connect(self._on_history_invalidated)
        self.session.actors_changed.connect(self._on_actors_changed)
        self.session.failed.connect(lambda msg: dialogs.show_error(self, "Annotator", msg))
        self.panel.session = self.session
        if not project.read_only:  # the window that can write keeps the backups
            self.session.backup("open")
            QTimer.singleShot(0, self.warn_about_location)  # once the window is up
        self.panel.show_annotation(None, {})
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
            self.view.clear_document()
            self.annotations.reset([])
            self.doc_title.setText("This project has no documents yet.")
            return
        self.doc_table.selectRow(max(row, 0))
        if row >= 0:
            cursor = self.view.textCursor()
            cursor.setPosition(min(position, self.view.document().characterCount() - 1))
            self.view.setTextCursor(cursor)
            self.view.centerCursor()

    def _apply_categories(self) -> None:
        categories = self.project.categories()
        self._colours = {c.key: c.colour for c in categories}
        self.annotations.set_categories(
            {c.key: c.label for c in categories},
            self._colours,
            {c.key: c.description for c in categories},
        )
        install_category_actions(self, categories)
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        """A read-only project: the actions that would change it are off."""
        read_only = self.project.read_only
        for name, action in self.actions.items():
            if name in EDITING_ACTIONS or name.startswith(EDITING_PREFIXES):
                action.setEnabled(not read_only)
        self.panel.setEnabled(not read_only)
        self.read_only_label.setVisible(read_only)
        self.actions["edit_read_only"].setEnabled(read_only)

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
            self.show_document(self.project.document(self.current.id))

    def _on_history_invalidated(self, what: str) -> None:
        self.undo_stack.clear()
        self.statusBar().showMessage(
            f"Deleted {what}; earlier steps can no longer be undone.", 8000
        )

    def _on_actors_changed(self) -> None:
        if self.current is not None:
            self.annotations.reset(self.annotations.all_annotations())
        self.panel.refresh()

    def warn_about_location(self) -> None:
        """A project in a synced or network folder: say why that is risky and offer
        to move it to the local projects folder."""
        if self.session is None:
            return
        path = self.project.path
        kind = risky_location(path)
        if kind is None:
            return
        local = data_dir() / "projects"
        if not dialogs.confirm(
            self,
            "Project in a synced or network folder",
            f"“{path.name}” is in {kind}. Sync services and network shares can copy "
            "a project file while it is being written and corrupt it.\n\n"
            f"Move it to the local projects folder ({local})? A copy is made there "
            "and opened; the file where it is now is left unchanged.",
        ):
            return
        target = local / path.name
        n = 2
        while target.exists():
            target, n = local / f"{path.stem} ({n}){path.suffix}", n + 1
        try:
            local.mkdir(parents=True, exist_ok=True)
            self.project.save_copy(target)
        except (OSError, ProjectError) as exc:
            dialogs.show_error(self, "Move project", f"The project could not be copied: {exc}")
            return
        self.open_project_file(target)

    def periodic_backup(self) -> None:
        if self.session is None or self.project.read_only:
            return
        if self.session.changes != self.session.backed_up_at:
            self.session.backup("periodic")

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
        menu = self.recent_menu
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
        text = self.project.document_text(doc.id)
        annotations = self.project.annotations_for_display(doc.id)
        self.view.show_document(text, annotations, self._colours)
        self.load_document_values()
        self.annotations.reset(annotations)
        if self.only_incomplete.isChecked():
            self.apply_filter()
        self.panel.show_annotation(None, self.annotations.by_id)
        self.view.set_linked(set())
        self.find_bar.set_text(text)
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
        self.doc_table.selectRow(max(0, min(count - 1, row + step)))

    def set_status(self, status: DocumentStatus) -> None:
        if self.current is not None and self.session is not None:
            self.session.set_status(self.current, status)
            self.current = self.project.document(self.current.id)
            self.statusBar().showMessage(f"Marked “{self.current.title}” {status.label}.", 4000)

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
        self._remember_position()
        self.settings.set_state("geometry", self.saveGeometry())
        self.settings.set_state("splitter", self.splitter.saveState())
        self.settings.set_state("right_splitter", self.right.saveState())
        self.settings.sync()
        self._stop_import()
        if self.session is not None:
            self.session.project.close()
            self.session = None
        self._release_lock()
        super().closeEvent(event)
