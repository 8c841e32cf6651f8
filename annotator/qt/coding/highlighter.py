"""Paint coded spans from an interval index, one text block at a time."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.core.intervals import IntervalIndex, Look, looks
from annotator.core.offsets import OffsetMap
from annotator.qt.coding.colours import readable, readable_tint

WHITE, BLACK = QColor("#ffffff"), QColor("#000000")


def background_for(colour: str, base: QColor = WHITE, text: QColor = BLACK) -> QColor:
    """A tint of a category colour over the page (white, or a dark theme's base),
    readable under the theme's text (WCAG AA)."""
    return readable_tint(colour, base, text)


class SpanHighlighter(QSyntaxHighlighter):
    """A tint of the innermost span's colour; where spans overlap, an underline
    in the outermost one's colour, so nested and crossing codes both show.
    (The selected annotation is drawn over this by the view.)"""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.index = IntervalIndex()
        self.offsets = OffsetMap("")
        self._formats: dict[Look, QTextCharFormat] = {}
        self._colours: dict[str, str] = {}
        self._base, self._text = WHITE, BLACK  # the page and its text (see set_theme)
        self.linked_ids: frozenset[str] = frozenset()
        # Blocks are highlighted once they have been shown (see DocumentView);
        # a long document is not highlighted in full when it opens.
        self.shown_blocks: set[int] = set()

    def configure(self, index: IntervalIndex, offsets: OffsetMap, colours: dict[str, str]) -> None:
        self.index = index
        self.offsets = offsets
        if colours != self._colours:  # the formats are kept from document to document
            self._colours = dict(colours)
            self._formats.clear()

    def set_theme(self, base: QColor, text: QColor) -> bool:
        """The page's background and text colours (a dark theme has light text on a
        dark base); True if they changed, and the blocks must be highlighted again."""
        if (base.rgb(), text.rgb()) == (self._base.rgb(), self._text.rgb()):
            return False
        self._base, self._text = QColor(base), QColor(text)
        self._formats.clear()
        return True

    def colour(self, category: str) -> str:
        return self._colours.get(category, "#999999")

    def _format(self, look: Look) -> QTextCharFormat:
        """The format of a run that looks like ``look`` (see ``intervals.looks``):
        a tint of the innermost span's colour (lighter when it is linked to the
        selected or hovered span), bold when any covering span is linked, and an
        underline in the outermost span's colour where spans nest or cross."""
        fmt = self._formats.get(look)
        if fmt is None:
            inner, outer, linked, inner_linked = look
            fmt = QTextCharFormat()
            colour = self.colour(inner)
            background = readable_tint(colour, self._base, self._text)
            if inner_linked:  # linked to the selected span: brighter, if still readable
                brighter = QColor(colour).lighter(130)
                background = (
                    brighter
                    if readable(brighter, self._text)
                    else readable_tint(colour, self._base, self._text, parts=6)
                )
            fmt.setBackground(background)
            if linked:
                fmt.setFontWeight(700)
            if outer is not None:
                # The span inside shows its tint; the one around it, a line.
                fmt.setFontUnderline(True)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(self._colours.get(outer, "#555555")))
            self._formats[look] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        block = self.currentBlock()
        if not len(self.index) or block.blockNumber() not in self.shown_blocks:
            return
        pos16 = block.position()
        offsets = self.offsets
        start = offsets.to_codepoint(pos16)
        end = offsets.to_codepoint(pos16 + block.length() - 1)  # Qt units, not len(text)
        spans = self.index.touching(start, end)
        if not spans:
            return
        runs = looks(spans, start, end, self.linked_ids)
        formats, make, set_format = self._formats, self._format, self.setFormat
        # Characters beyond the Basic Multilingual Plane in this block, by code point:
        # each one before a position shifts it one more UTF-16 unit.
        astral = offsets.astral_between(start, end)
        for a, b, look in runs:
            fmt = formats.get(look)
            if fmt is None:
                fmt = make(look)
            if astral:
                a += bisect_left(astral, a)
                b += bisect_left(astral, b)
            set_format(a - start, b - a, fmt)
