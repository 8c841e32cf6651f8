"""The codebook editor against a real project file: every edit is saved at once."""

import sqlite3

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from annotator.core.codebook import AttributeType, Value
from annotator.qt.codebook import codebook_dialog
from annotator.qt.codebook.codebook_dialog import CodebookDialog, edit_codebook
from annotator.qt.codebook.codebook_widgets import ChoiceTable, NewAttribute, NewAttributeDialog
from annotator.qt.common import dialogs
from annotator.qt.session import ProjectSession
from annotator.store.backups import list_backups
from annotator.store.errors import ProjectError

from .conftest import activate, press, select_text

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
ACTOR, CLAIM, STANCE = range(3)  # rows of the default categories


@pytest.fixture
def session(project):
    return ProjectSession(project, "Ana")


@pytest.fixture
def stack():
    return QUndoStack()


@pytest.fixture
def open_dialog(qtbot, session, stack):
    def make() -> CodebookDialog:
        dialog = CodebookDialog(session, stack)
        qtbot.addWidget(dialog)
        activate(qtbot, dialog)
        return dialog

    return make


@pytest.fixture
def dialog(open_dialog):
    return open_dialog()


@pytest.fixture
def errors(_no_modal_dialogs):
    return _no_modal_dialogs


@pytest.fixture
def asked(monkeypatch):
    """Record every confirmation question; answer with ``asked.answer``."""

    class Asked(list):
        answer = True

    questions = Asked()

    def confirm(_parent, _title, message):
        questions.append(message)
        return questions.answer

    monkeypatch.setattr(dialogs, "confirm", confirm)
    return questions


def answer_text(monkeypatch, *answers):
    replies = iter(answers)
    monkeypatch.setattr(dialogs, "ask_text", lambda *_args, **_kw: next(replies))


def type_into(qtbot, edit, text):
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def edit_cell(qtbot, table, row, column, text):
    """F2 on the cell, type, Return: as a user edits a table cell."""
    table.setCurrentCell(row, column)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(table.model().index(row, column))
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits Return in a queued call


def tick(qtbot, box):
    """Click the check box's indicator (a click beyond its text does nothing)."""
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))


def append(qtbot, edit, text):
    qtbot.keyClick(edit, Qt.Key.Key_End, CTRL)
    qtbot.keyClicks(edit, text)


def show(dialog, category_row, attribute_row=0):
    dialog.categories.setCurrentRow(category_row)
    dialog.attributes.setCurrentRow(attribute_row)


def stance_with_support(project):
    doc = project.import_text("Kim rejects the plan. Moon supports it.\n", title="Talks")
    polarity = project.codebook().attribute("stance", "polarity")
    support = polarity.choices[0]
    ann = project.add_annotation(
        doc.id, 27, 35, "stance", coder="Ana", values=[Value(polarity.id, choice_id=support.id)]
    )
    return ann, polarity


# -- adding -------------------------------------------------------------------------------
def test_add_category_with_hotkey_and_choice_attribute(dialog, qtbot, monkeypatch, project):
    answer_text(monkeypatch, "Frame", "economic", "security")
    monkeypatch.setattr(
        codebook_dialog,
        "ask_new_attribute",
        lambda _p, _cb, category: NewAttribute("Frame type", AttributeType.CHOICE),
    )

    qtbot.mouseClick(dialog.category_panel.add_button, LEFT)
    assert dialog.categories.currentItem().text() == "Frame"
    assert dialog.category_form.label_edit.text() == "Frame"
    qtbot.keyClicks(dialog.category_form.hotkey_edit, "4")
    qtbot.mouseClick(dialog.attribute_panel.add_button, LEFT)
    assert dialog.attributes.currentItem().text() == "Frame type"
    form = dialog.attribute_form
    assert form.choices.isVisible() and not form.targets_box.isVisible()
    qtbot.mouseClick(form.choices.add_button, LEFT)
    qtbot.mouseClick(form.choices.add_button, LEFT)
    table = form.table
    assert table.rowCount() == 2
    edit_cell(qtbot, table, 0, ChoiceTable.CODE, "1")
    edit_cell(qtbot, table, 1, ChoiceTable.CODE, "2")
    table.setCurrentCell(1, ChoiceTable.LABEL)
    qtbot.mouseClick(form.choices.up_button, LEFT)

    codebook = project.codebook()
    frame = codebook.category("frame")
    assert (frame.label, frame.hotkey, frame.position) == ("Frame", "4", 3)
    attribute = codebook.attribute("frame", "frame_type")
    assert attribute.type == AttributeType.CHOICE
    assert [(c.label, c.code) for c in attribute.choices] == [("security", 2), ("economic", 1)]
    assert [table.item(r, 0).text() for r in range(2)] == ["security", "economic"]
    assert table.currentRow() == 0
    assert dialog.categories.currentItem().data(Qt.ItemDataRole.UserRole + 1) == "4"


def test_new_attribute_dialog_asks_for_reference_targets(qtbot, project):
    codebook = project.codebook()
    ask = NewAttributeDialog(codebook, codebook.category("claim"))
    qtbot.addWidget(ask)
    ask.show()
    qtbot.waitExposed(ask)
    ok = ask.buttons.button(ask.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(ask.label_edit, "Source")
    assert ok.isEnabled() and not ask.targets_box.isVisible()
    ask.type_combo.setCurrentIndex(ask.type_combo.findData("reference"))
    assert ask.targets_box.isVisible() and not ok.isEnabled()
    assert set(ask.targets.boxes) == {
        "category:actor",
        "category:claim",
        "category:stance",
        "registry",
        "choices:actor.type",
        "choices:claim.issue",
        "choices:stance.polarity",
    }
    tick(qtbot, ask.targets.boxes["registry"])
    tick(qtbot, ask.targets.boxes["category:actor"])
    assert ok.isEnabled()
    assert ask.value() == NewAttribute(
        "Source", AttributeType.REFERENCE, ("category:actor", "registry")
    )


def test_add_reference_attribute_then_change_its_targets(dialog, qtbot, monkeypatch, project):
    monkeypatch.setattr(
        codebook_dialog,
        "ask_new_attribute",
        lambda _p, _cb, _cat: NewAttribute("Source", AttributeType.REFERENCE, ("registry",)),
    )
    show(dialog, CLAIM)
    qtbot.mouseClick(dialog.attribute_panel.add_button, LEFT)
    form = dialog.attribute_form
    assert form.targets_box.isVisible() and not form.choices.isVisible()
    tick(qtbot, form.targets.boxes["category:actor"])
    assert project.codebook().attribute("claim", "source").targets == ("category:actor", "registry")
    tick(qtbot, form.required_box)
    assert project.codebook().attribute("claim", "source").required
    assert dialog.attributes.currentItem().text() == "Source"


# -- renaming -----------------------------------------------------------------------------
def test_renaming_a_category_keeps_its_key_and_annotations(doc_project, qtbot):
    project, doc = doc_project
    ann = project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    dialog = CodebookDialog(ProjectSession(project, "Ana"), QUndoStack())
    qtbot.addWidget(dialog)
    show(dialog, ACTOR)
    type_into(qtbot, dialog.category_form.label_edit, "Speaker")

    assert project.category("actor").label == "Speaker"
    (stored,) = project.annotations()
    assert (stored.id, stored.category) == (ann.id, "actor")
    assert dialog.categories.item(ACTOR).text() == "Speaker"
    assert dialog.category_form.key_label.text().startswith("actor")


def test_text_being_typed_is_saved_on_switching_and_closing(dialog, qtbot, project):
    show(dialog, CLAIM, 1)  # Issue
    qtbot.keyClicks(dialog.attribute_form.label_edit, "s")
    append(qtbot, dialog.category_form.description_edit, " Use sparingly.")
    dialog.attributes.setCurrentRow(0)
    assert project.codebook().attribute("claim", "issue").label == "Issues"
    assert project.category("claim").description.endswith("Use sparingly.")
    append(qtbot, dialog.attribute_form.description_edit, " Who speaks.")
    dialog.close()
    assert project.codebook().attribute("claim", "claimant").description.endswith("Who speaks.")


def test_a_category_needs_a_label(dialog, qtbot, project, errors):
    show(dialog, ACTOR)
    dialog.category_form.label_edit.clear()
    qtbot.keyClick(dialog.category_form.label_edit, Qt.Key.Key_Return)
    assert errors == [("Category label", "A category needs a label.")]
    assert project.category("actor").label == "Actor"
    assert dialog.category_form.label_edit.text() == "Actor"


def test_colour_is_chosen_and_the_change_announced(dialog, qtbot, monkeypatch, project, session):
    seen = []
    monkeypatch.setattr(
        codebook_dialog, "choose_colour", lambda _p, current: seen.append(current) or "#123456"
    )
    show(dialog, CLAIM)
    with qtbot.waitSignal(session.changed, timeout=1000) as signal:
        qtbot.mouseClick(dialog.category_form.colour_button, LEFT)
    assert signal.args[0].category.changed == {project.category("claim").id}
    assert seen == ["#f59e0b"]
    assert project.category("claim").colour == "#123456"
    assert dialog.category_form.colour_button.text() == "#123456"


def test_choice_colour_and_code_edits(dialog, qtbot, monkeypatch, project, errors):
    monkeypatch.setattr(codebook_dialog, "choose_colour", lambda _p, _current: "#00ff00")
    show(dialog, STANCE, 0)
    table = dialog.attribute_form.table
    table.setCurrentCell(3, ChoiceTable.LABEL)  # ambivalent
    qtbot.mouseClick(dialog.attribute_form.colour_button, LEFT)
    edit_cell(qtbot, table, 3, ChoiceTable.CODE, "0,5")
    polarity = project.codebook().attribute("stance", "polarity")
    assert (polarity.choices[3].colour, polarity.choices[3].code) == ("#00ff00", 0.5)
    assert table.item(3, ChoiceTable.CODE).text() == "0.5"

    edit_cell(qtbot, table, 3, ChoiceTable.CODE, "a lot")
    edit_cell(qtbot, table, 3, ChoiceTable.LABEL, "Support")
    assert [title for title, _ in errors] == ["Choice code", "Choice label"]
    assert project.codebook().attribute("stance", "polarity") == polarity
    assert table.item(3, ChoiceTable.CODE).text() == "0.5"
    assert table.item(3, ChoiceTable.LABEL).text() == "ambivalent"


# -- hotkeys ------------------------------------------------------------------------------
def test_duplicate_hotkey_is_refused(dialog, qtbot, project, errors, session):
    show(dialog, CLAIM)
    with qtbot.assertNotEmitted(session.changed):
        qtbot.keyClicks(dialog.category_form.hotkey_edit, "1")
    ((title, message),) = errors
    assert title == "Hotkey in use"
    assert "“1”" in message and "“Actor”" in message
    assert project.category("claim").hotkey == "2"
    assert dialog.category_form.hotkey_edit.text() == "2"


def test_hotkey_replaced_by_a_key_and_cleared_with_backspace(dialog, qtbot, project):
    show(dialog, CLAIM)
    edit = dialog.category_form.hotkey_edit
    qtbot.keyClicks(edit, "c")
    assert project.category("claim").hotkey == "c"
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert project.category("claim").hotkey == ""
    assert edit.text() == ""


# -- deleting -----------------------------------------------------------------------------
def test_deleting_a_used_choice_asks_with_count_and_clears_the_value(dialog, qtbot, project, asked):
    ann, polarity = stance_with_support(project)
    show(dialog, STANCE, 0)
    table = dialog.attribute_form.table
    table.setCurrentCell(0, ChoiceTable.LABEL)
    qtbot.keyClick(table, Qt.Key.Key_Delete)

    assert asked == [
        "Delete the choice “support”? 1 annotation has this value; it will be cleared."
        " You can undo this with Ctrl+Z."
    ]
    assert project.values(ann.id) == {}
    (backup,) = list_backups(project.path)  # taken before the value was cleared
    assert backup.reason == "before-delete" and _values_in(backup.path) == 1
    assert [a.id for a in project.annotations()] == [ann.id]
    labels = [c.label for c in project.codebook().attribute("stance", "polarity").choices]
    assert labels == ["oppose", "neutral", "ambivalent"]
    assert table.rowCount() == 3 and table.currentRow() == 0


def test_answering_no_changes_nothing(dialog, qtbot, project, asked, session):
    ann, polarity = stance_with_support(project)
    before = project.codebook()
    asked.answer = False
    show(dialog, STANCE, 0)
    dialog.attribute_form.table.setCurrentCell(0, ChoiceTable.LABEL)
    with qtbot.assertNotEmitted(session.changed):
        qtbot.mouseClick(dialog.attribute_form.choices.delete_button, LEFT)
        qtbot.mouseClick(dialog.attribute_panel.delete_button, LEFT)
        qtbot.keyClick(dialog.categories, Qt.Key.Key_Delete)
    assert asked == [
        "Delete the choice “support”? 1 annotation has this value; it will be cleared."
        " You can undo this with Ctrl+Z.",
        "Delete the attribute “Polarity”? 1 annotation has a value for it or one of its"
        " choices; it will be deleted."
        " You can undo this with Ctrl+Z.",
        "Delete the category “Stance”? 1 annotation uses it and will be deleted."
        " You can undo this with Ctrl+Z.",
    ]
    assert project.codebook() == before
    assert project.values(ann.id)[polarity.id].choice_id == polarity.choices[0].id
    assert dialog.categories.count() == 3


def _delete_the_actor_category(project, qtbot) -> CodebookDialog:
    """Codebook ▸ Edit Codebook on the project, Actor selected, Delete pressed."""
    dialog = CodebookDialog(ProjectSession(project, "Ana"), QUndoStack())
    qtbot.addWidget(dialog)
    show(dialog, ACTOR)
    qtbot.keyClick(dialog.categories, Qt.Key.Key_Delete)
    return dialog


def test_deleting_a_used_category_deletes_its_annotations(doc_project, qtbot, asked):
    project, doc = doc_project
    for start in (0, 10):
        project.add_annotation(doc.id, start, start + 3, "actor", coder="Ana")
    dialog = _delete_the_actor_category(project, qtbot)
    assert asked == [
        "Delete the category “Actor”? 2 annotations use it and will be deleted."
        " You can undo this with Ctrl+Z."
    ]
    assert project.annotations() == []
    (backup,) = list_backups(project.path)
    assert (backup.reason, backup.annotations) == ("before-delete", 2)
    assert [c.key for c in project.categories()] == ["claim", "stance"]
    assert dialog.categories.currentItem().text() == "Claim"
    assert dialog.category_form.label_edit.text() == "Claim"


def test_deleting_a_used_attribute_backs_up_first(dialog, qtbot, project, asked):
    ann, polarity = stance_with_support(project)
    show(dialog, STANCE, 0)
    qtbot.mouseClick(dialog.attribute_panel.delete_button, LEFT)
    assert "1 annotation has a value for it" in asked[-1]
    assert project.values(ann.id) == {}
    (backup,) = list_backups(project.path)
    assert backup.reason == "before-delete" and _values_in(backup.path) == 1


def test_deleting_issues_that_only_stances_target_says_so_and_backs_up(
    dialog, qtbot, project, asked
):
    """No claim has an issue, but a stance targets one of the issues: deleting the
    Issue attribute removes that target, so the question says so and a backup is
    taken first (it said nothing and took none)."""
    doc = project.import_text("Unions reject the pension reform.\n", title="Pensions")
    issue = project.codebook().attribute("claim", "issue")
    target = project.codebook().attribute("stance", "target")
    pensions = project.add_choice(issue.id, "pensions")
    project.add_annotation(
        doc.id, 0, 6, "stance", coder="Ana", values=[Value(target.id, choice_id=pensions.id)]
    )
    row = [a.key for a in project.codebook().attributes_of("claim")].index("issue")
    show(dialog, CLAIM, row)
    qtbot.mouseClick(dialog.attribute_panel.delete_button, LEFT)
    assert "1 annotation has a value for it or one of its choices" in asked[-1]
    (backup,) = list_backups(project.path)
    assert backup.reason == "before-delete" and _values_in(backup.path) == 1


def test_deleting_a_category_says_which_links_to_it_go(doc_project, qtbot, asked):
    """Claims pointing at actor mentions lose those links when Actor goes."""
    project, doc = doc_project
    claimant = project.codebook().attribute("claim", "claimant")
    mention = project.add_annotation(doc.id, 0, 3, "actor", coder="Ana")
    project.add_annotation(
        doc.id, 5, 9, "claim", coder="Ana", values=[Value(claimant.id, annotation_id=mention.id)]
    )
    _delete_the_actor_category(project, qtbot)
    assert asked == [
        "Delete the category “Actor”? 1 annotation uses it and will be deleted. 1 link to"
        " them from other annotations will be removed. You can undo this with Ctrl+Z."
    ]


def _values_in(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM annotation_values").fetchone()[0]
    finally:
        conn.close()


def test_unused_items_are_confirmed_without_a_count(dialog, qtbot, project, asked):
    show(dialog, CLAIM, 2)  # Addressee
    qtbot.keyClick(dialog.attributes, Qt.Key.Key_Delete)
    assert asked == ["Delete the attribute “Addressee”?"]
    assert [a.key for a in project.codebook().attributes_of("claim")] == ["claimant", "issue"]
    assert dialog.attributes.count() == 2


# -- order and keyboard -------------------------------------------------------------------
def test_keyboard_navigation_and_moving(dialog, qtbot, project):
    lst = dialog.categories
    lst.setCurrentRow(ACTOR)
    qtbot.keyClick(lst, Qt.Key.Key_Down)
    assert dialog.category_form.label_edit.text() == "Claim"
    assert dialog.attributes.currentItem().text() == "Claimant"
    qtbot.keyClick(lst, Qt.Key.Key_Down, CTRL)
    assert [c.key for c in project.categories()] == ["actor", "stance", "claim"]
    assert lst.currentItem().text() == "Claim"
    qtbot.mouseClick(dialog.category_panel.up_button, LEFT)
    qtbot.mouseClick(dialog.category_panel.up_button, LEFT)
    qtbot.mouseClick(dialog.category_panel.up_button, LEFT)  # already first: nothing happens
    assert [c.key for c in project.categories()] == ["claim", "actor", "stance"]
    qtbot.keyClick(dialog.attributes, Qt.Key.Key_Up, CTRL)  # Claimant is first already
    qtbot.mouseClick(dialog.attribute_panel.down_button, LEFT)
    assert [a.key for a in project.codebook().attributes_of("claim")] == [
        "issue",
        "claimant",
        "addressee",
    ]
    assert dialog.attributes.currentItem().text() == "Claimant"


def test_return_in_a_field_does_not_close_the_dialog(dialog, qtbot):
    type_into(qtbot, dialog.category_form.label_edit, "Actors")
    assert dialog.isVisible()


# -- errors -------------------------------------------------------------------------------
def test_store_errors_are_shown_and_change_nothing(
    dialog, qtbot, monkeypatch, project, errors, session
):
    def refuse(*_args, **_kw):
        raise ProjectError("The project file is read-only: check its permissions")

    monkeypatch.setattr(project, "update_category", refuse)
    show(dialog, ACTOR)
    with qtbot.assertNotEmitted(session.changed):
        type_into(qtbot, dialog.category_form.label_edit, "Speaker")
    assert errors == [
        (
            "Codebook",
            "Could not change the category: The project file is read-only: check its"
            " permissions. Nothing was changed.",
        )
    ]
    assert dialog.category_form.label_edit.text() == "Actor"
    assert dialog.categories.item(ACTOR).text() == "Actor"


# -- opening ------------------------------------------------------------------------------
def test_edit_codebook_opens_a_modal_dialog(qtbot, session, stack):
    opened = []

    def close_it():
        modal = QApplication.activeModalWidget()
        opened.append(type(modal).__name__)
        modal.reject()

    QTimer.singleShot(0, close_it)
    edit_codebook(None, session, stack)
    assert opened == ["CodebookDialog"]


def test_edits_reach_the_coding_window(sample_window, qtbot):
    window = sample_window
    dialog = CodebookDialog(window.session, window.undo_stack, window)
    activate(qtbot, dialog)
    show(dialog, CLAIM)
    type_into(qtbot, dialog.category_form.label_edit, "Assertion")
    qtbot.keyClicks(dialog.category_form.hotkey_edit, "c")
    dialog.close()
    activate(qtbot, window)

    assert window.menus.actions["tag_claim"].text() == "Assertion (c)"
    select_text(window, window.view.text.split()[0])
    press(qtbot, window.view, Qt.Key.Key_C)
    (annotation,) = window.project.annotations(window.current.id)
    assert annotation.category == "claim"


def test_deleting_a_used_category_is_undone_in_the_window(sample_window, qtbot, asked):
    window = sample_window
    start, end = select_text(window, window.view.text.split()[0])
    press(qtbot, window.view, Qt.Key.Key_2)
    (tagged,) = window.project.annotations(window.current.id)
    dialog = CodebookDialog(window.session, window.undo_stack, window)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    show(dialog, CLAIM)
    qtbot.keyClick(dialog.categories, Qt.Key.Key_Delete)
    assert "1 annotation uses it" in asked[-1]
    assert window.project.annotations() == []
    assert window.annotations.rowCount() == 0
    assert "tag_claim" not in window.menus.actions
    dialog.close()

    activate(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # the category and its annotation
    assert [c.key for c in window.project.categories()] == ["actor", "claim", "stance"]
    assert window.project.annotations() == [tagged]
    assert window.annotations.rowCount() == 1 and "tag_claim" in window.menus.actions
    assert window.documents.document(0).annotation_count == 1
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # the tag before it, undone as usual
    assert window.project.annotations() == [] and window.annotations.rowCount() == 0
    qtbot.keyClick(window.view, Qt.Key.Key_Y, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_Y, CTRL)
    assert window.project.annotations() == []  # redone: tagged, then the category deleted
    assert "tag_claim" not in window.menus.actions


def test_a_failed_backup_before_a_deletion_asks_before_going_on(doc_project, qtbot, monkeypatch):
    project, doc = doc_project
    project.add_annotation(doc.id, 0, 3, "actor", coder="Ana")

    def disk_full(*_args, **_kwargs):
        raise ProjectError("The disk is full: free some space and try again")

    monkeypatch.setattr(project, "backup", disk_full)
    questions, answers = [], [True, False]  # delete? yes; without a backup? no
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, title, msg: questions.append((title, msg)) or answers.pop(0)
    )
    dialog = _delete_the_actor_category(project, qtbot)
    assert questions[1][0] == "No backup" and "The disk is full" in questions[1][1]
    assert [c.key for c in project.categories()] == ["actor", "claim", "stance"]
    assert len(project.annotations()) == 1

    answers[:] = [True, True]  # and this time go on without one
    qtbot.keyClick(dialog.categories, Qt.Key.Key_Delete)
    assert [c.key for c in project.categories()] == ["claim", "stance"]
    assert project.annotations() == []
