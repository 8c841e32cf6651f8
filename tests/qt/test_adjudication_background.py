"""Team ▸ Adjudicate reads the units, and Ctrl+M pre-merges, on a worker: the
event loop keeps turning meanwhile, Cancel leaves the project as it was, and a
pre-merge finished behind the window is undone and redone from its history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog

from annotator.core.adjudication import ADJUDICATED
from annotator.qt.team.adjudication_window import AdjudicationWindow
from annotator.store.project import create_project, open_project
from tests.qt.conftest import activate
from tests.qt.test_export_in_background import Ticks

DOCUMENTS = 12
SPANS = 150  # a document, each coded alike by both coders: every unit agreed
WORDS = "the minister said that farmers union government tax plan reform".split()


@pytest.fixture(scope="module")
def team_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("team") / "team.annotator"
    with create_project(path) as project:
        text = " ".join(WORDS[i % len(WORDS)] for i in range(SPANS * 3)) + "\n"
        rows = []
        for number in range(DOCUMENTS):
            document = project.import_text(text, title=f"Article {number}")
            starts = [i for i, c in enumerate(text) if c != " " and (i == 0 or text[i - 1] == " ")]
            for j in range(SPANS):
                start = starts[j * 3]
                end = text.index(" ", start)
                category = ("actor", "claim", "stance")[j % 3]
                rows += [(document.id, start, end, category, c) for c in ("Ana", "Bo")]
        project.add_annotations(rows)
    return path


def _state(path: Path) -> tuple[int, int]:
    with open_project(path, read_only=True) as project:
        mine = [a for a in project.annotations() if a.coder == ADJUDICATED]
        return len(mine), len(project.decisions())


def _cancel_soon(parent) -> None:
    def cancel() -> None:
        bar = parent.findChild(QProgressDialog, "adjudication-progress")
        assert bar is not None, "no progress dialog while the work runs"
        bar.cancel()

    QTimer.singleShot(0, cancel)


def test_opening_and_premerge_run_behind_the_window(make_window, qtbot, tmp_path, team_file):
    path = tmp_path / "team.annotator"
    shutil.copy(team_file, path)
    main = make_window(path, coder="Lead")

    _cancel_soon(main)  # Cancel while the units are read: no window
    main.menus.actions["adjudicate"].trigger()
    assert main.findChild(AdjudicationWindow) is None

    ticks = Ticks()
    main.menus.actions["adjudicate"].trigger()
    window = main.findChild(AdjudicationWindow)
    assert window is not None
    activate(qtbot, window)
    total = DOCUMENTS * SPANS
    assert f"0 settled, {total} unsettled" in window.progress.text()

    _cancel_soon(window)  # Cancel the pre-merge: nothing written, nothing to undo
    qtbot.keyClick(window.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert "cancelled" in window.note.text()
    assert _state(path) == (0, 0)
    assert window.undo_stack.count() == 0

    qtbot.keyClick(window.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    ticks.stop()
    assert _state(path) == (total, total)
    assert f"{total} settled, 0 unsettled" in window.progress.text()
    assert ticks.count >= 3, "the event loop did not turn while the work ran"

    window.undo_stack.undo()
    assert _state(path) == (0, 0)
    assert f"0 settled, {total} unsettled" in window.progress.text()
    window.undo_stack.redo()
    assert _state(path) == (total, total)
    assert f"{total} settled, 0 unsettled" in window.progress.text()
