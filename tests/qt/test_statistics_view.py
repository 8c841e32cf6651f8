"""View ▸ Statistics through the real window: its actor × polarity numbers are
those of an export's actor_by_polarity.csv; tables and charts are saved."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
from annotator.qt.common import dialogs
from annotator.qt.statistics.statistics_window import StatisticsWindow
from annotator.store.project import open_project
from tests.qt.test_coded_segments import _study


def test_actor_by_polarity_equals_the_exports(make_window, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "study.annotator"
    _study(path)
    with open_project(path, read_only=True) as project:
        export_for_analysis(project, tmp_path / "out", ExportOptions())
    with (tmp_path / "out" / "actor_by_polarity.csv").open(encoding="utf-8", newline="") as f:
        exported = list(csv.reader(f))

    window = make_window(path)
    window.menus.actions["statistics"].trigger()  # View ▸ Statistics
    stats = window.findChild(StatisticsWindow, "statisticsWindow")
    assert stats is not None and stats.isVisible()
    qtbot.waitUntil(lambda: stats.actors_ready, timeout=10_000)
    page = stats.pages["actor_by_polarity"]
    view = page.view.model()
    shown = [
        [view.headerData(c, Qt.Orientation.Horizontal) for c in range(view.columnCount())],
        *(
            [view.index(r, c).data() for c in range(view.columnCount())]
            for r in range(view.rowCount())
        ),
    ]
    assert shown == exported
    putin = next(r for r in shown if r[1] == "Vladimir Putin")
    assert (putin[shown[0].index("oppose")], putin[shown[0].index("support")]) == ("1", "1")

    over_time = stats.pages["stances_by_month"].table
    column = {name: i for i, name in enumerate(over_time.headers)}
    by_month = {row[0]: row for row in over_time.rows}
    assert (by_month["2024-06"][column["support"]], by_month["2024-06"][column["oppose"]]) == (1, 1)
    assert by_month["no date"][column["oppose"]] == 1  # the second document has no date
    counts = stats.pages["by_category"].table.rows
    assert counts[0] == ["Stance", 3]

    out = tmp_path / "actor_by_polarity_view.csv"
    monkeypatch.setattr(dialogs, "choose_file_to_save", lambda *_a: str(out))
    qtbot.mouseClick(page.findChild(QPushButton, "exportStatCsv"), Qt.MouseButton.LeftButton)
    with out.open(encoding="utf-8", newline="") as f:
        assert list(csv.reader(f)) == exported
    for suffix in ("png", "svg"):
        chart = tmp_path / f"chart.{suffix}"
        monkeypatch.setattr(dialogs, "choose_file_to_save", lambda *_a, c=chart: str(c))
        qtbot.mouseClick(page.findChild(QPushButton, "saveStatChart"), Qt.MouseButton.LeftButton)
        assert chart.stat().st_size > 0
    assert not QImage(str(tmp_path / "chart.png")).isNull()
    assert "<svg" in (tmp_path / "chart.svg").read_text("utf-8")
    stats.close()


def _shown(page):
    view = page.view.model()
    return [
        [view.headerData(c, Qt.Orientation.Horizontal) for c in range(view.columnCount())],
        *(
            [view.index(r, c).data() for c in range(view.columnCount())]
            for r in range(view.rowCount())
        ),
    ]


def test_actor_tables_of_one_coder_equal_that_coders_export(make_window, qtbot, tmp_path):
    path = tmp_path / "study.annotator"
    _study(path)
    exported = {}
    with open_project(path, read_only=True) as project:
        for coder in ("Ana", "Bo"):
            export_for_analysis(project, tmp_path / coder, ExportOptions(coder=coder))
            for name in ("actor_by_polarity", "network_actor_issue"):
                with (tmp_path / coder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
                    exported[(coder, name)] = list(csv.reader(f))

    window = make_window(path)
    window.menus.actions["statistics"].trigger()
    stats = window.findChild(StatisticsWindow, "statisticsWindow")
    qtbot.waitUntil(lambda: stats.actors_ready, timeout=10_000)
    everyone = _shown(stats.pages["actor_by_polarity"])
    over_time = stats.pages["stances_by_month"]  # every coder's: not counted again
    box = stats.coder
    assert box.currentText() == "all coders"
    for coder in ("Ana", "Bo"):
        box.setFocus()
        while box.currentText() != coder:
            qtbot.keyClick(box, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: stats.actors_ready, timeout=10_000)
        shown = _shown(stats.pages["actor_by_polarity"])
        assert shown == exported[(coder, "actor_by_polarity")]
        assert shown != everyone  # each coder holds some of the stances
        assert _shown(stats.pages["actor_by_issue"]) == exported[(coder, "network_actor_issue")]
        assert stats.pages["stances_by_month"] is over_time
    stats.close()


def test_an_actors_bars_name_its_coder(make_window, qtbot, tmp_path):
    path = tmp_path / "study.annotator"
    _study(path)
    window = make_window(path)
    window.menus.actions["statistics"].trigger()
    stats = window.findChild(StatisticsWindow, "statisticsWindow")
    qtbot.waitUntil(lambda: stats.actors_ready, timeout=10_000)
    table = stats.pages["actor_by_polarity"].table
    coder = table.headers.index("coder")
    held = [r for r in table.rows if r[table.headers.index("stances")]]
    # One bar per actor and coder holding stances, labelled with both.
    assert sorted(table.labels) == sorted(f"{r[1]} · ({r[coder]})" for r in held)
    assert len(held) > 1
    stats.close()


def test_the_value_axis_steps_by_whole_numbers_for_counts():
    from annotator.qt.statistics.chart import axis

    assert axis(1.0, whole=True) == (1.0, 1.0)  # not 0.2, 0.5, 0.8 of a stance
    assert axis(2.0, whole=True) == (2.0, 1.0)
    assert axis(7.0, whole=True) == (8.0, 2.0)
    assert axis(1234.0, whole=True) == (1500.0, 500.0)
    assert axis(1.0, whole=False) == (1.0, 0.5)
    assert axis(3.7, whole=False) == (4.0, 1.0)


def test_statistics_again_shows_what_was_counted_unless_the_project_changed(
    make_window, qtbot, tmp_path
):
    """View ▸ Statistics again, or a coder chosen again, with the project as it was:
    the actor tables show at once, not counted again; after an edit they are."""
    path = tmp_path / "study.annotator"
    oppose_id, doc_id = _study(path)
    window = make_window(path)
    window.menus.actions["statistics"].trigger()
    stats = window.findChild(StatisticsWindow, "statisticsWindow")
    qtbot.waitUntil(lambda: stats.actors_ready, timeout=10_000)
    before = _shown(stats.pages["actor_by_polarity"])
    over_time = stats.pages["stances_by_month"].table.rows
    stats.close()

    window.menus.actions["statistics"].trigger()  # nothing changed meanwhile
    assert stats.actors_ready and stats._thread is None  # shown, no count started
    assert _shown(stats.pages["actor_by_polarity"]) == before
    assert stats.pages["stances_by_month"].table.rows == over_time

    box = stats.coder
    box.setCurrentIndex(box.findText("Ana"))
    qtbot.waitUntil(lambda: stats.actors_ready, timeout=10_000)
    anas = _shown(stats.pages["actor_by_polarity"])
    box.setCurrentIndex(box.findText("all coders"))
    assert stats.actors_ready and stats._thread is None
    box.setCurrentIndex(box.findText("Ana"))
    assert stats.actors_ready and _shown(stats.pages["actor_by_polarity"]) == anas
    box.setCurrentIndex(box.findText("all coders"))
    stats.close()

    # An edit through the window: Putin's oppose stance deleted, counted again.
    window.show_document(window.session.project.document(doc_id))
    window.coding.select_annotation(oppose_id)
    window.menus.actions["delete"].trigger()
    window.menus.actions["statistics"].trigger()
    assert not stats.actors_ready  # counting
    qtbot.waitUntil(lambda: stats.actors_ready, timeout=10_000)
    after = _shown(stats.pages["actor_by_polarity"])
    total = after[0].index("stances")
    row = next(r for r in after if r[1] == "Vladimir Putin")
    was = next(r for r in before if r[1] == "Vladimir Putin")
    assert int(row[total]) == int(was[total]) - 1
    stats.close()
