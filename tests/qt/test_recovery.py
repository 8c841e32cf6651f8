"""A damaged project is noticed on opening and restored from its newest backup."""

import logging
import shutil
import sqlite3

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


def _truncated(path):
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


def _zeroed_header(path):
    data = path.read_bytes()
    path.write_bytes(bytes(100) + data[100:])


def _zeroed_first_page(path):
    data = path.read_bytes()
    page = int.from_bytes(data[16:18], "big") or 65536
    path.write_bytes(bytes(page) + data[page:])


def _application_id_flipped(path):
    data = bytearray(path.read_bytes())
    data[68] ^= 0x10
    path.write_bytes(bytes(data))


def _project_with_backup(path):
    with create_project(path) as project:
        doc = project.import_text("Seoul responded sharply to Pyongyang.", title="T")
        project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
        project.backup("manual")
        project.add_annotation(doc.id, 6, 15, "claim", coder="Ana")


@pytest.mark.parametrize(
    "damage", [_truncated, _zeroed_header, _zeroed_first_page, _application_id_flipped]
)
def test_the_newest_backup_is_offered_whatever_the_damage(
    damage, tmp_path, make_window, monkeypatch, _no_modal_dialogs
):
    path = tmp_path / "study.annotator"
    _project_with_backup(path)
    damage(path)
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, message: asked.append(message) or True)
    window = make_window(path)
    assert asked and "newest good backup" in asked[0]
    assert [a.quote for a in window.project.annotations()] == ["Seoul"]


def test_a_moved_project_finds_its_backups_by_identity(
    tmp_path, make_window, monkeypatch, _no_modal_dialogs
):
    first = tmp_path / "a" / "study.annotator"
    first.parent.mkdir()
    _project_with_backup(first)
    moved = tmp_path / "b" / "study.annotator"
    moved.parent.mkdir()
    shutil.move(first, moved)
    _truncated(moved)
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, message: asked.append(message) or True)
    window = make_window(moved)
    assert "same name" in asked[0]
    assert [a.quote for a in window.project.annotations()] == ["Seoul"]


def test_a_damaged_file_is_named_without_sqlites_raw_report(damaged, caplog):
    conn = sqlite3.connect(f"file:{damaged}?mode=ro&immutable=1", uri=True)
    raw = conn.execute("PRAGMA quick_check").fetchall()[0][0]
    conn.close()
    assert raw != "ok"
    with caplog.at_level(logging.WARNING), pytest.raises(DamagedProjectError) as caught:
        open_project(damaged)
    assert raw not in str(caught.value) and "“study.annotator” is damaged" in str(caught.value)
    assert raw in caplog.text


def test_a_foreign_log_is_set_aside_when_the_user_agrees(
    tmp_path, make_window, monkeypatch, _no_modal_dialogs
):
    from tests.store.test_side_log import with_a_foreign_log

    path = with_a_foreign_log(tmp_path)
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, message: asked.append(message) or True)
    window = make_window(path)
    assert "does not belong" in asked[0]
    assert [d.title for d in window.project.documents()] == ["Mine"]
    assert [p for p in tmp_path.iterdir() if ".set-aside-" in p.name]


def test_a_rotten_document_is_named_in_the_window_not_shown(
    tmp_path, make_window, _no_modal_dialogs
):
    path = tmp_path / "study.annotator"
    with create_project(path) as project:
        project.import_text("Seoul responded sharply to Pyongyang.", title="Seoul statement")
        project.backup("manual")
    data = path.read_bytes()
    path.write_bytes(data.replace(b"sharply", b"shbrply"))
    window = make_window(path)
    assert window.view.text == ""
    (title, message), *_ = _no_modal_dialogs
    assert title == "Damaged document" and "“Seoul statement” is damaged" in message
    assert "holds it intact" in message


def test_the_window_gives_the_api_s_answer_for_each_kind_of_damage(
    tmp_path, make_window, monkeypatch, _no_modal_dialogs
):
    from annotator.store.errors import ProjectError
    from tests.store.damage_corpus import DOCUMENTS, build

    monkeypatch.setattr(dialogs, "confirm", lambda *_a: False)  # no backup, no setting aside
    kinds: dict[str, object] = {}
    for case in build():
        kinds.setdefault(case.name.split(" at ")[0].rstrip("0123456789 "), case)
    assert len(kinds) >= 10
    logging.disable(logging.WARNING)
    try:
        for number, (kind, case) in enumerate(kinds.items()):
            path = tmp_path / str(number) / "x.annotator"
            path.parent.mkdir()
            case.write(path)
            try:
                with open_project(path) as project:
                    api = [d.title for d in project.documents()]
            except ProjectError:
                api = None
            case.write(path)  # as it was, whatever the open did
            shown = len(_no_modal_dialogs)
            try:
                window = make_window(path)
            except ProjectError:
                assert api is None, f"{kind}: the window refused what the API opens"
                continue
            assert api is not None or len(_no_modal_dialogs) > shown, kind
            assert window.project.path == path
            assert [d.title for d in window.project.documents()] == api, kind
            if window.current is not None and len(_no_modal_dialogs) == shown:  # no word said
                texts = dict(case.expected or DOCUMENTS)
                assert window.view.text == texts[window.current.title], f"{kind}: wrong text"
            window.close()
    finally:
        logging.disable(logging.NOTSET)


def test_an_older_copy_put_back_over_a_left_log_opens_once_the_log_is_set_aside(
    tmp_path, make_window, monkeypatch, _no_modal_dialogs
):
    from tests.store.damage_corpus import DOCUMENTS, build

    (case,) = [c for c in build() if c.name == "older copy over a left log"]
    path = tmp_path / "study.annotator"
    case.write(path)
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, message: asked.append(message) or True)
    window = make_window(path)
    assert "without it it passes" in asked[0] and "Set the log aside" in asked[0]
    assert [d.title for d in window.project.documents()] == [DOCUMENTS[0][0]]


def test_a_delta_is_offered_and_restored_when_it_is_the_newest_good_backup(
    tmp_path, make_window, monkeypatch, _no_modal_dialogs
):
    path = tmp_path / "large.annotator"
    with create_project(path) as project:
        project.backups.delta_above = 0  # counted as large: a full backup, then deltas
        doc = project.import_text("Seoul responded sharply to Pyongyang.", title="T")
        project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
        project.backup("open")
        project.add_annotation(doc.id, 6, 15, "claim", coder="Ana")
        delta = project.backup("periodic")
        project.add_annotation(doc.id, 16, 23, "claim", coder="Ana")
    assert delta.is_delta
    _damage(path)
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, message: asked.append(message) or True)
    window = make_window(path)
    assert "2 annotations" in asked[0]
    assert [a.quote for a in window.project.annotations()] == ["Seoul", "responded"]


def test_a_damaged_delta_is_passed_over_for_the_full_backup(
    tmp_path, make_window, monkeypatch, _no_modal_dialogs
):
    path = tmp_path / "large.annotator"
    with create_project(path) as project:
        project.backups.delta_above = 0
        doc = project.import_text("Seoul responded sharply to Pyongyang.", title="T")
        project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
        project.backup("open")
        project.add_annotation(doc.id, 6, 15, "claim", coder="Ana")
        delta = project.backup("periodic")
    data = bytearray(delta.path.read_bytes())
    data[100] ^= 0xFF
    delta.path.write_bytes(bytes(data))
    _damage(path)
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, message: asked.append(message) or True)
    window = make_window(path)
    assert "1 annotations" in asked[0]
    assert [a.quote for a in window.project.annotations()] == ["Seoul"]
