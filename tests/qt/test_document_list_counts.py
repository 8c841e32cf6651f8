"""The window's document list shows each document's annotations and incomplete
annotations as a count from scratch would give them, after tagging by key, deleting
with the Delete key, undo and redo, values set in the panel, registry merges and
deletions, and codebook changes, all through the window's one undo stack."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.codebook import Value
from annotator.ops import codebook as codebook_ops
from annotator.ops import registry as registry_ops
from annotator.qt.commands import OperationCommand, merge_actors
from annotator.qt.common import dialogs
from annotator.qt.main_window import MainWindow
from annotator.store.project import create_project

from ..store.test_document_counts import from_scratch
from .conftest import press, select_text

CTRL = Qt.KeyboardModifier.ControlModifier
SENTENCE = "Kim met Putin in Pyongyang and said there would be no deal this year. "


@pytest.fixture
def coded_path(tmp_path: Path) -> Path:
    """12 documents, 2,400 annotations: mentions linked to registry actors, claims
    and stances pointing at annotations of their document, some values missing."""
    rng = random.Random(1506)
    path = tmp_path / "list.annotator"
    with create_project(path) as project:
        codebook = project.codebook()
        registry = codebook.attribute("actor", "actor")
        claimant = codebook.attribute("claim", "claimant")
        polarity = codebook.attribute("stance", "polarity")
        holder = codebook.attribute("stance", "holder")
        target = codebook.attribute("stance", "target")
        actors = [project.add_actor(f"Actor {i}").id for i in range(8)]
        docs = [project.import_text(SENTENCE * 30, title=f"Article {i}") for i in range(12)]
        rows = [
            (doc.id, start, start + rng.randint(1, 20), ("actor", "claim", "stance")[j % 3], "Bo")
            for doc in docs
            for j in range(200)
            for start in [rng.randrange(doc.char_count - 25)]
        ]
        added = project.add_annotations(rows)
        mentions: dict[str, list[str]] = {}
        claims: dict[str, list[str]] = {}
        for ann in added:
            if ann.category in ("actor", "claim"):
                kept = mentions if ann.category == "actor" else claims
                kept.setdefault(ann.document_id, []).append(ann.id)
        values = []
        for ann in added:
            if ann.category == "actor" and rng.random() < 0.8:
                values.append((ann.id, Value(registry.id, actor_id=rng.choice(actors))))
            elif ann.category == "claim" and rng.random() < 0.8:
                mention = rng.choice(mentions[ann.document_id])
                values.append((ann.id, Value(claimant.id, annotation_id=mention)))
            elif ann.category == "stance":
                if rng.random() < 0.9:
                    values.append((ann.id, Value(polarity.id, choice_id=polarity.choices[0].id)))
                if rng.random() < 0.9:
                    mention = rng.choice(mentions[ann.document_id])
                    values.append((ann.id, Value(holder.id, annotation_id=mention)))
                if rng.random() < 0.9:
                    claim = rng.choice(claims[ann.document_id])
                    values.append((ann.id, Value(target.id, annotation_id=claim)))
        project.restore_values(values)
    return path


def shown(window: MainWindow) -> dict[str, tuple[int, int]]:
    """What the document list shows: each document's count and its ⚠ count."""
    model = window.documents
    figures = {}
    for row in range(model.rowCount()):
        count = model.data(model.index(row, 1))
        incomplete = model.data(model.index(row, 2))
        figures[model.document(row).id] = (count, incomplete or 0)
    return figures


def check(window: MainWindow, qtbot) -> dict[str, tuple[int, int]]:
    """The list equals a count from scratch, at once for the document shown and once
    the window has recounted the others it was told about (a short timer)."""
    expected, _ = from_scratch(window.project.path)
    current = window.current.id if window.current else None
    if current is not None:
        assert shown(window)[current] == expected[current]
    qtbot.waitUntil(lambda: shown(window) == expected, timeout=3000)
    return expected


def undo_redo(window: MainWindow, qtbot, steps: int = 1) -> None:
    """Ctrl+Z then Ctrl+Y in the text (``steps`` times each): the counts follow."""
    after = check(window, qtbot)
    for _ in range(steps):
        press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    before = check(window, qtbot)
    assert before != after
    for _ in range(steps):
        press(qtbot, window.view, Qt.Key.Key_Y, CTRL)
    assert check(window, qtbot) == after


def push(window: MainWindow, text: str, operation) -> None:
    window.undo_stack.push(OperationCommand(window.session, text, text.lower(), operation))


def test_the_document_list_counts_never_drift(make_window, coded_path, qtbot, monkeypatch):
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)  # "delete its links too?"
    window = make_window(coded_path)
    first = check(window, qtbot)
    assert sum(n for n, _ in first.values()) == 2400
    assert len({m for _, m in first.values()}) > 2  # documents differ in incomplete ones

    # Tag by key: a claim lacks its claimant, a stance its polarity and holder.
    select_text(window, "no deal", 3)
    press(qtbot, window.view, Qt.Key.Key_2)
    undo_redo(window, qtbot)
    select_text(window, "said", 5)
    press(qtbot, window.view, Qt.Key.Key_3)
    press(qtbot, window.view, Qt.Key.Key_Minus)  # polarity: oppose
    undo_redo(window, qtbot, steps=2)

    # Delete (the key) a mention that claims and stances point at: they lose a value.
    project = window.project
    doc = window.current
    assert doc is not None
    linked = project._query(
        "SELECT v.ref_annotation_id FROM annotation_values v JOIN annotations a"
        " ON a.id = v.ref_annotation_id WHERE a.document_id = ?"
        " GROUP BY v.ref_annotation_id ORDER BY COUNT(*) DESC LIMIT 1",
        (doc.id,),
    )[0][0]
    window.coding.select_annotation(linked)
    window.ann_table.setFocus()
    press(qtbot, window.ann_table, Qt.Key.Key_Delete)
    assert linked not in project.annotation_documents([linked])
    undo_redo(window, qtbot)

    # Another document: the one shown changes; its counts still follow.
    press(qtbot, window.view, Qt.Key.Key_PageDown, CTRL)  # Document ▸ Next Document
    qtbot.waitUntil(lambda: window.current is not None and window.current.id != doc.id)
    check(window, qtbot)

    # The registry: a merge changes no count; with the registry field required, a
    # deleted actor leaves the mentions that named it incomplete, in every document.
    actors = project.actors()
    window.undo_stack.push(merge_actors(window.session, actors[0].id, actors[1].id))
    check(window, qtbot)
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    check(window, qtbot)
    registry = project.codebook().attribute("actor", "actor")
    push(
        window,
        "Require the registry actor",
        lambda p: codebook_ops.update_attribute(p, registry.id, required=True),
    )
    check(window, qtbot)
    push(window, "Delete an actor", lambda p: registry_ops.delete_actor(p, actors[2].id))
    undo_redo(window, qtbot)
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)  # the deletion
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)  # required again optional
    check(window, qtbot)

    # The codebook: a required field added, a choice and a category deleted.
    codebook = project.codebook()
    claim = codebook.category("claim")
    push(
        window,
        "Add a field",
        lambda p: codebook_ops.add_attribute(p, claim.id, "Frame", "text", required=True),
    )
    undo_redo(window, qtbot)
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)  # no such field after all
    check(window, qtbot)
    polarity = codebook.attribute("stance", "polarity")
    push(window, "Delete a choice", lambda p: codebook_ops.delete_choice(p, polarity.choices[0].id))
    undo_redo(window, qtbot)
    stance = codebook.category("stance")
    push(window, "Delete a category", lambda p: codebook_ops.delete_category(p, stance.id))
    undo_redo(window, qtbot)
