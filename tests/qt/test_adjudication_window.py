"""Team ▸ Adjudicate through the real window: two coders' versions of a sample
document; pre-merge settles the agreed actor, coder B's claim is accepted with a
key, the stance rejected; each step undone and redone; the adjudicated set
exported from the command line holds exactly the expected claim."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QProgressDialog

from annotator.cli import main as cli_main
from annotator.core.adjudication import ADJUDICATED, DecisionKind
from annotator.qt.team.adjudication_window import KEYS, AdjudicationWindow
from annotator.store.project import create_project
from tests.adjudication_example import build
from tests.qt.conftest import activate

UNDO = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
REDO = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _decided(window: AdjudicationWindow) -> list[tuple[str, str, str]]:
    return sorted((d.category, d.kind.value, d.coder) for d in window.session.project.decisions())


def _adjudicated(window: AdjudicationWindow) -> list[str]:
    project = window.session.project
    return sorted(a.id for a in project.annotations() if a.coder == ADJUDICATED)


def _key(qtbot, window: AdjudicationWindow, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.table, key, modifier)


def _adjudicate(make_window, qtbot, tmp_path: Path) -> tuple[Path, AdjudicationWindow]:
    """Team ▸ Adjudicate, opened by the lead on two coders' versions of a sample."""
    path = tmp_path / "team.annotator"
    with create_project(path) as project:
        build(project)
    main = make_window(path, coder="Lead")
    main.menus.actions["adjudicate"].trigger()
    window = main.findChild(AdjudicationWindow)
    assert window is not None
    activate(qtbot, window)
    return path, window


def test_adjudicate_the_sample_through_the_window(make_window, qtbot, tmp_path: Path) -> None:
    path, window = _adjudicate(make_window, qtbot, tmp_path)
    window.grab().save(str(tmp_path / "adjudicate-before.png"))
    assert window.current_unit() is not None
    assert "0 settled, 4 unsettled" in window.progress.text()

    # Pre-merge settles the agreed actor; undo and redo it.
    _key(qtbot, window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert _decided(window) == [("actor", "premerged", "Ana")]
    merged = _adjudicated(window)
    _key(qtbot, window, *UNDO)
    assert _decided(window) == [] and _adjudicated(window) == []
    _key(qtbot, window, *REDO)
    assert _adjudicated(window) == merged

    # To the claim, with the next-unsettled key; accept coder 2 (Bo).
    for _ in range(4):
        unit = window.current_unit()
        if unit is not None and unit.category == "claim":
            break
        _key(qtbot, window, Qt.Key.Key_N)
    unit = window.current_unit()
    assert unit is not None and unit.category == "claim"
    assert window.model.coders == ("Ana", "Bo")
    _key(qtbot, window, Qt.Key.Key_2)
    assert ("claim", "accepted", "Bo") in _decided(window)
    assert ("actor", "accepted", "Bo") in _decided(window)  # his Macron came along
    with_claim = _adjudicated(window)
    assert len(with_claim) == 3
    _key(qtbot, window, *UNDO)
    assert _adjudicated(window) == merged
    _key(qtbot, window, *REDO)
    assert _adjudicated(window) == with_claim  # the same ids again

    # The stance, next unsettled: reject it; undo and redo.
    for _ in range(3):
        unit = window.current_unit()
        if unit is not None and unit.category == "stance":
            break
        _key(qtbot, window, Qt.Key.Key_N)
    unit = window.current_unit()
    assert unit is not None and unit.category == "stance"
    _key(qtbot, window, Qt.Key.Key_R)
    assert ("stance", "rejected", "") in _decided(window)
    _key(qtbot, window, *UNDO)
    assert ("stance", "rejected", "") not in _decided(window)
    # The unit the keys act on is the one the list shows selected.
    (selected,) = window.table.selectionModel().selectedRows()
    assert window.model.unit(selected.row()) == window.current_unit()
    _key(qtbot, window, *REDO)
    assert _decided(window) == [
        ("actor", "accepted", "Bo"),
        ("actor", "premerged", "Ana"),
        ("claim", "accepted", "Bo"),
        ("stance", "rejected", ""),
    ]
    assert "4 settled, 0 unsettled" in window.progress.text()
    assert "(done)" in window.progress.text()
    window.grab().save(str(tmp_path / "adjudicate-after.png"))
    assert {d.kind for d in window.session.project.decisions()} == {
        DecisionKind.ACCEPTED,
        DecisionKind.PREMERGED,
        DecisionKind.REJECTED,
    }

    # The adjudicated set from the command line: exactly the expected claim.
    out = tmp_path / "export"
    assert cli_main(["export", str(path), "--out", str(out), "--coder", "adjudicated"]) == 0
    claims = _rows(out / "claims.csv")
    assert [(c["claim_quote"], c["claimant_mention"], c["claimant_actor"]) for c in claims] == [
        ("Macron wants lower taxes for farmers", "Macron", "Emmanuel Macron")
    ]
    assert claims[0]["stance_id"] == ""
    ids = {a["annotation_id"] for a in _rows(out / "annotations.csv")}
    assert claims[0]["claimant_id"] in ids and claims[0]["claim_id"] in ids


def test_undo_and_redo_of_a_premerge_keep_the_window_turning(
    make_window, qtbot, tmp_path: Path
) -> None:
    """A pre-merge settles thousands of units at once: its undo and redo are written
    on a worker while the window's event loop keeps turning (a timer set before the
    key fires before the key's handling returns), and they still take effect."""
    path, window = _adjudicate(make_window, qtbot, tmp_path)
    _key(qtbot, window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    merged = _adjudicated(window)
    assert merged
    for (key, modifiers), expected in ((UNDO, []), (REDO, merged)):
        turned: list[bool] = []
        QTimer.singleShot(0, lambda turned=turned: turned.append(True))
        _key(qtbot, window, key, modifiers)
        assert turned, "the window's event loop stood still while the pre-merge was redone"
        assert _adjudicated(window) == expected
    assert not [bar for bar in window.findChildren(QProgressDialog) if bar.isVisible()]


def test_keys_pressed_while_a_premerge_is_undone_are_not_run_inside_it(
    make_window, qtbot, tmp_path: Path
):
    """A second Ctrl+Z (or a Ctrl+Shift+Z) pressed while the pre-merge's undo runs on
    its worker, before its progress dialog shows: it does not run the step again
    inside the first: it is dropped, as a modal dialog drops it (the history, the
    board and the project stay one story)."""
    _path, window = _adjudicate(make_window, qtbot, tmp_path)
    _key(qtbot, window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert _decided(window) == [("actor", "premerged", "Ana")]
    for again in (UNDO, REDO):
        QTimer.singleShot(0, lambda again=again: _key(qtbot, window, *again))  # the user's key
        _key(qtbot, window, *UNDO)
        assert window.undo_stack.index() == 0
        assert _decided(window) == [] and _adjudicated(window) == []
        assert "0 settled, 4 unsettled" in window.progress.text()
        _key(qtbot, window, *REDO)
        assert window.undo_stack.index() == 1
        assert _decided(window) == [("actor", "premerged", "Ana")]
        assert "1 settled, 3 unsettled" in window.progress.text()


def test_no_key_of_the_window_is_bound_twice_whatever_a_platform_binds_first(qapp):
    """A standard key takes the platform's first binding (Redo: Ctrl+Y here, Ctrl+Shift+Z
    on Linux desktops and macOS): none of its bindings may be another key of the window,
    or Qt, finding the key bound twice, runs neither (redo never ran on a desktop)."""
    possible: dict[str, set[str]] = {}
    for name, keys in KEYS.items():
        for key in keys:
            if isinstance(key, QKeySequence.StandardKey):
                bound = {k.toString() for k in QKeySequence.keyBindings(key)}
            else:
                bound = {QKeySequence(key).toString()}
            for other, taken in possible.items():
                assert not bound & taken, (name, other, bound & taken)
            possible.setdefault(name, set())
            assert not bound & possible[name], (name, bound & possible[name])
            possible[name] |= bound
