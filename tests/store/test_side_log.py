"""A ``-wal`` beside a project: opening never replays one that is not the file's,
a read-only open never writes, and a read-write open keeps a backup first."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store.backups import list_backups
from annotator.store.errors import ForeignLogError
from annotator.store.project import create_project, open_project

_KILLED_WRITER = """
import os, sys
from annotator.store.project import open_project
project = open_project(sys.argv[1])
project.import_text(sys.argv[2], title=sys.argv[3])
os._exit(0)  # killed: the log is left beside the file, never checkpointed
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def killed_writer(path: Path, text: str, title: str) -> None:
    """A real process that writes a document and dies without closing the file."""
    subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(path), text, title],
        check=True,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PATH": ""},
        timeout=60,
    )
    assert Path(f"{path}-wal").stat().st_size > 32


def new_project(path: Path, text: str, title: str) -> None:
    with create_project(path) as project:
        project.import_text(text, title=title)


@pytest.fixture
def left_log(tmp_path: Path) -> Path:
    """A project whose writer was killed after importing a second document."""
    path = tmp_path / "study.annotator"
    new_project(path, "Seoul responded sharply.", "First")
    killed_writer(path, "Pyongyang answered at once.", "Second")
    return path


def test_read_only_export_with_a_left_log_does_not_change_the_file(left_log, tmp_path, capsys):
    before = digest(left_log)
    assert main(["export", str(left_log), "--out", str(tmp_path / "out")]) == 0
    assert digest(left_log) == before
    assert Path(f"{left_log}-wal").exists()
    with open_project(left_log, read_only=True) as project:  # it sees what the log holds
        assert sorted(d.title for d in project.documents()) == ["First", "Second"]
    assert digest(left_log) == before


def test_opening_a_left_log_to_write_keeps_a_backup_of_it_first(left_log):
    with open_project(left_log) as project:
        assert sorted(d.title for d in project.documents()) == ["First", "Second"]
    (backup,) = list_backups(left_log)
    assert backup.reason == "before-log-replay" and backup.documents == 2


def with_a_foreign_log(folder: Path) -> Path:
    """A project beside which lies the log another project's killed writer left."""
    other = folder / "other.annotator"
    new_project(other, "Tokyo stayed silent.", "Other")
    killed_writer(other, "Beijing called for calm.", "Other two")
    path = folder / "study.annotator"
    new_project(path, "Seoul responded sharply.", "Mine")
    shutil.copy(f"{other}-wal", f"{path}-wal")
    return path


def test_a_log_from_another_project_is_refused_and_nothing_changes(tmp_path):
    path = with_a_foreign_log(tmp_path)
    before = digest(path)
    for read_only in (False, True):
        with pytest.raises(ForeignLogError, match="does not belong to it") as caught:
            open_project(path, read_only=read_only)
        assert "The file was not changed." in str(caught.value)
        assert digest(path) == before
    assert main(["export", str(path), "--out", str(tmp_path / "out")]) == 1
    assert digest(path) == before and Path(f"{path}-wal").exists()


def test_an_older_copy_put_back_over_a_left_log_is_refused_unchanged(tmp_path):
    path = tmp_path / "study.annotator"
    new_project(path, "Seoul responded sharply.", "First")
    older = tmp_path / "older.annotator"
    shutil.copy(path, older)
    with open_project(path) as project:  # the file moves on after the copy was taken
        for n in range(30):
            project.import_text(f"Statement number {n} from the ministry. " * 40, title=f"S{n}")
    killed_writer(path, "Pyongyang answered at once. " * 50, "Last")
    shutil.copy(older, path)  # the copy is restored; the killed writer's log stays
    before = digest(path)
    for read_only in (True, False):
        with pytest.raises(ForeignLogError, match="without it it passes") as caught:
            open_project(path, read_only=read_only)
        assert "The file was not changed." in str(caught.value)
        assert digest(path) == before


def test_a_log_whose_index_holds_other_salts_is_refused(left_log, tmp_path):
    other = tmp_path / "other.annotator"
    new_project(other, "Tokyo stayed silent.", "Other")
    killed_writer(other, "Beijing called for calm.", "Other two")
    shutil.copy(f"{other}-shm", f"{left_log}-shm")  # the index of another log
    before = digest(left_log)
    with pytest.raises(ForeignLogError, match="salts differ"):
        open_project(left_log)
    assert digest(left_log) == before


def test_the_backup_before_a_log_replay_is_the_base_of_a_large_projects_deltas(
    left_log, monkeypatch
):
    from annotator.store import backup_keeper

    monkeypatch.setattr(backup_keeper, "DELTA_ABOVE", 0)  # counted as large
    with open_project(left_log) as project:
        replayed = list_backups(left_log)[0]
        opened = project.backup("open")
    assert opened.is_delta and opened.base == replayed.path


_KILLED_RECODER = """
import os, sys
from annotator.ops import codebook
from annotator.store.project import open_project
project = open_project(sys.argv[1])
for category in project.categories():
    codebook.delete_category(project, category.id)
frame = codebook.add_category(project, "Frame", "#336699").value
doc = project.import_text("Seoul responded sharply.", title="Recoded")
project.add_annotation(doc.id, 0, 5, frame.key, coder="Ana")
os._exit(0)  # killed before any checkpoint: the new codebook is in the log alone
"""


def test_a_log_that_replaced_every_category_is_the_projects_own(tmp_path):
    """The coder replaced the built-in categories by their own, then the writer died:
    the log holds no category the file alone has, yet it is this project's (the
    same project id) and is replayed, not set aside as another project's."""
    path = tmp_path / "study.annotator"
    create_project(path).close()
    subprocess.run(
        [sys.executable, "-c", _KILLED_RECODER, str(path)],
        check=True,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PATH": ""},
        timeout=60,
    )
    assert Path(f"{path}-wal").stat().st_size > 32
    with open_project(path) as project:
        assert [c.key for c in project.categories()] == ["frame"]
        assert [(a.quote, a.category) for a in project.annotations()] == [("Seoul", "frame")]
    (backup,) = list_backups(path)
    assert backup.reason == "before-log-replay"


_KILLED_CODEBOOK_EDITOR = """
import os, sys
from annotator.ops import codebook
from annotator.store.project import open_project
project = open_project(sys.argv[1])
codebook.add_category(project, "Frame", "#336699")
os._exit(0)
"""


def test_another_projects_log_of_codebook_edits_is_still_refused(tmp_path):
    """Its categories' pages would replace this project's, leaving this project's
    annotations pointing at categories that are not there: another project's log."""
    other = tmp_path / "other.annotator"
    new_project(other, "Tokyo stayed silent.", "Other")
    subprocess.run(
        [sys.executable, "-c", _KILLED_CODEBOOK_EDITOR, str(other)],
        check=True,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PATH": ""},
        timeout=60,
    )
    path = tmp_path / "study.annotator"
    with create_project(path) as project:
        doc = project.import_text("Seoul responded sharply.", title="Mine")
        project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    shutil.copy(f"{other}-wal", f"{path}-wal")
    before = digest(path)
    with pytest.raises(ForeignLogError, match="does not belong to it"):
        open_project(path)
    assert digest(path) == before
