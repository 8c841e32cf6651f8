"""Importing tables (one document per row) from the window: the text-column question,
its preview, Cancel between rows, and the folder dialog leaving tables unticked."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.importing.formats import SUPPORTED_EXTENSIONS
from annotator.importing.model import ReadOptions
from annotator.importing.tables import read_csv_table
from annotator.qt.importing import import_dialogs
from annotator.qt.importing.import_dialogs import (
    ColumnChoice,
    EncodingChoice,
    ExtensionsDialog,
    TextColumnDialog,
)

LONG = "Kim said, “no deal”.\nSeoul responded on Tuesday with a long statement."


def _csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8"):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


@pytest.fixture
def window(make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    return make_window(tmp_path / "empty.annotator")


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """A news database export without a "text" column."""
    return _csv(
        tmp_path / "export.csv",
        [
            ["id", "headline", "body", "source"],
            ["1", "Talks", LONG, "Yonhap"],
            ["2", "Visit", "Putin met Kim 👍🏽.", "TASS"],
            ["3", "Reply", "Seoul waits.", "KBS"],
        ],
    )


def _choose_files(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    monkeypatch.setattr(import_dialogs, "choose_files", lambda _p, _f, _e: [str(p) for p in paths])


def _finish(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.import_runner is None, timeout=10000)


def _columns_asked(monkeypatch, answer: ColumnChoice) -> list[tuple[str, tuple[str, ...], int]]:
    asked: list[tuple[str, tuple[str, ...], int]] = []

    def choose(_parent, path, table):
        asked.append((path.name, table.columns, len(table.rows)))
        return answer

    monkeypatch.setattr(import_dialogs, "choose_text_column", choose)
    return asked


def test_a_table_without_a_text_column_asks_for_it(
    qtbot, window, export, monkeypatch, _no_modal_dialogs
):
    asked = _columns_asked(monkeypatch, ColumnChoice("ok", "body"))
    _choose_files(monkeypatch, export)
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    assert asked == [("export.csv", ("id", "headline", "body", "source"), 3)]
    documents = window.project.documents()
    assert [window.project.document_text(d.id) for d in documents] == [
        LONG,
        "Putin met Kim 👍🏽.",
        "Seoul waits.",
    ]
    assert [d.source for d in documents] == ["Yonhap", "TASS", "KBS"]
    assert window.project.document_variables(documents[0].id) == {"id": "1", "headline": "Talks"}
    assert window.documents.rowCount() == 3
    title, message = _no_modal_dialogs[-1]
    assert "3 imported" in message and "export.csv rows 2–4: 3 documents" in message


def test_a_table_with_a_text_column_is_not_asked_about(qtbot, window, tmp_path, monkeypatch):
    def never(*_args):
        raise AssertionError("the text column was asked for")

    monkeypatch.setattr(import_dialogs, "choose_text_column", never)
    _choose_files(monkeypatch, _csv(tmp_path / "t.csv", [["TEXT", "date"], ["One.", "2024"]]))
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    (document,) = window.project.documents()
    assert (window.project.document_text(document.id), document.date) == ("One.", "2024")


def test_skip_and_cancel_in_the_column_question(
    qtbot, window, export, tmp_path, monkeypatch, _no_modal_dialogs
):
    text = tmp_path / "a.txt"
    text.write_text("A plain text.", encoding="utf-8")
    _choose_files(monkeypatch, export, text)
    _columns_asked(monkeypatch, ColumnChoice("cancel"))
    window.menus.actions["import_documents"].trigger()
    qtbot.wait(50)
    assert window.import_runner is None and window.project.documents() == []
    _columns_asked(monkeypatch, ColumnChoice("skip"))
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    assert [d.file_name for d in window.project.documents()] == ["a.txt"]
    assert "export.csv: skipped (text column not chosen)" in _no_modal_dialogs[-1][1]


def test_one_answer_for_all_tables_with_that_column(qtbot, window, export, tmp_path, monkeypatch):
    other = _csv(tmp_path / "more.csv", [["body", "x"], ["Another text.", "1"]])
    asked = _columns_asked(monkeypatch, ColumnChoice("ok", "body", for_all=True))
    _choose_files(monkeypatch, export, other)
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    assert [name for name, _c, _n in asked] == ["export.csv"]
    assert len(window.project.documents()) == 4


def test_a_cp1252_table_asks_its_encoding_first(qtbot, window, tmp_path, monkeypatch):
    path = _csv(
        tmp_path / "de.csv",
        [["Inhalt", "Autor"], ["Grüße aus Köln, schön – sagte sie.", "Müller"]],
        delimiter=";",
        encoding="cp1252",
    )
    asked: list[str] = []

    def encoding(_parent, path, _data, _suggestion, _alternatives=(), _confidence=""):
        asked.append(path.name)
        return EncodingChoice("ok", "cp1252")

    monkeypatch.setattr(import_dialogs, "choose_encoding", encoding)
    columns = _columns_asked(monkeypatch, ColumnChoice("ok", "Inhalt"))
    _choose_files(monkeypatch, path)
    window.menus.actions["import_documents"].trigger()
    _finish(qtbot, window)
    assert asked == ["de.csv"] and columns[0][1] == ("Inhalt", "Autor")
    (document,) = window.project.documents()
    assert window.project.document_text(document.id) == "Grüße aus Köln, schön – sagte sie."
    assert document.encoding == "cp1252"
    assert window.project.document_variables(document.id) == {"autor": "Müller"}


def test_cancel_between_rows_keeps_the_rows_already_imported(
    qtbot, window, export, monkeypatch, _no_modal_dialogs
):
    _columns_asked(monkeypatch, ColumnChoice("ok", "body"))
    _choose_files(monkeypatch, export)
    window.menus.actions["import_documents"].trigger()
    runner = window.import_runner
    assert runner is not None
    runner.file_done.connect(lambda _outcome: runner.progress.canceled.emit())
    _finish(qtbot, window)
    (document,) = window.project.documents()
    assert window.project.document_text(document.id) == LONG
    assert "cancel" in _no_modal_dialogs[-1][1].lower()


def test_duplicate_rows_are_not_offered_for_a_second_import(
    qtbot, window, tmp_path, monkeypatch, _no_modal_dialogs
):
    path = _csv(tmp_path / "t.csv", [["text"], ["One."], ["Two."]])
    _choose_files(monkeypatch, path)
    for _ in range(2):  # the second time every row is a duplicate; no question follows
        window.menus.actions["import_documents"].trigger()
        _finish(qtbot, window)
    assert len(window.project.documents()) == 2
    assert "t.csv rows 2–3: 2 texts already in the project" in _no_modal_dialogs[-1][1]


def test_the_column_dialog_previews_rows_and_takes_a_key_press(qtbot, export):
    table = read_csv_table(export, ReadOptions(), max_rows=import_dialogs.PREVIEW_ROWS)
    dialog = TextColumnDialog(export, table)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.column() == "body"  # the column with the longest cells is offered first
    preview = dialog.preview
    assert (preview.rowCount(), preview.columnCount()) == (3, 4)
    assert preview.horizontalHeaderItem(2).text() == "body"
    assert preview.verticalHeaderItem(0).text() == "2"  # rows as the spreadsheet counts them
    assert preview.item(0, 2).text().startswith("Kim said, “no deal”. ⏎ Seoul")
    assert [i.column() for i in preview.selectedIndexes()] == [2, 2, 2]
    assert dialog.choice() == ColumnChoice("cancel")  # closing is Cancel
    dialog.combo.setFocus()
    qtbot.keyClick(dialog.combo, Qt.Key.Key_Down)
    assert dialog.column() == "source"
    assert {i.column() for i in preview.selectedIndexes()} == {3}
    qtbot.keyClick(dialog.combo, Qt.Key.Key_Up)
    dialog.for_all.setChecked(True)
    dialog.ok.click()
    assert dialog.choice() == ColumnChoice("ok", "body", True)


def test_a_folder_import_offers_tables_unticked(qtbot):
    dialog = ExtensionsDialog(SUPPORTED_EXTENSIONS, None, import_dialogs.FOLDER_EXTENSIONS)
    qtbot.addWidget(dialog)
    assert {ext for ext, box in dialog.boxes.items() if not box.isChecked()} == {".csv", ".xlsx"}
    assert ".txt" in dialog.chosen() and ".csv" not in dialog.chosen()
    dialog.boxes[".csv"].click()
    assert ".csv" in dialog.chosen()
