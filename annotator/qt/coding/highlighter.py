"""Paint coded spans from an interval index, one text block at a time."""

from __future__ import annotations

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.core.intervals import IntervalIndex, segments
from annotator.core.offsets import OffsetMap


def background_for(colour: str) -> QColor:
    """A light tint of a category colour, readable under black text."""
    base = QColor(colour)
    return QColor(
        (base.red() + 2 * 255) // 3, (base.green() + 2 * 255) // 3, (base.blue() + 2 * 255) // 3
    )


class SpanHighlighter(QSyntaxHighlighter):
    """A tint of the innermost span's colour; where spans overlap, an underline
    in the outermost one's colour, so nested and crossing codes both show.
    (The selected annotation is drawn over this by the view.)"""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.index = IntervalIndex()
        self.offsets = OffsetMap("")
        self._formats: dict[tuple[str | bool, ...], QTextCharFormat] = {}
        self._colours: dict[str, str] = {}
        self.linked_ids: frozenset[str] = frozenset()
        # Blocks are highlighted once they have been shown (see DocumentView);
        # a long document is not highlighted in full when it opens.
        self.shown_blocks: set[int] = set()

    def configure(self, index: IntervalIndex, offsets: OffsetMap, colours: dict[str, str]) -> None:
        self.index = index
        self.offsets = offsets
        self._colours = dict(colours)
        self._formats.clear()

    def colour(self, category: str) -> str:
        return self._colours.get(category, "#999999")

    def _format(
        self, keys: tuple[str, ...], linked: bool = False, inner_linked: bool = False
    ) -> QTextCharFormat:
        """Keys run outermost first; ``linked`` marks spans linked to the selected
        or hovered one."""
        cache_key: tuple[str | bool, ...] = (*keys, linked, inner_linked)
        fmt = self._formats.get(cache_key)
        if fmt is None:
            fmt = QTextCharFormat()
            inner = self.colour(keys[-1])
            if inner_linked:
                fmt.setBackground(QColor(inner).lighter(130))
            else:
                fmt.setBackground(background_for(inner))
            if linked:
                fmt.setFontWeight(700)
            if len(keys) > 1:
                # The span inside shows its tint; the one around it, a line.
                fmt.setFontUnderline(True)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(self._colours.get(keys[0], "#555555")))
            self._formats[cache_key] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        block = self.currentBlock()
        if not len(self.index) or block.blockNumber() not in self.shown_blocks:
            return
        pos16 = block.position()
        to_cp = self.offsets.to_codepoint
        start = to_cp(pos16)
        end = to_cp(pos16 + block.length() - 1)  # Qt units, not len(text)
        spans = self.index.overlapping(start, end)
        if not spans:
            return
        to16 = self.offsets.to_utf16
        identity = self.offsets.is_identity
        for seg_start, seg_end, covering in segments(spans, start, end):
            keys = tuple(s.category for s in covering)
            linked = bool(self.linked_ids) and any(s.id in self.linked_ids for s in covering)
            inner_linked = linked and covering[-1].id in self.linked_ids
            if identity:
                a, b = seg_start - start, seg_end - start
            else:
                a, b = to16(seg_start) - pos16, to16(seg_end) - pos16
            self.setFormat(a, b - a, self._format(keys, linked, inner_linked))
