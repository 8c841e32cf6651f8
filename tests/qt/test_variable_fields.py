"""Document variables in the properties dialog: each type's field, and the shared
date rule (year, year-month or a calendar date)."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QLineEdit

from annotator.core.types import VARIABLE_TYPES
from annotator.qt.documents.document_dialog import NewVariableDialog, PropertiesDialog
from annotator.qt.session import ProjectSession

from .conftest import activate


def test_each_variable_type_gets_its_field(qtbot, project, _no_modal_dialogs):
    doc = project.import_text("Kim met Moon.", title="Talks")
    for label, kind in (
        ("Desk", "text"),
        ("Pages", "number"),
        ("Published", "date"),
        ("Genre", "choice"),
        ("Front page", "boolean"),
    ):
        project.add_variable(label, kind, choices=["news", "opinion"] if kind == "choice" else [])
    dialog = PropertiesDialog(ProjectSession(project, "Ana"), QUndoStack(), doc)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    fields = dialog.variable_fields
    assert {key: type(field) for key, field in fields.items()} == {
        "desk": QLineEdit,
        "pages": QLineEdit,
        "published": QLineEdit,
        "genre": QComboBox,
        "front_page": QComboBox,
    }
    assert fields["pages"].placeholderText() == "a number, e.g. 12 or 3.5"
    assert [fields["front_page"].itemText(i) for i in range(3)] == ["", "Yes", "No"]
    assert [fields["genre"].itemData(i) for i in range(3)] == ["", "news", "opinion"]

    published = fields["published"]
    published.setFocus()
    qtbot.keyClicks(published, "2024-13")
    qtbot.keyClick(published, Qt.Key.Key_Return)  # Enter saves: refused, nothing written
    assert (
        "Published: “2024-13” is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        in (_no_modal_dialogs[-1][1])
    )
    assert project.document_variables(doc.id) == {}
    published.selectAll()
    qtbot.keyClicks(published, "2024-06")
    qtbot.keyClick(published, Qt.Key.Key_Return)
    assert project.document_variables(doc.id) == {"published": "2024-06"}


def test_the_new_variable_dialog_lists_every_type(qtbot):
    dialog = NewVariableDialog(None)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    combo = dialog.type
    assert [combo.itemText(i) for i in range(combo.count())] == [
        kind.label for kind in VARIABLE_TYPES.values()
    ]
    for name, kind in VARIABLE_TYPES.items():
        combo.setCurrentIndex(combo.findData(name))
        assert dialog.choices.isEnabled() == kind.has_choice_list
    qtbot.keyClicks(dialog.label, "Genre")
    combo.setCurrentIndex(combo.findData("choice"))
    qtbot.keyClicks(dialog.choices, "news, opinion")
    assert dialog.result_tuple() == ("Genre", "choice", ["news", "opinion"])
    combo.setCurrentIndex(combo.findData("text"))
    assert dialog.result_tuple() == ("Genre", "text", [])
