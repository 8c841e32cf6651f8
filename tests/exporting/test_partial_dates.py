"""Partial dates typed honestly: a date column is typed `date` only when every cell
is a calendar date; one holding a year or a month is text in every format, the
dictionary saying which forms it holds."""

import shutil
import subprocess

import pandas as pd
import pytest

from annotator.core.codebook import Value
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.date_columns import PARTIAL_DATES, PARTIAL_NOTE
from annotator.exporting.model import ExportOptions
from tests.exporting.coded_example import build, read_csv

pyreadstat = pytest.importorskip("pyreadstat")
openpyxl = pytest.importorskip("openpyxl")

DATES = ["2024-07", "2024", "2024-07-15"]
FORMATS = ("csv", "dta", "sav", "xlsx")


def _documents(project, dates):
    """Three documents whose date variable ``published`` holds ``dates``."""
    project.add_variable("Published", "date", key="published")
    docs = []
    for i, date in enumerate(dates):
        doc = project.import_text(f"Text number {i}.", title=f"doc {i}")
        project.set_document_variables(doc.id, {"published": date})
        docs.append(doc)
    return docs


def _dictionary(out):
    return {(r["file"], r["column"]): r for r in read_csv(out / "data_dictionary.csv")}


def test_a_date_variable_with_partial_dates_is_text_everywhere(project, tmp_path):
    docs = _documents(project, DATES)
    out = tmp_path / "out"
    result = export_for_analysis(project, out, ExportOptions(formats=FORMATS))
    assert not result.skipped_formats

    column = _dictionary(out)["documents.csv", "var.published"]
    assert column["type"] == "string"
    assert column["description"].endswith(PARTIAL_NOTE)
    markdown = (out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "| `var.published` | string |" in markdown
    assert PARTIAL_DATES.strip() in markdown

    frame = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    cells = dict(zip(frame["document_id"], frame["var.published"], strict=True))
    assert [cells[d.id] for d in docs] == DATES
    stata = pd.read_stata(out / "documents.dta")
    spss, meta = pyreadstat.read_sav(out / "documents.sav")
    for table in (stata, spss):
        cells = dict(zip(table["document_id"], table["var_published"], strict=True))
        assert [cells[d.id] for d in docs] == DATES
    assert meta.readstat_variable_types["var_published"] == "string"
    assert PARTIAL_NOTE in meta.column_names_to_labels["var_published"]
    sheet = openpyxl.load_workbook(out / "export.xlsx")["documents"]
    header = [c.value for c in sheet[1]]
    at = header.index("var.published")
    cells = {row[0].value: row[at] for row in sheet.iter_rows(min_row=2)}
    assert [(cells[d.id].value, cells[d.id].data_type) for d in docs] == [(d, "s") for d in DATES]


def test_full_dates_keep_the_date_type(project, tmp_path):
    _documents(project, ["2024-07-01", "", "2024-07-15"])
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(formats=("csv",)))
    column = _dictionary(out)["documents.csv", "var.published"]
    assert column["type"] == "date"
    assert PARTIAL_NOTE not in column["description"]
    assert PARTIAL_DATES.strip() not in (out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")


def test_a_partial_document_date_types_the_date_columns_of_every_table(project, tmp_path):
    build(project)
    project.import_text("Another text.", title="partial", date="2024-07")
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(formats=("csv",)))
    dictionary = _dictionary(out)
    for key in [
        ("documents.csv", "date"),
        ("claims.csv", "document_date"),
        ("statements.csv", "date"),
    ]:
        assert dictionary[key]["type"] == "string", key
        assert dictionary[key]["description"].endswith(PARTIAL_NOTE), key


def test_a_date_attribute_is_text_only_where_it_holds_a_partial_date(project, tmp_path):
    ex = build(project)
    claim = project.category("claim")
    signed = project.add_attribute(claim.id, "Signed", "date")
    agreed = project.add_attribute(claim.id, "Agreed", "date")
    project.set_value(ex.claim.id, Value(signed.id, text="2024-07"))
    project.set_value(ex.claim.id, Value(agreed.id, text="2024-07-15"))
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(formats=("csv",)))
    dictionary = _dictionary(out)
    for file in ("annotations.csv", "claims.csv"):
        assert dictionary[file, "claim.signed"]["type"] == "string"
        assert dictionary[file, "claim.signed"]["description"].endswith(PARTIAL_NOTE)
        assert dictionary[file, "claim.agreed"]["type"] == "date"
    # Another coder's partial date does not retype the export of one coder.
    out = tmp_path / "bo"
    export_for_analysis(project, out, ExportOptions(formats=("csv",), coder="Bo"))
    assert _dictionary(out)["annotations.csv", "claim.signed"]["type"] == "date"


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_haven_reads_partial_dates_as_text(project, tmp_path):
    _documents(project, DATES)
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(formats=("dta", "sav")))
    script = (
        "suppressMessages(library(haven));"
        "for (f in commandArgs(TRUE)) {"
        " d <- if (grepl('dta$', f)) read_dta(f) else read_sav(f);"
        " cat(class(d$var_published), sort(d$var_published), sep='|'); cat('\\n') }"
    )
    files = [str(out / "documents.dta"), str(out / "documents.sav")]
    run = subprocess.run(
        ["Rscript", "-e", script, *files], capture_output=True, text=True, check=False
    )
    if "there is no package called" in run.stderr:
        pytest.skip("haven is not installed")
    assert run.returncode == 0, run.stderr
    expected = "|".join(["character", *sorted(DATES)])
    assert run.stdout.splitlines() == [expected, expected]
