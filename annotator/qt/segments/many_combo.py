"""A filter field of the Coded Segments bar that may hold several values: pick one
as in any drop-down list, or Ctrl+click (Space in the open list) to tick more than
one; the box then names them all, and the filter lets any of them through."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPaintEvent
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter

_CHECK = Qt.ItemDataRole.CheckStateRole
_TICKED = Qt.CheckState.Checked


class ManyCombo(QComboBox):
    """A combo box whose entries after the first ("(any)") can be ticked."""

    def __init__(self) -> None:
        super().__init__()
        self._ticking = False  # the ticks changed: the signal says so, they stay
        self.currentIndexChanged.connect(self._picked)
        self.activated.connect(self._activated)

    # -- what is chosen ----------------------------------------------------------------
    def ticked(self) -> list[str]:
        """The ids of the ticked entries, in list order."""
        return [str(self.itemData(r) or "") for r in range(1, self.count()) if self._is_ticked(r)]

    def chosen(self) -> tuple[str, ...]:
        """The ticked ids, else the current entry's (none for "(any)")."""
        ticked = self.ticked()
        if ticked:
            return tuple(ticked)
        current = str(self.currentData() or "")
        return (current,) if current else ()

    def choose(self, ids: tuple[str, ...] | list[str]) -> None:
        """Show ``ids`` chosen (without a signal): one as the current entry, several ticked."""
        self.blockSignals(True)
        self._clear_ticks()
        rows = [r for r in (self.findData(i) for i in ids) if r > 0]
        self.setCurrentIndex(rows[0] if rows else 0)
        if len(rows) > 1:
            for row in rows:
                self.setItemData(row, _TICKED, _CHECK)
        self.blockSignals(False)
        self.update()

    # -- ticking -----------------------------------------------------------------------
    def _clear_ticks(self) -> None:
        for row in range(1, self.count()):
            if self.itemData(row, _CHECK) is not None:
                self.setItemData(row, None, _CHECK)

    def _picked(self, _row: int) -> None:
        """An entry picked as in any list: it alone is chosen."""
        if self._ticking:
            return
        self.blockSignals(True)
        self._clear_ticks()
        self.blockSignals(False)

    def _activated(self, row: int) -> None:
        if self.ticked():  # the current entry picked again, with others ticked
            self._picked(row)
            self.update()
            self.currentIndexChanged.emit(row)

    def _is_ticked(self, row: int) -> bool:
        return self.model().index(row, 0).data(_CHECK) in (_TICKED, _TICKED.value)

    def _toggle(self, row: int) -> None:
        """Tick or untick entry ``row``; with one left ticked it is simply the current one."""
        if row <= 0:
            return
        current = self.currentIndex()
        self.blockSignals(True)
        if not self.ticked() and current > 0:  # the entry chosen so far stays chosen
            self.setItemData(current, _TICKED, _CHECK)
        self.setItemData(row, None if self._is_ticked(row) else _TICKED, _CHECK)
        rows = [r for r in range(1, self.count()) if self._is_ticked(r)]
        if len(rows) <= 1:
            self._clear_ticks()
            self.setCurrentIndex(rows[0] if rows else 0)
        elif self.currentIndex() not in rows:
            self.setCurrentIndex(rows[0])
        self.blockSignals(False)
        self.update()
        self._ticking = True
        self.currentIndexChanged.emit(self.currentIndex())  # the filter is read again
        self._ticking = False

    def showPopup(self) -> None:
        super().showPopup()
        # After the list's own filters (made with the list), so that Ctrl+click and
        # Space reach these first.
        view = self.view()
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        view = self.view()
        if (
            watched is view.viewport()
            and event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._toggle(view.indexAt(event.position().toPoint()).row())
            return True
        if (
            watched is view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
        ):
            self._toggle(view.currentIndex().row())
            return True
        return super().eventFilter(watched, event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The box names every ticked entry."""
        ticked = [self.itemText(self.findData(i)) for i in self.ticked()]
        if len(ticked) < 2:
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = " + ".join(ticked)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
