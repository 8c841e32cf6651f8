"""annotation_values.csv, the long form of annotations.csv's attribute columns,
exported from a real project with every attribute type and read back with the
csv module and pandas."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from annotator.core.codebook import Value
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.long_values import VALUE_COLUMNS
from annotator.exporting.model import ExportOptions
from annotator.store.project import Project
from tests.exporting.coded_example import Example, build, header, read_csv

SUFFIXES = {"value": "", "code": "_code", "reference_id": "_id", "reference_kind": "_kind"}


def _every_type(project: Project) -> Example:
    example = build(project)
    codebook = project.codebook()
    claim = codebook.category("claim")
    note = project.add_attribute(claim.id, "Note", "text")
    weight = project.add_attribute(claim.id, "Weight", "number")
    quoted = project.add_attribute(claim.id, "Quoted", "boolean")
    when = project.add_attribute(claim.id, "When", "date")
    project.set_value(example.claim.id, Value(note.id, text='=1+2, “odd”\nline; "x"'))
    project.set_value(example.claim.id, Value(weight.id, number=2.5))
    project.set_value(example.claim.id, Value(quoted.id, number=0))
    project.set_value(example.claim.id, Value(when.id, text="2024-07"))
    project.add_annotation(example.doc.id, 0, 5, "actor", coder="Chen", memo="no values")
    return example


def _export(project: Project, out: Path, options: ExportOptions) -> dict[str, int]:
    return export_for_analysis(project, out, options).files


def _wide(out: Path) -> tuple[list[str], list[dict[str, str]]]:
    return header(out / "annotations.csv"), read_csv(out / "annotations.csv")


@pytest.mark.parametrize("profile", ["analysis", "excel"])
def test_every_filled_attribute_cell_is_one_row_and_nothing_else(project, tmp_path, profile):
    _every_type(project)
    out = tmp_path / "out"
    files = _export(project, out, ExportOptions(profile=profile))
    encoding = "utf-8-sig" if profile == "excel" else "utf-8"
    with (out / "annotation_values.csv").open(encoding=encoding, newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (out / "annotations.csv").open(encoding=encoding, newline="") as handle:
        wide = list(csv.DictReader(handle))
        columns = list(wide[0])
    assert list(rows[0]) == list(VALUE_COLUMNS)
    assert files["annotation_values.csv"] == len(rows) == 13
    by_id = {row["annotation_id"]: row for row in wide}
    seen: set[str] = set()
    for row in rows:
        annotation = by_id[row["annotation_id"]]
        assert row["document_id"] == annotation["document_id"]
        assert row["category"] == annotation["category"]
        prefix = f"{row['category']}.{row['attribute_key']}"
        for column, suffix in (*SUFFIXES.items(), ("reference_actor", "_actor")):
            name = prefix + suffix
            assert row[column] == annotation.get(name, ""), (name, row)
            if annotation.get(name):
                seen.add(f"{row['annotation_id']} {name}")
    # Every non-empty attribute cell of the wide file is in a row of the long one.
    attribute_columns = columns[columns.index("incomplete") + 1 :]
    filled = {
        f"{a['annotation_id']} {name}" for a in wide for name in attribute_columns if a[name] != ""
    }
    assert filled == seen


def test_types_and_order_follow_the_codebook_and_the_annotations(project, tmp_path):
    example = _every_type(project)
    out = tmp_path / "out"
    _export(project, out, ExportOptions())
    rows = read_csv(out / "annotation_values.csv")
    claim = [(r["attribute_key"], r["attribute_type"]) for r in rows if r["category"] == "claim"]
    assert claim == [
        ("claimant", "reference"),
        ("issue", "choice"),
        ("note", "text"),
        ("weight", "number"),
        ("quoted", "boolean"),
        ("when", "date"),
    ]
    cells = {r["attribute_key"]: r for r in rows if r["annotation_id"] == example.claim.id}
    assert cells["note"]["value"] == '=1+2, “odd”\nline; "x"'
    assert (cells["weight"]["value"], cells["quoted"]["value"]) == ("2.5", "0")
    assert (cells["issue"]["value"], cells["issue"]["code"]) == ("security", "3")
    assert cells["claimant"]["reference_id"] == example.mention.id
    assert cells["claimant"]["reference_kind"] == "annotation"
    assert cells["claimant"]["reference_actor"] == "Vladimir Putin"
    order = [r["annotation_id"] for r in read_csv(out / "annotations.csv")]
    ids = [r["annotation_id"] for r in rows]
    assert ids == sorted(ids, key=order.index)


def test_pandas_reads_it_and_pivots_back_to_the_wide_values(project, tmp_path):
    _every_type(project)
    out = tmp_path / "out"
    _export(project, out, ExportOptions())
    long = pd.read_csv(out / "annotation_values.csv", dtype=str, keep_default_na=False)
    wide = pd.read_csv(out / "annotations.csv", dtype=str, keep_default_na=False)
    long["column"] = long["category"] + "." + long["attribute_key"]
    pivot = long.pivot(index="annotation_id", columns="column", values="value")
    for column in pivot.columns:
        merged = wide.set_index("annotation_id")[column].loc[pivot.index]
        expected = pivot[column].fillna("")
        assert list(merged) == list(expected), column
    codes = pd.read_csv(out / "annotation_values.csv")["code"].dropna().tolist()
    assert sorted(codes) == [-1.0, 1.0, 3.0]


def test_a_coder_filter_keeps_that_coders_values(project, tmp_path):
    example = _every_type(project)
    out = tmp_path / "out"
    _export(project, out, ExportOptions(coder="Bo"))
    rows = read_csv(out / "annotation_values.csv")
    assert {r["annotation_id"] for r in rows} == {example.oppose.id, example.support.id}
    assert len(rows) == 6


def test_stata_spss_and_the_workbook_hold_the_same_rows(project, tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    _every_type(project)
    out = tmp_path / "out"
    files = _export(project, out, ExportOptions(formats=("csv", "dta", "sav")))
    rows = read_csv(out / "annotation_values.csv")
    assert files["annotation_values.dta"] == files["annotation_values.sav"] == len(rows)
    frame, _ = pyreadstat.read_dta(out / "annotation_values.dta")
    assert list(frame["value"]) == [r["value"] for r in rows]
    assert list(frame.columns) == list(VALUE_COLUMNS)
