"""``annotator export`` shows how far it got on a terminal and nothing more when
its output goes elsewhere; ``--progress=lines`` (the window's way of running it)
reports in lines and stops when its standard input ends."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.qt.exporting.progress_lines import (
    Failed,
    Finished,
    Step,
    Stopped,
    failed_line,
    parse_line,
    progress_line,
)
from tests.export_files import build_project, folder_state

pty = pytest.importorskip("pty")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    return build_project(tmp_path_factory.mktemp("cli") / "big.annotator", 10, 1000)


def _command(project: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "annotator", "export", str(project), "--out", str(out), *extra]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}


def _as_on_a_terminal() -> None:
    """In the child before it starts: Ctrl+C as on a terminal, even when the tests run
    in a background job (whose commands inherit SIGINT ignored); a lower priority, so
    that on a busy machine the test watching it keeps up with it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.nice(10)


def _interrupt(child: subprocess.Popen[bytes]) -> None:
    """Ctrl+C now: the child is stopped first, so that it cannot run on to the end
    of its work between what it printed and the signal (a fast machine did); on
    resuming it finds the signal waiting."""
    child.send_signal(signal.SIGSTOP)
    child.send_signal(signal.SIGINT)
    child.send_signal(signal.SIGCONT)


def _on_a_terminal(command: list[str], interrupt_on: bytes = b"") -> tuple[int, str, bytes]:
    """Run ``command`` with its error output on a pseudo-terminal: exit code, what it
    printed on standard output, what the terminal showed. ``interrupt_on``: press
    Ctrl+C (SIGINT) once the terminal shows it (the child runs at a lower priority,
    so that on a busy machine this keeps up with it)."""
    main, child_end = pty.openpty()
    child = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=child_end,
        stdin=subprocess.DEVNULL,
        env=_env(),
        preexec_fn=_as_on_a_terminal if interrupt_on else None,
    )
    os.close(child_end)
    shown = b""
    interrupted = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
            if interrupt_on and not interrupted and interrupt_on in shown:
                _interrupt(child)
                interrupted = True
        elif child.poll() is not None:
            break
    stdout = child.communicate(timeout=60)[0].decode("utf-8")
    os.close(main)
    return child.returncode, stdout, shown


def test_a_terminal_sees_one_line_that_counts_up_then_goes(big_file, tmp_path):
    code, stdout, shown = _on_a_terminal(_command(big_file, tmp_path / "out"))
    assert code == 0
    assert f"{tmp_path / 'out' / 'annotations.csv'}: 10000 rows" in stdout
    text = shown.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "\n").strip("\n")  # one line, rewritten
    updates = [part.strip() for part in text.split("\r") if part.strip()]
    assert updates[0] == "Exporting: reading the project…"
    assert "Exporting:   0%  documents" in updates
    # The three big tables are written together, a group of documents at a time.
    assert any(u.endswith("%  annotations, claims, statements") for u in updates)
    percents = [int(u.split("%")[0].split()[-1]) for u in updates if "%" in u]
    assert percents == sorted(percents) and len(set(percents)) >= 5
    assert updates[-1] == "Exporting: 100%  manifest.json"
    assert text.endswith("\r")  # and the line is blank again
    assert text.split("\r")[-2].strip() == ""


def test_ctrl_c_on_a_terminal_cancels_and_says_so(big_file, tmp_path):
    out = tmp_path / "out"
    code, _, shown = _on_a_terminal(_command(big_file, out), interrupt_on=b"reading")
    assert code == 130
    assert shown.decode("utf-8").rstrip().split("\r")[-1].strip() == (
        f"annotator: export cancelled; nothing in {out} was changed."
    )
    assert not out.exists()  # the export made it, and took it away again


def test_piped_output_shows_no_progress(big_file, tmp_path):
    done = subprocess.run(
        _command(big_file, tmp_path / "out"), capture_output=True, env=_env(), timeout=60
    )
    assert done.returncode == 0
    assert done.stderr == b""
    assert b"Exporting" not in done.stdout


def test_lines_report_each_table_then_the_result(big_file, tmp_path):
    out = tmp_path / "out"
    child = subprocess.Popen(  # its input stays open: the window is still there
        _command(big_file, out, "--progress=lines"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert child.stdout is not None and child.stdin is not None
    stdout = child.stdout.read()
    child.stdin.close()
    assert child.wait(timeout=60) == 0
    messages = [parse_line(line) for line in stdout.splitlines()]
    assert None not in messages
    *steps, last = messages
    assert steps[0] == Step(0, 0, "reading the project")
    assert [s.done for s in steps[1:]] == list(range(len(steps) - 1))
    assert {s.total for s in steps[1:]} == {len(steps) - 2}
    assert isinstance(last, Finished)
    assert sorted(last.result.written) == sorted(folder_state(out))
    assert last.result.files["annotations.csv"] == 10000


def test_the_end_of_its_input_cancels_a_lines_export(big_file, tmp_path):
    out = tmp_path / "out"
    assert subprocess.run(_command(big_file, out), capture_output=True, env=_env()).returncode == 0
    before = folder_state(out)
    child = subprocess.Popen(
        _command(big_file, out, "--format=csv,xlsx", "--progress=lines"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=_env(),
    )
    assert child.stdout is not None and child.stdin is not None
    assert parse_line(child.stdout.readline().decode()) == Step(0, 0, "reading the project")
    child.stdin.close()  # what the window's Cancel does
    stdout = child.stdout.read().decode()
    assert child.wait(timeout=60) == 130
    assert parse_line(stdout.splitlines()[-1]) == Stopped()
    assert folder_state(out) == before


def test_the_lines_read_back_as_they_were_written():
    assert parse_line(progress_line(3, 10, "network actor\tissue\n")) == Step(
        3, 10, "network actor issue"
    )
    assert parse_line(progress_line(0, 0, "")) == Step(0, 0, "")
    assert parse_line(failed_line("disk “full”\nreally") + "\r\n") == Failed("disk “full”\nreally")
    assert parse_line("cancelled\n") == Stopped()
    for stray in ("", "hello", "progress x 1 y", "result [1]", "failed {", "cancelled now"):
        assert parse_line(stray) is None, stray
