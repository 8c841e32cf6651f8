"""Team coding through the real windows: prepare two coder copies, code the same
sample document differently in each, merge both, merge one again, delete in a
copy and merge once more."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication, QLabel

from annotator.ops import annotations as annotation_ops
from annotator.ops.team import plan_for, prepare_coder_copies
from annotator.qt.common import dialogs
from annotator.qt.team import merge_runner
from annotator.qt.team.merge_runner import MergeReportDialog, MergeRun
from annotator.qt.team.prepare_dialog import PrepareDialog
from annotator.qt.team.progress_window import ProgressWindow
from annotator.store.project import create_project, open_project

from .conftest import activate, press, select_text

TEXTS = {
    "Summit": "Putin met Kim in Pyongyang on Monday to discuss the deal.",
    "Farmers": "The minister said the deal was bad for farmers.",
    "Strike": "Unions called for a general strike in March.",
}


@pytest.fixture
def lead_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.annotator"
    with create_project(path) as project:
        for title, text in TEXTS.items():
            project.import_text(text, title=title)
    return path


@pytest.fixture(autouse=True)
def _never_ask_the_coder(monkeypatch):
    def ask(*_args):  # a copy opens with its own coder
        raise AssertionError("the coder was asked")

    monkeypatch.setattr(dialogs, "ask_coder_name", ask)


def _dialog(kind):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert found, f"no {kind.__name__} shown"
    return found[-1]


def _open_summit(make_window, qtbot, path: Path):
    """A coder's copy in the window (its coder not asked for), the Summit document shown."""
    window = make_window(path, coder=None)
    row = next(
        r
        for r in range(window.documents.rowCount())
        if window.documents.document(r).title == "Summit"
    )
    window.doc_table.selectRow(row)
    qtbot.waitUntil(lambda: window.current is not None and window.current.title == "Summit")
    return window


def _code_in_copy(make_window, qtbot, path: Path, key: Qt.Key) -> str:
    """Open the copy, code "Putin" in the Summit document with ``key``; its coder."""
    window = _open_summit(make_window, qtbot, path)
    select_text(window, "Putin")
    press(qtbot, window.view, key)
    coder = window.session.coder
    assert window.coder_label.text() == f"Coder: {coder}"
    assert window.annotations.rowCount() == 1
    window.close()
    return coder


def _merge(window, qtbot, monkeypatch, *paths: Path) -> str:
    """Team ▸ Merge Coder Files… with ``paths`` chosen; the report's text. The widgets
    there before are held, so that a new report cannot be taken for an old one."""
    monkeypatch.setattr(merge_runner, "ask_files", lambda *_a: [str(p) for p in paths])
    before = [w for w in QApplication.topLevelWidgets() if isinstance(w, MergeReportDialog)]
    window.menus.actions["team_merge"].trigger()
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, MergeReportDialog) and w.isVisible() and w not in before
            for w in QApplication.topLevelWidgets()
        ),
        timeout=20000,
    )
    report = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, MergeReportDialog) and w.isVisible() and w not in before
    )
    text = report.text.toPlainText()
    report.close()
    activate(qtbot, window)
    return text


def _summit_rows(window) -> list[tuple[str, str]]:
    project = window.project
    summit = next(d for d in project.documents() if d.title == "Summit")
    return sorted((a.coder, a.category) for a in project.annotations(summit.id))


def test_prepare_code_merge_remerge_and_delete(
    make_window, qtbot, lead_path, tmp_path, monkeypatch, _no_modal_dialogs
):
    lead = make_window(lead_path, coder="Lead")
    out = tmp_path / "copies"

    # Team ▸ Prepare Coder Copies…: two coders, the Summit document as the sample.
    lead.menus.actions["team_prepare"].trigger()
    dialog = _dialog(PrepareDialog)
    qtbot.keyClicks(dialog.coders, "Ana, Ben")
    dialog.folder.selectAll()
    qtbot.keyClicks(dialog.folder, str(out))
    on_button = QPoint(8, dialog.chosen.height() // 2)
    qtbot.mouseClick(dialog.chosen, Qt.MouseButton.LeftButton, pos=on_button)
    assert dialog.chosen.isChecked()
    dialog.documents.setFocus()
    dialog.documents.setCurrentRow(0)  # Summit
    press(qtbot, dialog.documents, Qt.Key.Key_Space)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not dialog.message.text()
    assert any("reliability sample: 1 documents" in msg for _t, msg in _no_modal_dialogs)
    ana, ben = out / "study-Ana.annotator", out / "study-Ben.annotator"
    assert ana.exists() and ben.exists()
    lead.close()

    # Each copy opens with its coder (never asked); the same span, different codes.
    assert _code_in_copy(make_window, qtbot, ana, Qt.Key.Key_1) == "Ana"
    assert _code_in_copy(make_window, qtbot, ben, Qt.Key.Key_2) == "Ben"

    lead = make_window(lead_path, coder=None)
    assert lead.session.coder == "Lead"  # the settings' coder again, not a copy's
    text = _merge(lead, qtbot, monkeypatch, ana, ben)
    assert "study-Ana.annotator (Ana): 1 added, 0 updated, 0 deleted, 0 unchanged" in text
    assert "study-Ben.annotator (Ben): 1 added" in text
    assert _summit_rows(lead) == [("Ana", "actor"), ("Ben", "claim")]
    summit_row = next(
        r for r in range(lead.documents.rowCount()) if lead.documents.document(r).title == "Summit"
    )
    assert lead.documents.document(summit_row).annotation_count == 2  # the list shows it

    # The same file again: nothing changes, and the report says it was compared.
    text = _merge(lead, qtbot, monkeypatch, ana)
    assert "0 added, 0 updated, 0 deleted, 1 unchanged, 0 conflicts, 0 refused (1 compared)" in text
    assert _summit_rows(lead) == [("Ana", "actor"), ("Ben", "claim")]
    lead.close()

    # Ana deletes her annotation in her copy (Delete in the annotation table).
    copy = make_window(ana, coder=None)
    row = next(
        r for r in range(copy.documents.rowCount()) if copy.documents.document(r).title == "Summit"
    )
    copy.doc_table.selectRow(row)
    qtbot.waitUntil(lambda: copy.annotations.rowCount() == 1)
    copy.ann_table.setFocus()
    copy.ann_table.selectRow(0)
    press(qtbot, copy.ann_table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: copy.annotations.rowCount() == 0)
    copy.close()

    lead = make_window(lead_path, coder=None)
    text = _merge(lead, qtbot, monkeypatch, ana)
    assert "0 added, 0 updated, 1 deleted" in text
    assert _summit_rows(lead) == [("Ben", "claim")]

    # Team ▸ Coder Progress: each coder's Summit row is merged.
    lead.menus.actions["team_progress"].trigger()
    progress = _dialog(ProgressWindow)
    rows = {(r.coder, r.title): r for r in progress.model.rows}
    assert rows[("Ana", "Summit")].merged_at and rows[("Ana", "Summit")].sample
    assert rows[("Ben", "Summit")].annotations == 1
    assert rows[("Ana", "Summit")].annotations == 0
    progress.close()
    lead.close()
    with open_project(lead_path) as project:
        assert sorted(a.coder for a in project.annotations()) == ["Ben"]


def test_a_cancelled_merge_leaves_the_project_as_it_was(make_window, lead_path, tmp_path):
    with open_project(lead_path) as project:
        files = prepare_coder_copies(project, plan_for(project, ["Ana"]), tmp_path / "c")
    path = files.value.files["Ana"]
    with open_project(path) as copy:
        doc = copy.documents()[0]
        annotation_ops.add_annotation(copy, doc.id, 0, 5, "actor", coder="Ana")
    window = make_window(lead_path, coder="Lead")
    run = MergeRun(window.project, [path])
    run.cancel()  # before its first step: the worker stops there
    run.thread.start()
    run.thread.join(20)
    assert run.cancelled and run.reports == [] and run.error is None
    assert window.project.annotations() == [] and window.project.merge_history() == []


def test_a_cancel_in_the_second_file_reports_the_first_and_refreshes(
    make_window, lead_path, tmp_path, monkeypatch
):
    """Cancel pressed while the second file is written: the first file stays merged,
    and the window says so, shows its annotations and drops its undo history."""
    with open_project(lead_path) as project:
        files = prepare_coder_copies(project, plan_for(project, ["Ana", "Ben"]), tmp_path / "c")
    paths = [files.value.files["Ana"], files.value.files["Ben"]]
    for path in paths:
        with open_project(path) as copy:
            doc = copy.documents()[0]
            annotation_ops.add_annotation(copy, doc.id, 0, 5, "actor", coder=copy.copy_coder())

    class CancelledInTheSecondFile(MergeRun):
        def _report(self, done: int, total: int, label: str) -> None:
            super()._report(done, total, label)
            if paths[1].name in label and "writing" in label:
                self.cancel()  # as the progress dialog's Cancel does

    monkeypatch.setattr(merge_runner, "MergeRun", CancelledInTheSecondFile)
    window = make_window(lead_path, coder="Lead")
    doc = window.project.documents()[0]
    annotation_ops.add_annotation(window.project, doc.id, 6, 9, "actor", coder="Lead")
    window.undo_stack.push(QUndoCommand("an earlier edit"))
    report = merge_runner.run_merge(window, paths)
    assert report is not None
    text = report.text.toPlainText()
    assert paths[0].name in text and "1 added" in text and paths[1].name not in text
    assert report.findChild(QLabel).text() == (
        "Cancelled: the file being merged was rolled back; 1 file(s) before it stay merged."
    )
    assert window.undo_stack.count() == 0  # the project changed beneath it
    assert sorted(a.coder for a in window.project.annotations()) == ["Ana", "Lead"]
    report.close()
