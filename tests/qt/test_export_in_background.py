"""File ▸ Export for Analysis… runs behind the window: the event loop keeps turning,
the progress bar moves, Cancel leaves the previous export in place, and the files
are the command line's, byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QProcess, Qt, QTimer

from annotator.exporting.model import ExportOptions
from annotator.exporting.tables import export_files
from annotator.qt.common import dialogs
from annotator.qt.exporting import export_dialog, export_process
from annotator.qt.exporting.export_dialog import ExportRequest
from annotator.qt.exporting.export_runner import ExportProgress, running_export
from annotator.qt.exporting.progress_lines import Finished, Stopped
from tests.export_files import build_project, folder_state, without_export_time

from .conftest import keep_then_stop, press, select_text
from .export_helpers import wait_for_export

STALL_BOUND_S = 0.100  # the longest the window may go without turning its event loop


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """40,000 annotations in 40 documents: an export of a second or two."""
    return build_project(tmp_path_factory.mktemp("big") / "big.annotator", 40, 1000)


@pytest.fixture
def big_window(big_file, make_window, tmp_path):
    path = tmp_path / "big.annotator"
    shutil.copy(big_file, path)
    return make_window(path)


def _export_to(monkeypatch, folder: Path, options: ExportOptions | None = None) -> None:
    request = ExportRequest(str(folder), options or ExportOptions())
    monkeypatch.setattr(export_dialog, "run_export_dialog", lambda _window: request)
    asked = dialogs.choose

    def choose(parent, title, message, buttons):  # incomplete annotations: export anyway
        if title == "Export for Analysis":
            return buttons.index("Export Anyway")
        return asked(parent, title, message, buttons)

    monkeypatch.setattr(dialogs, "choose", choose)


def cli_export(project: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", "export", str(project), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


def waited_s() -> float:
    """Seconds this thread has spent ready to run but waiting for a processor
    (Linux; 0 elsewhere): time the machine's other work took, not ours."""
    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as stats:
            return int(stats.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class Ticks:
    """A 20 ms timer that records the longest time between two of its ticks, and
    the longest stall of the event loop itself: that time less what the thread
    spent waiting for a processor (on a machine shared by several busy people, a
    bare Qt timer waits 100 ms and more now and then, with or without our export)."""

    def __init__(self) -> None:
        self.count = 0
        self.longest = 0.0
        self.longest_stall = 0.0
        self.last = time.perf_counter()
        self.last_waited = waited_s()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now, waited = time.perf_counter(), waited_s()
        self.longest = max(self.longest, now - self.last)
        self.longest_stall = max(self.longest_stall, now - self.last - (waited - self.last_waited))
        self.last, self.last_waited = now, waited
        self.count += 1

    def stop(self) -> None:
        self._tick()
        self.timer.stop()


def test_the_window_keeps_turning_and_writes_the_command_lines_files(
    big_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs
):
    window = big_window
    out = tmp_path / "window"
    _export_to(monkeypatch, out, ExportOptions(profile="excel", coder="Ben"))
    ticks = Ticks()
    window.menus.actions["export_csv"].trigger()
    run = running_export(window)
    assert run is not None
    assert run.panel in window.statusBar().findChildren(ExportProgress)
    values: list[int] = []
    run.panel.bar.valueChanged.connect(values.append)
    outcome = wait_for_export(qtbot, window)
    ticks.stop()

    assert isinstance(outcome, Finished), outcome
    assert ticks.longest_stall < STALL_BOUND_S, (
        f"the event loop stalled {ticks.longest_stall * 1000:.0f} ms "
        f"(longest gap {ticks.longest * 1000:.0f} ms)"
    )
    assert ticks.count > 10  # it ran long enough to tell
    assert values == sorted(values) and len(set(values)) >= 5  # the bar moved, forward
    assert running_export(window) is None
    qtbot.waitUntil(lambda: not window.statusBar().findChildren(ExportProgress))
    files = len(
        export_files(("csv",), actor_networks=False)
    )  # every table's CSV, the GraphML, DATA_DICTIONARY.md…
    assert window.statusBar().currentMessage() == f"Exported {files} files to {out}"
    assert _no_modal_dialogs == []

    by_cli = tmp_path / "cli"
    done = cli_export(window.project.path, by_cli, "--profile=excel", "--coder=Ben")
    assert done.returncode == 0, done.stderr
    mine, theirs = folder_state(out), folder_state(by_cli)
    assert sorted(mine) == sorted(theirs)
    manifests = mine.pop("manifest.json"), theirs.pop("manifest.json")
    assert mine == theirs
    assert without_export_time(manifests[0]) == without_export_time(manifests[1])


def test_cancel_leaves_the_previous_export_in_place(
    big_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs
):
    window = big_window
    out = tmp_path / "out"
    assert cli_export(window.project.path, out).returncode == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # a file of the user's
    before = folder_state(out)
    _export_to(monkeypatch, out, ExportOptions(profile="excel"))
    window.menus.actions["export_csv"].trigger()
    run = running_export(window)
    assert run is not None

    def cancel_while_writing(_done: int, total: int, _label: str) -> None:
        if total and run.panel.cancel_button.isEnabled():
            qtbot.mouseClick(run.panel.cancel_button, Qt.MouseButton.LeftButton)

    run.process.progressed.connect(cancel_while_writing)
    outcome = wait_for_export(qtbot, window)

    assert isinstance(outcome, Stopped), outcome
    assert folder_state(out) == before
    assert window.statusBar().currentMessage() == (
        f"Export cancelled; nothing in {out} was changed."
    )
    assert _no_modal_dialogs == []


def test_one_export_at_a_time_and_coding_goes_on_meanwhile(
    big_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs
):
    window = big_window
    _export_to(monkeypatch, tmp_path / "first")
    count = window.project.annotation_count()
    window.menus.actions["export_csv"].trigger()
    first = running_export(window)
    assert first is not None
    with qtbot.waitSignal(first.process.progressed):  # it has begun reading the project
        pass
    qtbot.wait(100)
    select_text(window, "economy")
    press(qtbot, window.view, Qt.Key.Key_1)  # tag an actor while the export reads
    assert window.project.annotation_count() == count + 1
    _export_to(monkeypatch, tmp_path / "second")
    window.menus.actions["export_csv"].trigger()
    assert running_export(window) is first
    ((title, message),) = _no_modal_dialogs
    assert (title, message.split(".")[0]) == ("Export for Analysis", "An export is already running")
    assert isinstance(wait_for_export(qtbot, window), Finished)
    assert (tmp_path / "first" / "annotations.csv").exists()
    assert not (tmp_path / "second").exists()


def test_closing_the_window_asks_and_stops_the_export(
    big_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs
):
    window = big_window
    out = tmp_path / "out"
    _export_to(monkeypatch, out)
    window.menus.actions["export_csv"].trigger()
    run = running_export(window)
    assert run is not None
    asked = keep_then_stop(monkeypatch)
    window.close()
    assert window.isVisible() and run.process.running
    assert asked[0].startswith(f"An export to {out} is still running.")
    window.close()
    assert len(asked) == 2
    assert not window.isVisible()
    assert not run.process.running
    assert not out.exists()  # it was stopped before anything was put in place


def test_an_export_that_does_not_stop_in_time_is_killed(
    big_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs
):
    window = big_window
    monkeypatch.setattr(export_process, "STOP_READING_MS", 0)  # no time to stop by itself
    out = tmp_path / "out"
    _export_to(monkeypatch, out)
    window.menus.actions["export_csv"].trigger()
    run = running_export(window)
    assert run is not None
    with qtbot.waitSignal(run.process.progressed):  # it started reading the project
        pass
    qtbot.mouseClick(run.panel.cancel_button, Qt.MouseButton.LeftButton)
    assert run.panel.label.text() == "Cancelling the export…"
    assert isinstance(wait_for_export(qtbot, window), Stopped)
    assert run.process.process.exitStatus() == QProcess.ExitStatus.CrashExit  # killed
    assert not out.exists()
    assert window.statusBar().currentMessage() == f"Export cancelled; nothing in {out} was changed."
