"""A new attribute type is one definition: registered in ``ATTRIBUTE_TYPES`` and
nowhere else, the store checks it, the export writes it, the codebook editor
lists it and the panel edits it, with no migration and no other change."""

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from annotator.core.codebook import Attribute, Codebook, Value
from annotator.core.types import ATTRIBUTE_TYPES
from annotator.core.types.attributes import AttributeKind, Where
from annotator.exporting.csv_export import export_csv
from annotator.ops.changes import added
from annotator.qt.codebook.codebook_widgets import NewAttributeDialog

from .conftest import activate, press, select_text

CLAIM = "cooperation among the U.S., Japan and South Korea will be more crucial than ever"


class LinkKind(AttributeKind):
    """A web address: text that starts with http:// or https://."""

    name, label, hint = "link", "Web address", "https://…"

    def _parse(self, attribute: Attribute, text: str, codebook: Codebook) -> Value:
        return Value(attribute.id, text=_link(attribute, text))  # typed in: the field says why

    def _check(self, attribute: Attribute, value: Value, where: Where) -> None:
        _link(attribute, value.text or "")  # any write: the store refuses


def _link(attribute: Attribute, text: str) -> str:
    if not text.startswith(("http://", "https://")):
        raise ValueError(f"“{attribute.label}”: “{text}” is not a web address.")
    return text


@pytest.fixture
def link_type(monkeypatch):
    monkeypatch.setitem(ATTRIBUTE_TYPES, "link", LinkKind())


def test_a_type_defined_once_is_stored_checked_exported_and_edited(
    link_type, sample_window, qtbot, tmp_path
):
    window = sample_window
    project = window.project
    source = project.add_attribute(project.category("claim").id, "Source", "link")
    window.session.publish(added("attribute", [source.id]))  # as the codebook editor does
    assert project.codebook().attribute("claim", "source").type == "link"

    select_text(window, CLAIM)
    press(qtbot, window.view, Qt.Key.Key_2)
    claim = next(a for a in project.annotations() if a.category == "claim")
    field = window.panel.editors["source"]
    assert isinstance(field, QLineEdit) and field.placeholderText() == "https://…"
    field.setFocus()
    qtbot.keyClicks(field, "the paper")
    press(qtbot, field, Qt.Key.Key_Return)  # refused by the definition: nothing stored
    assert source.id not in project.values(claim.id)
    assert "is not a web address" in field.toolTip()
    with pytest.raises(ValueError, match="is not a web address"):
        project.set_value(claim.id, Value(source.id, text="ftp://x"))

    field.selectAll()
    qtbot.keyClicks(field, "https://example.org/a,b")
    press(qtbot, field, Qt.Key.Key_Return)
    assert project.values(claim.id)[source.id].text == "https://example.org/a,b"

    export_csv(project, tmp_path / "out")
    with (tmp_path / "out" / "annotations.csv").open(encoding="utf-8", newline="") as handle:
        rows = {r["annotation_id"]: r for r in csv.DictReader(handle)}
    assert rows[claim.id]["claim.source"] == "https://example.org/a,b"
    with (tmp_path / "out" / "data_dictionary.csv").open(encoding="utf-8", newline="") as h:
        entry = next(
            r
            for r in csv.DictReader(h)
            if (r["file"], r["column"]) == ("annotations.csv", "claim.source")
        )
    assert entry["type"] == "string"


def test_the_codebook_editor_lists_a_type_defined_once(link_type, qtbot, project):
    ask = NewAttributeDialog(project.codebook(), project.category("claim"))
    qtbot.addWidget(ask)
    activate(qtbot, ask)
    labels = [ask.type_combo.itemText(i) for i in range(ask.type_combo.count())]
    assert labels[-1] == "Web address"
