"""Backups that cost what changed: one full backup per run, then deltas; none when
nothing changed since the last verified one; rotation within a bound on disk use."""

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from annotator.store.backup_deltas import DELTA_SUFFIX, read_header
from annotator.store.backup_keeper import BackupKeeper
from annotator.store.backup_record import STATE_FILE
from annotator.store.backups import (
    BackupPolicy,
    folder_for,
    list_backups,
    restore_backup,
    rotate_project,
)
from annotator.store.errors import ProjectError
from annotator.store.project import Project, create_project, open_project

TEXT = "Putin met Kim in Pyongyang. Moon Jae-in stayed in Seoul. " * 40


def _contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of a project file, sorted."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"  # rows: its shadow tables
            )
        ]
        return {
            table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        conn.close()


def _contents_of(project: Project) -> dict[str, list[tuple[object, ...]]]:
    conn = project.db.conn
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    ]
    return {
        table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
        for table in tables
    }


@pytest.fixture
def large(tmp_path):
    """A project with 40 documents, counted as large (deltas after the first backup)."""
    project = create_project(tmp_path / "large.annotator")
    project.backups.delta_above = 0
    for i in range(40):
        doc = project.import_text(f"Story {i}. {TEXT}", title=f"Story {i}")
        for start in range(0, 400, 40):
            project.add_annotation(doc.id, start, start + 5, "actor", coder="Ana")
    yield project
    project.close()


def _annotate(project: Project, n: int) -> None:
    doc = project.documents(counts=False)[0]
    for i in range(n):
        project.add_annotation(doc.id, 500 + i * 7, 500 + i * 7 + 4, "claim", coder="Bo")


def _restored(backup, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    target.write_bytes(b"")
    restore_backup(backup, target)
    return target


def test_one_full_backup_then_deltas_far_smaller_each_restoring_its_moment(large, tmp_path):
    moments = []
    for step in range(4):
        if step:
            _annotate(large, 20)
        backup = large.backup("open" if step == 0 else "periodic")
        moments.append((backup, _contents_of(large)))
    fulls = [b for b, _ in moments if not b.is_delta]
    deltas = [b for b, _ in moments if b.is_delta]
    assert len(fulls) == 1 and len(deltas) == 3
    size = large.path.stat().st_size
    assert size > 300_000
    for delta in deltas:
        assert delta.base == fulls[0].path
        assert delta.path.suffix == DELTA_SUFFIX
        # A fifth to a quarter of a full backup in this small file (20 annotations touch
        # their table, its indexes and the document counts); a few hundredths of a
        # percent on the study project (bench/bench_backups.py).
        assert delta.path.stat().st_size < fulls[0].path.stat().st_size / 3
    assert [b.path for b in list_backups(large.path)] == [b.path for b, _ in reversed(moments)]
    for i, (backup, contents) in enumerate(moments):
        restored = _restored(backup, tmp_path, f"restored-{i}.annotator")
        assert _contents(restored) == contents
        with open_project(restored) as copy:
            assert copy.annotation_count() == 400 + 20 * i
    newest = list_backups(large.path)[0]
    assert (newest.annotations, newest.documents) == (460, 40)


def test_nothing_changed_means_no_new_backup_point(large):
    first = large.backup("open")
    assert large.backed_up()
    _annotate(large, 1)
    assert not large.backed_up()
    second = large.backup("periodic")
    assert large.backed_up() and second.is_delta and second.path != first.path


def test_a_damaged_delta_is_reported_and_never_restored(large, tmp_path):
    large.backup("open")
    _annotate(large, 5)
    delta = large.backup("periodic")
    data = bytearray(delta.path.read_bytes())
    data[40] ^= 0xFF  # inside the first page image
    delta.path.write_bytes(bytes(data))
    target = tmp_path / "target.annotator"
    target.write_bytes(b"the current file")
    with pytest.raises(ProjectError, match="damaged"):
        restore_backup(delta, target)
    assert target.read_bytes() == b"the current file"
    assert not list(tmp_path.glob("target.annotator.*"))


def test_a_missing_or_changed_base_is_reported_and_never_restored(large, tmp_path):
    full = large.backup("open")
    _annotate(large, 5)
    delta = large.backup("periodic")
    target = tmp_path / "target.annotator"
    target.write_bytes(b"the current file")
    data = bytearray(full.path.read_bytes())
    data[5000] ^= 0x01
    full.path.write_bytes(bytes(data))
    with pytest.raises(ProjectError, match="has changed or is damaged"):
        restore_backup(delta, target)
    full.path.unlink()
    with pytest.raises(ProjectError, match="no longer exists"):
        restore_backup(delta, target)
    assert target.read_bytes() == b"the current file"
    assert delta.path not in [b.path for b in list_backups(large.path)]


def test_rotation_keeps_backups_within_the_bound_and_never_orphans_a_delta(large, tmp_path):
    policy = BackupPolicy(keep_last=50, keep_days=7, size_factor=2, min_bytes=0)
    size = large.path.stat().st_size
    large.backup("open", policy)
    for _ in range(3):  # full backups when asked: each becomes the base of what follows
        _annotate(large, 30)
        large.backup("periodic", policy)
        _annotate(large, 30)
        large.backup("manual", policy, full=True)
    folder = folder_for(large.path)
    kept = [p for p in folder.iterdir() if p.suffix in (".annotator", DELTA_SUFFIX)]
    used = sum(p.stat().st_size for p in kept)
    assert used <= 2 * large.path.stat().st_size
    fulls = [p for p in kept if p.suffix == ".annotator"]
    assert 1 <= len(fulls) <= 2
    for delta in (p for p in kept if p.suffix == DELTA_SUFFIX):
        assert delta.with_name(read_header(delta).base) in kept
    assert size <= large.path.stat().st_size
    # The newest full backup stays even when it alone is over the bound.
    rotate_project(large.path, BackupPolicy(50, 7, 1, 0))
    tiny = folder_for(large.path)
    remaining = sorted(p.name for p in tiny.iterdir() if p.suffix == ".annotator")
    assert remaining == [max(p.name for p in fulls)]


def test_a_clean_close_lets_the_next_open_skip_its_backup(large):
    path = large.path
    large.backup("open")
    large.close()
    folder = folder_for(path)
    assert (folder / STATE_FILE).is_file()
    for _ in range(2):  # open twice, nothing changed: no new backup
        with open_project(path) as again:
            held = again.backups.held_on_open(again.backup_state())
            assert held is not None and held.reason == "open"
            assert again.backed_up()
    assert len(list_backups(path)) == 1
    with open_project(path) as again:  # a change, closed without a backup after it
        assert again.backups.held_on_open(again.backup_state()) is not None
        _annotate(again, 1)
    with open_project(path) as again:
        assert again.backups.held_on_open(again.backup_state()) is None


def test_a_file_changed_behind_the_record_is_backed_up(large):
    path = large.path
    large.backup("open")
    large.close()
    conn = sqlite3.connect(str(path))  # another program writes the file
    conn.execute("UPDATE documents SET title = 'Changed' WHERE rowid = 1")
    conn.commit()
    conn.close()
    with open_project(path) as again:
        assert again.backups.held_on_open(again.backup_state()) is None


def test_a_delta_is_taken_while_the_project_keeps_changing(large, tmp_path):
    """A backup on a worker thread, the connection writing meanwhile: the delta
    holds one consistent moment (at or after the request), and restores."""
    large.backup("open")
    _annotate(large, 10)
    before = large.annotation_count()
    done = threading.Event()
    results = []
    large.backups.start(
        "periodic", large.backup_state(), lambda b, e: (results.append((b, e)), done.set())
    )
    doc = large.documents(counts=False)[1]
    added = 0
    while not done.is_set():
        large.add_annotation(doc.id, 600 + added % 200, 603 + added % 200, "actor", coder="Ana")
        added += 1
        # Hundreds of writes a second, still far faster than a coder: the log is
        # checkpointed between two of them (a writer that never pauses would leave
        # no moment for a delta, and a full copy would be taken instead).
        time.sleep(0.003)
    backup, error = results[0]
    assert error is None and backup.is_delta
    restored = _restored(backup, tmp_path, "during.annotator")
    with open_project(restored) as copy:
        assert before <= copy.annotation_count() <= before + added
        assert copy.annotation_count() == backup.annotations


def test_a_small_project_keeps_full_backups(project):
    doc = project.import_text("Putin met Kim.\n", title="Summit")
    project.backup("open")
    project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    second = project.backup("periodic")
    assert not second.is_delta
    assert [b.is_delta for b in list_backups(project.path)] == [False, False]


def test_a_keeper_of_another_run_builds_on_the_recorded_base(large):
    path = large.path
    first = large.backup("open")
    large.close()
    with open_project(path) as again:
        again.backups.delta_above = 0
        keeper = again.backups
        assert isinstance(keeper, BackupKeeper)
        assert keeper.held_on_open(again.backup_state()) is not None
        _annotate(again, 3)
        delta = again.backup("periodic")
        assert delta.is_delta and delta.base == first.path


def test_a_file_damaged_after_its_clean_close_is_still_refused(large):
    """The open skips SQLite's check only for a file not written since a verified
    close; damage written later changes its identity, and the check runs."""
    from annotator.store.backup_record import verified_as_closed
    from annotator.store.errors import DamagedProjectError

    path = large.path
    large.backup("open")
    large.close()
    assert verified_as_closed(path)
    with open_project(path):
        pass
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(2 * page + 8, 2 * page + 200):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))
    assert not verified_as_closed(path)
    with pytest.raises(DamagedProjectError):
        open_project(path)


def test_a_full_backup_in_the_background_holds_the_moment_it_was_asked_for(large, tmp_path):
    before = _contents_of(large)
    done = threading.Event()
    results = []
    large.backups.start(
        "open",
        large.backup_state(),
        lambda b, e: (results.append((b, e)), done.set()),
        delay=0.3,
    )
    _annotate(large, 5)  # written before the copying starts
    assert done.wait(60)
    backup, error = results[0]
    assert error is None and not backup.is_delta
    assert _contents(_restored(backup, tmp_path, "asked.annotator")) == before
    assert not large.backed_up()  # it does not hold what was written since


def test_the_lock_page_is_never_read_into_a_delta(tmp_path):
    """SQLite keeps no data in the page holding its lock bytes (1 GiB into the
    file), and on Windows a lock on it makes it unreadable: it is skipped."""
    from annotator.store.backup_deltas import PENDING_BYTE, changed_pages, lock_page

    page_size = 65536
    count = PENDING_BYTE // page_size + 4
    live, base = tmp_path / "live", tmp_path / "base"
    for path in (live, base):
        with path.open("wb") as handle:  # sparse: zeros
            handle.truncate(count * page_size)
    skip = lock_page(page_size)
    with live.open("r+b") as handle:
        for number in (skip, skip + 2):  # something in the lock page, and a real change
            handle.seek((number - 1) * page_size)
            handle.write(b"\x07" * page_size)
    assert [n for n, _ in changed_pages(live, base, page_size, count)] == [1, skip + 2]


def test_the_backup_just_taken_survives_its_own_rotation(large):
    """With the bound at the project's size, the base alone fills it: the delta
    taken before a deletion was deleted by the rotation that followed it, and the
    deletion went ahead with no way back. The newest backup is always kept."""
    tight = BackupPolicy(keep_last=10, keep_days=7, size_factor=1, min_bytes=0)
    large.backup("open", tight)
    _annotate(large, 5)
    before_delete = large.backup("before-delete", tight)
    assert before_delete.is_delta and before_delete.path.is_file()
    assert before_delete.path in [b.path for b in list_backups(large.path)]
