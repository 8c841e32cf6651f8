"""Coded segments, statistics and the document list on a study-sized project
(500 documents, 500,000 annotations with values and registry links, 4 coders:
bench_study.py's project). Times, through the real window: opening View ▸ Coded
Segments, applying filters and sorts, opening View ▸ Statistics (until its quick
tables show, and until every table shows: the stances over time and the actor
tables, counted on a worker thread; min and median of a few openings), and the
document list's filter. Prints wall-clock and processor milliseconds beside the
targets; never fails on them.

Run from the repository root:  .venv/bin/python bench/bench_segments.py
``--project PATH`` measures a project built before (a copy of it; bench_study.py
``--keep PATH`` writes one), else the project is built first (a few minutes);
``--statistics`` measures the Statistics view alone.
"""

from __future__ import annotations

from benchlib import isolated_folders, machine

# Before anything imports Qt or reads the user's folders.
_TMP = isolated_folders("annotator-bench-segments-", offscreen=True)

import gc  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

import PySide6  # noqa: E402
from bench_study import SEED, build_project  # noqa: E402
from PySide6.QtCore import qVersion  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from qtbench import settle  # noqa: E402

from annotator.core.segment_filter import QUOTE, SegmentFilter  # noqa: E402
from annotator.exporting.statistics import actor_tables  # noqa: E402
from annotator.qt.common import dialogs  # noqa: E402
from annotator.qt.common.settings import AppSettings  # noqa: E402
from annotator.qt.main_window import MainWindow  # noqa: E402
from annotator.qt.segments.segments_dock import show_segments  # noqa: E402
from annotator.qt.statistics.statistics_window import (  # noqa: E402
    StatisticsWindow,
    show_statistics,
)
from annotator.store.project import open_project  # noqa: E402

RUNS = 5
STATS_RUNS = 3


def measure(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median wall-clock and processor milliseconds of ``action``."""
    walls, cpus = [], []
    for _ in range(runs):
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        action()
        QApplication.processEvents()
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def timed(action: Callable[[], object], runs: int = STATS_RUNS) -> list[tuple[float, float]]:
    """Wall-clock and processor milliseconds of each run of ``action``."""
    found = []
    for _ in range(runs):
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        action()
        found.append(((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000))
    return found


def spread(name: str, runs: list[tuple[float, float]], goal: str) -> str:
    """Minimum and median of the runs' wall-clock and processor times."""
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    return (
        f"{name:<44} wall min {min(walls):6.0f} median {statistics.median(walls):6.0f} ms,"
        f" processor min {min(cpus):6.0f} median {statistics.median(cpus):6.0f} ms   {goal}"
    )


def line(name: str, figures: tuple[float, float], goal: str) -> str:
    wall, cpu = figures
    return f"{name:<44} {wall:8.0f} ms {cpu:8.0f} ms cpu   {goal}"


def main() -> int:
    def refuse_dialog(parent: QWidget | None, title: str, message: str) -> None:
        raise RuntimeError(f"{title}: {message}")

    dialogs.show_error = refuse_dialog
    dialogs.show_info = refuse_dialog
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print("\n".join(machine(f"PySide6:   {PySide6.__version__}, Qt {qVersion()}")), flush=True)
    root = Path(_TMP.name)
    path = root / "study.annotator"
    if "--project" in sys.argv:
        shutil.copyfile(sys.argv[sys.argv.index("--project") + 1], path)
    else:
        build_project(path, random.Random(SEED)).close()
    project = open_project(path)  # migrates a project built by an older version
    print(f"setup:     {project.annotation_count():,} annotations, not timed", flush=True)
    window = MainWindow(AppSettings(root / "config" / "settings.ini"), project, "Ana")
    window.resize(1400, 900)
    window.show()
    settle(window)
    codebook = project.codebook()
    polarity = codebook.attribute("stance", "polarity")
    assert polarity is not None
    oppose = next(c.id for c in polarity.choices if c.label == "oppose")
    actor = project.actors()[5].id
    # View ▸ Statistics as a user waits for it: the quick tables shown, then every
    # table (the stances over time and the actor tables, counted on a worker thread).
    # Processor time is the whole process's (both threads).
    quick, whole, again = [], [], []
    for _ in range(STATS_RUNS):
        found = window.findChild(StatisticsWindow, "statisticsWindow")
        if found is not None:
            found.forget_counts()  # every run counts, as after an edit
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        stats = show_statistics(window)
        assert stats is not None
        stats.grab()
        quick.append(((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000))
        while not stats.actors_ready:
            app.processEvents()
            time.sleep(0.002)
        stats.grab()
        whole.append(((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000))
        stats.stop()
        stats.close()
    # Open again with nothing changed since: the counts are shown as they were.
    for _ in range(STATS_RUNS):
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        stats = show_statistics(window)
        assert stats is not None and stats.actors_ready
        stats.grab()
        again.append(((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000))
        stats.close()
    for name, runs in (
        ("Statistics: open (quick tables shown)", quick),
        ("Statistics: open → all tables shown", whole),
        ("Statistics: again, nothing changed (all)", again),
    ):
        print(spread(name, runs, "≤ 500 ms"), flush=True)
    reader = open_project(path, read_only=True)
    print(spread("  actor tables alone (actor_tables)", timed(lambda: actor_tables(reader)), ""))
    reader.close()

    print(f"load:      {' '.join(Path('/proc/loadavg').read_text().split()[:3])} (after)")
    if "--statistics" in sys.argv:
        window.close()
        project.close()
        return 0

    print(f"{'':<44} {'wall':>11} {'processor':>15}   target")

    w, c = time.perf_counter(), time.process_time()
    dock = show_segments(window)
    dock.table.viewport().grab()
    print(
        line(
            "Coded Segments: open (500,000 rows)",
            ((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000),
            "≤ 300 ms",
        )
    )
    model = dock.model
    assert model is not None
    base = model.filter

    def apply(f: SegmentFilter) -> Callable[[], object]:
        def run() -> None:
            model.apply(f)
            dock.table.viewport().grab()  # the first page read and painted

        return run

    for name, f in (
        ("filter: category stance", replace(base, categories=("stance",))),
        ("filter: polarity oppose", replace(base, choices=(oppose,))),
        (
            "filter: one actor's oppose stances",
            replace(base, categories=("stance",), choices=(oppose,), actor=actor),
        ),
        ("filter: coder", replace(base, coders=("Bo",))),
        ("filter: source", replace(base, sources=("Herald",))),
        ("filter: text contains 'treaty'", replace(base, text="treaty")),
        ("filter: text 'treaty', stances", replace(base, text="treaty", categories=("stance",))),
        ("filter: none again", base),
    ):
        print(line(name, measure(apply(f)), "≤ 200 ms"), flush=True)

    # A filter by text shows its first rows, then counts the rest while the window is
    # idle: the time until every row is counted.
    def counted(f: SegmentFilter) -> Callable[[], object]:
        def run() -> None:
            apply(f)()
            model.finish()
            dock.table.viewport().grab()

        return run

    for name, f in (
        ("  text 'treaty': every row counted", replace(base, text="treaty")),
        ("  text 'xyzzy' (no row): every row counted", replace(base, text="xyzzy")),
    ):
        print(line(name, measure(counted(f)), "(no target)"), flush=True)
    print(
        line(
            "sort: by quote (all rows)", measure(apply(replace(base, sort=QUOTE)), 2), "(no target)"
        ),
        flush=True,
    )
    model.apply(base)
    scroll = dock.table.verticalScrollBar()

    def jump() -> None:
        scroll.setValue(random.randrange(scroll.maximum()))
        dock.table.viewport().grab()

    print(line("scroll: jump anywhere, paint", measure(jump, 10), "(fluent)"), flush=True)

    bar = window.list_filter
    bar.toggle.setChecked(True)
    herald = bar.source.findText("Herald")
    print(
        line(
            "document list: filter by source (500)",
            measure(
                lambda: bar.source.setCurrentIndex(
                    herald if bar.source.currentIndex() != herald else 0
                )
            ),
            "(no target)",
        )
    )
    print(
        line(
            "document list: group by month",
            measure(lambda: bar.group.setCurrentIndex(3 if bar.group.currentIndex() != 3 else 0)),
            "(no target)",
        )
    )
    window.close()
    project.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
