"""Property tests: code-point offsets ↔ Qt UTF-16 positions over random Unicode.

Texts are assembled from whole "tokens" (ASCII words, emoji with skin tone,
ZWJ families, flags, combining marks, Korean, Japanese, Hebrew, Arabic,
newlines); offsets are drawn only at token boundaries, which are grapheme
boundaries, so Qt has no reason to move them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.core.offsets import OffsetMap
from annotator.core.spans import normalise_span
from annotator.core.text import canonicalise
from annotator.qt.coding.document_view import DocumentView
from annotator.store.project import create_project, open_project

from .conftest import press

RAW_TOKENS = [
    "Putin",
    "met",
    "Kim",
    "a1",
    "Seoul",
    " ",
    " ",
    " ",
    "\n",
    ".",
    ",",
    "“",
    "”",
    "-",
    "👍🏽",
    "👨‍👩‍👧",
    "🇰🇷",
    "😀",
    "𝐀𝐁",  # astral: skin tone, ZWJ family, flag, math letters
    "e\u0301",
    "Cafe\u0301",
    "x\u0301",
    "q\u0307\u0323",  # combining marks (some survive NFC)
    "한국어",
    "소아쌤",
    "日本語",
    "עברית",
    "العربية",
]
TOKENS = [canonicalise(t) for t in RAW_TOKENS]

token_lists = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=40)


def _assemble(tokens: list[str]) -> tuple[str, list[int]]:
    """The canonical text and the code-point offsets between its tokens."""
    text = "".join(tokens)
    assert canonicalise(text) == text  # tokens never compose across a boundary
    bounds = [0]
    for token in tokens:
        bounds.append(bounds[-1] + len(token))
    return text, bounds


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _pairs(data: st.DataObject, bounds: list[int], count: int) -> list[tuple[int, int]]:
    pairs = []
    for _ in range(count):
        i = data.draw(st.integers(0, len(bounds) - 2))
        j = data.draw(st.integers(i + 1, len(bounds) - 1))
        pairs.append((bounds[i], bounds[j]))
    return pairs


def test_offsets_round_trip_through_the_qt_document(qtbot):
    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()

    @settings(max_examples=150, deadline=None)
    @given(tokens=token_lists, data=st.data())
    def check(tokens: list[str], data: st.DataObject) -> None:
        text, bounds = _assemble(tokens)
        offsets = OffsetMap(text)
        # Pure mapping: identity both ways at every code point, and the right UTF-16 count.
        assert offsets.length_u16 == _u16(text)
        for cp in range(len(text) + 1):
            assert offsets.to_utf16(cp) == _u16(text[:cp])
            assert offsets.to_codepoint(offsets.to_utf16(cp)) == cp

        view.show_document(text, [], {})
        assert view.text == text
        assert view.document().characterCount() - 1 == offsets.length_u16
        assert view.toPlainText() == text

        for start, end in _pairs(data, bounds, 8):
            view.select_span(start, end)
            assert view.selection_span() == (start, end)
            # Qt selects exactly those characters (it shows newlines as U+2029).
            assert view.textCursor().selectedText() == text[start:end].replace("\n", "\u2029")
            view.select_span(end, start)  # backwards, as a drag to the left makes it
            assert view.selection_span() == (start, end)

    check()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(tokens=token_lists, data=st.data())
def test_tagging_through_the_window_stores_the_quote(make_window, qtbot, tokens, data):
    text, bounds = _assemble([*tokens, "Kim"])  # never only whitespace (refused on import)
    ((start, end),) = _pairs(data, bounds, 1)
    expected = normalise_span(text, start, end)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.annotator"
        with create_project(path) as project:
            doc = project.import_text(text, title="Random")
            assert project.document_text(doc.id) == text
        window = make_window(path)
        try:
            view = window.view
            assert view.text == text
            cursor = view.textCursor()
            cursor.setPosition(view.offsets.to_utf16(start))
            cursor.setPosition(view.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
            view.setTextCursor(cursor)
            view.setFocus()
            assert view.selection_span() == (start, end)
            press(qtbot, view, Qt.Key.Key_1)
        finally:
            window.close()

        with open_project(path) as project:
            stored = project.annotations(doc.id)
        if expected is None:  # only whitespace selected: nothing is tagged
            assert stored == []
        else:
            (ann,) = stored
            assert (ann.start, ann.end) == expected
            assert ann.quote == text[ann.start : ann.end] == text[expected[0] : expected[1]]
            assert ann.category == "actor"
