"""Automatic backups: verified copies, rotation, listing, restore, before migration."""

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from annotator.core.paths import data_dir
from annotator.store import connection
from annotator.store.backups import (
    STAMP_FORMAT,
    BackupPolicy,
    backups_dir,
    folder_for,
    list_backups,
    load_policy,
    make_backup,
    restore_backup,
    rotate,
    save_policy,
)
from annotator.store.errors import ProjectError
from annotator.store.project import open_project

DATA = Path(__file__).resolve().parent.parent / "data"


def _annotated(project, n: int = 2):
    doc = project.import_text("Putin met Kim in Pyongyang.\n", title="Summit")
    for i in range(n):
        project.add_annotation(doc.id, i, i + 3, "actor", coder="Ana")
    return doc


def _touch(folder: Path, when: datetime, reason: str = "auto") -> Path:
    path = folder / f"{when.strftime(STAMP_FORMAT)}-{reason}.annotator"
    path.write_bytes(b"")
    return path


def test_backups_live_under_the_user_data_folder(tmp_path):
    assert backups_dir() == data_dir() / "backups"
    folder = folder_for(tmp_path / "My Project.annotator")
    assert folder.parent == backups_dir()
    assert folder.name.startswith("My Project-") and len(folder.name) == len("My Project-") + 10
    assert folder_for(tmp_path / "other" / "My Project.annotator") != folder


def test_make_backup_writes_a_verified_copy_with_counts(project):
    _annotated(project, 2)
    backup = make_backup(project.db.conn, project.path, "Before Import!")
    assert backup.reason == "before-import"
    assert backup.path.parent == folder_for(project.path)
    assert backup.path.name.endswith("-before-import.annotator")
    assert (backup.annotations, backup.documents) == (2, 1)
    assert datetime.fromisoformat(backup.created).tzinfo is not None
    assert [p.name for p in backup.path.parent.iterdir()] == [backup.path.name]
    assert backup.path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal, not WAL
    conn = sqlite3.connect(f"file:{backup.path}?mode=ro", uri=True)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()
    with open_project(backup.path) as copy:
        assert copy.annotation_count() == 2
        assert copy.project_id == project.project_id


def test_a_failed_check_leaves_no_backup(project, monkeypatch):
    def broken(conn, tmp):
        tmp.write_bytes(b"half")
        raise ProjectError("The backup copy failed its integrity check (bad).")

    monkeypatch.setattr("annotator.store.backups.copy_verified", broken)
    with pytest.raises(ProjectError, match="integrity"):
        make_backup(project.db.conn, project.path, "manual")
    assert list(folder_for(project.path).iterdir()) == []


def test_rotation_keeps_the_newest_ten_and_one_per_day_for_a_week(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    recent = [_touch(folder, now - timedelta(minutes=5 * i)) for i in range(15)]
    daily = {}  # two a day for the 9 days before today
    for day in range(1, 10):
        noon = now - timedelta(days=day)
        daily[day] = (_touch(folder, noon + timedelta(hours=3)), _touch(folder, noon))
    stranger = folder / "notes.txt"
    stranger.write_text("mine")

    deleted = rotate(folder, now=now, keep_last=10, keep_daily_days=7)

    kept = set(folder.iterdir())
    assert set(recent[:10]) <= kept
    assert not set(recent[10:]) & kept  # today already has its newest kept
    for day in range(1, 7):
        assert daily[day][0] in kept and daily[day][1] not in kept
    for day in range(7, 10):
        assert not set(daily[day]) & kept
    assert stranger in kept
    assert set(deleted) == set(recent[10:]) | {p for day in daily for p in daily[day]} - {
        daily[day][0] for day in range(1, 7)
    }


def test_make_backup_rotates(project):
    folder = folder_for(project.path)
    folder.mkdir(parents=True)
    old = datetime.now(UTC) - timedelta(days=30)
    stale = [_touch(folder, old + timedelta(minutes=i)) for i in range(12)]
    make_backup(project.db.conn, project.path, "manual")
    assert len(list(folder.iterdir())) == 10
    assert not stale[0].exists() and stale[-1].exists()


def test_make_backup_follows_the_policy_it_is_given(project):
    folder = folder_for(project.path)
    folder.mkdir(parents=True)
    old = datetime.now(UTC) - timedelta(days=30)
    stale = [_touch(folder, old + timedelta(minutes=i)) for i in range(12)]
    project.backup("manual", BackupPolicy(keep_last=3, keep_days=0))
    left = sorted(folder.iterdir())
    assert len(left) == 3 and left[:2] == stale[-2:]
    with pytest.raises(ValueError):
        BackupPolicy(keep_last=0)


def test_every_backup_follows_the_saved_policy_the_migration_one_too(tmp_path):
    path = tmp_path / "old.annotator"
    shutil.copy(Path(__file__).resolve().parent.parent / "data" / "schema_1.annotator", path)
    folder = folder_for(path)
    folder.mkdir(parents=True)
    old = datetime.now(UTC) - timedelta(days=60)
    kept = [_touch(folder, old + timedelta(days=i)) for i in range(40)]
    assert load_policy() == BackupPolicy()  # nothing saved yet: the default
    save_policy(BackupPolicy(keep_last=50, keep_days=0))
    open_project(path).close()  # migrates, after a backup
    assert all(p.exists() for p in kept)
    assert len(list(folder.iterdir())) == 41
    (backups_dir() / "policy.json").write_text("{not json", encoding="utf-8")
    assert load_policy() == BackupPolicy()  # unreadable: the default, no crash


def test_list_backups_newest_first_with_counts_skipping_damaged(project):
    _annotated(project, 1)
    first = make_backup(project.db.conn, project.path, "first")
    _annotated(project, 2)
    second = make_backup(project.db.conn, project.path, "second")
    garbage = folder_for(project.path) / "29991231T000000000000Z-garbage.annotator"
    garbage.write_bytes(b"not a database at all" * 100)
    listed = list_backups(project.path)
    assert [b.path for b in listed] == [second.path, first.path]
    assert [(b.reason, b.annotations, b.documents) for b in listed] == [
        ("second", 3, 2),
        ("first", 1, 1),
    ]
    assert listed[0].created == second.created


def test_list_backups_of_a_project_without_any(tmp_path):
    assert list_backups(tmp_path / "none.annotator") == []


def test_restore_puts_the_backup_back_and_keeps_the_current_file(project):
    _annotated(project, 1)
    backup = make_backup(project.db.conn, project.path, "manual")
    _annotated(project, 4)
    path = project.path
    project.close()

    aside = restore_backup(backup, path)

    assert aside.parent == path.parent
    assert aside.name.startswith(f"{path.name}.before-restore-")
    with open_project(path) as restored:
        assert restored.annotation_count() == 1
    with open_project(aside) as previous:
        assert previous.annotation_count() == 5
    assert backup.path.exists()


def test_an_old_project_is_backed_up_before_migration(tmp_path):
    path = tmp_path / "old.annotator"
    shutil.copy(DATA / "schema_1.annotator", path)
    with open_project(path) as project:
        assert project.annotation_count() == 1
    (backup,) = list_backups(path)
    assert backup.reason == "before-migration"
    assert backup.annotations == 1
    conn = sqlite3.connect(f"file:{backup.path}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    (quote,) = conn.execute("SELECT quote FROM annotations").fetchone()
    conn.close()
    assert quote == "Putin"
    with open_project(path):  # already current: no second backup
        pass
    assert len(list_backups(path)) == 1


def test_a_failed_backup_refuses_the_migration(tmp_path, monkeypatch):
    path = tmp_path / "old.annotator"
    shutil.copy(DATA / "schema_1.annotator", path)
    before = path.read_bytes()

    def failing(conn, project_path, reason):
        raise ProjectError("No backup could be made: the disk is full.")

    monkeypatch.setattr(connection, "make_backup", failing)
    with pytest.raises(ProjectError, match="disk is full"):
        open_project(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.annotator"]


def test_a_current_project_is_not_backed_up_on_open(project):
    path = project.path
    project.close()
    with open_project(path):
        pass
    assert list_backups(path) == []


def test_a_backup_damaged_since_it_was_taken_is_not_restored(project):
    _annotated(project, 2)
    backup = make_backup(project.db.conn, project.path, "manual")
    path = project.path
    project.close()
    before = path.read_bytes()
    data = bytearray(backup.path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\\x00" * 4096  # a page of it lost
    backup.path.write_bytes(bytes(data))

    with pytest.raises(ProjectError, match="fails SQLite's check"):
        restore_backup(backup, path)
    assert path.read_bytes() == before  # the project as it was, nothing moved aside
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name)) == [
        path.name
    ]
