"""The registry of export tables (annotator.exporting.tables) against real
exports: what it lists is what every format writes, in its order."""

from __future__ import annotations

import json
import os
import re

import pytest

from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.csv_cells import RAW, csv_form
from annotator.exporting.csv_export import MAIN_FILES
from annotator.exporting.data import ExportData
from annotator.exporting.model import ExportOptions
from annotator.exporting.tables import (
    EXPORT_FILES,
    TABLE_NAMES,
    TABLES,
    XLSX,
    build_tables,
    export_files,
    table_definition,
)
from tests.exporting.coded_example import build, read_csv


@pytest.fixture
def example(project):
    return build(project)


def _needs(formats: tuple[str, ...]) -> None:
    if {"dta", "sav"} & set(formats):
        pytest.importorskip("pyreadstat")
    if "xlsx" in formats:
        pytest.importorskip("openpyxl")


def test_each_table_is_registered_once_and_the_dictionary_comes_last():
    assert len(set(TABLE_NAMES)) == len(TABLES)
    assert [d.name for d in TABLES if d.about_tables] == ["data_dictionary"]
    assert TABLES[-1].about_tables  # it describes the tables before it
    assert table_definition("network_actor_issue").also_as
    with pytest.raises(KeyError):
        table_definition("nothing")
    assert set(MAIN_FILES) <= {f"{name}.csv" for name in TABLE_NAMES}


@pytest.mark.parametrize("form", [RAW, csv_form()])
def test_tables_are_built_in_registry_order(example, form):
    tables = build_tables(ExportData(example.project, None), form)
    assert [t.name for t in tables] == list(TABLE_NAMES)
    # The actor networks' descriptions add how many statements they leave out.
    assert all(t.description.startswith(d.description) for t, d in zip(tables, TABLES, strict=True))
    assert {t.name for t in tables if t.quoted} == (
        {d.name for d in TABLES if d.quotable} if form.quoted else set()
    )


@pytest.mark.parametrize(
    "formats",
    [("csv",), ("dta",), ("sav", "xlsx"), ("csv", "dta", "sav", "xlsx")],
    ids="-".join,
)
def test_an_export_writes_the_files_the_registry_lists(example, tmp_path, formats):
    _needs(formats)
    out = tmp_path / "out"
    result = export_for_analysis(
        example.project, out, ExportOptions(actor_networks=True, formats=formats)
    )
    assert not result.skipped_formats
    expected = export_files(formats)
    assert sorted(result.written) == sorted(expected) == sorted(os.listdir(out))
    assert set(expected) <= EXPORT_FILES
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == set(expected) - {"manifest.json"}
    # The dictionary is written as CSV whatever the formats; the others as asked.
    assert ("documents.csv" in expected) == ("csv" in formats)
    assert "data_dictionary.csv" in expected
    assert "data_dictionary.dta" not in EXPORT_FILES


def test_the_workbook_has_a_sheet_per_table_in_registry_order(example, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out"
    result = export_for_analysis(
        example.project, out, ExportOptions(actor_networks=True, formats=("csv", "xlsx"))
    )
    workbook = openpyxl.load_workbook(out / XLSX, read_only=True)
    # The tables written only as CSV (the one-mode actor networks) have no sheet.
    assert workbook.sheetnames == [d.name for d in TABLES if "xlsx" in d.formats]
    # Its rows are those of the data sheets; the dictionary's are not counted.
    data = [d.name for d in TABLES if "xlsx" in d.formats and not d.about_tables]
    assert result.files[XLSX] == sum(result.files[f"{name}.csv"] for name in data)


def test_the_dictionary_describes_the_tables_in_registry_order(example, tmp_path):
    out = tmp_path / "out"
    result = export_for_analysis(example.project, out, ExportOptions(actor_networks=True))
    listed = list(dict.fromkeys(row["file"] for row in read_csv(out / "data_dictionary.csv")))
    assert listed == [f"{name}.csv" for name in TABLE_NAMES]
    markdown = (out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (\S+\.csv)$", markdown, re.MULTILINE) == listed
    files = re.findall(r"^\| `([^`]+)` \|", markdown.split("## Joins")[0], re.MULTILINE)
    assert set(files) == set(export_files(("csv",))) - {"DATA_DICTIONARY.md"}  # all but itself
    # The GraphML file comes from the network table, whatever its place in the list.
    assert result.files["network_actor_issue.graphml"] == result.files["network_actor_issue.csv"]
