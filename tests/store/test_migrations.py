"""Every released schema version upgrades to the current one, data intact."""

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.exporting.analysis import export_for_analysis
from annotator.store.errors import ProjectError
from annotator.store.project import open_project
from annotator.store.schema import SCHEMA_VERSION

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_old_schema_upgrades_with_its_data(tmp_path, version):
    path = tmp_path / f"schema_{version}.annotator"
    shutil.copy(DATA / f"schema_{version}.annotator", path)
    with open_project(path) as project:
        assert project.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        (ann,) = project.annotations()
        assert (ann.quote, ann.coder, ann.category, ann.memo) == ("Putin", "Ana", "actor", "memo")
        codebook = project.codebook()
        assert [a.key for a in codebook.attributes_of("stance")] == ["polarity", "holder", "target"]
        polarity = codebook.attribute("stance", "polarity")
        assert [(c.label, c.code) for c in polarity.choices] == [
            ("support", 1),
            ("oppose", -1),
            ("neutral", 0),
            ("ambivalent", None),
        ]
        assert project.document(ann.document_id).status.value == "in_progress"
        if version >= 2:  # attribute values and the registry survive too
            (putin,) = project.actors()
            assert (putin.name, putin.aliases, putin.mention_count) == (
                "Vladimir Putin",
                ("Putin",),
                1,
            )
        assert project.document(ann.document_id).encoding == ""
        assert project.variables() == []
    with open_project(path) as project:  # opening again changes nothing more
        assert project.annotation_count() == 1


def _rows(path: Path) -> dict[str, list[dict]]:
    """Every row of every table (with its rowid where it has one), read with plain sqlite3."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"  # its shadow tables hold its rows
            )
        ]
        rows = {}
        for table in tables:
            without_rowid = (
                "WITHOUT ROWID"
                in conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,))
                .fetchone()[0]
                .upper()
            )
            select = "*" if without_rowid else "rowid, *"
            found = [dict(row) for row in conn.execute(f"SELECT {select} FROM {table}")]
            rows[table] = sorted(found, key=repr)
        return rows
    finally:
        conn.close()


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("schema_*.annotator")))
def test_every_row_survives_the_upgrade(tmp_path, name):
    """Rebuilding tables (0004) must not cascade-delete the choices and values
    that point at them, nor change a row."""
    path = tmp_path / name
    shutil.copy(DATA / name, path)
    before = _rows(path)
    with open_project(path) as project:
        conn = project.db.conn
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        schema = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    after = _rows(path)
    assert "CHECK" not in schema["attributes"] and "CHECK" not in schema.get("variables", "")
    for table, rows in before.items():
        if table != "_sqlite_migrations":  # later steps may add columns, never change one
            kept = [{column: row[column] for column in rows[0]} for row in after[table]]
            assert kept == rows, table
    assert len(after["_sqlite_migrations"]) == SCHEMA_VERSION


def test_a_schema_3_project_keeps_every_value_and_exports_it(tmp_path):
    path = tmp_path / "values.annotator"
    shutil.copy(DATA / "schema_3_values.annotator", path)
    with open_project(path) as project:
        values = project.values_for_document()
        assert sum(len(v) for v in values.values()) == 13
        codebook = project.codebook()
        weight = codebook.attribute("claim", "weight")
        # Written when the store took text for a number: read, counted and exported as it is.
        given = {
            (v[weight.id].number, v[weight.id].text) for v in values.values() if weight.id in v
        }
        assert given == {(None, "lots"), (2.5, None)}
        assert len(project.incomplete_ids()) == 2
        documents = {d.title: d.id for d in project.documents()}
        assert project.document_variables(documents["Summit"])["published"] == "2024-07"
        result = export_for_analysis(project, tmp_path / "out")
    assert result.files["annotations.csv"] == 5
    with (tmp_path / "out" / "annotations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["claim.weight"] for r in rows if r["category"] == "claim") == ["2.5", "lots"]


def test_new_type_names_need_no_rebuild(project):
    """The table no longer lists the types: a name the app registers later fits."""
    claim = project.category("claim")
    project.db["attributes"].insert(
        {
            "id": "new",
            "category_id": claim.id,
            "key": "later",
            "label": "Later",
            "type": "some_later_type",
            "position": 9,
        }
    )
    with pytest.raises(ProjectError, match="some_later_type"):
        project.codebook()
