"""How an export run for the window talks to it: one line of text per message.

The window does not export on its own thread: it runs the same export as the
command line, ``annotator export PROJECT --out DIR … --progress=lines``, in a
child process, and reads what that prints on its standard output:

    progress DONE TOTAL LABEL     how far it got (TOTAL 0: not yet known)
    result JSON                   finished: the ExportResult's fields
    failed JSON                   stopped by an error: the text to show, a JSON string
    cancelled                     stopped when asked; nothing in the folder changed

The window asks the export to stop by closing the child's standard input (every
system has that, where only some have signals): :func:`watch_stdin` turns the
end of input into :meth:`Progress.cancel`. A window that dies closes it too, so
an orphaned export stops by itself.

No Qt here: the child imports this module without loading Qt.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import threading
from dataclasses import dataclass
from typing import TextIO

from annotator.core.progress import Progress
from annotator.exporting.model import ExportResult

OPTION = "--progress"
LINES = "lines"


@dataclass(frozen=True)
class Step:
    done: int
    total: int
    label: str


@dataclass(frozen=True)
class Finished:
    result: ExportResult


@dataclass(frozen=True)
class Failed:
    message: str


@dataclass(frozen=True)
class Stopped:
    """The export was cancelled."""


Message = Step | Finished | Failed | Stopped


def progress_line(done: int, total: int, label: str) -> str:
    label = " ".join(label.split())  # one line, whatever the label holds
    return f"progress {done} {total} {label}"


def result_line(result: ExportResult) -> str:
    return "result " + json.dumps(dataclasses.asdict(result), ensure_ascii=True)


def failed_line(message: str) -> str:
    return "failed " + json.dumps(message, ensure_ascii=True)


CANCELLED_LINE = "cancelled"


def parse_line(line: str) -> Message | None:
    """The message on ``line``; ``None`` for anything else (a stray print, say)."""
    kind, _, rest = line.rstrip("\r\n").partition(" ")
    try:
        if kind == "progress":
            done, total, label = (rest.split(" ", 2) + [""])[:3]
            return Step(int(done), int(total), label)
        if kind == "result":
            fields = json.loads(rest)
            return Finished(ExportResult(**fields)) if isinstance(fields, dict) else None
        if kind == "failed":
            return Failed(str(json.loads(rest)))
    except (ValueError, TypeError):
        return None
    if kind == CANCELLED_LINE and not rest:
        return Stopped()
    return None


class LineWriter:
    """Prints the messages on ``stream``, each flushed at once; as a Progress
    report, it prints every step."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def __call__(self, done: int, total: int, label: str) -> None:
        self.send(progress_line(done, total, label))

    def send(self, line: str) -> None:
        if self.stream is None:  # started without an output: nobody to tell
            return
        try:
            self.stream.write(line + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # the window is gone: nobody is left to tell
            pass


def watch_stdin(progress: Progress, stdin: TextIO | None = None) -> threading.Thread | None:
    """Cancel ``progress`` when standard input ends (the window closed it);
    ``None`` (nothing watched) for a process without one."""
    stream = stdin if stdin is not None else sys.stdin
    try:
        fd = stream.fileno()  # read below the buffered file: no lock held at exit
    except (AttributeError, OSError, ValueError):
        return None

    def wait_for_end() -> None:
        try:
            while os.read(fd, 4096):
                pass
        except OSError:
            pass  # closed or broken: the window is gone all the same
        progress.cancel()

    thread = threading.Thread(target=wait_for_end, name="export-stdin", daemon=True)
    thread.start()
    return thread
