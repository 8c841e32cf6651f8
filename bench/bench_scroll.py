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
from typing import NamedTuple  # noqa: E402

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

from annotator.core.model import Document  # noqa: E402
from annotator.qt.coding.document_view import DocumentView  # noqa: E402
from annotator.qt.common.settings import AppSettings  # noqa: E402
from annotator.qt.main_window import MainWindow  # noqa: E402
from annotator.store.project import Project  # noqa: E402

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


class Pages(NamedTuple):
    """One scroll from top to bottom: per page, milliseconds on the wall clock and
    of the UI thread's CPU time (what the page cost, whatever else the machine ran)."""

    wall: list[float]
    cpu: list[float]
    middle: QImage | None  # the grab of page 100


def scroll_pages(widget: QPlainTextEdit, settle_: Callable[[], None]) -> Pages:
    """Page down from the top to the bottom: setValue + processEvents + viewport grab."""
    bar = widget.verticalScrollBar()
    bar.setValue(0)
    settle_()
    pages = Pages([], [], None)
    while bar.value() < bar.maximum():
        t0, c0 = time.perf_counter(), time.thread_time()
        bar.setValue(bar.value() + bar.pageStep())
        QApplication.processEvents()
        image = widget.viewport().grab()
        pages.wall.append((time.perf_counter() - t0) * 1000.0)
        pages.cpu.append((time.thread_time() - c0) * 1000.0)
        if len(pages.wall) == 100:
            pages = pages._replace(middle=image.toImage())
    return pages


def highlight_all(
    highlighter: QSyntaxHighlighter, mark_all: Callable[[], None]
) -> tuple[float, float]:
    """Milliseconds (wall, UI-thread CPU) to highlight every block at once (``rehighlight``)."""
    mark_all()
    t0, c0 = time.perf_counter(), time.thread_time()
    highlighter.rehighlight()
    return (time.perf_counter() - t0) * 1000.0, (time.thread_time() - c0) * 1000.0


def line(name: str, values: list[float], note: str = "") -> str:
    return (
        f"{name:<36}{min(values):>9.1f} ms{statistics.median(values):>9.1f} ms"
        f"{max(values):>9.1f} ms  {note}"
    )


def each_page(runs: list[list[float]]) -> list[float]:
    """Each page's smallest figure over the runs."""
    return [min(times) for times in zip(*runs, strict=False)]


def pages_line(name: str, pages: list[float]) -> str:
    over = sum(t > PAGE_TARGET_MS for t in pages)
    return (
        f"{name:<36}{max(pages):>9.1f} ms{statistics.median(pages):>9.1f} ms"
        f"  (page {pages.index(max(pages))}; {over} of {len(pages)} pages over 16 ms)"
    )


def scroll_window(window: MainWindow, big: Document, small: Document, runs: int) -> None:
    scrolls = []
    for _ in range(runs):
        window.show_document(small)
        settle(window)
        window.show_document(big)  # blocks are highlighted as they come into view
        settle(window)
        scrolls.append(scroll_pages(window.view, lambda: settle(window)))
    size = f"{window.view.viewport().width()}×{window.view.viewport().height()}"
    print(f"\nwindow ({size} view, {len(scrolls[0].wall)} pages), {runs} runs: min / median / max")
    print(line("worst page", [max(p.wall) for p in scrolls], f"target ≤ {PAGE_TARGET_MS:.0f} ms"))
    print(line("median page", [statistics.median(p.wall) for p in scrolls]))
    print(line("top to bottom", [sum(p.wall) for p in scrolls]))
    print(f"{'':<36}{'worst':>12}{'median':>12}")
    print(pages_line("each page's quickest run", each_page([p.wall for p in scrolls])))
    print(pages_line("each page's least UI-thread CPU", each_page([p.cpu for p in scrolls])))


def compare_with_floor(project: Project, big: Document, colours: dict[str, str], runs: int) -> None:
    """The document view and the floor (and a bare view), standalone and of one size."""
    text = project.document_text(big.id)
    annotations = project.annotations_for_display(big.id)
    view = DocumentView()
    view.resize(*SIZE)
    view.show()
    view.show_document(text, annotations, colours)
    ranges = captured_ranges(view)
    floor, bare = FloorView(text, ranges), FloorView(text, None)
    for floor_view in (floor, bare):
        floor_view.resize(*SIZE)
        floor_view.show()

    def fresh_view() -> None:
        view.show_document(text, annotations, colours)
        QApplication.processEvents()

    def fresh(widget: FloorView) -> Callable[[], None]:
        def reset() -> None:
            widget.reset()
            QApplication.processEvents()

        return reset

    names = ("view", "floor", "bare")
    scrolls: dict[str, list[Pages]] = {name: [] for name in names}
    widgets: tuple[tuple[str, QPlainTextEdit, Callable[[], None]], ...] = (
        ("view", view, fresh_view),
        ("floor", floor, fresh(floor)),
        ("bare", bare, fresh(bare)),
    )
    for _ in range(runs):
        for name, widget, reset in widgets:
            reset()
            scrolls[name].append(scroll_pages(widget, QApplication.processEvents))

    floor_highlighter = floor.highlighter
    assert floor_highlighter is not None
    blocks = set(range(view.document().blockCount()))

    def all_shown_in_view() -> None:
        view.highlighter.shown_blocks = set(blocks)

    def all_shown_in_floor() -> None:
        floor_highlighter.shown = set(blocks)

    every: dict[str, list[tuple[float, float]]] = {"view": [], "floor": []}
    for _ in range(runs):
        every["view"].append(highlight_all(view.highlighter, all_shown_in_view))
        every["floor"].append(highlight_all(floor_highlighter, all_shown_in_floor))

    labels = {"view": "document view", "floor": "floor", "bare": "bare (no highlighter)"}
    print(f"\nstandalone {SIZE[0]}×{SIZE[1]} views, {runs} runs: min / median / max")
    for name in names:
        print(line(f"scroll, {labels[name]}", [sum(p.wall) for p in scrolls[name]]))
    for name in names:
        print(line(f"  UI-thread CPU, {labels[name]}", [sum(p.cpu) for p in scrolls[name]]))
    for name in ("view", "floor"):
        print(line(f"highlight every block, {name}", [w for w, _ in every[name]], "rehighlight()"))
        print(line("  UI-thread CPU", [c for _, c in every[name]]))
    print(f"{'':<36}{'worst':>12}{'median':>12}")
    for name in names:
        quickest = each_page([p.wall for p in scrolls[name]])
        print(pages_line(f"page, {labels[name]}", quickest))

    def ratios(label: str, clock: str) -> None:
        def total(name: str) -> float:
            return min(sum(p.wall if clock == "wall" else p.cpu) for p in scrolls[name])

        view_t, floor_t, bare_t = total("view"), total("floor"), total("bare")
        index = 0 if clock == "wall" else 1
        every_view = min(t[index] for t in every["view"])
        every_floor = min(t[index] for t in every["floor"])
        print(f"\n{label} (smallest run / smallest run), target ≤ {RATIO_TARGET}×")
        print(f"  scroll top to bottom, view / floor:          {view_t / floor_t:.2f}×")
        print(
            f"  highlighting's share of the scroll:          {view_t - bare_t:.0f} / "
            f"{floor_t - bare_t:.0f} ms = {(view_t - bare_t) / max(floor_t - bare_t, 1e-9):.2f}×"
        )
        print(f"  highlight every block (rehighlight):         {every_view / every_floor:.2f}×")

    ratios("wall clock", "wall")
    ratios("UI-thread CPU", "cpu")
    same = scrolls["view"][-1].middle == scrolls["floor"][-1].middle
    print(f"page 100 of the document view and of the floor pixel-identical: {same}")


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print("\n".join(machine(f"PySide6:   {PySide6.__version__}, Qt {qVersion()}")))
    root = Path(_TMP.name)
    text = make_text(random.Random(SEED))
    project, big = build_project(root / "scroll.annotator", text, N, random.Random(SEED + N))
    print(f"document:  {len(text):,} code points, {text.count(chr(10)):,} paragraphs, {N:,} spans")
    window = MainWindow(AppSettings(root / "config" / "settings.ini"), project, "bench")
    window.show()
    settle(window)
    small = next(d for d in project.documents() if d.id != big.id)
    scroll_window(window, big, small, runs)
    compare_with_floor(project, big, window._colours, runs)
    print(f"load:      {' '.join(Path('/proc/loadavg').read_text().split()[:3])} (at the end)")
    window.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
