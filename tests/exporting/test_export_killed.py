"""An export killed while it swaps the files: the next export finds the folder whole.

``ExportFolder.place`` writes a journal before its first move. A process killed
with SIGKILL at any move leaves the journal; the next export into the folder
completes the swap or rolls it back, then clears what the killed one left. The
kills are real: a forked process, or ``annotator export`` in a subprocess, kills
itself at a chosen ``os.replace``.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.exporting import folder as export_folder
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.folder import ASIDE_PREFIX, JOURNAL_NAME, ExportFolder
from annotator.exporting.model import ExportOptions
from tests.exporting.coded_example import build

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(signal, "SIGKILL") or not hasattr(os, "fork"),
    reason="needs fork and SIGKILL",
)

ROOT = Path(__file__).resolve().parents[2]
OLD = {"a.csv": b"old a\n", "b.csv": b"old b\n", "old.dta": b"old stata\n"}
NEW = {"a.csv": b"new a\n", "b.csv": b"new b\n", "c.csv": b"new c\n"}
OWN = {"a.csv", "b.csv", "c.csv", "old.dta", "manifest.json"}
MOVES = 8  # a, b, manifest, old.dta aside; a, b, c, manifest in


def _manifest(files: dict[str, bytes]) -> bytes:
    listed = {name: {"sha256": hashlib.sha256(data).hexdigest()} for name, data in files.items()}
    return json.dumps({"files": listed}).encode()


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Everything in the folder, hidden entries too (a folder shows as its name)."""
    return {p.name: p.read_bytes() if p.is_file() else b"<folder>" for p in folder.iterdir()}


def _in_killed_child(run: Callable[[], object], kill_at: int, after: bool) -> None:
    """Run ``run`` in a forked process that SIGKILLs itself just before (or just
    after) its ``kill_at``-th ``os.replace``."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test
        try:
            real, calls = os.replace, [0]

            def replace(src: object, dst: object) -> None:
                calls[0] += 1
                if calls[0] == kill_at and not after:
                    os.kill(os.getpid(), signal.SIGKILL)
                real(src, dst)  # type: ignore[arg-type]
                if calls[0] == kill_at and after:
                    os.kill(os.getpid(), signal.SIGKILL)

            export_folder.os.replace = replace  # type: ignore[assignment]
            run()
        finally:
            os._exit(3)  # not killed: the kill point was never reached
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status


def _place_new(out: Path) -> None:
    with ExportFolder(out) as folder:
        for name, data in NEW.items():
            (folder.staging / name).write_bytes(data)
        (folder.staging / "manifest.json").write_bytes(_manifest(NEW))
        names = [*NEW, "manifest.json"]
        previous = folder.previous("manifest.json", OWN, names)
        folder.place(names, previous.files)


@pytest.mark.parametrize(
    ("kill_at", "after"), [(n, False) for n in range(1, MOVES + 1)] + [(MOVES, True)]
)
def test_a_kill_at_any_move_leaves_one_whole_export(
    tmp_path: Path, kill_at: int, after: bool
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name, data in OLD.items():
        (out / name).write_bytes(data)
    (out / "manifest.json").write_bytes(_manifest(OLD))
    (out / "notes.txt").write_bytes(b"the user's own")
    old = _snapshot(out)
    _in_killed_child(lambda: _place_new(out), kill_at, after)
    assert (out / JOURNAL_NAME).exists()

    with ExportFolder(out):  # the next export: it recovers first
        pass
    now = _snapshot(out)
    new = {**NEW, "manifest.json": _manifest(NEW), "notes.txt": b"the user's own"}
    assert now == (new if after else old)  # wholly old or wholly new, nothing hidden left


def test_annotator_export_killed_while_moving_is_put_right_by_the_next(
    project, tmp_path: Path
) -> None:
    example = build(project)
    out = tmp_path / "out"
    export_for_analysis(example.project, out, ExportOptions())
    old = _snapshot(out)
    example.project.add_actor("Seoul")
    moves = 2 * sum(1 for name in old)  # every file aside, then as many in
    killed = f"""
import os, signal, sys
real, calls = os.replace, [0]
def replace(src, dst):
    calls[0] += 1
    if calls[0] == {moves // 2 + 2}:  # the previous files aside, two new ones in
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)
os.replace = replace
from annotator.cli import main
sys.exit(main(sys.argv[1:]))
"""
    result = subprocess.run(
        [sys.executable, "-c", killed, "export", str(project.path), "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    mixed = _snapshot(out)
    assert JOURNAL_NAME in mixed and any(n.startswith(ASIDE_PREFIX) for n in mixed)

    export_for_analysis(example.project, out, ExportOptions())
    now = _snapshot(out)
    assert set(now) == set(old)  # no journal, aside or staging folder left
    assert now["actors.csv"] != old["actors.csv"] and b"Seoul" in now["actors.csv"]


def test_a_journal_cut_short_and_an_empty_aside_folder_are_cleared(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / f"{ASIDE_PREFIX}x1").mkdir(parents=True)  # killed before anything was moved
    (out / JOURNAL_NAME).write_text('{"aside": ".annotator-prev', encoding="utf-8")
    (out / "a.csv").write_bytes(b"old a\n")
    with ExportFolder(out):
        pass
    assert _snapshot(out) == {"a.csv": b"old a\n"}


def test_a_journal_naming_files_outside_the_folder_is_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    aside = out / f"{ASIDE_PREFIX}x2"
    aside.mkdir(parents=True)
    (tmp_path / "precious.txt").write_bytes(b"keep")
    (aside / "kept.csv").write_bytes(b"named in an error")
    journal = {
        "aside": aside.name,
        "staging": ".annotator-export-gone",
        "names": ["../precious.txt"],
        "candidates": ["../precious.txt"],
    }
    (out / JOURNAL_NAME).write_text(json.dumps(journal), encoding="utf-8")
    with ExportFolder(out):
        pass
    assert (tmp_path / "precious.txt").read_bytes() == b"keep"
    assert (aside / "kept.csv").exists() and not (out / JOURNAL_NAME).exists()
