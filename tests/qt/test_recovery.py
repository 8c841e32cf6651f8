"""A damaged project is noticed on opening and restored from its newest backup."""

import pytest

from annotator.qt.common import dialogs
from annotator.store.backups import list_backups
from annotator.store.errors import DamagedProjectError
from annotator.store.project import create_project, open_project


def _damage(path):
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for offset in range(2 * page + 8, 2 * page + 200):  # inside a b-tree page
        data[offset] = 0xA5
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged(tmp_path):
    path = tmp_path / "study.annotator"
    with create_project(path) as project:
        doc = project.import_text("Seoul responded sharply to Pyongyang.", title="T")
        project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
        project.backup("manual")
        project.add_annotation(doc.id, 6, 15, "claim", coder="Ana")
    _damage(path)
    return path


def test_damage_is_noticed_and_the_file_left_unchanged(damaged):
    before = damaged.read_bytes()
    with pytest.raises(DamagedProjectError, match="damaged"):
        open_project(damaged)
    assert damaged.read_bytes() == before


def test_the_newest_backup_is_offered_and_restored(
    damaged, make_window, monkeypatch, _no_modal_dialogs
):
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, message: asked.append(message) or True)
    window = make_window(damaged)
    assert "1 annotations" in asked[0] and "kept aside" in asked[0]
    assert window.project.path == damaged
    assert [a.quote for a in window.project.annotations()] == ["Seoul"]
    aside = [p for p in damaged.parent.iterdir() if ".before-restore-" in p.name]
    assert aside and "kept as" in _no_modal_dialogs[-1][1]
    assert list_backups(damaged)


def test_declining_leaves_the_damaged_file(damaged, make_window, monkeypatch, settings_path):
    from annotator.app import build_window
    from annotator.qt.common.settings import AppSettings
    from annotator.store.errors import ProjectError

    before = damaged.read_bytes()
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: False)
    with pytest.raises(ProjectError):
        build_window(damaged, "Ana", AppSettings(settings_path))
    assert damaged.read_bytes() == before
