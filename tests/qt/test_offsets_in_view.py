"""Spans after astral characters and in Korean, through the real widget."""

import csv

from PySide6.QtCore import Qt

from annotator.exporting.csv_export import export_csv
from annotator.store.project import create_project, open_project

from .conftest import press, select_text

TEXT = (
    "Crowds 👍🏽 cheered as 소아쌤 arrived.\n"
    "Family 👨‍👩‍👧 emoji, then Seoul said “no”.\n"
    "Combining: Cafe\u0301 owners, and עברית text.\n"
)


def test_spans_after_emoji_and_in_korean_keep_their_quotes(make_window, qtbot, tmp_path):
    path = tmp_path / "u.annotator"
    with create_project(path) as project:
        project.import_text(TEXT, title="Unicode")
    window = make_window(path)
    text = window.view.text
    assert window.view.document().characterCount() - 1 == window.view.offsets.length_u16
    for needle, key in (
        ("소아쌤", Qt.Key.Key_1),
        ("Seoul", Qt.Key.Key_1),
        ("Café owners", Qt.Key.Key_2),
        ("עברית", Qt.Key.Key_3),
    ):
        start, end = select_text(window, needle)
        assert window.view.selection_span() == (start, end)
        press(qtbot, window.view, key)
    window.close()

    with open_project(path) as project:
        stored = project.annotations()
        assert [a.quote for a in stored] == ["소아쌤", "Seoul", "Café owners", "עברית"]
        for ann in stored:
            assert text[ann.start : ann.end] == ann.quote
        export_csv(project, tmp_path / "out")
    with (tmp_path / "out" / "annotations.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        assert text[int(row["start"]) : int(row["end"])] == row["quote"]
    assert rows[0]["start"] == str(text.index("소아쌤"))
