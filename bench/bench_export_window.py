"""File ▸ Export for Analysis… of a big project, through the window: the longest
event-loop gap while the export runs (a 20 ms timer), the time to the result,
the cost of starting the child process, and the memory of window and child.

    .venv/bin/python bench/bench_export_window.py PROJECT [--runs N] [--idle S]
        [--cancel-after S | --cancel-at-table N]

Works on a copy of PROJECT in a scratch folder (opening it may migrate it and
writes backups); settings and backups go to a temporary folder too.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import isolated_folders, machine  # noqa: E402

FOLDERS = isolated_folders("bench-export-window-", offscreen=True)

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.app import build_window  # noqa: E402
from annotator.exporting.model import ExportOptions  # noqa: E402
from annotator.qt.common.settings import AppSettings  # noqa: E402
from annotator.qt.exporting import export_dialog  # noqa: E402
from annotator.qt.exporting.export_runner import running_export  # noqa: E402
from annotator.qt.main_window import MainWindow  # noqa: E402


def waited_s() -> float:
    """Seconds this thread has spent ready to run but waiting for a processor
    (Linux's schedstat; 0 elsewhere)."""
    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as stats:
            return int(stats.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class Ticks:
    """A 20 ms timer; the gaps between its ticks, and the same less the time the
    thread waited for a processor (the event loop's own stalls)."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self.stalls: list[float] = []
        self.start = self.last = time.perf_counter()
        self.last_waited = waited_s()
        self.long: list[tuple[float, float, float]] = []  # (when, gap, stall) over 50 ms
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.timer.start(20)

    def _tick(self) -> None:
        now, waited = time.perf_counter(), waited_s()
        gap = now - self.last
        stall = gap - (waited - self.last_waited)
        self.gaps.append(gap)
        self.stalls.append(stall)
        if gap > 0.050:
            self.long.append((self.last - self.start, gap, stall))
        self.last, self.last_waited = now, waited

    def stop(self) -> None:
        self._tick()
        self.timer.stop()


def one_export(
    window: MainWindow, out: Path, cancel_after: float | None, cancel_at: int | None
) -> dict[str, float]:
    request = export_dialog.ExportRequest(str(out), ExportOptions())
    export_dialog.run_export_dialog = lambda _window: request  # type: ignore[assignment]
    marks: dict[str, float] = {}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    ticks = Ticks()
    t0 = time.perf_counter()
    window.menus.actions["export_csv"].trigger()
    marks["trigger_ms"] = (time.perf_counter() - t0) * 1000
    run = running_export(window)
    assert run is not None
    run.process.process.started.connect(
        lambda: marks.setdefault("started_s", time.perf_counter() - t0)
    )

    def step(done: int, total: int, _label: str) -> None:
        key = "first_line_s" if not total else "first_table_s"
        marks.setdefault(key, time.perf_counter() - t0)
        if total and done == cancel_at and "cancel_s" not in marks:
            marks["cancel_s"] = time.perf_counter() - t0
            run.panel.cancel_button.click()

    run.process.progressed.connect(step)
    if cancel_after is not None:

        def cancel() -> None:
            marks["cancel_s"] = time.perf_counter() - t0
            run.panel.cancel_button.click()

        QTimer.singleShot(int(cancel_after * 1000), cancel)
    loop = QEventLoop()
    outcome: list[object] = []
    run.done.connect(lambda ended: (outcome.append(ended), loop.quit()))
    loop.exec()
    marks["result_s"] = time.perf_counter() - t0
    ticks.stop()
    gaps = sorted(ticks.gaps)
    marks["longest_gap_ms"] = gaps[-1] * 1000
    marks["longest_own_stall_ms"] = max(ticks.stalls) * 1000  # less the processor waits
    marks["gaps_over_50ms"] = sum(g > 0.050 for g in gaps)
    marks["ticks"] = len(gaps)
    if ticks.long:
        print(
            "  gaps over 50 ms (from s, gap ms, of it not waiting for a processor ms): "
            + ", ".join(
                f"{when:.2f} {gap * 1000:.0f} {own * 1000:.0f}" for when, gap, own in ticks.long
            )
        )
    after = resource.getrusage(resource.RUSAGE_SELF)
    marks["window_major_faults"] = after.ru_majflt - usage.ru_majflt
    marks["window_cpu_s"] = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    print(f"  outcome: {type(outcome[0]).__name__}")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cancel-after", type=float, help="click Cancel after S seconds")
    parser.add_argument(
        "--cancel-at-table", type=int, help="click Cancel when table N (0: the first) begins"
    )
    parser.add_argument(
        "--idle", type=float, default=10.0, help="seconds of the timer with no export first"
    )
    args = parser.parse_args()
    scratch = Path(FOLDERS.name)
    path = scratch / args.project.name
    shutil.copy(args.project, path)
    print("\n".join(machine()))
    app = QApplication.instance() or QApplication([])
    t0 = time.perf_counter()
    window = build_window(path, "bench", AppSettings(scratch / "config" / "settings.ini"))
    window.show()
    app.processEvents()
    print(f"window open: {time.perf_counter() - t0:.2f} s")
    idle = Ticks()
    loop = QEventLoop()
    QTimer.singleShot(int(args.idle * 1000), loop.quit)
    loop.exec()
    idle.stop()
    print(
        f"idle window ({args.idle:.0f} s, no export, the machine's own noise): longest gap "
        f"{max(idle.gaps) * 1000:.1f} ms ({max(idle.stalls) * 1000:.1f} ms not waiting for a "
        f"processor), {sum(g > 0.050 for g in idle.gaps)} over 50 ms"
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for number in range(args.runs):
        marks = one_export(
            window, scratch / f"out{number}", args.cancel_after, args.cancel_at_table
        )
        print("  " + ", ".join(f"{k} {v:.3f}" for k, v in marks.items()))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"window peak RSS {before:.0f} MB before the exports, {after:.0f} MB after")
    print(f"largest child peak RSS {child:.0f} MB")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
