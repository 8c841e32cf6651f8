"""File ▸ Export for Analysis…: the dialog, remembered choices, errors."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from annotator.exporting.model import ExportOptions, ExportResult
from annotator.qt.common.settings import AppSettings
from annotator.qt.exporting import export_dialog
from annotator.qt.exporting.export_dialog import ExportDialog, ExportRequest
from annotator.qt.exporting.export_process import export_command
from annotator.qt.exporting.export_runner import ExportProgress, running_export, show_result
from annotator.qt.exporting.progress_lines import Failed, Finished, parse_line, result_line

from .conftest import activate, press, select_text
from .export_helpers import wait_for_export

HINTS = {
    "dta": 'needs pyreadstat: pip install "annotator[stats]"',
    "sav": 'needs pyreadstat: pip install "annotator[stats]"',
    "xlsx": 'needs openpyxl: pip install "annotator[excel]"',
}


def _all_available(monkeypatch) -> None:
    monkeypatch.setattr(export_dialog, "format_hint", lambda _fmt: "")


def _dialog(qtbot, settings: AppSettings, coders=("Ana", "Ben"), folder="/tmp") -> ExportDialog:
    dialog = ExportDialog(list(coders), settings, folder)
    qtbot.addWidget(dialog)
    return dialog


def _window_dialog(qtbot, window) -> ExportDialog:
    """The dialog as File ▸ Export for Analysis… makes it for ``window``."""
    dialog = ExportDialog(
        export_dialog.coder_names(window.project),
        window.settings,
        str(window.project.path.parent),
        window,
    )
    qtbot.addWidget(dialog)
    return dialog


def _drive(qtbot, out: Path, coder: str = "Ana", with_stata: bool = False):
    """A run_export_dialog that fills in the real dialog with the keyboard and accepts."""

    def run(window) -> ExportRequest | None:
        dialog = _window_dialog(qtbot, window)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.folder_edit.setText(str(out))
        dialog.profile_buttons["excel"].click()
        dialog.coder_combo.setCurrentIndex(dialog.coder_combo.findText(coder))
        if with_stata:
            dialog.format_boxes["dta"].click()
        dialog.folder_edit.setFocus()
        qtbot.keyClick(dialog.folder_edit, Qt.Key.Key_Return)  # Export is the default button
        assert dialog.result() == dialog.DialogCode.Accepted
        return dialog.request()

    return run


def _tag(window, qtbot) -> None:
    select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_1)


def test_the_export_writes_what_the_dialog_chose(
    sample_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs
):
    window = sample_window
    _tag(window, qtbot)
    out = tmp_path / "export"
    out.mkdir()
    stata = export_dialog.format_hint("dta") == ""
    monkeypatch.setattr(export_dialog, "run_export_dialog", _drive(qtbot, out, with_stata=stata))
    window.menus.actions["export_csv"].trigger()
    assert isinstance(wait_for_export(qtbot, window), Finished)
    assert (out / "annotations.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's BOM
    with (out / "annotations.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert [row["coder"] for row in csv.DictReader(fh)] == ["Ana"]
    assert (out / "annotations.dta").exists() == stata
    written = len(list(out.iterdir()))
    assert window.statusBar().currentMessage() == f"Exported {written} files to {out}"
    assert _no_modal_dialogs == []
    assert window.settings.export_choices()["profile"] == "excel"


def test_the_window_shows_progress_and_no_busy_cursor_while_it_exports(
    sample_window, monkeypatch, tmp_path, qtbot
):
    window = sample_window
    out = tmp_path / "export"
    monkeypatch.setattr(export_dialog, "run_export_dialog", _drive(qtbot, out))
    height = window.statusBar().height()
    window.menus.actions["export_csv"].trigger()
    (panel,) = window.statusBar().findChildren(ExportProgress)
    QApplication.processEvents()
    assert panel.isVisible()
    # The bar keeps its height: the window does not lay itself out again.
    assert window.statusBar().height() == height
    assert panel.cancel_button.isEnabled()
    assert QApplication.overrideCursor() is None
    assert isinstance(wait_for_export(qtbot, window), Finished)
    assert not panel.isVisible()
    assert (out / "annotations.csv").exists()


def test_choices_are_remembered_by_the_next_dialog(qtbot, settings_path, monkeypatch):
    _all_available(monkeypatch)
    settings = AppSettings(settings_path)
    first = _dialog(qtbot, settings, folder="/default")
    assert first.folder() == "/default"
    assert first.options() == ExportOptions("analysis", None, ("csv",))
    first.folder_edit.setText("/somewhere/out")
    first.profile_buttons["excel"].setChecked(True)
    first.coder_combo.setCurrentIndex(first.coder_combo.findText("Ben"))
    first.format_boxes["xlsx"].setChecked(True)
    first.accept()

    second = _dialog(qtbot, AppSettings(settings_path), folder="/default")
    assert second.folder() == "/somewhere/out"
    assert second.profile_buttons["excel"].isChecked()
    assert second.coder_combo.currentText() == "Ben"
    assert second.options() == ExportOptions("excel", "Ben", ("csv", "xlsx"))


def test_a_remembered_coder_who_is_gone_means_all_coders(qtbot, settings_path, monkeypatch):
    _all_available(monkeypatch)
    settings = AppSettings(settings_path)
    settings.set_export_choices("/out", "analysis", "Zoe", ["csv"])
    dialog = _dialog(qtbot, settings)
    assert dialog.coder_combo.currentText() == "All coders"
    assert dialog.options().coder is None


def test_unavailable_formats_are_disabled_with_a_note(qtbot, settings_path, monkeypatch):
    monkeypatch.setattr(export_dialog, "format_hint", lambda fmt: HINTS.get(fmt, ""))
    settings = AppSettings(settings_path)
    settings.set_export_choices("/out", "analysis", "", ["csv", "dta", "xlsx"])
    dialog = _dialog(qtbot, settings)
    csv = dialog.format_boxes["csv"]
    assert csv.isChecked() and not csv.isEnabled()
    for fmt, hint in HINTS.items():
        assert not dialog.format_boxes[fmt].isEnabled()
        assert not dialog.format_boxes[fmt].isChecked()
        assert dialog.format_notes[fmt].text() == hint
    assert dialog.format_notes["csv"].text() == ""
    assert dialog.options().formats == ("csv",)


def test_format_hint_names_the_extra_to_install(monkeypatch):
    monkeypatch.setattr(export_dialog.importlib.util, "find_spec", lambda _name: None)
    assert export_dialog.format_hint("csv") == ""
    assert 'pip install "annotator[stats]"' in export_dialog.format_hint("dta")
    assert 'pip install "annotator[stats]"' in export_dialog.format_hint("sav")
    assert 'pip install "annotator[excel]"' in export_dialog.format_hint("xlsx")


def test_export_needs_a_folder(qtbot, settings_path):
    dialog = _dialog(qtbot, AppSettings(settings_path))
    assert dialog.ok_button.isEnabled()
    dialog.folder_edit.clear()
    assert not dialog.ok_button.isEnabled()


def test_browse_fills_in_the_folder(qtbot, settings_path, monkeypatch):
    dialog = _dialog(qtbot, AppSettings(settings_path))
    monkeypatch.setattr(export_dialog, "choose_folder", lambda _p, _f: "/chosen")
    dialog.browse_button.click()
    assert dialog.folder() == "/chosen"


def test_an_export_error_is_shown_and_nothing_else_happens(
    sample_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs
):
    window = sample_window
    window.statusBar().showMessage("before")
    out = tmp_path / "taken"
    out.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setattr(export_dialog, "run_export_dialog", _drive(qtbot, out))
    window.menus.actions["export_csv"].trigger()
    assert isinstance(wait_for_export(qtbot, window), Failed)
    assert _no_modal_dialogs == [
        (
            "Export for Analysis",
            f"The export failed: {out} is a file, not a folder. Nothing in the folder was changed.",
        )
    ]
    assert window.statusBar().currentMessage() == "before"
    assert QApplication.overrideCursor() is None
    assert window.settings.export_choices()["profile"] == "excel"  # remembered all the same


def test_warnings_and_skipped_formats_are_shown(sample_window, tmp_path, _no_modal_dialogs):
    window = sample_window
    result = ExportResult(
        str(tmp_path),
        {"annotations.csv": 0},
        ["a cell was cut to 32767 characters"],
        {"sav": 'pip install "annotator[stats]"'},
        ["annotations.csv"],
    )
    show_result(window, result)
    assert window.statusBar().currentMessage() == f"Exported 1 file to {tmp_path}"
    ((title, message),) = _no_modal_dialogs
    assert title == "Export for Analysis"
    assert "32767" in message
    assert '.sav files not written: pip install "annotator[stats]"' in message


def test_a_result_travels_from_the_export_to_the_window_whole():
    result = ExportResult(
        "/out/ü",
        {"annotations.csv": 3, "network_actor_issue.graphml": 2},
        ["a cell was cut\nto 32767 characters"],
        {"sav": 'pip install "annotator[stats]"'},
        ["annotations.csv", "network_actor_issue.graphml"],
    )
    assert parse_line(result_line(result) + "\n") == Finished(result)


def test_cancelling_the_dialog_exports_nothing(sample_window, monkeypatch):
    window = sample_window
    monkeypatch.setattr(export_dialog, "run_export_dialog", lambda _w: None)
    window.menus.actions["export_csv"].trigger()
    assert running_export(window) is None
    assert window.statusBar().currentMessage() == ""


def test_coder_names_come_from_the_annotations(sample_window, qtbot):
    window = sample_window
    assert export_dialog.coder_names(window.project) == []
    _tag(window, qtbot)
    assert export_dialog.coder_names(window.project) == ["Ana"]


def test_ask_export_shows_the_dialog_modally(sample_window, monkeypatch, tmp_path):
    window = sample_window
    _all_available(monkeypatch)
    window.settings.set_export_choices(str(tmp_path), "excel", "", ["csv", "sav"])

    def accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportDialog)
        dialog.accept()

    QTimer.singleShot(0, accept)
    request = export_dialog.ask_export(window)
    assert request == ExportRequest(str(tmp_path), ExportOptions("excel", None, ("csv", "sav")))


def test_the_dialog_works_from_the_keyboard(qtbot, settings_path, monkeypatch):
    _all_available(monkeypatch)
    dialog = _dialog(qtbot, AppSettings(settings_path))
    activate(qtbot, dialog)
    assert dialog.focusWidget() is dialog.folder_edit
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.profile_buttons["excel"].isChecked)  # buttons animate the click
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.coder_combo
    qtbot.keyClick(dialog.coder_combo, Qt.Key.Key_Down)
    assert dialog.coder_combo.currentText() == "Ana"
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.format_boxes["dta"].isChecked)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)
    assert dialog.result() == dialog.DialogCode.Rejected
    assert AppSettings(settings_path).export_choices()["profile"] == "analysis"  # not saved


def test_the_panel_says_it_is_cancelling_until_the_export_stops(qtbot):
    panel = ExportProgress("/out")
    qtbot.addWidget(panel)
    panel.show_step(0, 0, "reading the project")
    assert panel.label.text() == "Exporting: reading the project…"
    assert (panel.bar.minimum(), panel.bar.maximum()) == (0, 0)  # busy
    panel.show_step(2, 10, "claims")
    assert (panel.label.text(), panel.bar.value(), panel.bar.maximum()) == (
        "Exporting claims…",
        2,
        10,
    )
    panel.show_cancelling()
    panel.show_step(3, 10, "statements")  # the export has not heard it yet
    assert panel.label.text() == "Cancelling the export…"
    assert not panel.cancel_button.isEnabled()


def test_an_export_that_cannot_start_says_so(
    sample_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs
):
    window = sample_window
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-program"))
    monkeypatch.setattr(export_dialog, "run_export_dialog", _drive(qtbot, tmp_path / "out"))
    window.menus.actions["export_csv"].trigger()
    assert isinstance(wait_for_export(qtbot, window), Failed)
    ((title, message),) = _no_modal_dialogs
    assert (title, message.split("(")[0]) == (
        "Export for Analysis",
        "The export failed: it could not be started ",
    )
    assert running_export(window) is None
    assert not (tmp_path / "out").exists()


def test_the_bundle_runs_its_own_program_for_the_export(monkeypatch, tmp_path):
    options = ExportOptions("excel", "-Ana", ("csv", "xlsx"))
    program, arguments = export_command(tmp_path / "p.annotator", tmp_path / "out", options)
    assert (program, arguments[:3]) == (sys.executable, ["-m", "annotator", "export"])
    monkeypatch.setattr(sys, "frozen", True, raising=False)  # as in the PyInstaller bundle
    program, arguments = export_command(tmp_path / "p.annotator", tmp_path / "out", options)
    assert program == sys.executable
    assert arguments == [
        "export",
        str(tmp_path / "p.annotator"),
        f"--out={tmp_path / 'out'}",
        "--profile=excel",
        "--format=csv,xlsx",
        "--progress=lines",
        "--coder=-Ana",  # a name that starts like an option stays a name
    ]


def test_exporting_incomplete_annotations_says_so_then_offers_the_folder(
    sample_window, monkeypatch, tmp_path, qtbot
):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QPushButton

    from annotator.qt.common import dialogs

    window = sample_window
    select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_2)  # a claim without its claimant
    out = tmp_path / "export"
    monkeypatch.setattr(
        export_dialog, "run_export_dialog", lambda _w: ExportRequest(str(out), ExportOptions())
    )
    asked: list[str] = []
    answers = iter([1, 0])  # first "Go to the First", then "Export Anyway"

    def choose(_parent, _title, message, buttons):
        asked.append(message)
        assert buttons == ["Export Anyway", "Go to the First"]
        return next(answers)

    monkeypatch.setattr(dialogs, "choose", choose)
    window.step_document(1)
    window.menus.actions["export_csv"].trigger()
    assert asked[0].startswith("1 annotation lacks a required field, in 1 document.")
    assert running_export(window) is None and not out.exists()
    assert window.coding.selected_annotation().quote == "Kim Jong Un"  # taken to it
    window.menus.actions["export_csv"].trigger()
    assert isinstance(wait_for_export(qtbot, window), Finished)
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    button = window.findChild(QPushButton, "openExportFolder")
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened == [str(out)]


def test_the_sample_projects_export_goes_to_the_documents_folder(sample_window):
    from annotator.core.paths import documents_dir

    folder = export_dialog._default_folder(sample_window)
    assert folder == str(documents_dir() / f"{sample_window.project.path.stem} export")


def test_the_actor_networks_are_written_when_the_box_is_ticked_and_remembered(
    sample_window, monkeypatch, tmp_path, qtbot, _no_modal_dialogs
):
    """The one-mode actor networks are on request (they can hold millions of edges):
    Alt+N ticks the box, the export then writes them, and the next dialog remembers."""
    window = sample_window
    _tag(window, qtbot)
    outs = [tmp_path / "plain", tmp_path / "networks"]

    def run(tick: bool, out: Path):
        def dialog_run(win) -> ExportRequest | None:
            dialog = _window_dialog(qtbot, win)
            activate(qtbot, dialog)
            assert not dialog.networks_box.isChecked()  # off until asked for
            dialog.folder_edit.setText(str(out))
            if tick:
                focus = dialog.focusWidget()
                qtbot.keyClick(focus, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
                qtbot.waitUntil(dialog.networks_box.isChecked)  # buttons animate the click
            dialog.folder_edit.setFocus()
            qtbot.keyClick(dialog.folder_edit, Qt.Key.Key_Return)
            return dialog.request()

        return dialog_run

    for tick, out in zip((False, True), outs, strict=True):
        monkeypatch.setattr(export_dialog, "run_export_dialog", run(tick, out))
        window.menus.actions["export_csv"].trigger()
        assert isinstance(wait_for_export(qtbot, window), Finished)
    assert not (outs[0] / "actor_congruence.csv").exists()
    assert "actor_congruence" not in (outs[0] / "DATA_DICTIONARY.md").read_text("utf-8")
    for name in ("actor_congruence", "actor_conflict"):
        assert (outs[1] / f"{name}.csv").exists() and (outs[1] / f"{name}.graphml").exists()
    again = _dialog(qtbot, window.settings)
    assert again.networks_box.isChecked() and again.options().actor_networks
