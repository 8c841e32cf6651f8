"""``annotator import`` in a real process, given what is not a document file: a named
pipe, a device, and a Ctrl+C in the middle of a long import."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from annotator.store.project import open_project

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")


def _limit_memory() -> None:
    """A safety net for the machine: the child cannot take more than 2 GB."""
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    except (ValueError, OSError):  # macOS does not lower it
        pass
    os.nice(10)  # on a busy machine the test watching it keeps up with it
    # Ctrl+C as on a terminal, even when the tests run in a background job (whose
    # commands inherit SIGINT ignored, and so would this child).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _command(*args: object) -> list[str]:
    return [sys.executable, "-m", "annotator", "import", *map(str, args)]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8"}


def test_a_fifo_and_a_device_are_refused_and_the_files_after_them_imported(tmp_path):
    (tmp_path / "a.txt").write_text("The first text.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")  # no writer: opening it for reading would wait forever
    (tmp_path / "c.txt").write_text("The third text.\n", encoding="utf-8")
    project_path = tmp_path / "p.annotator"
    paths = (tmp_path / "a.txt", tmp_path / "b.txt", Path("/dev/zero"), tmp_path / "c.txt")
    result = subprocess.run(
        _command(project_path, *paths),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(),
        timeout=60,
        preexec_fn=_limit_memory,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert "imported  a.txt (utf-8)" in lines
    assert (
        "rejected  b.txt: is a named pipe (FIFO), not a file; only regular files are imported"
        in lines
    )
    assert "rejected  zero: is a device, not a file; only regular files are imported" in lines
    assert "imported  c.txt (utf-8)" in lines
    assert lines[-1] == "2 imported, 0 duplicates skipped, 2 rejected"
    with open_project(project_path) as project:
        assert [d.file_name for d in project.documents()] == ["a.txt", "c.txt"]


def _stored(project_path: Path) -> int:
    """How many documents the project holds, read as another process sees it."""
    if not project_path.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{project_path}?mode=ro", uri=True)) as db:
            return int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.Error:  # being created
        return 0


def test_ctrl_c_reports_what_was_imported_and_exits_130(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    total = 2000
    for number in range(total):
        (docs / f"f{number:04}.txt").write_text(f"Text number {number}.\n", encoding="utf-8")
    project_path = tmp_path / "p.annotator"
    child = subprocess.Popen(
        _command(project_path, docs),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=_env(),
        preexec_fn=_limit_memory,
    )
    try:
        deadline = time.monotonic() + 60
        while _stored(project_path) < 20 and child.poll() is None:
            assert time.monotonic() < deadline, "the import did not start"
            time.sleep(0.02)
        # Stopped first, so that it cannot import the rest between the count and the
        # signal (on a RAM disk it did); on resuming it finds the signal waiting.
        child.send_signal(signal.SIGSTOP)
        child.send_signal(signal.SIGINT)
        child.send_signal(signal.SIGCONT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 130, err
    assert "Traceback" not in err
    with open_project(project_path) as project:
        names = [d.file_name for d in project.documents()]
    assert 20 <= len(names) < total
    assert names == [f"f{number:04}.txt" for number in range(len(names))]
    imported = [line for line in out.splitlines() if line.startswith("imported  ")]
    assert imported == [f"imported  {name} (utf-8)" for name in names]
    assert f"{len(names)} imported, 0 duplicates skipped, 0 rejected" in out
    assert (
        f"annotator: import interrupted (Ctrl+C): {len(names)} documents were imported "
        "before it and stay in the project" in err
    )
