"""What the desktop hands the app: a project double-clicked while it runs, the icon."""

from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from annotator.app import FileOpenHandler, app_icon
from annotator.store.project import create_project


def test_a_file_open_event_opens_the_project_in_the_window(make_window, tmp_path):
    window = make_window(tmp_path / "first.annotator")
    other = tmp_path / "second.annotator"
    with create_project(other) as project:
        project.import_text("A text to open.", title="Opened")
    app = QApplication.instance()
    handler = FileOpenHandler(window)
    app.installEventFilter(handler)
    try:
        QApplication.sendEvent(app, QFileOpenEvent(str(other)))
    finally:
        app.removeEventFilter(handler)
    assert window.project.path == other
    assert [d.title for d in window.project.documents()] == ["Opened"]


def test_the_app_icon_has_every_size(qapp):
    sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
    assert {(16, 16), (32, 32), (256, 256)} <= sizes
