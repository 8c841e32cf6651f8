"""Team ▸ Agreement: the figures of a real project, and the units behind one of them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.qt.team.agreement_window import AgreementWindow
from tests.agreement_project import build


def test_figures_and_the_units_behind_a_click(qtbot, tmp_path):
    project, _ids = build(tmp_path / "p.annotator")
    project.close()
    window = AgreementWindow(tmp_path / "p.annotator")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.report is not None, timeout=10_000)
    assert "ann, bob: 1 document(s)" in window.status.text()
    row = window.figure_row("stance", "polarity", "cohen_kappa", "nominal")
    assert row >= 0
    assert window.figures.item(row, 4).text() == "0.500"
    assert window.figures.item(row, 5).text() == "4 / 5"
    # A click on the figure lists its five units, the one disagreement first.
    rect = window.figures.visualItemRect(window.figures.item(row, 0))
    qtbot.mouseClick(window.figures.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.units.topLevelItemCount() == 5
    first = window.units.topLevelItem(0)
    assert first.text(0).startswith("≠ stance")
    values = {first.child(i).text(1): first.child(i).text(3) for i in range(first.childCount())}
    assert values == {"ann": "oppose", "bob": "support"}
    assert "1 with differing values, 1 coded by one coder only" in window.units_label.text()
    alone = [
        window.units.topLevelItem(i)
        for i in range(5)
        if window.units.topLevelItem(i).text(0).startswith("alone")
    ]
    assert len(alone) == 1 and alone[0].child(1).text(2) == "(no span)"
    # The scope list holds the document too; its figures are those of the one document.
    window.scope.setCurrentIndex(1)
    assert window.figure_row("stance", "polarity", "cohen_kappa", "nominal") >= 0
    window.grab().save(str(tmp_path / "agreement.png"))


def test_a_project_with_one_coder_says_so(qtbot, tmp_path):
    project, _ids = build(tmp_path / "p.annotator", ("ann",))
    project.close()
    window = AgreementWindow(tmp_path / "p.annotator")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.report is not None, timeout=10_000)
    assert window.status.text() == "No document was coded by two or more coders."
    assert window.figures.rowCount() == 0
