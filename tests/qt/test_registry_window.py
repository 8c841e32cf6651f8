"""The actor registry window: list, filter, add, edit, merge, delete, tag mentions."""

import re
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from annotator.core.codebook import Value
from annotator.ops import annotations
from annotator.qt.common import dialogs
from annotator.qt.registry import registry_window
from annotator.qt.registry.actor_dialogs import ActorForm, MergeTargetDialog
from annotator.qt.registry.mentions_dialog import MentionsDialog, context_of
from annotator.qt.registry.registry_model import MENTIONS, NAME
from annotator.qt.registry.registry_window import RegistryWindow
from annotator.qt.session import ProjectSession
from annotator.store.backups import list_backups

from .conftest import activate

TEXT = (
    "Putin met Kim Jong Un in Pyongyang. Vladimir Putin praised putinism, and PUTIN smiled."
    " Later, Putin's aides left.\n"
)
OTHER = "In Moscow, Putin spoke. Nobody mentioned Putinists.\n"


def _span(text, needle, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


@pytest.fixture
def reg(project, qtbot):
    """A document, two registry actors and the first "Putin" tagged and linked."""
    doc = project.import_text(TEXT, title="Summit")
    attr = project.codebook().attribute("actor", "actor").id
    putin = project.add_actor(
        "Vladimir Putin", type="person", country="RU", aliases=["Putin"], notes="President"
    )
    kim = project.add_actor("Kim Jong Un", type="person", country="KP", aliases=["Kim"])
    korea = project.add_actor(
        "Government of South Korea",
        type="government",
        country="KR",
        aliases=["Seoul", "South Korea"],
    )

    def tag(needle, actor_id, occurrence=0, document=doc, text=TEXT):
        start, end = _span(text, needle, occurrence)
        return project.add_annotation(
            document.id, start, end, "actor", coder="Ana", values=[Value(attr, actor_id=actor_id)]
        )

    first = tag("Putin", putin.id)
    session = ProjectSession(project, "Ana")
    stack = QUndoStack()
    window = RegistryWindow(session, stack, lambda: doc.id)
    qtbot.addWidget(window)
    window.show()
    return SimpleNamespace(
        project=project,
        doc=doc,
        attr=attr,
        putin=putin,
        kim=kim,
        korea=korea,
        tag=tag,
        first=first,
        session=session,
        stack=stack,
        window=window,
    )


def _rows(window):
    proxy = window.proxy
    return [
        tuple(proxy.data(proxy.index(r, c)) for c in range(proxy.columnCount()))
        for r in range(proxy.rowCount())
    ]


def _names(window):
    return [row[NAME] for row in _rows(window)]


def _counts(window):
    return {row[NAME]: row[MENTIONS] for row in _rows(window)}


def _activate(qtbot, window):
    activate(qtbot, window)


def test_table_lists_actors_with_mention_counts(reg, qtbot):
    window = reg.window
    reg.tag("Kim", reg.kim.id)
    window.refresh()
    assert _rows(window) == [
        ("Government of South Korea", "government", "KR", "Seoul, South Korea", 0),
        ("Kim Jong Un", "person", "KP", "Kim", 1),
        ("Vladimir Putin", "person", "RU", "Putin", 1),
    ]
    assert window.count_label.text() == "3 actors"
    assert window.selected_actor() is not None  # the first row, so the buttons work at once
    assert window.model.row_of(reg.kim.id) == 1
    assert window.model.actor(1).name == "Kim Jong Un"
    assert window.model.row_of("nobody") == -1

    # Mentions sort as numbers; counts follow new annotations without a manual refresh.
    value = Value(reg.attr, actor_id=reg.putin.id)
    reg.session.run(
        "tag",
        lambda p: annotations.add_annotation(
            p, reg.doc.id, *_span(TEXT, "PUTIN"), "actor", coder="Ana", values=(value,)
        ),
    )
    assert _counts(window)["Vladimir Putin"] == 1  # refreshed once the burst is over
    qtbot.waitUntil(lambda: _counts(window)["Vladimir Putin"] == 2)
    window.table.sortByColumn(MENTIONS, Qt.SortOrder.DescendingOrder)
    assert _names(window) == ["Vladimir Putin", "Kim Jong Un", "Government of South Korea"]


def test_filter_matches_names_and_aliases_case_insensitively(reg, qtbot):
    window = reg.window
    qtbot.keyClicks(window.filter_edit, "SEOUL")
    assert _names(window) == ["Government of South Korea"]
    assert window.count_label.text() == "1 of 3 actors"
    assert window.selected_actor().id == reg.korea.id

    window.filter_edit.clear()
    qtbot.keyClicks(window.filter_edit, "put")
    assert _names(window) == ["Vladimir Putin"]
    window.filter_edit.clear()
    qtbot.keyClicks(window.filter_edit, "kim")  # an alias and a name
    assert _names(window) == ["Kim Jong Un"]
    qtbot.keyClick(window.filter_edit, Qt.Key.Key_Escape)  # clears, does not close
    assert window.filter_edit.text() == ""
    assert window.isVisible()
    assert len(_names(window)) == 3

    # Keyboard round trip: Ctrl+F to the filter, type, Enter to the table.
    _activate(qtbot, window)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_edit.hasFocus()
    qtbot.keyClicks(window.filter_edit, "south")
    qtbot.keyClick(window.filter_edit, Qt.Key.Key_Return)
    assert window.table.hasFocus()
    assert window.selected_actor().id == reg.korea.id


def test_add_an_actor_through_the_form(reg, qtbot):
    window = reg.window
    qtbot.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    form = window.form
    assert isinstance(form, ActorForm) and form.actor is None
    assert not form.ok_button.isEnabled()  # no name yet

    qtbot.keyClicks(form.name_edit, "  Yoon   Suk Yeol ")
    qtbot.keyClicks(form.type_combo.lineEdit(), "expert")
    qtbot.keyClicks(form.country_edit, "KR")
    qtbot.keyClicks(form.aliases_edit, "Yoon")
    qtbot.keyClick(form.aliases_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(form.aliases_edit, "President Yoon")
    qtbot.keyClick(form.aliases_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(form.aliases_edit, "yoon")  # a duplicate, dropped
    qtbot.keyClicks(form.notes_edit, "President 2022-2025")
    assert form.ok_button.isEnabled()
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)

    (added,) = [a for a in reg.project.actors() if a.name == "Yoon Suk Yeol"]
    assert (added.type, added.country, added.aliases, added.notes) == (
        "expert",
        "KR",
        ("Yoon", "President Yoon"),
        "President 2022-2025",
    )
    assert "Yoon Suk Yeol" in _names(window)
    assert window.selected_actor().id == added.id


def test_form_warns_about_a_name_already_in_the_registry(reg, qtbot):
    form = ActorForm(None, reg.project.actors())
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.name_edit, "putin")
    assert form.name_hint.isVisible()
    assert "alias of “Vladimir Putin”" in form.name_hint.text()
    form.name_edit.clear()
    assert not form.name_hint.isVisible()
    assert not form.ok_button.isEnabled()
    form.accept()  # blank name: stays open
    assert form.isVisible()


def test_editing_renames_everywhere_and_keeps_the_mentions(reg, qtbot):
    window = reg.window
    assert window.select_actor(reg.putin.id)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)  # Enter edits
    form = window.form
    assert form is not None and form.actor.id == reg.putin.id
    assert form.name_edit.text() == "Vladimir Putin"
    assert form.type_combo.currentText() == "person"
    assert form.aliases_edit.toPlainText() == "Putin"
    form.name_edit.selectAll()
    qtbot.keyClicks(form.name_edit, "Vladimir Vladimirovich Putin")
    form.accept()

    assert "Vladimir Vladimirovich Putin" in _names(window)
    assert "Vladimir Putin" not in _names(window)
    assert _counts(window)["Vladimir Vladimirovich Putin"] == 1
    actor = reg.project.actor(reg.putin.id)
    assert (actor.name, actor.aliases, actor.mention_count) == (
        "Vladimir Vladimirovich Putin",
        ("Putin",),
        1,
    )
    assert reg.project.values(reg.first.id)[reg.attr].actor_id == reg.putin.id

    # Double-click edits too.
    row = window.table.currentIndex().row()
    rect = window.table.visualRect(window.proxy.index(row, NAME))
    # (QTest drops the very first double-click of a run unless a click precedes it.)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.form is not form and window.form.actor.id == reg.putin.id
    window.form.reject()


def test_merge_through_the_window_then_undo(reg, qtbot, monkeypatch):
    window = reg.window
    lone = reg.project.add_actor("Putin V.", type="person")
    reg.tag("PUTIN", lone.id)
    reg.tag("Putin", lone.id, occurrence=2)  # "Putin's"
    window.refresh()
    assert _counts(window) == {
        "Government of South Korea": 0,
        "Kim Jong Un": 0,
        "Putin V.": 2,
        "Vladimir Putin": 1,
    }

    asked = []

    def choose(_parent, dropped, candidates, preferred=None):
        asked.append((dropped.name, [c.name for c in candidates], preferred.name))
        return next(c for c in candidates if c.id == reg.putin.id)

    monkeypatch.setattr(registry_window, "choose_merge_target", choose)
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, title, msg: asked.append((title, msg)) or True
    )
    window.select_actor(lone.id)
    qtbot.mouseClick(window.merge_button, Qt.MouseButton.LeftButton)

    # The list offers every other actor, preselecting the likeliest (a name match).
    assert asked[0] == (
        "Putin V.",
        ["Government of South Korea", "Kim Jong Un", "Vladimir Putin"],
        "Vladimir Putin",
    )
    title, message = asked[1]
    assert title == "Merge Actors"
    assert "“Putin V.” (2 mentions)" in message and "“Vladimir Putin” (1 mention)" in message
    assert "3 mentions" in message
    actors = {a.name: a for a in reg.project.actors()}
    assert "Putin V." not in actors
    assert actors["Vladimir Putin"].mention_count == 3
    assert "Putin V." in actors["Vladimir Putin"].aliases
    assert _counts(window)["Vladimir Putin"] == 3 and "Putin V." not in _counts(window)
    assert window.selected_actor().id == reg.putin.id
    assert reg.stack.count() == 1

    reg.stack.undo()
    actors = {a.name: a for a in reg.project.actors()}
    assert actors["Putin V."].mention_count == 2 and actors["Putin V."].id == lone.id
    assert actors["Vladimir Putin"].mention_count == 1
    assert actors["Vladimir Putin"].aliases == ("Putin",)
    assert _counts(window)["Putin V."] == 2 and _counts(window)["Vladimir Putin"] == 1

    # Ctrl+Y / Ctrl+Z work from the registry window itself.
    _activate(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert "Putin V." not in _counts(window)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _counts(window)["Putin V."] == 2


def test_merge_declined_changes_nothing(reg, qtbot, monkeypatch):
    window = reg.window
    monkeypatch.setattr(
        registry_window,
        "choose_merge_target",
        lambda _p, _d, candidates, preferred=None: candidates[0],
    )
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: False)
    window.select_actor(reg.kim.id)
    assert not window.merge_actor()
    assert len(reg.project.actors()) == 3 and reg.stack.count() == 0

    monkeypatch.setattr(registry_window, "choose_merge_target", lambda *_a: None)  # cancelled
    assert not window.merge_actor()
    assert reg.stack.count() == 0


def test_merge_target_dialog_offers_the_others(reg, qtbot):
    actors = reg.project.actors()
    others = [a for a in actors if a.id != reg.kim.id]
    dialog = MergeTargetDialog(reg.project.actor(reg.kim.id), others, preferred=others[1])
    qtbot.addWidget(dialog)
    assert dialog.combo.count() == 2
    assert dialog.combo.itemText(1) == "Vladimir Putin (person, RU) · 1 mention"
    assert dialog.target() == others[1]
    dialog.combo.setCurrentIndex(0)
    assert dialog.target() == others[0]


def test_delete_asks_with_the_count_and_clears_references(reg, qtbot, monkeypatch):
    window = reg.window
    second = reg.tag("PUTIN", reg.putin.id)
    window.refresh()
    questions = []
    answer = [False]
    monkeypatch.setattr(
        dialogs, "confirm", lambda _p, title, msg: questions.append((title, msg)) or answer[0]
    )
    window.select_actor(reg.putin.id)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert questions and questions[0][0] == "Delete Actor"
    assert "“Vladimir Putin”" in questions[0][1] and "2 mentions" in questions[0][1]
    assert len(reg.project.actors()) == 3  # declined

    assert list_backups(reg.project.path) == []

    answer[0] = True
    qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    assert [a.name for a in reg.project.actors()] == ["Government of South Korea", "Kim Jong Un"]
    (backup,) = list_backups(reg.project.path)  # the links are gone for good: a copy first
    assert backup.reason == "before-delete" and backup.annotations == 2
    assert _names(window) == ["Government of South Korea", "Kim Jong Un"]
    assert window.selected_actor() is not None
    # The annotations stay; only their link to the actor is gone.
    annotations = reg.project.annotations(reg.doc.id)
    assert {a.id for a in annotations} == {reg.first.id, second.id}
    for ann in annotations:
        assert reg.attr not in reg.project.values(ann.id)


def test_find_other_mentions_tags_them_in_one_undo_step(reg, qtbot):
    window = reg.window
    other_doc = reg.project.import_text(OTHER, title="Moscow notes")
    window.select_actor(reg.putin.id)
    qtbot.mouseClick(window.mentions_button, Qt.MouseButton.LeftButton)
    dialog = window.mentions_dialog
    assert isinstance(dialog, MentionsDialog)
    assert dialog.this_document.isChecked()

    # Whole words only ("putinism" is not a mention), any case, longest name first,
    # and not the "Putin" already tagged.
    expected = [_span(TEXT, "Vladimir Putin"), _span(TEXT, "PUTIN"), _span(TEXT, "Putin", 2)]
    assert [(m.start, m.end) for m in dialog.mentions()] == expected
    assert [m.quote for m in dialog.mentions()] == ["Vladimir Putin", "PUTIN", "Putin"]
    assert all(m.document_id == reg.doc.id for m in dialog.mentions())
    words = re.findall(r"\w+", TEXT.lower())
    assert "putinism" in words  # it is in the text, just not listed
    assert dialog.list.topLevelItemCount() == 3
    item = dialog.list.topLevelItem(1)
    assert item.checkState(0) == Qt.CheckState.Unchecked  # not spelt as a name: a look first
    assert (item.text(0), item.text(2)) == ("Summit", "PUTIN")
    assert item.text(1).endswith("praised putinism, and ")
    assert [m.quote for m in dialog.checked_mentions()] == ["Vladimir Putin", "Putin"]
    assert dialog.ok_button.text() == "Tag 2 Mentions"
    dialog.set_checked(1, True)
    assert dialog.checked_mentions() == dialog.mentions()
    assert dialog.ok_button.text() == "Tag 3 Mentions"

    dialog.whole_project.setChecked(True)
    assert len(dialog.mentions()) == 4
    dialog.set_checked(1, True)  # PUTIN again, in the whole project's list
    assert dialog.list.topLevelItem(3).text(0) == "Moscow notes"
    assert dialog.mentions()[3].start == OTHER.index("Putin")
    dialog.set_checked(3, False)
    assert dialog.count_label.text() == "3 of 4 checked"
    dialog.set_checked(3, True)
    assert dialog.ok_button.text() == "Tag 4 Mentions"

    before = {a.id for a in reg.project.annotations()}
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert reg.stack.count() == 1
    assert reg.stack.undoText() == "Tag 4 mentions of Vladimir Putin"
    assert len(dialog.tagged) == 4
    assert window.status_label.text() == "Tagged 4 mentions of “Vladimir Putin”."
    new = [a for a in reg.project.annotations() if a.id not in before]
    assert sorted((a.document_id, a.start, a.end) for a in new) == sorted(
        [(reg.doc.id, s, e) for s, e in expected] + [(other_doc.id, *_span(OTHER, "Putin"))]
    )
    for ann in new:
        assert ann.category == "actor" and ann.coder == "Ana"
        assert reg.project.values(ann.id)[reg.attr].actor_id == reg.putin.id
    qtbot.waitUntil(lambda: _counts(window)["Vladimir Putin"] == 5)
    assert reg.project.find_mentions(reg.putin.id) == []

    reg.stack.undo()  # one step removes all four
    assert window.status_label.text() == ""
    assert {a.id for a in reg.project.annotations()} == before
    assert reg.project.actor(reg.putin.id).mention_count == 1
    qtbot.waitUntil(lambda: _counts(window)["Vladimir Putin"] == 1)
    reg.stack.redo()
    assert len(reg.project.annotations()) == len(before) + 4


def test_unchecked_mentions_stay_untagged(reg, qtbot):
    window = reg.window
    window.select_actor(reg.putin.id)
    dialog = window.find_other_mentions()
    dialog.set_checked(0, False)
    dialog.set_checked(1, True)
    dialog.accept()
    tagged = [a.quote for a in reg.project.annotations() if a.id != reg.first.id]
    assert tagged == ["PUTIN", "Putin"]
    assert reg.stack.undoText() == "Tag 2 mentions of Vladimir Putin"

    window.select_actor(reg.putin.id)
    dialog = window.find_other_mentions()
    assert [m.quote for m in dialog.mentions()] == ["Vladimir Putin"]
    qtbot.mouseClick(dialog.check_none, Qt.MouseButton.LeftButton)
    assert not dialog.ok_button.isEnabled()
    dialog.reject()
    assert reg.stack.count() == 1


def test_mentions_without_an_open_document_search_the_project(reg, qtbot):
    window = RegistryWindow(reg.session, reg.stack, lambda: None)
    qtbot.addWidget(window)
    window.show()
    window.select_actor(reg.kim.id)
    dialog = window.find_other_mentions()
    assert dialog.whole_project.isChecked() and not dialog.this_document.isEnabled()
    assert [m.quote for m in dialog.mentions()] == ["Kim Jong Un"]  # longest name wins
    dialog.reject()


def test_context_is_about_forty_characters_on_one_line():
    text = "a" * 50 + "\n\nPutin\tsaid " + "b" * 60
    start = text.index("Putin")
    before, after = context_of(text, start, start + 5)
    assert before == "…" + "a" * 38 + " "
    assert after == " said " + "b" * 34 + "…"
    assert context_of("Putin", 0, 5) == ("", "")


def test_add_edit_and_delete_are_undone_from_the_registry_window(reg, qtbot, monkeypatch):
    window = reg.window
    _activate(qtbot, window)
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    form = window.add_actor()
    qtbot.keyClicks(form.name_edit, "Moon Jae-in")
    form.accept()
    ctrl_z = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Moon Jae-in" in _names(window)
    qtbot.keyClick(window.table, *ctrl_z)
    assert "Moon Jae-in" not in _names(window)
    assert [a.name for a in reg.project.actors()] == [
        "Government of South Korea",
        "Kim Jong Un",
        "Vladimir Putin",
    ]

    window.select_actor(reg.putin.id)
    form = window.edit_actor()
    form.country_edit.setText("Russia")
    form.accept()
    assert reg.project.actor(reg.putin.id).country == "Russia"
    assert reg.stack.undoText() == "Edit actor Vladimir Putin"

    window.select_actor(reg.putin.id)
    assert window.delete_actor()
    assert reg.attr not in reg.project.values(reg.first.id)
    qtbot.keyClick(window.table, *ctrl_z)  # the actor, under its id, with its mention
    putin = reg.project.actor(reg.putin.id)
    assert (putin.country, putin.aliases, putin.mention_count) == ("Russia", ("Putin",), 1)
    assert reg.project.values(reg.first.id)[reg.attr].actor_id == reg.putin.id
    assert _counts(window)["Vladimir Putin"] == 1
    qtbot.keyClick(window.table, *ctrl_z)
    assert reg.project.actor(reg.putin.id).country == "RU"
    assert window.model.actor(window.model.row_of(reg.putin.id)).country == "RU"


def test_only_exact_whole_word_mentions_start_checked(reg, qtbot):
    text = (
        "South Korea said no. A South Korea-based firm and south korea's press, and "
        "pro-South Korea voices, disagreed. South Korea's envoy left.\n"
    )
    doc = reg.project.import_text(text, title="Seoul")
    window = RegistryWindow(reg.session, reg.stack, lambda: doc.id)
    qtbot.addWidget(window)
    window.show()
    window.select_actor(reg.korea.id)
    dialog = window.find_other_mentions()
    rows = [
        (dialog.list.topLevelItem(r).text(1)[-12:], dialog.list.topLevelItem(r).checkState(0))
        for r in range(dialog.list.topLevelItemCount())
    ]
    checked = [(m.start, m.quote) for m in dialog.checked_mentions()]
    assert checked == [(0, "South Korea"), (text.index("South Korea's envoy"), "South Korea")]
    assert len(rows) == 5  # the hyphenated and lower-case ones are listed, unchecked
    assert all(dialog.list.topLevelItem(r).text(3) for r in range(5))  # each in context
