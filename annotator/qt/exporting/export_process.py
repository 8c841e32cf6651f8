"""The window's export, run as the command line runs it, in a child process.

A thread would not do: writing the CSV files, joining the tables and hashing the
project run long stretches of C code that hold Python's interpreter lock, and the
window would stall for as long. A child process keeps the window turning and
keeps the export's memory out of the window's. The child is
``annotator export … --progress=lines`` (``python -m annotator export …`` from
source; the app itself in the bundle, which runs the command line when its first
argument is ``export``); it reports as :mod:`progress_lines` says.

Cancel closes the child's standard input, which it hears on every system and
obeys at its next step; a child that has not stopped some seconds later is killed
(at once while it still reads the project; the export folder's journal and lock
cope with one killed while it writes: the next export tidies up after it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

import annotator
from annotator.exporting.model import ExportOptions
from annotator.qt.exporting.progress_lines import (
    LINES,
    OPTION,
    Failed,
    Finished,
    Message,
    Step,
    Stopped,
    parse_line,
)

# How long a cancelled export may take to stop before it is killed: while it reads
# the project nothing has been written, so little; once it writes, long enough
# to reach its next step (the folder then stays tidy), but not for ever.
STOP_READING_MS = 1000
STOP_WRITING_MS = 15000
STOP_CLOSING_MS = 5000  # the window is closing and waits
STDERR_KEPT = 8192  # the end of the child's error output, for an unexpected failure


def export_command(project: Path, out: Path, options: ExportOptions) -> tuple[str, list[str]]:
    """The program and arguments that export ``project`` into ``out`` for the window."""
    arguments = [
        "export",
        str(project.resolve()),
        f"--out={out.resolve()}",
        f"--profile={options.profile}",
        f"--format={','.join(options.formats)}",
        f"{OPTION}={LINES}",
    ]
    if options.coder is not None:
        arguments.append(f"--coder={options.coder}")
    if options.actor_networks:
        arguments.append("--actor-networks")
    if getattr(sys, "frozen", False):  # the bundle's program runs the command line itself
        return sys.executable, arguments
    return sys.executable, ["-m", "annotator", *arguments]


def source_root() -> str:
    """The folder that holds the ``annotator`` package this window runs: the child
    starts there, so ``-m annotator`` finds the same code."""
    return str(Path(annotator.__file__).resolve().parent.parent)


class ExportProcess(QObject):
    """One export in a child process: ``progressed`` while it runs, then
    ``finished`` once with a :class:`Finished`, :class:`Failed` or :class:`Stopped`."""

    progressed = Signal(int, int, str)  # done, total (0: not known yet), label
    finished = Signal(object)

    def __init__(
        self, project: Path, out: Path, options: ExportOptions, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.program, self.arguments = export_command(project, out, options)
        self.cancelling = False
        self.writing = False  # it reported a table: files are being written
        self.outcome: Message | None = None
        self._stderr = b""
        self._reported = False
        self.process = QProcess(self)
        if not getattr(sys, "frozen", False):
            self.process.setWorkingDirectory(source_root())
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.readyReadStandardError.connect(self._read_errors)
        self.process.finished.connect(self._ended)
        self.process.errorOccurred.connect(self._error)
        self._kill_timer = QTimer(self)
        self._kill_timer.setSingleShot(True)
        self._kill_timer.timeout.connect(self.process.kill)

    def start(self) -> None:
        self.process.start(self.program, self.arguments)

    @property
    def running(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    def cancel(self) -> None:
        """Ask the export to stop; it is killed if it has not a few seconds later."""
        if self.cancelling or not self.running:
            return
        self.cancelling = True
        self.process.closeWriteChannel()
        self._kill_timer.start(STOP_WRITING_MS if self.writing else STOP_READING_MS)

    def stop_now(self) -> None:
        """Cancel and wait (blocking) until the child is gone: for closing the window."""
        self.cancel()
        wait_ms = STOP_CLOSING_MS if self.writing else STOP_READING_MS
        if self.running and not self.process.waitForFinished(wait_ms):
            self.process.kill()
            self.process.waitForFinished(1000)

    def _read(self) -> None:
        while self.process.canReadLine():
            self._take(bytes(self.process.readLine().data()))

    def _take(self, raw: bytes) -> None:
        message = parse_line(raw.decode("utf-8", "replace"))
        if isinstance(message, Step):
            self.writing = self.writing or message.total > 0
            self.progressed.emit(message.done, message.total, message.label)
        elif message is not None:
            self.outcome = message

    def _read_errors(self) -> None:
        self._stderr = (self._stderr + bytes(self.process.readAllStandardError().data()))[
            -STDERR_KEPT:
        ]

    def _ended(self, code: int, status: QProcess.ExitStatus) -> None:
        self._kill_timer.stop()
        self._read()
        rest = bytes(self.process.readAllStandardOutput().data())
        if rest.strip():
            self._take(rest)  # a last line without its line end
        self._read_errors()
        outcome = self.outcome
        if outcome is None:
            if self.cancelling:
                outcome = Stopped()
            else:
                outcome = Failed(self._unexpected(code, status))
        self._report(outcome)

    def _unexpected(self, code: int, status: QProcess.ExitStatus) -> str:
        lines = self._stderr.decode("utf-8", "replace").strip().splitlines()
        if lines:
            return f"it stopped unexpectedly: {lines[-1]}"
        if status == QProcess.ExitStatus.CrashExit:
            return "it stopped unexpectedly."
        return f"it stopped unexpectedly (exit code {code})."

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:  # no finished signal follows
            self._report(Failed(f"it could not be started ({self.process.errorString()})."))

    def _report(self, outcome: Message) -> None:
        if self._reported:
            return
        self._reported = True
        self.finished.emit(outcome)


__all__ = ["ExportProcess", "Failed", "Finished", "Stopped", "export_command"]
