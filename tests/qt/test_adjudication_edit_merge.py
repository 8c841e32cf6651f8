"""E (accept a coder's version, then edit its span and values) and M (one coder's
span, another's values) through the Adjudicate window, their dialogs driven as a
user would, each undone and redone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QSpinBox

from annotator.core.adjudication import ADJUDICATED, DecisionKind
from annotator.qt.team.adjudication_dialogs import MergeDialog
from annotator.qt.team.adjudication_window import AdjudicationWindow
from annotator.store.project import Project, create_project
from tests.adjudication_example import TEXT, build
from tests.qt.conftest import activate


def _to(qtbot, window: AdjudicationWindow, category: str) -> None:
    for _ in range(5):
        unit = window.current_unit()
        if unit is not None and unit.category == category:
            return
        qtbot.keyClick(window.table, Qt.Key.Key_N)
    raise AssertionError(f"no unsettled {category}")


def _ok(qtbot, dialog: QDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def _adjudicated(project: Project, category: str) -> list[tuple[str, dict[str, object]]]:
    codebook = project.codebook()
    keys = {a.id: a.key for a in codebook.attributes}
    found = []
    for a in project.annotations():
        if a.coder == ADJUDICATED and a.category == category:
            values = {
                keys[i]: v.choice_id or v.actor_id or v.annotation_id
                for i, v in project.values(a.id).items()
            }
            found.append((a.quote, values))
    return found


def _redo(qtbot, window: AdjudicationWindow) -> None:
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.table, Qt.Key.Key_Z, modifiers)


def test_accept_and_edit_then_merge(make_window, qtbot, tmp_path: Path) -> None:
    path = tmp_path / "team.annotator"
    with create_project(path) as project:
        example = build(project)
        polarity = project.codebook().attribute("stance", "polarity")
        assert polarity is not None
        second = polarity.choices[1]
    main = make_window(path, coder="Lead")
    main.menus.actions["adjudicate"].trigger()
    window = main.findChild(AdjudicationWindow)
    assert window is not None
    activate(qtbot, window)
    project = window.session.project

    # E on the stance only Ana coded: a shorter span, another polarity, Macron as holder.
    _to(qtbot, window, "stance")
    shorter = TEXT.index("Unions reject the plan") + len("Unions reject the plan")

    def edit() -> None:
        dialog = window.edit_dialog
        assert dialog.coder.currentText() == "Ana"
        dialog.findChildren(QSpinBox)[1].setValue(shorter)
        choices = dialog.findChild(QComboBox, "value-polarity")
        choices.setCurrentIndex(choices.findText(second.label))
        holders = dialog.findChild(QComboBox, "value-holder")
        holders.setCurrentIndex(holders.findText("Emmanuel Macron"))
        dialog.grab().save(str(tmp_path / "accept-edit.png"))
        _ok(qtbot, dialog)

    QTimer.singleShot(0, edit)
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    activate(qtbot, window)  # the dialog gone, the window takes the keys again
    stance = _adjudicated(project, "stance")
    assert len(stance) == 1
    text, values = stance[0]
    assert text == "Unions reject the plan"
    assert values["polarity"] == second.id and values["holder"] == example.macron
    claim = [
        a.id for a in project.annotations() if a.coder == ADJUDICATED and a.category == "claim"
    ]
    assert values["target"] == claim[0]  # Ana's claim came along, adjudicated
    kinds = {(d.category, d.kind) for d in project.decisions()}
    assert ("stance", DecisionKind.EDITED) in kinds
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _adjudicated(project, "stance") == [] and project.decisions() == []
    assert "0 settled, 4 unsettled" in window.progress.text()
    _redo(qtbot, window)
    assert _adjudicated(project, "stance") == stance
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    # M on the claim: Ana's span, Bo's values (his claimant, Macron, comes along).
    _to(qtbot, window, "claim")

    def merge() -> None:
        dialog = window.findChild(MergeDialog)
        dialog.span_coder.setCurrentText("Ana")
        dialog.values_coder.setCurrentText("Bo")
        _ok(qtbot, dialog)

    QTimer.singleShot(0, merge)
    qtbot.keyClick(window.table, Qt.Key.Key_M)
    activate(qtbot, window)
    merged = _adjudicated(project, "claim")
    assert len(merged) == 1
    claimant = merged[0][1]["claimant"]
    assert project.annotation(str(claimant)).quote == "Macron"
    assert sorted(
        (d.category, d.kind.value, d.coder, d.values_coder) for d in project.decisions()
    ) == [("actor", "accepted", "Bo", "Bo"), ("claim", "merged", "Ana", "Bo")]
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _adjudicated(project, "claim") == [] and project.decisions() == []
    _redo(qtbot, window)
    assert _adjudicated(project, "claim") == merged
