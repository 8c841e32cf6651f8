"""The read-only document view: wrapped text, coded spans, code-point offsets."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QTextCursor,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.core.intervals import IntervalIndex, Span
from annotator.core.model import Annotation
from annotator.core.offsets import OffsetMap
from annotator.qt.coding.highlighter import SpanHighlighter

DEFAULT_POINT_SIZE = 12
MIN_POINT_SIZE, MAX_POINT_SIZE = 7, 40


def _x_at(line: QTextLine, position: int) -> float:
    """The x of a position in a laid-out line (PySide returns it with the position)."""
    found: tuple[float, int] = line.cursorToX(position)  # type: ignore[assignment]
    return found[0]


class DocumentView(QPlainTextEdit):
    """Shows one document; all offsets in and out are Python code points."""

    span_clicked = Signal(str)  # annotation id under a click, innermost
    span_hovered = Signal(str)  # annotation id under the mouse, or ""
    edit_requested = Signal()  # Enter: edit the selected annotation's attributes
    zoom_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setUndoRedoEnabled(False)
        self.setObjectName("documentView")
        font = QFont(self.font())
        font.setPointSize(DEFAULT_POINT_SIZE)
        self.setFont(font)
        self.document().setDocumentMargin(16)
        self._text = ""
        self.offsets = OffsetMap("")
        self.index = IntervalIndex()
        self.highlighter = SpanHighlighter(self.document())
        self._follow_theme()
        self._highlighting = False
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self.updateRequest.connect(lambda _rect, _dy: self._highlight_visible())
        self._dirty: set[int] = set()
        self._flush_pending = False
        self.selected_id: str | None = None
        self.viewport().setMouseTracking(True)
        self._hovered = ""

    # -- content --------------------------------------------------------------
    @property
    def text(self) -> str:
        """The canonical text shown (never read back from the widget)."""
        return self._text

    def show_document(
        self, text: str, spans: Iterable[Span | Annotation], colours: dict[str, str]
    ) -> None:
        self._text = text
        self.offsets = OffsetMap(text)
        self.index = IntervalIndex(spans)
        self.highlighter.configure(self.index, self.offsets, colours)
        self.selected_id = None
        self.setExtraSelections([])
        self.highlighter.linked_ids = frozenset()
        self.highlighter.shown_blocks = set()
        self._dirty.clear()
        self.setPlainText(text)
        self._highlight_visible()

    def _highlight_visible(self) -> None:
        """Highlight the blocks in view that have not been highlighted yet.

        A block is given its formats before it is first laid out, so that Qt lays
        it out once (formats set on a laid-out block lay it out again at once).
        The blocks' tops are summed from the first one in view."""
        if self._highlighting:  # a block's new formats asked for an update: in hand
            return
        self._highlighting = True
        try:
            shown, highlighter = self.highlighter.shown_blocks, self.highlighter
            block, offset = self.firstVisibleBlock(), self.contentOffset()
            bottom = self.viewport().height()
            top: float | None = None
            while block.isValid():
                number = block.blockNumber()
                if number not in shown:
                    shown.add(number)
                    highlighter.rehighlightBlock(block)
                if top is None:
                    top = self.blockBoundingGeometry(block).translated(offset).top()
                top += self.blockBoundingRect(block).height()  # the next block's top
                if top > bottom:
                    break
                block = block.next()
        finally:
            self._highlighting = False

    def clear_document(self) -> None:
        self.show_document("", [], {})

    def add_span(self, span: Span | Annotation) -> None:
        self.index.add(span)
        self._rehighlight_range(span.start, span.end)

    def remove_span(self, ident: str) -> None:
        span = self.index.remove(ident)
        if span is not None:
            self._rehighlight_range(span.start, span.end)
        if ident == self.selected_id:
            self.set_selected_span(None)

    def set_selected_span(self, ident: str | None) -> None:
        """Frame the selected annotation in its category's full colour. The tints
        stay as they are under the frame, so the text keeps its contrast and the
        spans nested in it stay visible; no text is laid out again."""
        self.selected_id = ident
        self.viewport().update()

    def selected_rects(self) -> list[QRectF]:
        """The rectangles (one per line, in viewport coordinates) of the selected
        annotation's text that lie in view."""
        span = self.index.get(self.selected_id or "")
        if span is None:
            return []
        to16 = self.offsets.to_utf16
        first, last = to16(span.start), to16(span.end)
        block = self.document().findBlock(first)
        top_visible = self.firstVisibleBlock()
        if block.blockNumber() < top_visible.blockNumber():
            block = top_visible
        offset = self.contentOffset()
        height = self.viewport().height()
        rects: list[QRectF] = []
        while block.isValid() and block.position() < last:
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            layout = block.layout()
            begin = max(first, block.position()) - block.position()
            end = min(last, block.position() + block.length() - 1) - block.position()
            for number in range(layout.lineCount()):
                line = layout.lineAt(number)
                a = max(begin, line.textStart())
                b = min(end, line.textStart() + line.textLength())
                if a >= b:
                    continue
                x1, x2 = _x_at(line, a), _x_at(line, b)
                rects.append(
                    QRectF(
                        geometry.left() + min(x1, x2),
                        geometry.top() + line.y(),
                        abs(x2 - x1),
                        line.height(),
                    )
                )
            block = block.next()
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        span = self.index.get(self.selected_id or "")
        rects = self.selected_rects() if span is not None else []
        if not rects or span is None:
            return
        painter = QPainter(self.viewport())
        pen = QPen(QColor(self.highlighter.colour(span.category)), 2)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for rect in rects:
            painter.drawRect(rect.adjusted(-1, 0, 1, -1))
        painter.end()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._follow_theme()

    def _follow_theme(self) -> None:
        """A dark or light theme (the system's, followed by Qt): tints and text
        colours that stay readable on it."""
        palette = self.palette()
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        if self.highlighter.set_theme(base, text):
            self.highlighter.rehighlight()

    def collapse_selection(self) -> None:
        """Leave the text cursor at the end of the selection, without a selection
        (after tagging: the new span shows its colour, not the selection's)."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.setPosition(cursor.selectionEnd())
            self.blockSignals(True)
            self.setTextCursor(cursor)
            self.blockSignals(False)

    def set_linked(self, ids: set[str]) -> None:
        """Emphasise the spans linked to the selected or hovered annotation."""
        old = self.highlighter.linked_ids
        new = frozenset(ids)
        if old == new:
            return
        self.highlighter.linked_ids = new
        for ident in old ^ new:
            span = self.index.get(ident)
            if span is not None:
                self._rehighlight_range(span.start, span.end)

    def span_at(self, position16: int) -> str:
        """Innermost annotation id at a Qt position, or ""."""
        spans = self.index.at(self.offsets.to_codepoint(position16))
        if not spans:
            return ""
        return min(spans, key=lambda s: (s.end - s.start, s.start)).id

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mouseMoveEvent(event)
        ident = self.span_at(self.cursorForPosition(event.position().toPoint()).position())
        if ident != self._hovered:
            self._hovered = ident
            self.span_hovered.emit(ident)

    # Keys the view handles itself (the window's actions list theirs), for Help ▸ Keyboard
    # Shortcuts: (keys, what they do).
    KEYS = (
        ("Enter", "Fill in the fields of the annotation at the cursor"),
        ("Esc", "Deselect the text and the annotation"),
        ("Shift+Arrows, Shift+Ctrl+Arrows", "Select text by character, by word"),
    )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.edit_requested.emit()
            return
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.collapse_selection()
            self.span_clicked.emit("")  # nothing selected
            return
        super().keyPressEvent(event)

    def _rehighlight_range(self, start: int, end: int) -> None:
        """Mark the blocks of a span for repainting; several changes made in one
        action (add, select, link) repaint each block once."""
        doc = self.document()
        first = doc.findBlock(self.offsets.to_utf16(start)).blockNumber()
        last = doc.findBlock(self.offsets.to_utf16(max(start, end - 1))).blockNumber()
        # Blocks not shown yet are highlighted when they come into view.
        self._dirty.update(n for n in range(first, last + 1) if n in self.highlighter.shown_blocks)
        if self._dirty and not self._flush_pending:
            self._flush_pending = True
            QTimer.singleShot(0, self.flush_highlights)

    def flush_highlights(self) -> None:
        """Repaint the blocks whose spans changed."""
        self._flush_pending = False
        dirty, self._dirty = self._dirty, set()
        doc = self.document()
        for number in sorted(dirty):
            block = doc.findBlockByNumber(number)
            if block.isValid():
                self.highlighter.rehighlightBlock(block)

    # -- selection in code points ----------------------------------------------
    def selection_span(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        to_cp = self.offsets.to_codepoint
        return to_cp(cursor.selectionStart()), to_cp(cursor.selectionEnd())

    def select_span(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.blockSignals(True)
        self.setTextCursor(cursor)
        self.blockSignals(False)
        self.centerCursor()

    def _on_cursor_moved(self) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection():
            return
        # A click (or a cursor move) on a span selects it; on plain text, deselects.
        self.span_clicked.emit(self.span_at(cursor.position()))

    # -- text size ----------------------------------------------------------------
    def point_size(self) -> int:
        return self.font().pointSize()

    def set_point_size(self, size: int) -> None:
        size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, size))
        font = QFont(self.font())
        font.setPointSize(size)
        self.setFont(font)
        self.zoom_changed.emit(size)

    def zoom(self, step: int) -> None:
        """Larger or smaller text; the cursor (where the coder is working) stays in
        view (the lines above it grew or shrank, and the view kept its first line)."""
        self.set_point_size(self.point_size() + step)
        self.ensureCursorVisible()
        QTimer.singleShot(0, self.ensureCursorVisible)  # once the new layout is done
