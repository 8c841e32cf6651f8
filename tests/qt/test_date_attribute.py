"""A date attribute in the codebook editor and the attribute panel: a line edit
that checks the date when Enter is pressed, stores partial dates as they are."""

import csv

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from annotator.core.codebook import AttributeType
from annotator.core.types import ATTRIBUTE_TYPES
from annotator.exporting.csv_export import export_csv
from annotator.ops.changes import added
from annotator.qt.codebook import codebook_dialog
from annotator.qt.codebook.codebook_dialog import CodebookDialog
from annotator.qt.codebook.codebook_widgets import NewAttribute, NewAttributeDialog
from annotator.qt.session import ProjectSession

from .conftest import activate, press, select_text

CLAIM = "cooperation among the U.S., Japan and South Korea will be more crucial than ever"


def test_the_codebook_editor_offers_every_type_and_adds_a_date(qtbot, project, monkeypatch):
    codebook = project.codebook()
    ask = NewAttributeDialog(codebook, codebook.category("claim"))
    qtbot.addWidget(ask)
    activate(qtbot, ask)
    combo = ask.type_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        kind.label for kind in ATTRIBUTE_TYPES.values()
    ]
    qtbot.keyClicks(ask.label_edit, "Signed")
    combo.setFocus()
    qtbot.keyClicks(combo, "Da")  # type-ahead in the list of types
    assert combo.currentText() == "Date"
    assert not ask.targets_box.isVisible()
    assert ask.value() == NewAttribute("Signed", AttributeType.DATE)

    monkeypatch.setattr(codebook_dialog, "ask_new_attribute", lambda *_args: ask.value())
    dialog = CodebookDialog(ProjectSession(project, "Ana"), QUndoStack())
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.categories.setCurrentRow(1)  # claim
    qtbot.mouseClick(dialog.attribute_panel.add_button, Qt.MouseButton.LeftButton)
    form = dialog.attribute_form
    assert form.type_label.text() == "Date"
    assert not form.choices.isVisible() and not form.targets_box.isVisible()
    assert project.codebook().attribute("claim", "signed").type == AttributeType.DATE


def _type(qtbot, field, text):
    field.selectAll()
    qtbot.keyClicks(field, text)
    press(qtbot, field, Qt.Key.Key_Return)


def test_the_panel_checks_a_date_on_enter_and_keeps_partial_dates(sample_window, qtbot, tmp_path):
    window = sample_window
    project = window.project
    signed = project.add_attribute(project.category("claim").id, "Signed", "date")
    window.session.publish(added("attribute", [signed.id]))  # as the codebook editor does
    select_text(window, CLAIM)
    press(qtbot, window.view, Qt.Key.Key_2)
    claim = next(a for a in project.annotations() if a.category == "claim")
    signed = project.codebook().attribute("claim", "signed")
    field = window.panel.editors["signed"]
    assert field.placeholderText() == "YYYY, YYYY-MM or YYYY-MM-DD"
    field.setFocus()

    _type(qtbot, field, "2024-13")  # no thirteenth month: refused, and the field says why
    assert signed.id not in project.values(claim.id)
    assert "“Signed”: “2024-13” is not a date" in field.toolTip()
    assert field.hasFocus() and field.text() == "2024-13"

    _type(qtbot, field, "2024-06")
    assert project.values(claim.id)[signed.id].text == "2024-06"
    assert field.text() == "2024-06" and not field.property("problem")
    export_csv(project, tmp_path / "out")
    with (tmp_path / "out" / "annotations.csv").open(encoding="utf-8", newline="") as handle:
        rows = {r["annotation_id"]: r for r in csv.DictReader(handle)}
    assert rows[claim.id]["claim.signed"] == "2024-06"

    window.undo_stack.undo()
    assert signed.id not in project.values(claim.id)
    assert field.text() == ""
