"""Coding one document: tag, delete, select, link and fill attributes.

The controller owns the coding widgets (the document view, the find bar, the
annotation table with its filter, the attribute panel) and their behaviour; the
main window lays them out and tells it which project and document to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QCheckBox, QHeaderView, QVBoxLayout, QWidget

from annotator.core.codebook import Actor, Codebook, Value
from annotator.core.completeness import missing_required, required_by_category
from annotator.core.links import who_and_polarity
from annotator.core.model import Annotation, Document
from annotator.core.spans import normalise_span
from annotator.ops.changes import Changes
from annotator.qt.coding.annotation_model import AnnotationTableModel, Detail
from annotator.qt.coding.attribute_panel import AttributePanel
from annotator.qt.coding.document_view import DocumentView
from annotator.qt.coding.find_bar import FindBar
from annotator.qt.commands import add_annotation, delete_annotation
from annotator.qt.common import dialogs
from annotator.qt.common.tables import make_table
from annotator.qt.documents.document_model import DocumentListModel
from annotator.qt.session import ProjectSession
from annotator.store.project import Project

# Keys that set a stance's polarity: code, and the label for a choice without code.
POLARITY_KEYS = {
    "+": (1.0, "support"),
    "-": (-1.0, "oppose"),
    "0": (0.0, "neutral"),
    "?": (None, "ambivalent"),
}


class CodingController(QObject):
    def __init__(
        self,
        parent: QWidget,
        undo_stack: QUndoStack,
        documents: DocumentListModel,
        show_message: Callable[[str, int], None],
        mark_stale: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.undo_stack = undo_stack
        self.documents = documents  # the document list, whose counts follow each change
        self._message = show_message
        self._mark_stale = mark_stale  # another document's counts changed
        self.session: ProjectSession | None = None
        self.current: Document | None = None

        self.view = DocumentView()
        self.find_bar = FindBar()
        self.find_bar.hide()
        self.annotations = AnnotationTableModel()
        self.annotations.set_detail_source(self.compute_detail)
        self._doc_values: dict[str, dict[str, Value]] = {}
        # Target annotation id → the annotations of the document whose values point
        # to it; worked out from the values above when first needed.
        self._links_to: dict[str, set[str]] | None = None
        self._codebook: Codebook | None = None
        self._required: dict[str, frozenset[str]] = {}
        self.last_category = ""  # the category the coder last tagged with
        self.ann_table = make_table(self.annotations, "annotationTable")
        header = self.ann_table.horizontalHeader()
        # Fixed widths: measuring contents would call the model for every row.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # From the font, so that a larger system font (or scale) widens them too.
        metrics = self.ann_table.fontMetrics()
        for column, widest in (
            (0, "Category"),
            (2, "Government of"),
            (3, "ambivalent"),
            (4, "Coder"),
        ):
            header.resizeSection(column, metrics.horizontalAdvance(widest) + 16)
        self.only_incomplete = QCheckBox("Only incomplete")
        self.only_incomplete.setToolTip("Show only annotations that lack a required attribute")
        self.only_incomplete.toggled.connect(lambda _on: self.apply_filter())
        self.table_box = QWidget()
        table_layout = QVBoxLayout(self.table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.only_incomplete)
        table_layout.addWidget(self.ann_table, 1)
        self.panel = AttributePanel(None, undo_stack)
        self.panel.values_of = self.values_of

        self.ann_table.selectionModel().currentRowChanged.connect(self._on_annotation_row)
        # A click on a row selects its span in the text, even the row already current.
        self.ann_table.clicked.connect(self._show_row_span)
        # Enter (or a double click) on a row: fill in that annotation's fields.
        self.ann_table.activated.connect(lambda _index: self.edit_attributes())
        self.view.span_clicked.connect(self.select_annotation)
        self.view.span_hovered.connect(self._on_hover)
        self.view.edit_requested.connect(self.edit_attributes)
        self.panel.back_to_text.connect(self.view.setFocus)
        self.panel.pick_requested.connect(self.start_pick)
        self.find_bar.match_selected.connect(self.view.select_span)
        self.find_bar.closed.connect(self.view.setFocus)

    @property
    def project(self) -> Project:
        assert self.session is not None
        return self.session.project

    # -- what is shown ----------------------------------------------------------------
    def set_session(self, session: ProjectSession) -> None:
        self.session = session
        self.current = None
        self.panel.session = session
        self.panel.show_annotation(None, {})

    def show_document(
        self, doc: Document, text: str, annotations: list[Annotation], colours: dict[str, str]
    ) -> None:
        self.current = doc
        self.view.show_document(text, annotations, colours)
        self.load_document_values()
        self.annotations.reset(annotations)
        if self.only_incomplete.isChecked():
            self.apply_filter()
        self.panel.show_annotation(None, self.annotations.by_id)
        self.view.set_linked(set())
        self.find_bar.set_text(text)

    def show_nothing(self) -> None:
        self.current = None
        self.view.clear_document()
        self.annotations.reset([])

    def set_categories(
        self, labels: dict[str, str], colours: dict[str, str], descriptions: dict[str, str]
    ) -> None:
        self.annotations.set_categories(labels, colours, descriptions)

    # -- details shown in the table ---------------------------------------------------
    def load_document_values(self) -> None:
        """Values of the current document's annotations, kept for the table."""
        assert self.session is not None
        codebook = self.session.codebook
        self._codebook = codebook
        self._required = required_by_category(codebook)
        current = self.current
        self._doc_values = self.project.values_for_document(current.id) if current else {}
        self._links_to = None

    def values_of(self, annotation_id: str) -> Mapping[str, Value]:
        """An annotation's values by attribute id: those of the document shown are
        kept here, up to date with every change; others are read."""
        if self.annotations.find(annotation_id) is not None:
            return self._doc_values.get(annotation_id, {})
        return self.project.values(annotation_id)

    def _set_values(self, annotation_id: str, values: Mapping[str, Value] | None) -> None:
        if values:
            self._doc_values[annotation_id] = dict(values)
        else:
            self._doc_values.pop(annotation_id, None)
        self._links_to = None

    def compute_detail(self, ann: Annotation) -> Detail:
        """Who, polarity and completeness of one annotation, when the table shows it."""
        own = self._doc_values.get(ann.id)
        required = self._required.get(ann.category, frozenset())
        if not own or self._codebook is None:
            return "", "", bool(required)
        actors: dict[str, Actor] = {}
        for value in own.values():
            if value.actor_id:
                try:
                    actors[value.actor_id] = self.project.actor(value.actor_id)
                except KeyError:  # merged or deleted a moment ago; a refresh follows
                    continue
        who, polarity = who_and_polarity(
            ann, self._doc_values, self._codebook, self.annotations.by_id, actors
        )
        return who, polarity, bool(missing_required(required, own.keys()))

    # -- tagging and deleting --------------------------------------------------------------
    def tag_selection(self, category: str) -> None:
        if self.current is None or self.session is None:
            return
        raw = self.view.selection_span()
        span = normalise_span(self.view.text, *raw) if raw else None
        if span is None:
            self._message("Select some text first, then press the key.", 4000)
            return
        command = add_annotation(self.session, self.current.id, span[0], span[1], category)
        self.last_category = category  # for Code ▸ Repeat Last Code
        self.undo_stack.push(command)
        self.view.collapse_selection()  # the new span shows its own colour and frame
        record = command.record
        if record is None:
            return
        self.select_annotation(record.id)
        registry = self.session.codebook.attribute(category, "actor")
        if registry is not None and registry.targets == ("registry",):
            # Offer the registry entry for this mention: Enter takes it or adds it.
            self.panel.focus_field("actor", record.quote)

    def delete_selected(self) -> None:
        index = self.ann_table.currentIndex()
        if self.session is None or not index.isValid():
            self._message("Select an annotation to delete.", 4000)
            return
        annotation = self.annotations.annotation(index.row())
        incoming = self.project.incoming_references(annotation.id)
        if incoming and not dialogs.confirm(
            self._parent,
            "Delete annotation",
            f"“{annotation.quote[:80]}” is linked from {len(incoming)} other "
            f"annotation{'s' if len(incoming) != 1 else ''} (for example as a claimant or "
            "target). Delete it and remove those links?",
        ):
            return
        self.undo_stack.push(delete_annotation(self.session, annotation.id))

    # -- selection and links ----------------------------------------------------------------
    def select_annotation(self, annotation_id: str) -> None:
        """Select the annotation (its row, its frame in the text, its fields); ""
        deselects (Esc, or a click on text that no annotation covers)."""
        if self.panel.picking:
            if annotation_id and self.panel.pick(annotation_id):
                self._message("", 0)
            return
        if not annotation_id:
            if self.ann_table.currentIndex().isValid():
                self.ann_table.setCurrentIndex(QModelIndex())
            return
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

    def _show_row_span(self, index: QModelIndex) -> None:
        ann = self.annotations.annotation(index.row()) if index.isValid() else None
        if ann is not None:
            self.view.select_span(ann.start, ann.end)

    def selected_annotation(self) -> Annotation | None:
        index = self.ann_table.currentIndex()
        return self.annotations.annotation(index.row()) if index.isValid() else None

    def _on_annotation_row(self, current: QModelIndex, _prev: QModelIndex) -> None:
        ann = self.annotations.annotation(current.row()) if current.isValid() else None
        self.view.set_selected_span(ann.id if ann else None)
        self.panel.show_annotation(ann, self.annotations.by_id)
        self.show_links(ann.id if ann else "")
        if ann is not None and self.ann_table.hasFocus():
            self.view.select_span(ann.start, ann.end)

    def show_links(self, annotation_id: str) -> None:
        """Emphasise the spans linked to this annotation: those its values point to,
        and those whose values point to it."""
        if not annotation_id or self.current is None:
            self.view.set_linked(set())
            return
        if self._links_to is None:
            self._links_to = {}
            for owner, own in self._doc_values.items():
                for value in own.values():
                    if value.annotation_id:
                        self._links_to.setdefault(value.annotation_id, set()).add(owner)
        own = self._doc_values.get(annotation_id, {})
        linked = {v.annotation_id for v in own.values() if v.annotation_id}
        linked |= self._links_to.get(annotation_id, set())
        linked.discard(annotation_id)
        self.view.set_linked(linked)

    def _on_hover(self, annotation_id: str) -> None:
        selected = self.selected_annotation()
        self.show_links(annotation_id or (selected.id if selected else ""))

    # -- changes made through the session ---------------------------------------------------
    def apply(self, changes: Changes) -> None:
        """Show what an operation changed (but for codebook changes, after which the
        window shows the document again): annotations come and go, values and
        counts follow, the panel and the links show the new state."""
        current = self.current.id if self.current is not None else None
        touched = changes.values.changed - changes.annotation.removed
        selected = self.selected_annotation()
        if selected is not None and selected.id in changes.annotation.removed:
            # Else the table would make the next row current, maybe one going too.
            self.ann_table.selectionModel().clearCurrentIndex()
        for annotation_id in changes.annotation.removed:
            if self.annotations.find(annotation_id) is not None:
                self._remove(annotation_id)
        shown = None
        added = changes.annotation.added
        records = [a for a in changes.annotations.values() if a.id in added]  # in their order
        records += [self.project.annotation(i) for i in added - set(changes.annotations)]
        for ann in records:
            if ann.document_id == current:
                self._add(ann, changes.annotation_values.get(ann.id))
                shown = ann.id
        for doc_id in changes.document.all:
            if doc_id != current:
                self._mark_stale(doc_id)  # recounted shortly
        for annotation_id in touched:
            if self.annotations.find(annotation_id) is not None:
                self._values_changed(annotation_id)
        if changes.actor:
            self.on_actors_changed()
        elif self.panel.annotation is not None and self.panel.annotation.id in touched:
            self.panel.refresh()
        if shown is not None:
            self.select_annotation(shown)
        selected = self.selected_annotation()
        if touched and selected is not None:
            self.show_links(selected.id)
        if (touched or changes.annotation) and self.only_incomplete.isChecked():
            self.apply_filter()

    def _add(self, ann: Annotation, values: Mapping[str, Value] | None) -> None:
        """A new annotation of the document shown (``values``: all of its values, when
        the change carried them)."""
        self._set_values(ann.id, self.project.values(ann.id) if values is None else values)
        self.view.add_span(ann)
        self.annotations.insert(ann)
        self.documents.adjust(ann.document_id, 1, int(self.annotations.detail(ann.id)[2]))

    def _remove(self, annotation_id: str) -> None:
        ann = self.annotations.find(annotation_id)
        assert ann is not None
        was_incomplete = self.annotations.detail(ann.id)[2]
        self._set_values(ann.id, None)
        self.view.remove_span(ann.id)
        self.annotations.remove(ann.id)
        self.documents.adjust(ann.document_id, -1, -int(was_incomplete))
        if self.panel.annotation is not None and self.panel.annotation.id == ann.id:
            self.panel.show_annotation(None, self.annotations.by_id)

    def _values_changed(self, annotation_id: str) -> None:
        ann = self.annotations.find(annotation_id)
        assert ann is not None
        before = self.annotations.detail(annotation_id)[2]
        self._set_values(annotation_id, self.project.values(annotation_id))
        self.annotations.invalidate(annotation_id)
        after = self.annotations.detail(annotation_id)[2]
        self.documents.adjust(ann.document_id, 0, int(after) - int(before))

    def on_actors_changed(self) -> None:
        if self.current is not None:
            self.annotations.reset(self.annotations.all_annotations())
        self.panel.refresh()

    # -- keyboard coding -----------------------------------------------------------------------
    def set_polarity(self, key: str) -> None:
        ann = self.selected_annotation()
        code, label = POLARITY_KEYS[key]
        if ann is None or not self.panel.set_choice_by_code("polarity", code, label):
            self._message("Select a stance to set its polarity.", 4000)

    def edit_attributes(self) -> None:
        if self.selected_annotation() is None:
            self._message("Select an annotation first.", 4000)
            return
        self.panel.focus_next_empty()

    def start_pick(self, label: str) -> None:
        self._message(f"Click a highlighted span to choose the {label}.", 8000)

    def apply_filter(self) -> None:
        if self.current is None:
            return
        only = (
            self.project.incomplete_ids(self.current.id)
            if self.only_incomplete.isChecked()
            else None
        )
        self.annotations.set_only(only)
