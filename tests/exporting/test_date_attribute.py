"""A date attribute, end to end in the export: text cells, a column that holds
partial dates typed `string` in the dictionary and saying so, strings in Stata,
SPSS and Excel."""

import pandas as pd
import pytest

from annotator.core.codebook import Value
from annotator.core.types import DATE_FORMS
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.date_columns import PARTIAL_NOTE
from annotator.exporting.model import ExportOptions
from tests.exporting.coded_example import build, read_csv

pyreadstat = pytest.importorskip("pyreadstat")
openpyxl = pytest.importorskip("openpyxl")

DATES = ["2024", "2024-06", "2024-06-22"]


def test_date_attribute_exported_as_partial_dates(project, tmp_path):
    ex = build(project)
    claim = project.category("claim")
    signed = project.add_attribute(claim.id, "Signed", "date")
    claimant = project.codebook().attribute("claim", "claimant")
    claims = [ex.claim]
    for needle in ("Seoul", "Washington"):
        start = project.document_text(ex.doc.id).index(needle)
        claims.append(
            project.add_annotation(
                ex.doc.id,
                start,
                start + len(needle),
                "claim",
                coder="Ana",
                values=[Value(claimant.id, annotation_id=ex.mention.id)],
            )
        )
    for annotation, date in zip(claims, DATES, strict=True):
        project.set_value(annotation.id, Value(signed.id, text=date))
    out = tmp_path / "out"
    formats = ("csv", "dta", "sav", "xlsx")
    result = export_for_analysis(project, out, ExportOptions(formats=formats))
    assert not result.skipped_formats

    frame = pd.read_csv(out / "annotations.csv", dtype=str, keep_default_na=False)
    by_id = dict(zip(frame["annotation_id"], frame["claim.signed"], strict=True))
    assert [by_id[c.id] for c in claims] == DATES
    assert by_id[ex.mention.id] == ""

    dictionary = {(r["file"], r["column"]): r for r in read_csv(out / "data_dictionary.csv")}
    column = dictionary["annotations.csv", "claim.signed"]
    assert column["type"] == "string"
    assert column["description"] == f"Claim: Signed ({DATE_FORMS}); {PARTIAL_NOTE}"
    types = dictionary["codebook.csv", "attribute_type"]["allowed_values"]
    assert types.endswith("reference (no code) | date (no code)")
    rows = read_csv(out / "codebook.csv")
    assert [r["attribute_type"] for r in rows if r["attribute_key"] == "signed"] == ["date"]
    assert f"| `claim.signed` | string | Claim: Signed ({DATE_FORMS}); {PARTIAL_NOTE} |" in (
        out / "DATA_DICTIONARY.md"
    ).read_text(encoding="utf-8")

    stata = pd.read_stata(out / "annotations.dta")
    spss, _meta = pyreadstat.read_sav(out / "annotations.sav")
    for table in (stata, spss):
        cells = dict(zip(table["annotation_id"], table["claim_signed"], strict=True))
        assert [cells[c.id] for c in claims] == DATES
    sheet = openpyxl.load_workbook(out / "export.xlsx")["annotations"]
    header = [c.value for c in sheet[1]]
    at = header.index("claim.signed")
    cells = {row[0].value: row[at] for row in sheet.iter_rows(min_row=2)}
    assert [(cells[c.id].value, cells[c.id].data_type) for c in claims] == [(d, "s") for d in DATES]
