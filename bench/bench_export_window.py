"""File ▸ Export for Analysis… of a big project, through the window: the longest
event-loop gap while the export runs (a 20 ms timer), the time to the result,
the cost of starting the child process, and the memory of window and child.

    .venv/bin/python bench/bench_export_window.py PROJECT [--runs N] [--cancel-after S]

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


class Ticks:
    """A 20 ms timer; the gaps between its ticks."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self.start = self.last = time.perf_counter()
        self.long: list[tuple[float, float]] = []  # (when, gap) of gaps over 50 ms
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.timer.start(20)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        if now - self.last > 0.050:
            self.long.append((self.last - self.start, now - self.last))
        self.last = now

    def stop(self) -> None:
        self._tick()
        self.timer.stop()


def one_export(window: MainWindow, out: Path, cancel_after: float | None) -> dict[str, float]:
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

    run.process.progressed.connect(step)
    if cancel_after is not None:
        QTimer.singleShot(int(cancel_after * 1000), run.panel.cancel_button.click)
    loop = QEventLoop()
    outcome: list[object] = []
    run.done.connect(lambda ended: (outcome.append(ended), loop.quit()))
    loop.exec()
    marks["result_s"] = time.perf_counter() - t0
    ticks.stop()
    gaps = sorted(ticks.gaps)
    marks["longest_gap_ms"] = gaps[-1] * 1000
    marks["gaps_over_50ms"] = sum(g > 0.050 for g in gaps)
    marks["ticks"] = len(gaps)
    after = resource.getrusage(resource.RUSAGE_SELF)
    marks["window_major_faults"] = after.ru_majflt - usage.ru_majflt
    marks["window_cpu_s"] = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    if ticks.long:
        print(
            "  gaps over 50 ms (from s, ms): "
            + ", ".join(f"{when:.2f} {gap * 1000:.0f}" for when, gap in ticks.long)
        )
    print(f"  outcome: {type(outcome[0]).__name__}")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cancel-after", type=float, help="click Cancel after S seconds")
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
        f"{max(idle.gaps) * 1000:.1f} ms, {sum(g > 0.050 for g in idle.gaps)} over 50 ms"
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for number in range(args.runs):
        marks = one_export(window, scratch / f"out{number}", args.cancel_after)
        print("  " + ", ".join(f"{k} {v:.3f}" for k, v in marks.items()))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"window peak RSS {before:.0f} MB before the exports, {after:.0f} MB after")
    print(f"largest child peak RSS {child:.0f} MB")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
