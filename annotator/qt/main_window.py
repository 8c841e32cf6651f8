"""The main window: document list, document view, annotation table."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from annotator.core.intervals import Span
from annotator.core.model import Annotation, Document, DocumentStatus
from annotator.core.spans import normalise_span
from annotator.qt import dialogs
from annotator.qt.annotation_model import AnnotationTableModel
from annotator.qt.commands import DeleteAnnotation, add_annotation
from annotator.qt.document_model import DocumentListModel
from annotator.qt.document_view import DEFAULT_POINT_SIZE, DocumentView
from annotator.qt.find_bar import FindBar
from annotator.qt.menus import build_menus, install_category_actions
from annotator.qt.session import ProjectSession
from annotator.qt.settings import AppSettings
from annotator.store.project import Project


def _table(model: DocumentListModel | AnnotationTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    return table


class MainWindow(QMainWindow):
    def __init__(self, settings: AppSettings, project: Project, coder: str) -> None:
        super().__init__()
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.session: ProjectSession | None = None
        self.current: Document | None = None
        self._colours: dict[str, str] = {}

        self.documents = DocumentListModel()
        self.doc_table = _table(self.documents, "documentList")
        header = self.doc_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

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
        self.ann_table = _table(self.annotations, "annotationTable")
        header = self.ann_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for widget in (self.doc_table, centre, self.ann_table):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 640, 340])
        self.setCentralWidget(self.splitter)

        self.coder_label = QLabel()
        self.statusBar().addPermanentWidget(self.coder_label)
        self.actions: dict[str, QAction] = {}
        self.recent_menu: QMenu
        self.code_menu: QMenu
        self.code_toolbar: QToolBar
        self.undo_redo: tuple[QAction, QAction]
        build_menus(self)

        self.doc_table.selectionModel().currentRowChanged.connect(self._on_document_row)
        self.ann_table.selectionModel().currentRowChanged.connect(self._on_annotation_row)
        self.view.span_clicked.connect(self.select_annotation)
        self.view.zoom_changed.connect(self.settings.set_point_size)
        self.find_bar.match_selected.connect(self.view.select_span)
        self.find_bar.closed.connect(self.view.setFocus)

        self.view.set_point_size(self.settings.point_size(DEFAULT_POINT_SIZE))
        self.resize(1280, 800)
        for name, restore in (("geometry", self.restoreGeometry),
                              ("splitter", self.splitter.restoreState)):
            state = self.settings.state(name)
            if state is not None:
                restore(state)
        self.set_project(project, coder)

    # -- project ------------------------------------------------------------------------
    @property
    def project(self) -> Project:
        assert self.session is not None
        return self.session.project

    def set_project(self, project: Project, coder: str) -> None:
        """Show ``project``; the previous one (if any) is closed."""
        if self.session is not None:
            self._remember_position()
            self.session.project.close()
            self.session.deleteLater()
        self.undo_stack.clear()
        self.session = ProjectSession(project, coder)
        self.session.annotation_added.connect(self._on_annotation_added)
        self.session.annotation_removed.connect(self._on_annotation_removed)
        self.session.document_changed.connect(self.documents.update)
        self.session.failed.connect(lambda msg: dialogs.show_error(self, "Annotator", msg))
        categories = project.categories()
        self._colours = {c.key: c.colour for c in categories}
        self.annotations.set_categories({c.key: c.label for c in categories}, self._colours)
        install_category_actions(self, categories)
        self.settings.remember_project(project.path)
        self.coder_label.setText(f"Coder: {coder}")
        self.setWindowTitle(f"{project.path.stem} — Annotator")
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
        from annotator.io.default_project import open_or_create
        from annotator.store.errors import ProjectError

        try:
            project = open_or_create(path) if create else _open(path)
        except (ProjectError, OSError) as exc:
            dialogs.show_error(self, "Cannot open project", str(exc))
            return False
        self.set_project(project, self.session.coder if self.session else "")
        return True

    # -- documents ----------------------------------------------------------------------
    def _on_document_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.show_document(self.documents.document(current.row()))

    def show_document(self, doc: Document) -> None:
        if self.current is not None and self.current.id != doc.id:
            self._remember_position()
        self.current = doc
        text = self.project.document_text(doc.id)
        annotations = self.project.annotations(doc.id)
        self.view.show_document(
            text, [Span(a.start, a.end, a.category, a.id) for a in annotations], self._colours
        )
        self.annotations.reset(annotations)
        self.find_bar.set_text(text)
        meta = " · ".join(part for part in (doc.source, doc.author, doc.date) if part)
        self.doc_title.setText(doc.title + (f"   ({meta})" if meta else ""))
        self.settings.remember_document(self.project.path, doc.id, 0)

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

    # -- coding -------------------------------------------------------------------------
    def tag_selection(self, category: str) -> None:
        if self.current is None or self.session is None:
            return
        raw = self.view.selection_span()
        span = normalise_span(self.view.text, *raw) if raw else None
        if span is None:
            self.statusBar().showMessage("Select some text first, then press the key.", 4000)
            return
        command = add_annotation(self.session, self.current.id, span[0], span[1], category)
        self.undo_stack.push(command)
        if command.record is not None:
            self.select_annotation(command.record.id)

    def delete_selected(self) -> None:
        index = self.ann_table.currentIndex()
        if self.session is None or not index.isValid():
            self.statusBar().showMessage("Select an annotation to delete.", 4000)
            return
        annotation = self.annotations.annotation(index.row())
        self.undo_stack.push(DeleteAnnotation(self.session, annotation.id))

    def select_annotation(self, annotation_id: str) -> None:
        row = self.annotations.row_of(annotation_id)
        if row < 0:
            return
        index = self.annotations.index(row, 0)
        self.ann_table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.ann_table.scrollTo(index)

    def _on_annotation_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.view.set_selected_span(None)
            return
        ann = self.annotations.annotation(current.row())
        self.view.set_selected_span(ann.id)
        if self.ann_table.hasFocus():
            self.view.select_span(ann.start, ann.end)

    def _on_annotation_added(self, ann: Annotation) -> None:
        if self.current is not None and ann.document_id == self.current.id:
            self.view.add_span(Span(ann.start, ann.end, ann.category, ann.id))
            self.annotations.insert(ann)
            self.select_annotation(ann.id)

    def _on_annotation_removed(self, ann: Annotation) -> None:
        if self.current is not None and ann.document_id == self.current.id:
            self.view.remove_span(ann.id)
            self.annotations.remove(ann.id)

    # -- window state -------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self._remember_position()
        self.settings.set_state("geometry", self.saveGeometry())
        self.settings.set_state("splitter", self.splitter.saveState())
        self.settings.sync()
        if self.session is not None:
            self.session.project.close()
            self.session = None
        super().closeEvent(event)


def _open(path: Path) -> Project:
    from annotator.store.project import open_project

    return open_project(path)

