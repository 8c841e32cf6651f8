"""What the highlighter paints: the formats of blocks with nested, crossing and
linked spans after astral characters, and the view's repainting as it scrolls."""

from __future__ import annotations

from PySide6.QtGui import QTextCharFormat

from annotator.core.intervals import Span
from annotator.qt.coding.document_view import DocumentView

COLOURS = {"actor": "#1f77b4", "claim": "#d62728", "stance": "#2ca02c"}
# Emoji (two UTF-16 units each) and Korean before and inside the spans.
TEXT = "👍🏽 The 대통령 said 🙂 that the budget 🇰🇷 would pass.\nSecond line, one span.\n"


def _span(text: str, quote: str, category: str, ident: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return Span(start, start + len(quote), category, ident)


SPANS = [
    _span(TEXT, "The 대통령 said 🙂 that the budget", "claim", "c1"),  # around a1, crossing s1
    _span(TEXT, "대통령", "actor", "a1"),
    _span(TEXT, "budget 🇰🇷 would", "stance", "s1"),
    _span(TEXT, "🙂 that", "actor", "a2"),  # inside c1, as is a1
    _span(TEXT, "one span", "actor", "a3"),
]


def _describe(fmt: QTextCharFormat) -> tuple[str, bool, str, int]:
    underline = fmt.underlineColor().name() if fmt.fontUnderline() else ""
    return fmt.background().color().name(), fmt.fontUnderline(), underline, fmt.fontWeight()


def _formats(view: DocumentView) -> list[list[tuple[int, int, tuple[str, bool, str, int]]]]:
    """Every block's format ranges in Qt (UTF-16) units."""
    blocks = []
    block = view.document().begin()
    while block.isValid():
        ranges = [(r.start, r.length, _describe(r.format)) for r in block.layout().formats()]
        blocks.append(sorted(ranges))
        block = block.next()
    return blocks


def _view(qtbot) -> DocumentView:
    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    view.show_document(TEXT, SPANS, COLOURS)
    qtbot.waitUntil(lambda: bool(_formats(view)[0]))
    return view


# As painted before the sweep kept its spans in order (identical since). Qt units:
# the emoji before the claim take 4 units, the smiley 2.
CLAIM, ACTOR, STANCE = "#f1b7b7", "#b4d1e6", "#b8dfb8"  # tints
PLAIN = [
    [
        (5, 4, (CLAIM, False, "", 400)),  # "The " in the claim: its tint
        (9, 3, (ACTOR, True, "#d62728", 400)),  # 대통령: the actor's tint, the claim's line
        (12, 6, (CLAIM, False, "", 400)),
        (18, 7, (ACTOR, True, "#d62728", 400)),  # "🙂 that": another actor in the claim
        (25, 5, (CLAIM, False, "", 400)),
        (30, 6, (STANCE, True, "#d62728", 400)),  # "budget ": the shorter, crossing stance
        (36, 11, (STANCE, False, "", 400)),  # the rest of the stance, beyond the claim
    ],
    [(13, 8, (ACTOR, False, "", 400))],
    [],
]
CLAIM_LINKED = [  # the claim linked: a stronger tint of its own, bold wherever it covers
    [
        (5, 4, ("#ff4647", False, "", 700)),
        (9, 3, (ACTOR, True, "#d62728", 700)),
        (12, 6, ("#ff4647", False, "", 700)),
        (18, 7, (ACTOR, True, "#d62728", 700)),
        (25, 5, ("#ff4647", False, "", 700)),
        (30, 6, (STANCE, True, "#d62728", 700)),
        (36, 11, (STANCE, False, "", 400)),
    ],
    [(13, 8, (ACTOR, False, "", 400))],
    [],
]
STANCE_LINKED = [
    [
        *PLAIN[0][:5],
        (30, 6, ("#39d039", True, "#d62728", 700)),
        (36, 11, ("#39d039", False, "", 700)),
    ],
    PLAIN[1],
    [],
]


def test_nested_crossing_and_linked_spans_keep_their_formats(qtbot):
    view = _view(qtbot)
    assert _formats(view) == PLAIN
    view.set_linked({"c1"})
    qtbot.waitUntil(lambda: _formats(view) != PLAIN)
    assert _formats(view) == CLAIM_LINKED
    view.set_linked({"s1"})
    qtbot.waitUntil(lambda: _formats(view) != CLAIM_LINKED)
    assert _formats(view) == STANCE_LINKED
    view.set_linked(set())
    qtbot.waitUntil(lambda: _formats(view) == PLAIN)


def _in_view(view: DocumentView) -> set[int]:
    """Blocks whose top is within the viewport, by geometry."""
    numbers, block, offset = set(), view.document().begin(), view.contentOffset()
    while block.isValid():
        rect = view.blockBoundingGeometry(block).translated(offset)
        if rect.bottom() > 0 and rect.top() <= view.viewport().height():
            numbers.add(block.blockNumber())
        block = block.next()
    return numbers


def test_the_blocks_in_view_and_only_those_are_highlighted_as_the_view_scrolls(qtbot):
    lines = [f"Line {n} 👍🏽 with a span in it, and more words to wrap." for n in range(60)]
    text = "\n".join(lines) + "\n"
    spans, position = [], 0
    for n, line in enumerate(lines):
        start = position + line.index("a span")
        spans.append(Span(start, start + 6, "actor", f"a{n}"))
        position += len(line) + 1
    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.show()
    view.show_document(text, spans, COLOURS)
    qtbot.waitExposed(view)
    seen = set(view.highlighter.shown_blocks)
    assert seen == _in_view(view)
    bar = view.verticalScrollBar()
    for value in (bar.pageStep(), 3 * bar.pageStep(), bar.maximum()):
        bar.setValue(value)
        qtbot.waitUntil(lambda: _in_view(view) <= view.highlighter.shown_blocks)
        seen |= _in_view(view)
        assert view.highlighter.shown_blocks == seen  # nothing beyond the view
    for number in seen:
        block = view.document().findBlockByNumber(number)
        formats = [(r.start, r.length) for r in block.layout().formats()]
        if number == len(lines):  # the empty block after the last line break
            assert formats == []
            continue
        at = lines[number].index("a span") + 2  # after 👍🏽: two code points, four units
        assert formats == [(at, 6)]


def test_a_new_colour_shows_when_the_document_is_shown_again(qtbot):
    view = _view(qtbot)
    assert _formats(view)[1] == [(13, 8, (ACTOR, False, "", 400))]
    view.show_document(TEXT, SPANS, {**COLOURS, "actor": "#000000"})
    qtbot.waitUntil(lambda: bool(_formats(view)[1]))
    assert _formats(view)[1] == [(13, 8, ("#aaaaaa", False, "", 400))]
    view.show_document(TEXT, SPANS, COLOURS)  # and back
    qtbot.waitUntil(lambda: bool(_formats(view)[1]))
    assert _formats(view) == PLAIN
