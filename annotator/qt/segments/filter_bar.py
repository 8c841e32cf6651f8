"""The Coded Segments view's filters: one field per condition, all combining.

The lists (categories, coders, values, actors, issues, sources, variables) are
read from the project when the bar is filled; each field holds ids, the filter
(:class:`SegmentFilter`) is made from all of them at once.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from annotator.core.codebook import Codebook
from annotator.core.model import DocumentStatus
from annotator.core.segment_filter import SegmentFilter
from annotator.core.types import attribute_type
from annotator.qt.segments.many_combo import ManyCombo
from annotator.store.project import Project

ANY = "(any)"
TYPING_DELAY_MS = 300


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    return combo


def _many(name: str) -> ManyCombo:
    combo = ManyCombo()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    combo.setToolTip("Ctrl+click (Space in the open list) to choose several")
    return combo


def _fill(combo: QComboBox, items: list[tuple[str, str]], keep: str = "") -> None:
    """``items`` as (shown text, id) after "(any)"; the id ``keep`` stays chosen
    (those chosen in a box of several values)."""
    kept = combo.chosen() if isinstance(combo, ManyCombo) else ()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(ANY, "")
    for text, ident in items:
        combo.addItem(text, ident)
    found = combo.findData(keep) if keep else 0
    combo.setCurrentIndex(max(found, 0))
    combo.blockSignals(False)
    if isinstance(combo, ManyCombo):
        combo.choose(kept)


def _chosen(combo: QComboBox) -> str:
    return str(combo.currentData() or "")


def one(combo: QComboBox) -> tuple[str, ...]:
    chosen = _chosen(combo)
    return (chosen,) if chosen else ()


class FilterBar(QWidget):
    """Emits ``changed`` when a condition changes (typing: once it pauses)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.category = _many("segmentCategory")
        self.coder = _many("segmentCoder")
        self.value = _combo("segmentValue")
        self.actor = _combo("segmentActor")
        self.actor.setEditable(True)  # a registry of a thousand names: type to find one
        self.actor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.actor.completer()
        assert completer is not None
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.issue = _combo("segmentIssue")
        self.text = QLineEdit()
        self.text.setObjectName("segmentText")
        self.text.setPlaceholderText("quote, memo or text value contains…")
        self.incomplete = _combo("segmentIncomplete")
        _fill(self.incomplete, [("incomplete", "yes"), ("complete", "no")])
        self.status = _many("segmentStatus")
        _fill(self.status, [(s.label, s.value) for s in DocumentStatus])
        self.source = _many("segmentSource")
        self.date_from = QLineEdit()
        self.date_from.setObjectName("segmentDateFrom")
        self.date_from.setPlaceholderText("from 2024-01")
        self.date_to = QLineEdit()
        self.date_to.setObjectName("segmentDateTo")
        self.date_to.setPlaceholderText("to 2024-12")
        self.variable = _combo("segmentVariable")
        self.variable_value = QLineEdit()
        self.variable_value.setObjectName("segmentVariableValue")
        self.variable_value.setPlaceholderText("value")

        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        rows = (
            (
                ("&Category", self.category),
                ("C&oder", self.coder),
                ("&Value", self.value),
                ("&Actor", self.actor),
                ("&Issue", self.issue),
                ("Te&xt", self.text),
            ),
            (
                ("Inco&mplete", self.incomplete),
                ("&Status", self.status),
                ("Sou&rce", self.source),
                ("&Date", self.date_from),
                ("–", self.date_to),
                ("Varia&ble", self.variable),
                ("=", self.variable_value),
            ),
        )
        for row, fields in enumerate(rows):
            for column, (label, widget) in enumerate(fields):
                caption = QLabel(label)
                caption.setBuddy(widget)
                grid.addWidget(caption, row, 2 * column, Qt.AlignmentFlag.AlignRight)
                grid.addWidget(widget, row, 2 * column + 1)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_DELAY_MS)
        self._typing.timeout.connect(self.changed)
        for combo in (self.category, self.coder, self.value, self.issue, self.incomplete):
            combo.currentIndexChanged.connect(self.changed)
        for combo in (self.status, self.source, self.variable):
            combo.currentIndexChanged.connect(self.changed)
        self.actor.activated.connect(lambda _i: self.changed.emit())
        typed = self.actor.lineEdit()
        assert typed is not None
        typed.editingFinished.connect(self._actor_typed)
        for edit in (self.text, self.date_from, self.date_to, self.variable_value):
            edit.textEdited.connect(lambda _t: self._typing.start())
            edit.returnPressed.connect(self._now)

    def _now(self) -> None:
        self._typing.stop()
        self.changed.emit()

    def _actor_typed(self) -> None:
        if not self.actor.currentText().strip() and self.actor.currentIndex() != 0:
            self.actor.setCurrentIndex(0)
            self.changed.emit()

    def fill(self, project: Project, codebook: Codebook) -> None:
        """The lists of the project (the choices made so far are kept)."""
        labels = {c.id: c.label for c in codebook.categories}
        _fill(self.category, [(c.label, c.key) for c in codebook.categories], self.category_key)
        _fill(self.coder, [(n, n) for n in project.coder_names()], _chosen(self.coder))
        values = [
            (f"{labels[a.category_id]} · {a.label}: {c.label}", c.id)
            for a in codebook.attributes
            if attribute_type(a.type).has_choice_list
            for c in a.choices
        ]
        _fill(self.value, values, _chosen(self.value))
        actors = sorted(project.actors(), key=lambda a: (a.name.casefold(), a.id))
        _fill(self.actor, [(a.name, a.id) for a in actors], _chosen(self.actor))
        issue = codebook.attribute("claim", "issue")
        issues = [(c.label, c.id) for c in issue.choices] if issue is not None else []
        _fill(self.issue, issues, _chosen(self.issue))
        sources = sorted({d.source for d in project.documents(counts=False) if d.source})
        _fill(self.source, [(s, s) for s in sources], _chosen(self.source))
        variables = [(v.label, v.id) for v in project.variables()]
        _fill(self.variable, variables, _chosen(self.variable))

    @property
    def category_key(self) -> str:
        return _chosen(self.category)

    def segment_filter(self, base: SegmentFilter) -> SegmentFilter:
        """The conditions of the fields, with ``base``'s order."""
        incomplete = _chosen(self.incomplete)
        variable = _chosen(self.variable)
        value = self.variable_value.text().strip()
        return replace(
            base,
            categories=self.category.chosen(),
            coders=self.coder.chosen(),
            choices=one(self.value),
            actor=_chosen(self.actor) if self.actor.currentIndex() > 0 else "",
            issue=_chosen(self.issue),
            text=self.text.text().strip(),
            incomplete=None if not incomplete else incomplete == "yes",
            statuses=self.status.chosen(),
            sources=self.source.chosen(),
            date_from=self.date_from.text().strip(),
            date_to=self.date_to.text().strip(),
            variables=((variable, value),) if variable and value else (),
        )

    def show_filter(self, f: SegmentFilter) -> None:
        """Set the fields to a saved filter (its first value of each kind where a
        field holds one)."""
        self.blockSignals(True)

        def pick(combo: QComboBox, ident: str) -> None:
            combo.setCurrentIndex(max(combo.findData(ident), 0) if ident else 0)

        self.category.choose(f.categories)
        self.coder.choose(f.coders)
        pick(self.value, f.choices[0] if f.choices else "")
        pick(self.actor, f.actor)
        pick(self.issue, f.issue)
        self.text.setText(f.text)
        pick(self.incomplete, "" if f.incomplete is None else ("yes" if f.incomplete else "no"))
        self.status.choose(f.statuses)
        self.source.choose(f.sources)
        self.date_from.setText(f.date_from)
        self.date_to.setText(f.date_to)
        pick(self.variable, f.variables[0][0] if f.variables else "")
        self.variable_value.setText(f.variables[0][1] if f.variables else "")
        self.blockSignals(False)

    def clear(self) -> None:
        self.show_filter(SegmentFilter())
        self.changed.emit()
