"""Backups interrupted halfway leave ``.partial`` files: the next rotation removes them.

A backup is written to ``.<stamp>-<reason>.<pid>.partial`` and renamed when verified.
A process killed meanwhile leaves the partial file; rotation deletes those of processes
no longer running (and any too old), and leaves alone one another program is writing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.store.backups import PARTIAL_STALE_S, folder_for, make_backup
from annotator.store.project import Project

ROOT = Path(__file__).resolve().parents[2]

# A backup killed after the copy was written, before it was renamed.
KILLED_BACKUP = """
import os, signal, sqlite3, sys
from pathlib import Path
from annotator.store.backups import copy_verified
conn = sqlite3.connect(sys.argv[1])
tmp = Path(sys.argv[2]) / f".20260101T000000000000Z-manual.{os.getpid()}.partial"
copy_verified(conn, tmp)
Path(str(tmp) + "-journal").write_bytes(b"")
print(tmp, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""

needs_sigkill = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"
)


def _killed_backup(project: Project, folder: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-c", KILLED_BACKUP, str(project.path), str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    partial = Path(result.stdout.strip())
    assert partial.exists()
    return partial


@needs_sigkill
def test_rotation_removes_what_killed_backups_left(project: Project) -> None:
    folder = folder_for(project.path)
    folder.mkdir(parents=True)
    left = [_killed_backup(project, folder)]
    make_backup(project.db.conn, project.path, "manual")
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 1 and names[0].endswith("-manual.annotator"), names
    assert not any(p.exists() or Path(f"{p}-journal").exists() for p in left)


def test_rotation_leaves_a_backup_being_written_alone(project: Project) -> None:
    folder = folder_for(project.path)
    folder.mkdir(parents=True)
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        running = folder / f".20260101T000000000000Z-manual.{writer.pid}.partial"
        running.write_bytes(b"being written")
        fresh = folder / ".20260101T000000000001Z-manual.partial"  # an older version's
        fresh.write_bytes(b"being written")
        old = folder / ".20250101T000000000000Z-manual.partial"
        old.write_bytes(b"abandoned")
        hour_ago = time.time() - 3600
        os.utime(old, (hour_ago, hour_ago))
        notes = folder / "notes.partial.txt"
        notes.write_bytes(b"the user's")
        make_backup(project.db.conn, project.path, "manual")
        assert running.exists() and fresh.exists() and notes.exists()
        assert not old.exists()
        # Past the limit even a running process's partial file is taken as abandoned.
        long_ago = time.time() - PARTIAL_STALE_S - 60
        os.utime(running, (long_ago, long_ago))
        make_backup(project.db.conn, project.path, "manual")
        assert not running.exists() and fresh.exists()
    finally:
        writer.kill()
        writer.wait()
