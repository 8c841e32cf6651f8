"""Uncaught errors are logged and shown; projects in synced folders are flagged."""

import sys

from annotator.core.logs import log_file
from annotator.core.paths import data_dir
from annotator.qt.common import dialogs
from annotator.qt.safety import crash
from annotator.store.project import create_project, open_project


def test_uncaught_exception_is_logged_and_shown(qapp, monkeypatch):
    shown = []
    monkeypatch.setattr(crash, "show_crash", lambda _parent, *shown_args: shown.append(shown_args))
    hook = crash.make_excepthook(lambda: None)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        hook(*sys.exc_info())
    ((summary, details, path),) = shown
    assert "RuntimeError: boom in a slot" in summary
    assert "Traceback" in details and "boom in a slot" in details
    assert path == str(log_file())
    assert "boom in a slot" in log_file().read_text(encoding="utf-8")


def test_project_in_a_synced_folder_is_flagged_and_can_be_moved(
    make_window, tmp_path, monkeypatch, qtbot
):
    path = tmp_path / "Dropbox" / "study.annotator"
    with create_project(path) as project:
        project.import_text("Seoul responded.", title="T")
    before = path.read_bytes()
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, message: asked.append(message) or True)
    window = make_window(path)
    qtbot.waitUntil(lambda: window.project.path != path)
    assert "a folder synced by Dropbox" in asked[0]
    assert window.project.path == data_dir() / "projects" / "study.annotator"
    assert [d.title for d in window.project.documents()] == ["T"]
    window.close()
    assert path.read_bytes() == before  # the original is left as it was
    with open_project(path) as original:
        assert len(original.documents()) == 1


def test_local_projects_are_not_flagged(make_window, tmp_path, monkeypatch, qtbot):
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda *a: asked.append(a) or True)
    window = make_window(tmp_path / "local" / "study.annotator")
    qtbot.wait(50)
    assert asked == []
    assert window.project.path == tmp_path / "local" / "study.annotator"
