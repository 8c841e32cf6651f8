"""Benchmark: scroll the 1 MB, 50,000-annotation document of ``bench_coding.py`` from
top to bottom, page by page, and compare the highlighting with a bare-Qt floor.
Prints figures; never fails on them.

Run from the repository root:  .venv/bin/python bench/bench_scroll.py [RUNS=3]
"""

from __future__ import annotations

# First: bench_coding points the data, config and Qt platform away from the user's.
import bench_coding

_TMP = bench_coding._TMP

import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import PySide6  # noqa: E402
from bench_coding import SEED, build_project, make_text  # noqa: E402
from benchlib import machine  # noqa: E402
from PySide6.QtCore import qVersion  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QFont,
    QImage,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402
from qtbench import settle  # noqa: E402

from annotator.qt.coding.document_view import DocumentView  # noqa: E402
from annotator.qt.common.settings import AppSettings  # noqa: E402
from annotator.qt.main_window import MainWindow  # noqa: E402

N = 50_000
SIZE = (900, 700)  # the standalone views (the window's own view is as laid out)
PAGE_TARGET_MS = 16.0
RATIO_TARGET = 1.5
Ranges = list[tuple[int, int, QTextCharFormat]]


class FloorHighlighter(QSyntaxHighlighter):
    """The least a highlighter can do to show the same formats: for each block,
    ``setFormat`` over ranges computed beforehand (UTF-16 block positions, one shared
    ``QTextCharFormat`` object per distinct format), on blocks that have come into view."""

    def __init__(self, document: QTextDocument, ranges: dict[int, Ranges]) -> None:
        super().__init__(document)
        self.ranges = ranges
        self.shown: set[int] = set()

    def highlightBlock(self, _text: str) -> None:  # noqa: N802 (Qt override)
        number = self.currentBlock().blockNumber()
        if number in self.shown:
            for start, length, fmt in self.ranges.get(number, ()):
                self.setFormat(start, length, fmt)


class FloorView(QPlainTextEdit):
    """A bare ``QPlainTextEdit`` set up as the document view is, highlighting the
    blocks in view the first time they are shown, as the document view does."""

    def __init__(self, text: str, ranges: dict[int, Ranges] | None) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setUndoRedoEnabled(False)
        font = QFont(self.font())
        font.setPointSize(12)
        self.setFont(font)
        self.document().setDocumentMargin(16)
        self.highlighter = FloorHighlighter(self.document(), ranges) if ranges else None
        self.busy = False
        self.updateRequest.connect(lambda _rect, _dy: self.highlight_visible())
        self.text = text

    def reset(self) -> None:
        if self.highlighter is not None:
            self.highlighter.shown = set()
        self.setPlainText(self.text)

    def highlight_visible(self) -> None:
        """The document view's loop: each block in view not yet shown is given its
        formats before its first layout, and the tops are summed from the first."""
        if self.highlighter is None or self.busy:
            return
        self.busy = True
        shown = self.highlighter.shown
        block, offset = self.firstVisibleBlock(), self.contentOffset()
        bottom = self.viewport().height()
        top: float | None = None
        while block.isValid():
            if block.blockNumber() not in shown:
                shown.add(block.blockNumber())
                self.highlighter.rehighlightBlock(block)
            if top is None:
                top = self.blockBoundingGeometry(block).translated(offset).top()
            top += self.blockBoundingRect(block).height()
            if top > bottom:
                break
            block = block.next()
        self.busy = False


def captured_ranges(view: DocumentView) -> dict[int, Ranges]:
    """The formats the document view's highlighter gave every block, with one shared
    format object per distinct format (what a precomputing highlighter would keep)."""
    view.highlighter.shown_blocks = set(range(view.document().blockCount()))
    view.highlighter.rehighlight()
    distinct: list[QTextCharFormat] = []

    def shared(fmt: QTextCharFormat) -> QTextCharFormat:
        for known in distinct:
            if known == fmt:
                return known
        distinct.append(QTextCharFormat(fmt))
        return distinct[-1]

    ranges: dict[int, Ranges] = {}
    block = view.document().begin()
    while block.isValid():
        found = [(r.start, r.length, shared(r.format)) for r in block.layout().formats()]
        if found:
            ranges[block.blockNumber()] = found
        block = block.next()
    return ranges


def scroll_pages(
    widget: QPlainTextEdit, settle_: Callable[[], None]
) -> tuple[list[float], QImage | None]:
    """Page down from the top to the bottom; milliseconds per page (setValue +
    processEvents + viewport grab), and the grab of a page in the middle."""
    bar = widget.verticalScrollBar()
    bar.setValue(0)
    settle_()
    pages: list[float] = []
    middle: QImage | None = None
    while bar.value() < bar.maximum():
        t0 = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        QApplication.processEvents()
        image = widget.viewport().grab()
        pages.append((time.perf_counter() - t0) * 1000.0)
        if len(pages) == 100:
            middle = image.toImage()
    return pages, middle


def highlight_all(highlighter: QSyntaxHighlighter, mark_all: Callable[[], None]) -> float:
    """Milliseconds to highlight every block at once (``rehighlight``)."""
    mark_all()
    t0 = time.perf_counter()
    highlighter.rehighlight()
    return (time.perf_counter() - t0) * 1000.0


def line(name: str, values: list[float], unit: str = "ms", note: str = "") -> str:
    return (
        f"{name:<34}{min(values):>9.1f} {unit}{statistics.median(values):>9.1f} {unit}"
        f"{max(values):>9.1f} {unit}  {note}"
    )


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print("\n".join(machine(f"PySide6:   {PySide6.__version__}, Qt {qVersion()}")))
    root = Path(_TMP.name)
    text = make_text(random.Random(SEED))
    project, big = build_project(root / "scroll.annotator", text, N, random.Random(SEED + N))
    text = project.document_text(big.id)
    print(f"document:  {len(text):,} code points, {text.count(chr(10)):,} paragraphs, {N:,} spans")

    window = MainWindow(AppSettings(root / "config" / "settings.ini"), project, "bench")
    window.show()
    settle(window)
    small = next(d for d in project.documents() if d.id != big.id)
    worst: list[float] = []
    medians: list[float] = []
    totals: list[float] = []
    per_page: list[list[float]] = []
    for _ in range(runs):
        window.show_document(small)
        settle(window)
        window.show_document(big)
        settle(window)
        pages, _ = scroll_pages(window.view, lambda: settle(window))
        worst.append(max(pages))
        medians.append(statistics.median(pages))
        totals.append(sum(pages))
        per_page.append(pages)
    # Each page's quickest run: what the page costs without the other work on the machine.
    quickest = [min(times) for times in zip(*per_page, strict=False)]
    slowest = max(range(len(quickest)), key=quickest.__getitem__)
    view_size = f"{window.view.viewport().width()}×{window.view.viewport().height()}"
    print(f"\nwindow ({view_size} view, {len(pages)} pages), {runs} runs: min / median / max")
    print(line("worst page", worst, note=f"target ≤ {PAGE_TARGET_MS:.0f} ms"))
    print(line("median page", medians))
    print(line("top to bottom", totals))
    print(
        f"worst page, each page's quickest run:  {quickest[slowest]:.1f} ms (page {slowest}); "
        f"over 16 ms: {sum(t > PAGE_TARGET_MS for t in quickest)} of {len(quickest)} pages"
    )

    # Standalone views of one size: the document view and the floor.
    annotations = project.annotations_for_display(big.id)
    colours = window._colours
    view = DocumentView()
    view.resize(*SIZE)
    view.show()
    view.show_document(text, annotations, colours)
    ranges = captured_ranges(view)
    floor = FloorView(text, ranges)
    floor.resize(*SIZE)
    floor.show()
    bare = FloorView(text, None)
    bare.resize(*SIZE)
    bare.show()

    def fresh_view() -> None:
        view.show_document(text, annotations, colours)
        QApplication.processEvents()

    def fresh_floor(widget: FloorView) -> Callable[[], None]:
        def reset() -> None:
            widget.reset()
            QApplication.processEvents()

        return reset

    scroll: dict[str, list[float]] = {"view": [], "floor": [], "bare": []}
    page_runs: dict[str, list[list[float]]] = {"view": [], "floor": [], "bare": []}
    images: dict[str, QImage | None] = {}
    for _ in range(runs):
        for name, widget, reset in (
            ("view", view, fresh_view),
            ("floor", floor, fresh_floor(floor)),
            ("bare", bare, fresh_floor(bare)),
        ):
            reset()
            pages, images[name] = scroll_pages(widget, QApplication.processEvents)
            scroll[name].append(sum(pages))
            page_runs[name].append(pages)
    every: dict[str, list[float]] = {"view": [], "floor": []}
    floor_highlighter = floor.highlighter
    assert floor_highlighter is not None
    blocks = set(range(view.document().blockCount()))

    def all_shown_in_view() -> None:
        view.highlighter.shown_blocks = set(blocks)

    def all_shown_in_floor() -> None:
        floor_highlighter.shown = set(blocks)

    for _ in range(runs):
        every["view"].append(highlight_all(view.highlighter, all_shown_in_view))
        every["floor"].append(highlight_all(floor_highlighter, all_shown_in_floor))
    print(f"\nstandalone {SIZE[0]}×{SIZE[1]} views, {runs} runs: min / median / max")
    print(line("scroll, document view", scroll["view"]))
    print(line("scroll, floor", scroll["floor"]))
    print(line("scroll, bare (no highlighter)", scroll["bare"]))
    for name, label in (("view", "document view"), ("floor", "floor"), ("bare", "bare")):
        quickest = [min(times) for times in zip(*page_runs[name], strict=False)]
        print(
            f"worst page, {label}, each page's quickest run: {max(quickest):.1f} ms; "
            f"median {statistics.median(quickest):.1f} ms"
        )
    print(line("highlight every block, view", every["view"], note="rehighlight()"))
    print(line("highlight every block, floor", every["floor"], note="rehighlight()"))
    ratio_scroll = min(scroll["view"]) / min(scroll["floor"])
    ratio_every = min(every["view"]) / min(every["floor"])
    extra_view = min(scroll["view"]) - min(scroll["bare"])
    extra_floor = min(scroll["floor"]) - min(scroll["bare"])
    print(f"\nscroll top to bottom, view / floor (min / min):        {ratio_scroll:.2f}×")
    print(f"highlight every block, view / floor (min / min):       {ratio_every:.2f}×")
    print(
        f"highlighting's share of the scroll, view / floor:      {extra_view:.0f} / "
        f"{extra_floor:.0f} ms = {extra_view / max(extra_floor, 1e-9):.2f}×"
    )
    print(f"target ≤ {RATIO_TARGET}×")
    same = images["view"] is not None and images["view"] == images["floor"]
    print(f"page 100 of the document view and of the floor pixel-identical: {same}")
    window.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
