"""Every edit is undone through the window's one undo stack: codebook edits in the
codebook dialog (Ctrl+Z there, or in the window once it is closed), document
properties, variables and status, a new actor chosen in the panel, an imported
codebook. Real widgets, real key presses, a real project file."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox

from annotator.core.model import DocumentStatus
from annotator.qt.codebook.codebook_dialog import CodebookDialog
from annotator.qt.codebook.codebook_widgets import ChoiceTable
from annotator.qt.common import dialogs
from annotator.qt.documents import document_dialog
from annotator.qt.documents.document_dialog import PropertiesDialog, VariablesDialog

from .conftest import activate, press, select_text
from .test_linking import tag_opposing_stance

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
CLAIM_ROW, STANCE_ROW = 1, 2


@pytest.fixture
def confirm_yes(monkeypatch):
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)


def ctrl(qtbot, widget, key):
    qtbot.keyClick(widget, key, CTRL)


def codebook_dialog(window, qtbot):
    dialog = CodebookDialog(window.session, window.undo_stack, window)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    return dialog


def keys(window):
    return [c.key for c in window.project.categories()]


def polarity_shown(window, annotation_id):
    model = window.annotations
    return model.data(model.index(model.row_of(annotation_id), 3))


# -- the codebook ------------------------------------------------------------------------
def test_codebook_edits_undo_in_the_dialog_and_then_in_the_window(
    sample_window, qtbot, monkeypatch
):
    window = sample_window
    dialog = codebook_dialog(window, qtbot)
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "Frame")
    qtbot.mouseClick(dialog.category_panel.add_button, Qt.MouseButton.LeftButton)
    frame = window.project.category("frame")
    assert "tag_frame" in window.menus.actions and dialog.categories.count() == 4

    ctrl(qtbot, dialog.categories, Qt.Key.Key_Z)  # in the dialog
    assert keys(window) == ["actor", "claim", "stance"]
    assert dialog.categories.count() == 3 and "tag_frame" not in window.menus.actions
    ctrl(qtbot, dialog.categories, Qt.Key.Key_Y)
    assert window.project.category("frame").id == frame.id  # the same category again
    assert dialog.categories.count() == 4

    dialog.categories.setCurrentRow(STANCE_ROW)
    ctrl(qtbot, dialog.categories, Qt.Key.Key_Up)  # move Stance above Claim
    assert keys(window) == ["actor", "stance", "claim", "frame"]
    dialog.categories.setCurrentRow(2)  # Claim
    label = dialog.category_form.label_edit
    label.selectAll()
    qtbot.keyClicks(label, "Assertion")
    qtbot.keyClick(label, Qt.Key.Key_Return)
    assert window.menus.actions["tag_claim"].text() == "Assertion (2)"
    dialog.close()

    activate(qtbot, window)
    ctrl(qtbot, window.view, Qt.Key.Key_Z)  # the label
    assert window.project.category("claim").label == "Claim"
    assert window.menus.actions["tag_claim"].text() == "Claim (2)"
    ctrl(qtbot, window.view, Qt.Key.Key_Z)  # the order
    assert keys(window) == ["actor", "claim", "stance", "frame"]
    ctrl(qtbot, window.view, Qt.Key.Key_Z)  # the new category
    assert keys(window) == ["actor", "claim", "stance"]
    assert not window.undo_stack.canUndo()


def test_deleted_choice_and_attribute_come_back_with_their_values(
    sample_window, qtbot, confirm_yes
):
    window = sample_window
    stance = tag_opposing_stance(window, qtbot)
    assert polarity_shown(window, stance.id) == "oppose"
    polarity = window.project.codebook().attribute("stance", "polarity")
    dialog = codebook_dialog(window, qtbot)
    dialog.categories.setCurrentRow(STANCE_ROW)
    dialog.attributes.setCurrentRow(0)  # Polarity
    table = dialog.attribute_form.table
    table.setCurrentCell(1, ChoiceTable.LABEL)  # oppose
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert window.project.values(stance.id) == {}
    assert polarity_shown(window, stance.id) == ""
    qtbot.mouseClick(dialog.attribute_panel.delete_button, Qt.MouseButton.LeftButton)
    assert window.project.codebook().attribute("stance", "polarity") is None
    dialog.close()

    activate(qtbot, window)
    ctrl(qtbot, window.view, Qt.Key.Key_Z)  # the attribute, without the choice yet
    restored = window.project.codebook().attribute("stance", "polarity")
    assert restored.id == polarity.id
    assert [c.label for c in restored.choices] == ["support", "neutral", "ambivalent"]
    ctrl(qtbot, window.view, Qt.Key.Key_Z)  # the choice, and the stance's value
    assert window.project.codebook().attribute("stance", "polarity") == polarity
    assert window.project.values(stance.id)[polarity.id].choice_id == polarity.choices[1].id
    assert polarity_shown(window, stance.id) == "oppose"
    window.coding.select_annotation(stance.id)
    assert window.panel.editors["polarity"].currentText() == "oppose (-1)"


def test_an_imported_codebook_is_undone_in_one_step(sample_window, qtbot, monkeypatch, tmp_path):
    window = sample_window
    path = tmp_path / "team.json"
    path.write_text(
        '{"format": "annotator-codebook", "version": 1, "categories": [{"key": "frame",'
        ' "label": "Frame", "colour": "#123456", "hotkey": "4"}, {"key": "claim",'
        ' "attributes": [{"key": "issue", "type": "choice", "choices":'
        ' [{"label": "security", "code": 1}]}]}]}',
        encoding="utf-8",
    )
    monkeypatch.setattr(dialogs, "choose_file_to_open", lambda *_a: str(path))
    sample_issues = [c.label for c in window.project.codebook().attribute("claim", "issue").choices]
    window.menus.actions["import_codebook"].trigger()
    assert keys(window) == ["actor", "frame", "claim", "stance"]  # the file's order
    issue = window.project.codebook().attribute("claim", "issue")
    assert [c.label for c in issue.choices] == [*sample_issues, "security"]
    assert window.undo_stack.undoText() == "Import codebook"

    activate(qtbot, window)
    ctrl(qtbot, window.view, Qt.Key.Key_Z)
    assert keys(window) == ["actor", "claim", "stance"]
    undone = window.project.codebook().attribute("claim", "issue")
    assert [c.label for c in undone.choices] == sample_issues
    assert "tag_frame" not in window.menus.actions
    ctrl(qtbot, window.view, Qt.Key.Key_Y)
    assert window.project.codebook().attribute("claim", "issue") == issue


# -- the panel -------------------------------------------------------------------------
def test_a_new_actor_typed_in_the_panel_is_undone_with_its_link(sample_window, qtbot):
    window = sample_window
    select_text(window, "Seoul")
    press(qtbot, window.view, Qt.Key.Key_1)
    field = window.panel.editors["actor"]
    field.selectAll()
    qtbot.keyClicks(field, "Government of South Korea")
    press(qtbot, field, Qt.Key.Key_Return)
    (mention,) = window.project.annotations(window.current.id)
    (actor,) = window.project.actors()
    registry = window.project.codebook().attribute("actor", "actor")
    assert window.project.values(mention.id)[registry.id].actor_id == actor.id

    activate(qtbot, window)
    ctrl(qtbot, window.view, Qt.Key.Key_Z)  # one step: the link and the actor
    assert window.project.actors() == [] and window.project.values(mention.id) == {}
    (kept,) = window.project.annotations(window.current.id)  # the mention stays
    assert kept.id == mention.id and kept.updated_at == kept.created_at
    assert window.panel.editors["actor"].text() == ""
    ctrl(qtbot, window.view, Qt.Key.Key_Y)
    assert [a.id for a in window.project.actors()] == [actor.id]
    assert window.panel.editors["actor"].text() == "Government of South Korea"


# -- documents ---------------------------------------------------------------------------
def test_document_properties_and_status_are_undone(sample_window, qtbot, confirm_yes):
    window = sample_window
    window.project.add_variable("Genre", "choice", choices=["news", "opinion"])
    doc = window.current
    row = window.documents.row_of(doc.id)

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PropertiesDialog)
        dialog.fields["title"].setText("Renamed")
        genre = dialog.variable_fields["genre"]
        assert isinstance(genre, QComboBox)
        genre.setCurrentIndex(genre.findData("opinion"))
        dialog.accept()

    QTimer.singleShot(0, fill)
    window.menus.actions["properties"].trigger()
    assert window.documents.document(row).title == "Renamed"
    assert window.doc_title.text().startswith("Renamed")
    assert window.project.document_variables(doc.id) == {"genre": "opinion"}

    activate(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_D, SHIFT_CTRL)  # Mark as Done
    assert window.documents.document(row).status == DocumentStatus.DONE
    ctrl(qtbot, window.view, Qt.Key.Key_Z)
    assert window.project.document(doc.id).status == DocumentStatus.TODO
    assert window.documents.document(row).status == DocumentStatus.TODO
    ctrl(qtbot, window.view, Qt.Key.Key_Z)  # title and variable in one step
    assert window.project.document(doc.id).title == doc.title
    assert window.documents.document(row).title == doc.title
    assert window.doc_title.text().startswith(doc.title)
    assert window.project.document_variables(doc.id) == {}
    ctrl(qtbot, window.view, Qt.Key.Key_Y)
    assert window.project.document(doc.id).title == "Renamed"
    assert window.project.document_variables(doc.id) == {"genre": "opinion"}


def test_document_variables_are_undone_with_their_values(
    sample_window, qtbot, monkeypatch, confirm_yes
):
    window = sample_window
    doc = window.current
    dialog = VariablesDialog(window.session, window.undo_stack, window)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    monkeypatch.setattr(document_dialog, "ask_new_variable", lambda _p: ("Genre", "text", []))
    dialog.add_button.click()
    (genre,) = window.project.variables()
    window.project.set_document_variables(doc.id, {"genre": "news"})
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a: "Text type")
    dialog.rename_button.click()
    dialog.delete_button.click()
    assert window.project.variables() == [] and dialog.list.count() == 0

    ctrl(qtbot, dialog.list, Qt.Key.Key_Z)  # in the dialog: the variable and its values
    assert window.project.variables()[0].label == "Text type"
    assert window.project.document_variables(doc.id) == {"genre": "news"}
    assert dialog.list.count() == 1
    ctrl(qtbot, dialog.list, Qt.Key.Key_Z)
    assert window.project.variables()[0].label == "Genre"
    assert dialog.list.item(0).text().startswith("Genre")
    ctrl(qtbot, dialog.list, Qt.Key.Key_Z)
    assert window.project.variables() == [] and dialog.list.count() == 0
    ctrl(qtbot, dialog.list, Qt.Key.Key_Y)
    assert [v.id for v in window.project.variables()] == [genre.id]


def test_an_undo_that_no_longer_fits_says_so_and_leaves_the_stack(
    sample_window, qtbot, _no_modal_dialogs
):
    window = sample_window
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_1)
    (ann,) = window.project.annotations(window.current.id)
    window.project.delete_annotation(ann.id)  # behind the window's back (a script, say)
    activate(qtbot, window)
    ctrl(qtbot, window.view, Qt.Key.Key_Z)
    title, message = _no_modal_dialogs[-1]
    assert message.startswith("Could not undo “Tag as actor”: no annotation")
    assert window.undo_stack.count() == 0  # the step no longer matches the project


def test_a_tagged_actor_undone_and_deleted_in_the_registry_keeps_the_stack_true(
    sample_window, qtbot, monkeypatch
):
    """Tag a mention and add its registry actor, undo and redo, delete the actor in the
    registry, undo and redo all of it: every step does what it says."""
    from annotator.qt.common import dialogs as dialogs_module

    window = sample_window
    select_text(window, "Seoul")
    press(qtbot, window.view, Qt.Key.Key_1)
    press(qtbot, window.panel.editors["actor"], Qt.Key.Key_Return)  # adds "Seoul"
    (actor,) = window.project.actors()
    window.view.setFocus()
    ctrl(qtbot, window.view, Qt.Key.Key_Z)
    ctrl(qtbot, window.view, Qt.Key.Key_Z)
    assert window.project.actors() == [] and window.project.annotations(window.current.id) == []
    ctrl(qtbot, window.view, Qt.Key.Key_Y)
    ctrl(qtbot, window.view, Qt.Key.Key_Y)
    assert [a.id for a in window.project.actors()] == [actor.id]
    monkeypatch.setattr(dialogs_module, "confirm", lambda *_a: True)
    window.show_registry()
    registry = window.registry_window
    registry.select_actor(actor.id)
    assert registry.delete_actor()
    assert window.project.actors() == []
    activate(qtbot, window)
    window.view.setFocus()
    for expected in ([actor.id], [], []):
        ctrl(qtbot, window.view, Qt.Key.Key_Z)
        assert [a.id for a in window.project.actors()] == expected
    assert window.project.annotations(window.current.id) == []
    for expected in ([], [actor.id], []):
        ctrl(qtbot, window.view, Qt.Key.Key_Y)
        assert [a.id for a in window.project.actors()] == expected
    assert not window.undo_stack.canRedo()


def test_an_undo_that_fails_clears_the_history_instead_of_lying(
    sample_window, qtbot, _no_modal_dialogs
):
    from annotator.ops import registry

    window = sample_window
    select_text(window, "Seoul")
    press(qtbot, window.view, Qt.Key.Key_1)
    press(qtbot, window.panel.editors["actor"], Qt.Key.Key_Return)
    (actor,) = window.project.actors()
    registry.delete_actor(window.project, actor.id)  # behind the undo history's back
    window.view.setFocus()
    ctrl(qtbot, window.view, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 0)
    assert not window.undo_stack.canUndo() and not window.undo_stack.canRedo()
    title, message = _no_modal_dialogs[-1]
    assert message.startswith("Could not undo “Set Registry actor to a new actor”")
    assert "undo history was cleared" in window.statusBar().currentMessage()


def test_undo_in_another_document_shows_where_it_happened(sample_window, qtbot):
    window = sample_window
    first = window.current
    select_text(window, "Kim Jong Un")
    press(qtbot, window.view, Qt.Key.Key_2)
    (claim,) = window.project.annotations(first.id)
    window.step_document(1)
    second = window.current
    assert second.id != first.id
    window.view.setFocus()
    ctrl(qtbot, window.view, Qt.Key.Key_Z)
    assert window.project.annotations(first.id) == []
    assert window.current.id == first.id  # brought up, not changed out of sight
    assert window.statusBar().currentMessage() == f"Undid “Tag as claim” in “{first.title}”."
    window.step_document(1)
    window.view.setFocus()
    ctrl(qtbot, window.view, Qt.Key.Key_Y)
    assert window.current.id == first.id
    assert window.coding.selected_annotation().id == claim.id
    start, end = window.view.selection_span()
    assert window.view.text[start:end] == "Kim Jong Un"
    assert window.statusBar().currentMessage() == f"Redid “Tag as claim” in “{first.title}”."
