"""The team's whole round through the real windows: prepare two coder copies, code the
sample document differently in each (text selection, category keys, the attribute
panel), merge both, read a figure in Team ▸ Agreement and the units behind it, merge one
file again (nothing changes), delete in a copy, merge again (gone, the figure follows)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.qt.common import dialogs
from annotator.qt.team.agreement_window import AgreementWindow
from annotator.qt.team.prepare_dialog import PrepareDialog
from annotator.store.project import create_project, open_project

from .conftest import activate, press, select_text
from .test_team_windows import _dialog, _merge, _open_summit, _summit_rows

TEXTS = {
    "Summit": "Putin met Kim in Pyongyang on Monday to discuss the deal.",
    "Farmers": "The minister said the deal was bad for farmers.",
}
STANCE = "met Kim in Pyongyang"


@pytest.fixture(autouse=True)
def _never_ask_the_coder(monkeypatch):
    def ask(*_args):  # a copy opens with its own coder
        raise AssertionError("the coder was asked")

    monkeypatch.setattr(dialogs, "ask_coder_name", ask)


def _code(make_window, qtbot, path: Path, actors: list[str], polarity: str) -> None:
    """In the copy: each of ``actors`` an actor mention (key 1, registry field left empty
    with Esc); STANCE a stance (key 3) whose polarity is picked in the attribute panel
    by typing its first letter into the field."""
    window = _open_summit(make_window, qtbot, path)
    for name in actors:
        select_text(window, name)
        press(qtbot, window.view, Qt.Key.Key_1)
        press(qtbot, window.panel.editors["actor"], Qt.Key.Key_Escape)
    select_text(window, STANCE)
    press(qtbot, window.view, Qt.Key.Key_3)
    combo = window.panel.editors["polarity"]
    combo.setFocus()
    qtbot.keyClicks(combo, polarity[0])
    assert combo.currentText().startswith(polarity)
    stance = window.coding.selected_annotation()
    assert stance is not None and stance.category == "stance"
    polarity_id = window.project.codebook().attribute("stance", "polarity").id
    chosen = window.project.values(stance.id)[polarity_id].choice_id
    assert chosen == combo.currentData()  # saved, not only shown
    window.close()


def _agreement(lead, qtbot) -> AgreementWindow:
    lead.menus.actions["agreement"].trigger()
    window = _dialog(AgreementWindow)
    qtbot.waitUntil(lambda: window.report is not None, timeout=20_000)
    return window


def _figure(window: AgreementWindow, category: str, attribute: str, measure: str, level=""):
    row = window.figure_row(category, attribute, measure, level)
    assert row >= 0, (category, attribute, measure)
    return row, window.figures.item(row, 4).text(), window.figures.item(row, 5).text()


def test_code_merge_agreement_remerge_delete(
    make_window, qtbot, tmp_path, monkeypatch, _no_modal_dialogs
):
    lead_path = tmp_path / "study.annotator"
    with create_project(lead_path) as project:
        for title, text in TEXTS.items():
            project.import_text(text, title=title)
    lead = make_window(lead_path, coder="Lead")
    out = tmp_path / "copies"
    # Team ▸ Prepare Coder Copies…: Ana and Ben, the Summit document as the sample.
    lead.menus.actions["team_prepare"].trigger()
    dialog = _dialog(PrepareDialog)
    qtbot.keyClicks(dialog.coders, "Ana, Ben")
    dialog.folder.selectAll()
    qtbot.keyClicks(dialog.folder, str(out))
    qtbot.mouseClick(
        dialog.chosen, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.chosen.height() // 2)
    )
    dialog.documents.setFocus()
    dialog.documents.setCurrentRow(0)  # Summit
    press(qtbot, dialog.documents, Qt.Key.Key_Space)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    ana, ben = out / "study-Ana.annotator", out / "study-Ben.annotator"
    assert ana.exists() and ben.exists()
    lead.close()

    # Ana: Putin an actor, the stance in support; Ben: Putin and Kim, the stance opposed.
    _code(make_window, qtbot, ana, ["Putin"], "support")
    _code(make_window, qtbot, ben, ["Putin", "Kim"], "oppose")

    lead = make_window(lead_path, coder=None)
    text = _merge(lead, qtbot, monkeypatch, ana, ben)
    assert "study-Ana.annotator (Ana): 2 added" in text
    assert "study-Ben.annotator (Ben): 3 added" in text
    merged = _summit_rows(lead)
    assert merged == [
        ("Ana", "actor"),
        ("Ana", "stance"),
        ("Ben", "actor"),
        ("Ben", "actor"),
        ("Ben", "stance"),
    ]

    # Team ▸ Agreement, pooled over the one document both were given (Summit):
    # actor units: Putin (Ana and Ben), Kim (Ben alone): matched 1 of 2 = 0.500.
    # The stance: one unit both marked, support against oppose: percent agreement 0/1.
    window = _agreement(lead, qtbot)
    assert window.status.text().startswith("Ana, Ben: 1 document(s), 3 units")
    assert _figure(window, "actor", "", "units_matched")[1:] == ("0.500", "1 / 2")
    row, value, units = _figure(window, "stance", "polarity", "percent_agreement", "nominal")
    assert (value, units) == ("0.000", "1 / 1")
    # A click on the figure: its one unit, marked as differing, each coder's value.
    rect = window.figures.visualItemRect(window.figures.item(row, 0))
    qtbot.mouseClick(window.figures.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.units.topLevelItemCount() == 1
    unit = window.units.topLevelItem(0)
    assert unit.text(0).startswith("≠ stance")
    shown = {unit.child(i).text(1): unit.child(i).text(3) for i in range(unit.childCount())}
    assert shown["Ana"].startswith("support") and shown["Ben"].startswith("oppose")
    assert unit.child(0).text(2) == STANCE
    window.grab().save(str(tmp_path / "agreement.png"))
    window.close()
    activate(qtbot, lead)

    # Ana's file again: nothing changes, nor does the figure.
    text = _merge(lead, qtbot, monkeypatch, ana)
    assert "0 added, 0 updated, 0 deleted, 2 unchanged" in text
    assert _summit_rows(lead) == merged
    window = _agreement(lead, qtbot)
    assert _figure(window, "actor", "", "units_matched")[1:] == ("0.500", "1 / 2")
    window.close()
    lead.close()

    # Ana deletes her stance in her copy (Delete in the annotation table).
    copy = _open_summit(make_window, qtbot, ana)
    qtbot.waitUntil(lambda: copy.annotations.rowCount() == 2)
    rows = range(copy.annotations.rowCount())
    row = next(r for r in rows if copy.annotations.annotation(r).category == "stance")
    copy.ann_table.setFocus()
    copy.ann_table.selectRow(row)
    press(qtbot, copy.ann_table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: copy.annotations.rowCount() == 1)
    copy.close()

    lead = make_window(lead_path, coder=None)
    text = _merge(lead, qtbot, monkeypatch, ana)
    assert "0 added, 0 updated, 1 deleted" in text
    assert ("Ana", "stance") not in _summit_rows(lead)
    # Now the stance is Ben's alone: matched 0 of 1, and no pair of polarities to compare.
    window = _agreement(lead, qtbot)
    assert _figure(window, "stance", "", "units_matched")[1:] == ("0.000", "0 / 1")
    percent = _figure(window, "stance", "polarity", "percent_agreement", "nominal")
    assert percent[1:] == ("—", "0 / 1")
    window.close()
    lead.close()
    with open_project(lead_path) as project:
        assert sorted((a.coder, a.category) for a in project.annotations()) == [
            ("Ana", "actor"),
            ("Ben", "actor"),
            ("Ben", "actor"),
            ("Ben", "stance"),
        ]
