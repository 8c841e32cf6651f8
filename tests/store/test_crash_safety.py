"""Durability: a writer killed with SIGKILL loses no acknowledged annotation.

A real process (tests/store/crash_writer.py) adds annotations one transaction
at a time and prints each id only after ``add_annotation`` has returned. The
test kills it at a random moment, reopens the file and checks that SQLite finds
it intact and that every acknowledged annotation is there with its quote.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from annotator.store.project import create_project, open_project

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 12
TEXT = (
    "Putin met Kim 👍🏽 in Pyongyang.\n소아쌤 said: “no deal”.\n"
    "Family 👨‍👩‍👧 emoji, Cafe\u0301 owners and עברית text.\n"
) * 5

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"
)


def _reader(stream, lines: list[str], ready: threading.Event) -> None:
    """Collect complete lines until EOF (a torn last line is not an acknowledgement)."""
    for line in stream:
        if not line.endswith("\n"):
            break
        line = line.rstrip("\n")
        if line == "ready":
            ready.set()
        else:
            lines.append(line)
    ready.set()


def _run_and_kill(path: Path, window: float) -> tuple[list[str], int]:
    """Start the writer, let it commit for ``window`` seconds, SIGKILL it.

    Returns the acknowledged ids and the writer's return code.
    """
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    acked: list[str] = []
    ready = threading.Event()
    thread = threading.Thread(target=_reader, args=(proc.stdout, acked, ready), daemon=True)
    thread.start()
    try:
        assert ready.wait(30), "the writer did not start"
        assert proc.poll() is None, f"the writer died: {proc.stderr.read()}"
        time.sleep(window)
        assert proc.poll() is None, f"the writer died: {proc.stderr.read()}"
        os.kill(proc.pid, signal.SIGKILL)
        returncode = proc.wait(30)
        # Everything printed before the kill is in the pipe: read it to EOF.
        thread.join(30)
        assert not thread.is_alive()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    return acked, returncode


def test_sigkill_loses_no_acknowledged_annotation(tmp_path):
    path = tmp_path / "crash.annotator"
    with create_project(path) as project:
        doc = project.import_text(TEXT, title="Crash")
        text = project.document_text(doc.id)

    rng = random.Random(20261123)
    acknowledged: list[str] = []
    for round_no in range(ROUNDS):
        window = rng.uniform(0.05, 0.4)
        acked, returncode = _run_and_kill(path, window)
        assert returncode == -signal.SIGKILL, f"round {round_no}: writer exited {returncode}"
        acknowledged.extend(acked)

        with open_project(path) as project:
            db = project.db
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)], round_no
            assert db.execute("PRAGMA quick_check").fetchall() == [("ok",)], round_no
            rows = {
                ident: (start, end, quote)
                for ident, start, end, quote in db.execute(
                    'SELECT id, start, "end", quote FROM annotations'
                ).fetchall()
            }
            missing = [ident for ident in acknowledged if ident not in rows]
            assert not missing, f"round {round_no}: acknowledged but lost: {missing[:5]}"
            for ident in acknowledged:
                start, end, quote = rows[ident]
                assert quote == text[start:end], (round_no, ident)
            # At most one commit per round can have landed without being printed.
            assert len(acknowledged) <= len(rows) <= len(acknowledged) + round_no + 1
            assert project.document_text(doc.id) == text

    assert len(acknowledged) >= ROUNDS, "too few commits to test anything"
