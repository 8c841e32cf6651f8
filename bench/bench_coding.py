"""Benchmark: open a ~1 MB document, add one annotation, export CSV, at 10,000
and 50,000 annotations. Prints figures beside the targets; never fails on them.

Run from the repository root:  .venv/bin/python bench/bench_coding.py
"""

from __future__ import annotations

from benchlib import isolated_folders, machine

# Before anything imports Qt or reads the user's folders.
_TMP = isolated_folders("annotator-bench-", offscreen=True)

import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

import PySide6  # noqa: E402
from PySide6.QtCore import QEvent, QObject, Qt, qVersion  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from qtbench import activate, settle, timed  # noqa: E402

from annotator.core.model import Document  # noqa: E402
from annotator.exporting.csv_export import export_csv  # noqa: E402
from annotator.qt.common import dialogs  # noqa: E402
from annotator.qt.common.settings import AppSettings  # noqa: E402
from annotator.qt.main_window import MainWindow  # noqa: E402
from annotator.store.project import Project, create_project  # noqa: E402

SEED = 20261123
SIZES = (10_000, 50_000)
DOC_CHARS = 1_000_000
OPEN_RUNS, ADD_RUNS, EXPORT_RUNS, SCROLL_RUNS = 7, 20, 5, 20
CODER = "bench"
SETUP_TIME = "2026-11-23T12:00:00.000Z"
TARGETS_MS = {("open", 10_000): 150.0, ("open", 50_000): 400.0, ("export", 50_000): 1000.0}
ADD_TARGET_MS = 16.0

WORDS = (
    "the of and to in a is that for on with as by at from it was said would not be has "
    "have this are which their government minister party parliament election policy reform "
    "budget president opposition coalition spokesperson announced criticised demanded "
    "proposal agreement negotiations union workers industry climate energy migration "
    "health education court ruling protest citizens economy inflation taxes security "
    "sanctions treaty summit delegation committee report statement interview journalists "
    "newspaper according officials emphasised rejected supported strongly however "
    "yesterday tomorrow national regional european international public private"
).split()
KOREAN = ("대통령", "정부", "국회", "합의", "소아쌤", "서울", "협상")
EMOJI = ("👍🏽", "🙂", "🇰🇷", "🔥")


def make_text(rng: random.Random, target: int = DOC_CHARS) -> str:
    """English-like prose in paragraphs of 300–1500 characters, one per line."""
    paragraphs: list[str] = []
    size = 0
    while size < target:
        want, parts, length = rng.randint(300, 1200), [], 0
        while length < want:  # a sentence is < 300 chars, so a paragraph stays < 1500
            words = [rng.choice(WORDS) for _ in range(rng.randint(5, 20))]
            if rng.random() < 0.08:
                words.insert(rng.randrange(len(words)), rng.choice(KOREAN))
            if rng.random() < 0.04:
                words.append(rng.choice(EMOJI))
            sentence = " ".join(words)
            parts.append(sentence[0].upper() + sentence[1:] + rng.choice(".....?!"))
            length += len(parts[-1]) + 1
        paragraphs.append(" ".join(parts))
        size += len(paragraphs[-1]) + 1
    return "\n".join(paragraphs) + "\n"


def word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\S+", text)]


def random_span(rng: random.Random, words: list[tuple[int, int]]) -> tuple[int, int]:
    """1–12 consecutive words (spans may overlap each other)."""
    first = rng.randrange(len(words))
    last = min(len(words) - 1, first + rng.randint(1, 12) - 1)
    return words[first][0], words[last][1]


def build_project(path: Path, text: str, n: int, rng: random.Random) -> tuple[Project, Document]:
    """Setup (not timed): one big document, one tiny one, ``n`` bulk-inserted annotations."""
    project = create_project(path)
    doc = project.import_text(text, title="Big document")
    project.import_text("A short note 👍🏽 from 소아쌤.\n", title="Small document")
    text = project.document_text(doc.id)
    coder_id = project.ensure_coder(CODER).id
    cat_ids = {c.key: c.id for c in project.categories()}
    words, now = word_spans(text), SETUP_TIME
    rows = []
    for _ in range(n):
        start, end = random_span(rng, words)
        rows.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "document_id": doc.id,
                "coder_id": coder_id,
                "category_id": cat_ids[rng.choice(("actor", "claim", "stance"))],
                "start": start,
                "end": end,
                "quote": text[start:end],
                "memo": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    with project.db.atomic():
        project.db["annotations"].insert_all(rows, batch_size=1000)
    return project, project.document(doc.id)


def bench_open(window: MainWindow, big: Document, small: Document) -> list[float]:
    def switch_away() -> None:  # so that every run is a fresh open of the big document
        window.show_document(small)
        settle(window)

    def open_big() -> None:
        window.show_document(big)
        settle(window)

    return [timed(open_big, switch_away) for _ in range(OPEN_RUNS)]


class PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def bench_add(
    window: MainWindow, big: Document, rng: random.Random
) -> tuple[list[float], list[float]]:
    """Per run: (key press → saved → window painted, the same + a full view grab)."""
    window.show_document(big)
    settle(window)
    activate(window)
    words = word_spans(window.view.text)
    paints = PaintCounter(window.view.viewport())
    frames, grabbed = [], []
    for _ in range(ADD_RUNS):
        start, end = random_span(rng, words)

        def select(start: int = start, end: int = end) -> None:
            window.view.select_span(start, end)
            window.view.setFocus()
            settle(window)

        def press_2() -> None:
            QTest.keyClick(window.view, Qt.Key.Key_2)
            QApplication.processEvents()  # delivers the window's update: everything changed paints

        before, painted = window.project.annotation_count(), paints.count
        frames.append(timed(press_2, select))
        if window.project.annotation_count() != before + 1:
            raise RuntimeError("pressing 2 did not save an annotation")
        if paints.count == painted:
            raise RuntimeError("the document view was not repainted within the timed run")
        window.undo_stack.undo()
        settle(window)

        def tag_and_grab() -> None:
            window.coding.tag_selection("claim")
            settle(window)

        grabbed.append(timed(tag_and_grab, select))
    # Untimed: back to exactly n annotations for the export (bulk rows carry SETUP_TIME).
    window.undo_stack.clear()
    with window.project.db.atomic():
        window.project.db.execute("DELETE FROM annotations WHERE created_at != ?", [SETUP_TIME])
    return frames, grabbed


def bench_scroll(window: MainWindow, big: Document) -> list[float]:
    """Page down through the document: blocks are highlighted as they come into view."""
    window.show_document(big)
    settle(window)
    bar = window.view.verticalScrollBar()
    bar.setValue(0)
    settle(window)

    def page_down() -> None:
        bar.setValue(bar.value() + bar.pageStep())
        settle(window)

    return [timed(page_down) for _ in range(SCROLL_RUNS)]


def bench_export(project: Project, out: Path) -> list[float]:
    return [timed(lambda: export_csv(project, out)) for _ in range(EXPORT_RUNS)]


def target(name: str, n: int) -> str:
    goal = TARGETS_MS.get((name, n))
    return f"≤ {goal:.0f} ms" if goal is not None else "—"


def main() -> int:
    def refuse_dialog(_parent: object, title: str, message: str) -> None:
        raise RuntimeError(f"{title}: {message}")  # a modal box would hang offscreen

    dialogs.show_error = refuse_dialog
    dialogs.show_info = refuse_dialog
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print("\n".join(machine(f"PySide6:   {PySide6.__version__}, Qt {qVersion()}")))
    root = Path(_TMP.name)
    text = make_text(random.Random(SEED))
    print(
        f"document:  {len(text):,} code points, {len(text.encode()):,} bytes UTF-8, "
        f"{text.count(chr(10)):,} paragraphs\n",
        flush=True,
    )
    rows: list[tuple[str, int, list[float], str]] = []
    for n in SIZES:
        rng = random.Random(SEED + n)
        project, big = build_project(root / f"bench-{n}.annotator", text, n, rng)
        small = next(d for d in project.documents() if d.id != big.id)
        window = MainWindow(AppSettings(root / "config" / f"settings-{n}.ini"), project, CODER)
        window.show()
        settle(window)
        rows.append(("open", n, bench_open(window, big, small), target("open", n)))
        rows.append(("scroll", n, bench_scroll(window, big), "one page down, painted"))
        frames, grabbed = bench_add(window, big, rng)
        rows.append(("add", n, frames, f"≤ {ADD_TARGET_MS:.0f} ms (key 2 → saved → painted)"))
        rows.append(("add+grab", n, grabbed, "tag_selection + full view grab (earlier method)"))
        exports = bench_export(window.project, root / f"export-{n}")
        rows.append(("export", n, exports, target("export", n)))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(("peak RSS", n, [peak], "process peak so far (cumulative)"))
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    print(f"{'measure':<10}{'annotations':>12}{'runs':>6}{'min':>11}{'median':>11}  target")
    for name, n, values, goal in rows:
        unit = "MB" if name == "peak RSS" else "ms"
        print(
            f"{name:<10}{n:>12,}{len(values):>6}{min(values):>8.1f} {unit}"
            f"{statistics.median(values):>8.1f} {unit}  {goal}"
        )
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
