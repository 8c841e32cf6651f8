"""The Issue field: the sample project ships issues; an empty list says where to add them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.importing.default_project import SAMPLE_ISSUES
from annotator.store.project import create_project
from tests.qt.conftest import press, select_text


def _issue_items(window) -> list[str]:
    combo = window.panel.editors["issue"]
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_sample_project_offers_its_issues_on_a_new_claim(sample_window, qtbot):
    window = sample_window
    select_text(window, "Seoul seems to be starting to recognize China")
    press(qtbot, window.view, Qt.Key.Key_2)
    assert _issue_items(window)[1:] == list(SAMPLE_ISSUES)
    issue = window.project.codebook().attribute("claim", "issue")
    assert [c.label for c in issue.choices] == list(SAMPLE_ISSUES)


def test_an_empty_issue_list_says_where_issues_are_added(make_window, tmp_path, qtbot):
    path = tmp_path / "own.annotator"
    with create_project(path) as project:
        project.import_text("Kim demanded an end to the sanctions.", title="Kim")
    window = make_window(path)
    select_text(window, "Kim demanded an end to the sanctions")
    press(qtbot, window.view, Qt.Key.Key_2)
    assert _issue_items(window) == ["No issue choices yet: Codebook ▸ Edit Codebook"]
    assert "Codebook ▸ Edit Codebook" in window.panel.editors["issue"].toolTip()
