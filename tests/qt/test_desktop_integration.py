"""What the desktop hands the app: a project double-clicked while it runs, the icon."""

from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from annotator.app import FileOpenHandler, app_icon
from annotator.store.project import create_project


def _second_project(tmp_path):
    other = tmp_path / "second.annotator"
    with create_project(other) as project:
        project.import_text("A text to open.", title="Opened")
    return other


def _send_file_open(handler, path):
    app = QApplication.instance()
    app.installEventFilter(handler)
    try:
        QApplication.sendEvent(app, QFileOpenEvent(str(path)))
    finally:
        app.removeEventFilter(handler)


def test_a_file_open_event_opens_the_project_in_the_window(make_window, tmp_path):
    window = make_window(tmp_path / "first.annotator")
    other = _second_project(tmp_path)
    handler = FileOpenHandler()
    handler.attach(window)
    _send_file_open(handler, other)
    assert window.project.path == other
    assert [d.title for d in window.project.documents()] == ["Opened"]


def test_a_file_open_event_before_the_window_is_opened_once_it_exists(make_window, tmp_path):
    other = _second_project(tmp_path)
    handler = FileOpenHandler()
    _send_file_open(handler, other)  # during start-up: no window yet
    window = make_window(tmp_path / "first.annotator")
    handler.attach(window)
    assert window.project.path == other


def test_a_file_open_event_waits_for_an_open_dialog(make_window, tmp_path, qtbot, monkeypatch):
    window = make_window(tmp_path / "first.annotator")
    other = _second_project(tmp_path)
    modal = [object()]  # a dialog is open
    monkeypatch.setattr(QApplication, "activeModalWidget", staticmethod(lambda: modal[0]))
    monkeypatch.setattr(FileOpenHandler, "RETRY_MS", 20)
    handler = FileOpenHandler()
    handler.attach(window)
    _send_file_open(handler, other)
    qtbot.wait(60)
    assert window.project.path == tmp_path / "first.annotator"
    modal[0] = None  # the dialog closed
    qtbot.waitUntil(lambda: window.project.path == other)


def test_the_app_icon_has_every_size(qapp):
    sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
    assert {(16, 16), (32, 32), (256, 256)} <= sizes
