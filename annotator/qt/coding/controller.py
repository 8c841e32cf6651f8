"""The main window's coding behaviour: tag, delete, select, link, fill attributes.

A mixin so that the window module stays about layout and documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex

from annotator.core.codebook import Value
from annotator.core.links import linked_ids, who_and_polarity
from annotator.core.model import Annotation
from annotator.core.spans import normalise_span
from annotator.qt.coding.annotation_model import Detail
from annotator.qt.commands import DeleteAnnotation, add_annotation
from annotator.qt.common import dialogs

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow
    from annotator.store.project import Project


# Keys that set a stance's polarity: code, and the label for a choice without code.
POLARITY_KEYS = {
    "+": (1.0, "support"),
    "-": (-1.0, "oppose"),
    "0": (0.0, "neutral"),
    "?": (None, "ambivalent"),
}


class CodingMixin:
    # -- details shown in the table ---------------------------------------------------
    def load_document_values(self: MainWindow) -> None:
        """Values of the current document's annotations, kept for the table."""
        project = self.project
        codebook = self.session.codebook
        self._codebook = codebook
        self._required = {
            c.key: frozenset(a.id for a in codebook.attributes_of(c.key) if a.required)
            for c in codebook.categories
        }
        self._doc_values = project.values_for_document(self.current.id) if self.current else {}

    def compute_detail(self: MainWindow, ann: Annotation) -> Detail:
        """Who, polarity and completeness of one annotation, when the table shows it."""
        own = self._doc_values.get(ann.id)
        required = self._required.get(ann.category, frozenset())
        if not own:
            return "", "", bool(required)
        actors = {}
        for value in own.values():
            if value.actor_id:
                try:
                    actors[value.actor_id] = self.project.actor(value.actor_id)
                except KeyError:  # merged or deleted a moment ago; a refresh follows
                    continue
        who, polarity = who_and_polarity(
            ann, self._doc_values, self._codebook, self.annotations.by_id, actors
        )
        return who, polarity, not required <= own.keys()

    # -- tagging and deleting --------------------------------------------------------------
    def tag_selection(self: MainWindow, category: str) -> None:
        if self.current is None or self.session is None:
            return
        raw = self.view.selection_span()
        span = normalise_span(self.view.text, *raw) if raw else None
        if span is None:
            self.statusBar().showMessage("Select some text first, then press the key.", 4000)
            return
        command = add_annotation(self.session, self.current.id, span[0], span[1], category)
        self.undo_stack.push(command)
        record = command.record
        if record is None:
            return
        self.select_annotation(record.id)
        registry = self.session.codebook.attribute(category, "actor")
        if registry is not None and registry.targets == ("registry",):
            # Offer the registry entry for this mention: Enter takes it or adds it.
            self.panel.focus_field("actor", record.quote)

    def delete_selected(self: MainWindow) -> None:
        index = self.ann_table.currentIndex()
        if self.session is None or not index.isValid():
            self.statusBar().showMessage("Select an annotation to delete.", 4000)
            return
        annotation = self.annotations.annotation(index.row())
        incoming = self.project.incoming_references(annotation.id)
        if incoming and not dialogs.confirm(
            self,
            "Delete annotation",
            f"“{annotation.quote[:80]}” is linked from {len(incoming)} other "
            f"annotation{'s' if len(incoming) != 1 else ''} (for example as a claimant or "
            "target). Delete it and remove those links?",
        ):
            return
        self.undo_stack.push(DeleteAnnotation(self.session, annotation.id))

    # -- selection and links ----------------------------------------------------------------
    def select_annotation(self: MainWindow, annotation_id: str) -> None:
        if self.panel.picking:
            if self.panel.pick(annotation_id):
                self.statusBar().clearMessage()
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

    def selected_annotation(self: MainWindow) -> Annotation | None:
        index = self.ann_table.currentIndex()
        return self.annotations.annotation(index.row()) if index.isValid() else None

    def _on_annotation_row(self: MainWindow, current: QModelIndex, _prev: QModelIndex) -> None:
        ann = self.annotations.annotation(current.row()) if current.isValid() else None
        self.view.set_selected_span(ann.id if ann else None)
        self.panel.show_annotation(ann, self.annotations.by_id)
        self.show_links(ann.id if ann else "")
        if ann is not None and self.ann_table.hasFocus():
            self.view.select_span(ann.start, ann.end)

    def show_links(self: MainWindow, annotation_id: str) -> None:
        if not annotation_id or self.current is None:
            self.view.set_linked(set())
            return
        project = self.project
        values: dict[str, dict[str, Value]] = {annotation_id: project.values(annotation_id)}
        for owner, value in project.incoming_references(annotation_id):
            values.setdefault(owner, {})[value.attribute_id] = value
        self.view.set_linked(linked_ids(annotation_id, values))

    def _on_hover(self: MainWindow, annotation_id: str) -> None:
        selected = self.selected_annotation()
        self.show_links(annotation_id or (selected.id if selected else ""))

    def _on_annotation_added(self: MainWindow, ann: Annotation) -> None:
        if self.current is None or ann.document_id != self.current.id:
            self.mark_stale(ann.document_id)
            return
        self._doc_values[ann.id] = self.project.values(ann.id)
        self.view.add_span(ann)
        self.annotations.insert(ann)
        self.documents.adjust(ann.document_id, 1, int(self.annotations.detail(ann.id)[2]))
        self.select_annotation(ann.id)

    def _on_annotation_removed(self: MainWindow, ann: Annotation) -> None:
        if self.current is None or ann.document_id != self.current.id:
            self.mark_stale(ann.document_id)
            return
        was_incomplete = self.annotations.detail(ann.id)[2]
        self._doc_values.pop(ann.id, None)
        self.view.remove_span(ann.id)
        self.annotations.remove(ann.id)
        self.documents.adjust(ann.document_id, -1, -int(was_incomplete))

    def _on_values_changed(self: MainWindow, annotation_id: str) -> None:
        ann = self.annotations.find(annotation_id)
        if ann is None:
            other = _annotation_or_none(self.project, annotation_id)
            if other is not None:
                self.mark_stale(other.document_id)
        else:
            before = self.annotations.detail(annotation_id)[2]
            self._doc_values[annotation_id] = self.project.values(annotation_id)
            self.annotations.invalidate(annotation_id)
            after = self.annotations.detail(annotation_id)[2]
            self.documents.adjust(ann.document_id, 0, int(after) - int(before))
        if self.panel.annotation is not None and self.panel.annotation.id == annotation_id:
            self.panel.refresh()
        selected = self.selected_annotation()
        if selected is not None:
            self.show_links(selected.id)
        if self.only_incomplete.isChecked():
            self.apply_filter()

    # -- keyboard coding -----------------------------------------------------------------------
    def set_polarity(self: MainWindow, key: str) -> None:
        ann = self.selected_annotation()
        code, label = POLARITY_KEYS[key]
        if ann is None or not self.panel.set_choice_by_code("polarity", code, label):
            self.statusBar().showMessage("Select a stance to set its polarity.", 4000)

    def edit_attributes(self: MainWindow) -> None:
        if self.selected_annotation() is None:
            self.statusBar().showMessage("Select an annotation first.", 4000)
            return
        self.panel.focus_next_empty()

    def start_pick(self: MainWindow, label: str) -> None:
        self.statusBar().showMessage(f"Click a highlighted span to choose the {label}.", 8000)

    def apply_filter(self: MainWindow) -> None:
        if self.current is None:
            return
        only = (
            self.project.incomplete_ids(self.current.id)
            if self.only_incomplete.isChecked()
            else None
        )
        self.annotations.set_only(only)


def _annotation_or_none(project: Project, annotation_id: str) -> Annotation | None:
    try:
        return project.annotation(annotation_id)
    except KeyError:
        return None
