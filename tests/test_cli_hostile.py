"""``annotator import`` in a real process, given what is not a document file: a named
pipe, a device, and a Ctrl+C in the middle of a long import."""

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.store.project import open_project

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")


def _limit_memory() -> None:
    """A safety net for the machine: the child cannot take more than 2 GB."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


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
