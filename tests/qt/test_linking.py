"""Who claims what with which stance, coded from the keyboard in the real window."""

import csv

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QToolButton

from annotator.exporting.csv_export import export_csv
from annotator.ops import codebook
from annotator.qt.common import dialogs
from annotator.store.project import open_project

from .conftest import press, select_text

CLAIM = "cooperation among the U.S., Japan and South Korea will be more crucial than ever"
STANCE = "expressed concern"


def tag_actor_mention(window, qtbot, needle):
    """Tag ``needle`` as an actor and leave its registry field empty (Esc)."""
    select_text(window, needle)
    press(qtbot, window.view, Qt.Key.Key_1)
    press(qtbot, window.panel.editors["actor"], Qt.Key.Key_Escape)


def claim_by_seoul(window, qtbot):
    """Tag "Seoul" as an actor and CLAIM as a claim whose claimant it is, by keyboard."""
    tag_actor_mention(window, qtbot, "Seoul")
    select_text(window, CLAIM)
    press(qtbot, window.view, Qt.Key.Key_2)
    press(qtbot, window.view, Qt.Key.Key_Return)
    _type(qtbot, window.panel.editors["claimant"], "Seoul")
    press(qtbot, window.panel.editors["claimant"], Qt.Key.Key_Return)
    claim = next(a for a in window.project.annotations() if a.category == "claim")
    mention = next(a for a in window.project.annotations() if a.category == "actor")
    return claim, mention


def _type(qtbot, widget, text):
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def test_actor_claim_stance_linked_by_keyboard_then_exported(sample_window, qtbot, tmp_path):
    window = sample_window
    panel = window.panel
    # 1. An actor mention: the registry field opens with the quote; Enter adds the entry.
    select_text(window, "Seoul")
    press(qtbot, window.view, Qt.Key.Key_1)
    registry_field = panel.editors["actor"]
    assert registry_field.hasFocus()
    assert registry_field.text() == "Seoul"
    _type(qtbot, registry_field, "Government of South Korea")
    press(qtbot, registry_field, Qt.Key.Key_Return)
    (actor,) = window.project.actors()
    assert actor.name == "Government of South Korea"
    assert window.view.hasFocus()  # no more empty required fields: back to the text

    # 2. A claim: Enter in the text goes to the claimant; typing filters, Enter takes it.
    select_text(window, CLAIM)
    press(qtbot, window.view, Qt.Key.Key_2)
    assert window.annotations.data(
        window.annotations.index(window.ann_table.currentIndex().row(), 0)
    ).startswith("⚠")
    press(qtbot, window.view, Qt.Key.Key_Return)
    claimant_field = panel.editors["claimant"]
    assert claimant_field.hasFocus()
    _type(qtbot, claimant_field, "Seoul")
    press(qtbot, claimant_field, Qt.Key.Key_Return)
    claim = next(a for a in window.project.annotations() if a.category == "claim")
    assert window.project.incomplete_ids() == set()

    # 3. A stance: "-" sets polarity; Enter goes to the holder, then on to the target.
    window.view.setFocus()
    select_text(window, STANCE)
    press(qtbot, window.view, Qt.Key.Key_3)
    press(qtbot, window.view, Qt.Key.Key_Minus)
    stance = next(a for a in window.project.annotations() if a.category == "stance")
    codebook = window.project.codebook()
    polarity = codebook.attribute("stance", "polarity")
    assert window.project.values(stance.id)[polarity.id].choice_id == polarity.choices[1].id
    press(qtbot, window.view, Qt.Key.Key_Return)
    holder_field = panel.editors["holder"]
    assert holder_field.hasFocus()
    _type(qtbot, holder_field, "Government of")
    press(qtbot, holder_field, Qt.Key.Key_Return)
    target_field = panel.editors["target"]
    assert target_field.hasFocus()
    _type(qtbot, target_field, "crucial than ever")
    press(qtbot, target_field, Qt.Key.Key_Return)

    # Links are visible: selecting the claim emphasises its claimant and stance.
    window.coding.select_annotation(claim.id)
    mention = next(a for a in window.project.annotations() if a.category == "actor")
    assert window.view.highlighter.linked_ids == {mention.id, stance.id}
    row = window.annotations.row_of(stance.id)
    assert window.annotations.data(window.annotations.index(row, 3)) == "oppose"
    assert window.annotations.data(window.annotations.index(row, 2)) == (
        "Government of South Korea"
    )

    path = window.project.path
    window.close()
    with open_project(path) as project:
        export_csv(project, tmp_path / "out")
    with (tmp_path / "out" / "claims.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["claim_quote"] == CLAIM
    assert row["claimant_mention"] == "Seoul"
    assert row["claimant_actor"] == "Government of South Korea"
    assert (row["polarity"], row["polarity_code"]) == ("oppose", "-1")


def test_polarity_keys_undo_and_memo(sample_window, qtbot):
    window = sample_window
    select_text(window, STANCE)
    press(qtbot, window.view, Qt.Key.Key_3)
    stance = window.project.annotations()[0]
    polarity = window.project.codebook().attribute("stance", "polarity")
    labels = {c.id: c.label for c in polarity.choices}
    for key, expected in (
        (Qt.Key.Key_Plus, "support"),
        (Qt.Key.Key_0, "neutral"),
        (Qt.Key.Key_Question, "ambivalent"),
    ):
        press(qtbot, window.view, key)
        assert labels[window.project.values(stance.id)[polarity.id].choice_id] == expected
    window.undo_stack.undo()
    assert labels[window.project.values(stance.id)[polarity.id].choice_id] == "neutral"
    window.panel.memo.setFocus()
    qtbot.keyClicks(window.panel.memo, "check the original")
    window.view.setFocus()
    assert window.project.annotation(stance.id).memo == "check the original"
    window.undo_stack.undo()
    assert window.project.annotation(stance.id).memo == ""


def test_picking_a_claimant_by_clicking_its_span(sample_window, qtbot):
    window = sample_window
    tag_actor_mention(window, qtbot, "Seoul")
    select_text(window, CLAIM)
    press(qtbot, window.view, Qt.Key.Key_2)
    claim = window.coding.selected_annotation()
    pick = window.panel.findChild(QToolButton, "pick_claimant")
    qtbot.mouseClick(pick, Qt.MouseButton.LeftButton)
    assert "Click a highlighted span" in window.statusBar().currentMessage()
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.text.index("Seoul") + 1)
    window.view.setTextCursor(cursor)
    mention = next(a for a in window.project.annotations() if a.category == "actor")
    claimant = window.project.codebook().attribute("claim", "claimant")
    assert window.project.values(claim.id)[claimant.id].annotation_id == mention.id


def test_deleting_a_linked_actor_asks_and_leaves_no_dangling_link(
    sample_window, qtbot, monkeypatch
):
    window = sample_window
    claim, mention = claim_by_seoul(window, qtbot)

    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda *a: asked.append(a[2]) or False)
    window.coding.select_annotation(mention.id)
    window.menus.actions["delete"].trigger()
    assert "linked from 1 other annotation" in asked[0]
    assert len(window.project.annotations()) == 2  # answered no

    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    window.menus.actions["delete"].trigger()
    assert [a.id for a in window.project.annotations()] == [claim.id]
    assert window.project.values(claim.id) == {}
    assert window.project.incomplete_ids() == {claim.id}
    assert window.documents.document(0).incomplete_count == 1
    window.undo_stack.undo()
    claimant = window.project.codebook().attribute("claim", "claimant")
    assert window.project.values(claim.id)[claimant.id].annotation_id == mention.id


def test_only_incomplete_filter(sample_window, qtbot):
    window = sample_window
    tag_actor_mention(window, qtbot, "Seoul")
    select_text(window, CLAIM)
    press(qtbot, window.view, Qt.Key.Key_2)
    assert window.annotations.rowCount() == 2
    window.coding.only_incomplete.click()
    assert window.annotations.rowCount() == 1
    assert window.annotations.annotation(0).category == "claim"
    window.coding.only_incomplete.click()
    assert window.annotations.rowCount() == 2


def test_merging_registry_actors_updates_the_export(sample_window, qtbot, tmp_path):
    from annotator.qt.commands import merge_actors

    window = sample_window
    for needle, name in (("Seoul", "Seoul government"), ("South Korea", "South Korea")):
        select_text(window, needle)
        press(qtbot, window.view, Qt.Key.Key_1)
        _type(qtbot, window.panel.editors["actor"], name)
        press(qtbot, window.panel.editors["actor"], Qt.Key.Key_Return)
    select_text(window, CLAIM)
    press(qtbot, window.view, Qt.Key.Key_2)
    press(qtbot, window.view, Qt.Key.Key_Return)
    _type(qtbot, window.panel.editors["claimant"], "Seoul")
    press(qtbot, window.panel.editors["claimant"], Qt.Key.Key_Return)
    actors = {a.name: a for a in window.project.actors()}
    assert set(actors) == {"Seoul government", "South Korea"}

    window.undo_stack.push(
        merge_actors(window.session, actors["South Korea"].id, actors["Seoul government"].id)
    )
    export_csv(window.project, tmp_path / "out")
    with (tmp_path / "out" / "claims.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["claimant_actor"] == "South Korea"
    with (tmp_path / "out" / "actors.csv").open(encoding="utf-8", newline="") as fh:
        (actor,) = list(csv.DictReader(fh))
    assert (actor["name"], actor["aliases"], actor["mention_count"]) == (
        "South Korea",
        "Seoul government",
        "2",
    )
    row_of_claim = window.annotations.row_of(row["claim_id"])
    assert window.annotations.data(window.annotations.index(row_of_claim, 2)) == "“Seoul”"

    window.undo_stack.undo()
    export_csv(window.project, tmp_path / "again")
    with (tmp_path / "again" / "claims.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["claimant_actor"] == "Seoul government"


def tag_opposing_stance(window, qtbot):
    """Tag STANCE as a stance and give it the polarity oppose (key -)."""
    select_text(window, STANCE)
    press(qtbot, window.view, Qt.Key.Key_3)
    press(qtbot, window.view, Qt.Key.Key_Minus)
    return window.coding.selected_annotation()


def test_panel_shows_each_annotation_of_a_category_with_its_own_values(sample_window, qtbot):
    window = sample_window
    first = tag_opposing_stance(window, qtbot)
    select_text(window, "Putin")
    press(qtbot, window.view, Qt.Key.Key_3)
    combo = window.panel.editors["polarity"]
    assert combo.currentText() == "—"
    assert window.panel.editors["holder"].text() == ""
    window.coding.select_annotation(first.id)
    assert window.panel.editors["polarity"] is combo  # the same fields, new values
    assert combo.currentText() == "oppose (-1)"


def test_tagging_a_known_alias_offers_its_registry_actor(sample_window, qtbot):
    window = sample_window
    korea = window.project.add_actor("Government of South Korea", aliases=["Seoul"])
    select_text(window, "Seoul")
    press(qtbot, window.view, Qt.Key.Key_1)
    field = window.panel.editors["actor"]
    assert field.text() == "Seoul"
    press(qtbot, field, Qt.Key.Key_Return)
    mention = window.coding.selected_annotation()
    registry = window.project.codebook().attribute("actor", "actor")
    assert window.project.values(mention.id)[registry.id].actor_id == korea.id
    assert [a.name for a in window.project.actors()] == ["Government of South Korea"]
    assert field.text() == "Government of South Korea"


def _hover(view, point: QPoint) -> None:
    """A mouse move over the view's text, delivered to its viewport. (QTest's mouse
    move on the offscreen platform did not reach the view in every window layout.)"""
    viewport = view.viewport()
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(point),
        QPointF(viewport.mapToGlobal(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def test_hovering_over_a_claim_shows_its_links(sample_window, qtbot):
    window = sample_window
    claim, mention = claim_by_seoul(window, qtbot)
    window.ann_table.setCurrentIndex(window.annotations.index(-1, -1))  # nothing selected
    assert window.view.highlighter.linked_ids == frozenset()

    view = window.view
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_utf16(claim.start + 5))
    point = view.cursorRect(cursor).center()
    _hover(view, point)
    qtbot.waitUntil(lambda: view.highlighter.linked_ids == {mention.id})
    cursor.setPosition(view.offsets.to_utf16(claim.end + 1))  # just past the claim
    _hover(view, view.cursorRect(cursor).center())
    qtbot.waitUntil(lambda: view.highlighter.linked_ids == frozenset())


def test_undo_puts_back_the_annotations_change_time(sample_window, qtbot):
    window = sample_window
    select_text(window, STANCE)
    press(qtbot, window.view, Qt.Key.Key_3)
    stance = window.coding.selected_annotation()
    before = window.project.annotation(stance.id).updated_at
    press(qtbot, window.view, Qt.Key.Key_Minus)
    window.panel.memo.setFocus()
    qtbot.keyClicks(window.panel.memo, "note")
    window.view.setFocus()
    window.undo_stack.undo()  # the memo
    window.undo_stack.undo()  # the polarity
    restored = window.project.annotation(stance.id)
    assert (restored.memo, restored.updated_at) == ("", before)
    assert window.project.values(stance.id) == {}


def test_each_categorys_fields_are_kept_while_switching_categories(sample_window, qtbot):
    window = sample_window
    stance = tag_opposing_stance(window, qtbot)
    combo = window.panel.editors["polarity"]
    tag_actor_mention(window, qtbot, "Seoul")
    actor_field = window.panel.editors["actor"]
    assert "polarity" not in window.panel.editors
    assert actor_field.isVisible() and not combo.isVisible()
    window.coding.select_annotation(stance.id)
    assert window.panel.editors["polarity"] is combo  # kept, not built again
    assert combo.isVisible() and not actor_field.isVisible()
    assert combo.currentText() == "oppose (-1)"
    window.ann_table.setCurrentIndex(window.annotations.index(-1, -1))  # nothing selected
    assert window.panel.editors == {} and not combo.isVisible()
    # A codebook change builds the fields again, with the new attribute.
    stance_category = window.project.category("stance")
    window.session.run(
        "add", lambda p: codebook.add_attribute(p, stance_category.id, "Intensity", "number")
    )
    window.coding.select_annotation(stance.id)
    assert window.panel.editors["polarity"] is not combo
    assert set(window.panel.editors) == {"polarity", "holder", "target", "intensity"}
    assert window.panel.editors["polarity"].currentText() == "oppose (-1)"
    assert window.panel.editors["intensity"].isVisible() and not combo.isVisible()


def test_the_claimant_list_shows_quotes_and_paragraphs_not_offsets(sample_window, qtbot):
    window = sample_window
    text = window.view.text
    select_text(window, "South Korea")
    press(qtbot, window.view, Qt.Key.Key_1)
    window.view.setFocus()
    select_text(window, CLAIM)
    press(qtbot, window.view, Qt.Key.Key_2)
    press(qtbot, window.view, Qt.Key.Key_Return)
    claimant = window.panel.editors["claimant"]
    assert claimant.hasFocus()
    labels = claimant.completer().model().stringList()
    paragraph = text[: text.index("South Korea")].count("\n") + 1
    assert f"Actor: “South Korea” (paragraph {paragraph})" in labels
    assert not [label for label in labels if "@" in label]


def test_an_unknown_stance_target_is_added_only_as_the_coder_chooses(
    sample_window, qtbot, monkeypatch
):
    """Typing "the treaty" as a stance target used to make it a registry actor without
    a word; now the coder chooses: nothing, a new actor, or a new issue."""
    window = sample_window
    answers = iter([None, 1])
    asked: list[tuple[str, list[str]]] = []

    def choose(_parent, _title, message, buttons):
        asked.append((message, buttons))
        return next(answers)

    monkeypatch.setattr(dialogs, "choose", choose)
    select_text(window, STANCE)
    press(qtbot, window.view, Qt.Key.Key_3)
    target = window.panel.editors["target"]
    target.setFocus()
    _type(qtbot, target, "the treaty")
    press(qtbot, target, Qt.Key.Key_Return)  # answered Cancel
    (stance,) = [a for a in window.project.annotations() if a.category == "stance"]
    assert window.project.actors() == [] and window.project.values(stance.id) == {}
    message, buttons = asked[0]
    assert message == "“the treaty” matches no claim, actor, registry actor or issue. Add it?"
    assert buttons == ["Add to the Registry as a New Actor", "Add as a New Issue Choice"]
    target.setFocus()
    press(qtbot, target, Qt.Key.Key_Return)  # answered: a new issue
    issue = window.project.codebook().attribute("claim", "issue")
    assert issue.choices[-1].label == "the treaty"
    target_attribute = window.project.codebook().attribute("stance", "target")
    value = window.project.values(stance.id)[target_attribute.id]
    assert value.choice_id == issue.choices[-1].id
    assert window.project.actors() == []
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "the treaty" not in [
        c.label for c in window.project.codebook().attribute("claim", "issue").choices
    ]
    assert target_attribute.id not in window.project.values(stance.id)


def test_a_polarity_key_keeps_the_focus_and_enter_never_saves_an_empty_holder(sample_window, qtbot):
    window = sample_window
    select_text(window, STANCE)
    press(qtbot, window.view, Qt.Key.Key_3)
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Minus)
    assert window.view.hasFocus()  # the key was pressed in the text: the focus stays
    press(qtbot, window.view, Qt.Key.Key_Return)  # then Enter opens the first empty field
    holder = window.panel.editors["holder"]
    assert holder.hasFocus() and holder.text() == ""
    press(qtbot, holder, Qt.Key.Key_Return)  # empty: nothing saved, the focus stays
    (stance,) = window.project.annotations()
    holder_attribute = window.project.codebook().attribute("stance", "holder")
    assert holder_attribute.id not in window.project.values(stance.id)
    assert holder.hasFocus()
    assert window.project.incomplete_ids() == {stance.id}


def test_escape_in_the_registry_field_shows_what_is_held(sample_window, qtbot):
    """Coding a mention offers its quote in the registry field; Esc leaves the field
    unset, and the field says so (it kept showing the quote as if it were linked)."""
    window = sample_window
    select_text(window, "Seoul")
    press(qtbot, window.view, Qt.Key.Key_1)
    field = window.panel.editors["actor"]
    assert field.text() == "Seoul"  # offered, not saved
    press(qtbot, field, Qt.Key.Key_Escape)
    mention = next(a for a in window.project.annotations() if a.category == "actor")
    assert window.project.values(mention.id) == {}
    assert field.text() == ""
    assert QApplication.focusWidget() is window.view
