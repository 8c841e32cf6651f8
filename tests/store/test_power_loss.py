"""Durability across a power cut: no acknowledged annotation is lost.

The store's own code (``open_project``, ``add_annotation``, ``close``) runs on
a recording SQLite file layer (tests/store/powerloss.py) that logs every
write, truncation, deletion and sync. For 100 random moments in that log the
test builds the files a power cut there could leave (everything since each
file's last sync lands only in part, in any order, torn into sectors), opens
them with ``open_project`` and checks that SQLite finds them intact and that
every annotation whose ``add_annotation`` had returned is there with its quote.

The same harness run with ``synchronous = NORMAL``, or with the syncs taken
away, finds acknowledged annotations lost: it can fail.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.store.errors import ProjectError
from annotator.store.project import Project, create_project, open_project
from tests.store.powerloss import Event, RecordingVFS, acknowledged, crash_image

TRIALS = 100
ADDS = 12  # per session; the project is closed and opened again once in between
TEXT = "Putin met Kim 👍🏽 in Pyongyang.\n소아쌤 said: “no deal”.\n" * 4

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs a shared libsqlite3")


def _vfs() -> RecordingVFS:
    try:
        vfs = RecordingVFS()
        vfs.install()
    except Exception as exc:  # a Python whose sqlite3 carries SQLite inside itself
        pytest.skip(f"the sqlite3 module's SQLite cannot take a VFS from ctypes: {exc}")
    return vfs


def _checkpoint_often(project: Project, session: int) -> None:
    """In the second session, checkpoint every few pages: the log is copied into the
    file and started over while the project is open, not only when it closes."""
    if session == 1:
        project.db.execute("PRAGMA wal_autocheckpoint = 8")


def _record(
    tmp_path: Path,
    tune: Callable[[Project, int], object] = _checkpoint_often,
    drop_syncs: bool = False,
) -> tuple[Path, str, list[Event]]:
    """Create a project, then add annotations on the recording layer, in two sessions.

    Returns the project's path, its document's id and the log, in which each
    ``add_annotation`` that returned is followed by a mark with its id."""
    path = tmp_path / "work" / "power.annotator"
    with create_project(path) as project:
        doc_id = project.import_text(TEXT, title="Power").id
    vfs = _vfs()
    vfs.syncs_dropped = drop_syncs
    try:
        for session in range(2):
            with open_project(path) as project:
                tune(project, session)
                for i in range(ADDS):
                    start = (session * ADDS + i) * 5 % (len(TEXT) - 10)
                    end = start + 1 + i % 9
                    ann = project.add_annotation(doc_id, start, end, "actor", coder="P")
                    vfs.mark(ann.id)
    finally:
        vfs.uninstall()
    return path, doc_id, vfs.events


def _lost_after_cut(
    events: list[Event], upto: int, rng: random.Random, folder: Path, name: str, doc_id: str
) -> list[str]:
    """Cut the power after ``events[:upto]``, open what is left and return the
    acknowledged annotations missing (or damaged) in it; raises if it is damaged."""
    crash_image(events, upto, rng, folder)
    with open_project(folder / name) as project:
        db = project.db
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert project.document_text(doc_id) == TEXT
        rows = {
            ident: quote == TEXT[start:end]
            for ident, start, end, quote in db.execute(
                'SELECT id, start, "end", quote FROM annotations'
            ).fetchall()
        }
    return [ident for ident in acknowledged(events, upto) if not rows.get(ident)]


def _cut_points(events: list[Event], rng: random.Random, count: int) -> list[int]:
    """Moments to cut the power: half at random, half right after an acknowledgement
    (the moment at which losing it would matter most). Never before the first event,
    which records the file as it was before the test began writing."""
    after_marks = [i + 1 for i, event in enumerate(events) if event[0] == "mark"]
    return [rng.choice(after_marks) if n % 2 else rng.randint(1, len(events)) for n in range(count)]


def test_power_cut_loses_no_acknowledged_annotation(tmp_path):
    path, doc_id, events = _record(tmp_path)
    kinds = [event[0] for event in events]
    assert kinds.count("mark") == 2 * ADDS
    assert kinds.count("sync") >= 2 * ADDS  # every commit synced the log
    assert {str(e[1]).rsplit("-", 1)[-1] for e in events if e[0] == "write"} >= {"wal"}

    rng = random.Random(20261206)
    for trial, upto in enumerate(_cut_points(events, rng, TRIALS)):
        folder = tmp_path / f"cut{trial}"
        try:
            lost = _lost_after_cut(events, upto, rng, folder, path.name, doc_id)
        except (ProjectError, AssertionError) as exc:
            raise AssertionError(f"trial {trial} (cut after event {upto}): {exc}") from exc
        assert not lost, f"trial {trial} (cut after event {upto}): lost {lost}"


@pytest.mark.parametrize("weakening", ["synchronous=NORMAL", "syncs dropped"])
def test_the_harness_finds_loss_when_commits_are_not_synced(tmp_path, weakening):
    if weakening == "synchronous=NORMAL":
        path, doc_id, events = _record(
            tmp_path, tune=lambda project, _: project.db.execute("PRAGMA synchronous = NORMAL")
        )
    else:
        path, doc_id, events = _record(tmp_path, drop_syncs=True)

    rng = random.Random(7)
    lost_in = 0
    for trial, upto in enumerate(_cut_points(events, rng, 20)):
        try:
            lost = _lost_after_cut(events, upto, rng, tmp_path / f"cut{trial}", path.name, doc_id)
        except (ProjectError, AssertionError):
            lost = ["(damaged)"]
        lost_in += bool(lost)
    assert lost_in >= 5
