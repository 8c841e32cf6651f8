"""The read-only document view: wrapped text, coded spans, code-point offsets."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.core.intervals import IntervalIndex, Span
from annotator.core.offsets import OffsetMap
from annotator.qt.highlighter import SpanHighlighter

DEFAULT_POINT_SIZE = 12
MIN_POINT_SIZE, MAX_POINT_SIZE = 7, 40


class DocumentView(QPlainTextEdit):
    """Shows one document; all offsets in and out are Python code points."""

    span_clicked = Signal(str)  # annotation id under a click, innermost
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
        self.cursorPositionChanged.connect(self._on_cursor_moved)

    # -- content --------------------------------------------------------------
    @property
    def text(self) -> str:
        """The canonical text shown (never read back from the widget)."""
        return self._text

    def show_document(self, text: str, spans: list[Span], colours: dict[str, str]) -> None:
        self._text = text
        self.offsets = OffsetMap(text)
        self.index = IntervalIndex(spans)
        self.highlighter.configure(self.index, self.offsets, colours)
        self.highlighter.selected_id = None
        # setPlainText lays out and highlights every block once.
        self.setPlainText(text)

    def clear_document(self) -> None:
        self.show_document("", [], {})

    def add_span(self, span: Span) -> None:
        self.index.add(span)
        self._rehighlight_range(span.start, span.end)

    def remove_span(self, ident: str) -> None:
        span = self.index.remove(ident)
        if span is not None:
            self._rehighlight_range(span.start, span.end)

    def set_selected_span(self, ident: str | None) -> None:
        previous = self.index.get(self.highlighter.selected_id or "")
        self.highlighter.selected_id = ident
        if previous is not None:
            self._rehighlight_range(previous.start, previous.end)
        current = self.index.get(ident or "")
        if current is not None:
            self._rehighlight_range(current.start, current.end)

    def _rehighlight_range(self, start: int, end: int) -> None:
        doc = self.document()
        block = doc.findBlock(self.offsets.to_utf16(start))
        last = doc.findBlock(self.offsets.to_utf16(max(start, end - 1)))
        while block.isValid():
            self.highlighter.rehighlightBlock(block)
            if block == last:
                break
            block = block.next()

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
        spans = self.index.at(self.offsets.to_codepoint(cursor.position()))
        if spans:
            innermost = min(spans, key=lambda s: (s.end - s.start, s.start))
            self.span_clicked.emit(innermost.ident)

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
        self.set_point_size(self.point_size() + step)
