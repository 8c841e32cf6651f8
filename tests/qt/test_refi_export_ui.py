"""File ▸ Export ▸ REFI-QDA Project… and Codebook…: the files the command line
writes, a message that says what they hold, and Cancel that leaves nothing."""

from __future__ import annotations

import threading
import time
import zipfile
from pathlib import Path

from lxml import etree

from annotator.core.progress import Progress
from annotator.qt.common import dialogs
from annotator.qt.exporting import refi_export
from annotator.store.project import create_project
from tests.exporting.coded_example import build
from tests.qt.conftest import keep_then_stop


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "study.annotator"
    with create_project(path) as project:
        build(project)
    return path


def _save_as(monkeypatch, path: Path) -> list[str]:
    asked: list[str] = []

    def choose(_parent, title, folder, _filter):
        asked.append(folder)
        return str(path)

    monkeypatch.setattr(dialogs, "choose_file_to_save", choose)
    return asked


def test_project_export_from_the_menu(make_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs):
    window = make_window(_project(tmp_path))
    asked = _save_as(monkeypatch, tmp_path / "out" / "shared")
    (tmp_path / "out").mkdir()
    window.menus.actions["export_refi_project"].trigger()
    qtbot.waitUntil(lambda: bool(_no_modal_dialogs), timeout=20000)
    ((title, message),) = _no_modal_dialogs
    assert title == refi_export.PROJECT_TITLE
    assert "shared.qdpx holds 1 documents and 4 annotations" in message
    assert Path(asked[0]).name == "study.qdpx"  # the project's name is offered
    with zipfile.ZipFile(tmp_path / "out" / "shared.qdpx") as archive:
        assert {"project.qde", "annotator/project.json"} <= set(archive.namelist())
    assert window.statusBar().currentMessage().startswith("REFI-QDA project written to")


def test_cancel_leaves_nothing(make_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs):
    window = make_window(_project(tmp_path))
    _save_as(monkeypatch, tmp_path / "shared.qdpx")

    class CancelledAtOnce(refi_export._Worker):
        def __init__(self, project, out):
            super().__init__(project, out)
            self.progress.cancel()

    monkeypatch.setattr(refi_export, "_Worker", CancelledAtOnce)
    window.menus.actions["export_refi_project"].trigger()
    qtbot.waitUntil(lambda: "cancelled" in window.statusBar().currentMessage(), timeout=20000)
    assert not (tmp_path / "shared.qdpx").exists()
    assert not _no_modal_dialogs
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_codebook_export_from_the_menu(make_window, monkeypatch, tmp_path, _no_modal_dialogs):
    window = make_window(_project(tmp_path))
    _save_as(monkeypatch, tmp_path / "codes")
    window.menus.actions["export_refi_codebook"].trigger()
    ((title, message),) = _no_modal_dialogs
    assert (title, message.split(":")[0]) == (
        refi_export.CODEBOOK_TITLE,
        "codes.qdc holds 15 codes",
    )
    root = etree.parse(str(tmp_path / "codes.qdc")).getroot()
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"


def test_closing_the_window_stops_the_export_and_leaves_no_partial_file(
    make_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs
):
    window = make_window(_project(tmp_path))
    _save_as(monkeypatch, tmp_path / "shared.qdpx")
    writing = threading.Event()

    class HeldWhileWriting(refi_export._Worker):
        """The real writer, held at its first step until it is cancelled: the
        window is closed while the file is half written."""

        def __init__(self, project, out):
            super().__init__(project, out)
            self.progress = Progress(self._hold)

        def _hold(self, _done: int, _total: int, _label: str) -> None:
            writing.set()
            while not self.progress.cancelled:
                time.sleep(0.005)

    monkeypatch.setattr(refi_export, "_Worker", HeldWhileWriting)
    window.menus.actions["export_refi_project"].trigger()
    assert writing.wait(20)
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".part")]  # half written
    asked = keep_then_stop(monkeypatch)
    window.close()
    assert window.isVisible()
    assert asked[0].startswith("shared.qdpx is still being written.")
    window.close()
    assert not window.isVisible()
    assert not (tmp_path / "shared.qdpx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_an_export_that_ends_while_the_question_is_up_lets_the_window_close(
    make_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs
):
    """The question turns the event loop: the export may end (and its run be gone)
    before the user answers; closing then goes on as after any export."""
    path = _project(tmp_path)
    window = make_window(path)
    _save_as(monkeypatch, tmp_path / "shared.qdpx")
    release, started = threading.Event(), threading.Event()

    class HeldUntilAsked(refi_export._Worker):
        def __init__(self, project, out):
            super().__init__(project, out)
            self.progress = Progress(self._hold)

        def _hold(self, _done: int, _total: int, _label: str) -> None:
            started.set()
            release.wait(20)

    monkeypatch.setattr(refi_export, "_Worker", HeldUntilAsked)
    window.menus.actions["export_refi_project"].trigger()
    assert started.wait(20)
    run = window._refi_export

    def answer(_parent, _title: str, _message: str) -> bool:
        release.set()  # the export ends while the user reads the question
        run.writer.join(20)
        qtbot.waitUntil(lambda: window._refi_export is None)
        return True

    monkeypatch.setattr(dialogs, "confirm", answer)
    window.close()
    assert not window.isVisible()
    assert window.session is None  # the close went to its end: the project closed
    assert (tmp_path / "shared.qdpx").exists()
