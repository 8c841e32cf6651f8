"""Find the untagged occurrences of a registry actor's names and tag them in one step."""

from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import Actor, Value
from annotator.core.links import sure_mention
from annotator.core.model import Annotation
from annotator.qt.commands import AddAnnotations, NewAnnotation
from annotator.qt.common import dialogs
from annotator.qt.session import ProjectSession
from annotator.store.errors import ProjectError
from annotator.store.registry import Mention

CONTEXT = 40  # characters of context shown either side of a match
COLUMNS = ("Document", "Before", "Mention", "After")
DOCUMENT, BEFORE, MATCH, AFTER = range(len(COLUMNS))
_SPACE = re.compile(r"\s+")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text)


def context_of(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """Up to ``width`` characters before and after ``text[start:end]``, on one line."""
    before = _flat(text[max(0, start - width) : start])
    after = _flat(text[end : end + width])
    if start - width > 0:
        before = "…" + before
    if end + width < len(text):
        after += "…"
    return before, after


def mentions_label(count: int, name: str) -> str:
    return f"Tag {count} mention{'' if count == 1 else 's'} of {name}"


class MentionsDialog(QDialog):
    """Untagged whole-word occurrences of one actor's names, each a checkable row.

    Accepting tags every checked occurrence as an actor annotation linked to the
    actor, as ONE command on ``undo_stack``.
    """

    def __init__(
        self,
        session: ProjectSession,
        undo_stack: QUndoStack,
        actor: Actor,
        document_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.undo_stack = undo_stack
        self.actor = actor
        self.document_id = document_id
        self.command: AddAnnotations | None = None
        self.tagged: list[Annotation] = []  # what accepting created
        self._mentions: list[Mention] = []
        self._problem = ""
        self._titles = {d.id: d.title for d in session.project.documents()}
        attribute = session.project.codebook().attribute("actor", "actor")
        self._attribute_id = attribute.id if attribute is not None else None

        self.setWindowTitle(f"Find Other Mentions of {actor.name}")
        names = ", ".join(f"“{n}”" for n in actor.names())
        intro = QLabel(
            f"Untagged occurrences of {names} (whole words, any case). Those spelt "
            "exactly as a name are checked; another case or part of a hyphenated word "
            "(“…-based”) is listed unchecked: look at its context."
        )
        intro.setWordWrap(True)

        self.this_document = QRadioButton("This &document")
        self.whole_project = QRadioButton("Whole &project")
        self.scope = QButtonGroup(self)
        self.scope.addButton(self.this_document)
        self.scope.addButton(self.whole_project)
        if document_id is None:
            self.this_document.setEnabled(False)
            self.this_document.setToolTip("No document is open.")
            self.whole_project.setChecked(True)
        else:
            self.this_document.setChecked(True)
        scope_row = QHBoxLayout()
        scope_row.addWidget(QLabel("Look in:"))
        scope_row.addWidget(self.this_document)
        scope_row.addWidget(self.whole_project)
        scope_row.addStretch(1)

        self.list = QTreeWidget()
        self.list.setObjectName("mentionList")
        self.list.setColumnCount(len(COLUMNS))
        self.list.setHeaderLabels(list(COLUMNS))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.list.header()
        header.setStretchLastSection(True)  # the right context is cut at the window edge
        header.setSectionResizeMode(DOCUMENT, QHeaderView.ResizeMode.Interactive)
        for column in (BEFORE, MATCH):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemChanged.connect(self._update_count)

        self.check_all = QPushButton("Check &All")
        self.check_none = QPushButton("Check &None")
        for button in (self.check_all, self.check_none):
            button.setAutoDefault(False)
        self.check_all.clicked.connect(lambda: self._check_all(True))
        self.check_none.clicked.connect(lambda: self._check_all(False))
        self.count_label = QLabel()
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_all)
        check_row.addWidget(self.check_none)
        check_row.addStretch(1)
        check_row.addWidget(self.count_label)

        self.buttons, self.ok_button = dialogs.ok_cancel_buttons(self)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(scope_row)
        layout.addWidget(self.list, 1)
        layout.addLayout(check_row)
        layout.addWidget(self.buttons)

        self.scope.buttonToggled.connect(self._on_scope)
        self.reload()
        self.resize(820, 440)

    # -- contents ------------------------------------------------------------------
    def whole_project_scope(self) -> bool:
        return self.whole_project.isChecked()

    def reload(self) -> None:
        """Search again in the chosen scope; the sure occurrences start checked."""
        scope = None if self.whole_project_scope() else self.document_id
        self._problem = ""
        try:
            self._mentions = self.session.project.find_mentions(self.actor.id, scope)
        except (KeyError, ProjectError) as exc:  # the actor was deleted meanwhile
            detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            self._problem = f"Could not search: {detail}."
            self._mentions = []
        bold = QFont(self.list.font())
        bold.setBold(True)
        self.list.blockSignals(True)
        self.list.clear()
        items = []
        texts: dict[str, str] = {}
        for mention in self._mentions:
            if mention.document_id not in texts:
                texts[mention.document_id] = self.session.project.document_text(mention.document_id)
            before, after = context_of(texts[mention.document_id], mention.start, mention.end)
            title = self._titles.get(mention.document_id, "")
            item = QTreeWidgetItem([title, before, mention.quote, after])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            text = texts[mention.document_id]
            sure = sure_mention(text, mention.start, mention.end, self.actor.names())
            item.setCheckState(DOCUMENT, Qt.CheckState.Checked if sure else Qt.CheckState.Unchecked)
            item.setToolTip(DOCUMENT, title)
            item.setTextAlignment(BEFORE, _RIGHT)
            item.setFont(MATCH, bold)
            item.setSizeHint(DOCUMENT, QSize(0, 22))
            items.append(item)
        self.list.addTopLevelItems(items)
        self.list.blockSignals(False)
        self.list.setColumnWidth(DOCUMENT, 150 if self.whole_project_scope() else 110)
        if items:
            self.list.setCurrentItem(items[0])
        self._update_count()

    def mentions(self) -> list[Mention]:
        return list(self._mentions)

    def checked_mentions(self) -> list[Mention]:
        return [
            mention
            for row, mention in enumerate(self._mentions)
            if self._item(row).checkState(DOCUMENT) == Qt.CheckState.Checked
        ]

    def set_checked(self, row: int, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self._item(row).setCheckState(DOCUMENT, state)

    def _item(self, row: int) -> QTreeWidgetItem:
        item = self.list.topLevelItem(row)
        if item is None:
            raise IndexError(f"no mention in row {row}")
        return item

    def _check_all(self, checked: bool) -> None:
        self.list.blockSignals(True)  # count once, not once per row
        for row in range(len(self._mentions)):
            self.set_checked(row, checked)
        self.list.blockSignals(False)
        self.list.viewport().update()
        self._update_count()

    def _on_scope(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self.reload()

    def _update_count(self) -> None:
        total = len(self._mentions)
        checked = len(self.checked_mentions())
        where = "the project" if self.whole_project_scope() else "this document"
        if self._problem:
            self.count_label.setText(self._problem)
        elif self._attribute_id is None:
            self.count_label.setText("The actor category has no “actor” field to link to.")
        elif total == 0:
            self.count_label.setText(f"No untagged mentions in {where}.")
        else:
            self.count_label.setText(f"{checked} of {total} checked")
        self.ok_button.setText(f"Tag {checked} Mention{'' if checked == 1 else 's'}")
        self.ok_button.setEnabled(checked > 0 and self._attribute_id is not None)
        self.check_all.setEnabled(checked < total)
        self.check_none.setEnabled(checked > 0)

    # -- result ----------------------------------------------------------------------
    def accept(self) -> None:
        mentions = self.checked_mentions()
        if mentions and self._attribute_id is not None:
            value = (Value(self._attribute_id, actor_id=self.actor.id),)
            specs = [NewAnnotation(m.document_id, m.start, m.end, "actor", value) for m in mentions]
            self.command = AddAnnotations(
                self.session, specs, mentions_label(len(specs), self.actor.name)
            )
            self.undo_stack.push(self.command)  # runs it; a failure tells the session
            self.tagged = list(self.command.records)
        super().accept()
