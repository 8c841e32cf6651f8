"""The .dta and .sav files of an export read back whole, strings and all, with
pyreadstat and with R's haven (where R and haven are installed)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from annotator.exporting import stata_spss
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
from annotator.store.project import Project
from tests.exporting.readers import haven_strings, pyreadstat_strings

pytest.importorskip("pyreadstat")

# Over Stata's 2,045-byte str limit (so strL) and Excel's 32,767 characters.
LONG_TEXT = ("Die Größe des Vertrags — “reactions” 😀 " * 1000).strip()
LONG_MEMO = "Memo: ä " + "x" * 6000


def _long_project(project: Project) -> None:
    doc = project.import_text(LONG_TEXT, title="Long text", source="Yonhap", date="2024-06-20")
    project.add_annotation(doc.id, 0, 8, "claim", coder="Ana", memo=LONG_MEMO)
    project.add_annotation(doc.id, 9, 14, "claim", coder="Ana", memo="short memo")


def _check_strings(
    path: Path, read: dict[str, list[str]], csv_path: Path, trailing_spaces: bool = True
) -> None:
    """Every string variable ``read`` from ``path`` holds its CSV column's cells
    (without their trailing spaces unless ``trailing_spaces``)."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    columns = [[row[i] for row in rows] for i in range(len(header))]
    names = stata_spss.variable_names(
        header,
        stata_spss.STATA_NAME_MAX if path.suffix == ".dta" else stata_spss.SPSS_NAME_MAX,
        stata_spss.STATA_RESERVED if path.suffix == ".dta" else stata_spss.SPSS_RESERVED,
    )
    for name, cells in read.items():
        expected = columns[names.index(name)]
        if not trailing_spaces:
            expected = [cell.rstrip(" ") for cell in expected]
        assert cells == expected, f"{path.name}: {name}"


@pytest.fixture
def long_export(project: Project, tmp_path: Path) -> Path:
    _long_project(project)
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(formats=("csv", "dta")))
    return out


def test_dta_is_release_118_for_stata_14(long_export):
    for path in long_export.glob("*.dta"):
        assert path.read_bytes().startswith(b"<stata_dta><header><release>118</release>")


def test_dta_release_119_only_where_118_cannot_hold_the_variables():
    assert stata_spss.dta_version(1) == 14
    assert stata_spss.dta_version(stata_spss.DTA_118_VARIABLES_MAX) == 14
    assert stata_spss.dta_version(stata_spss.DTA_118_VARIABLES_MAX + 1) == 15


def test_dta_long_strings_read_back_whole_with_pyreadstat(long_export):
    documents = pyreadstat_strings(long_export / "documents.dta")
    assert documents["text"] == [LONG_TEXT]
    annotations = pyreadstat_strings(long_export / "annotations.dta")
    assert sorted(annotations["memo"]) == sorted([LONG_MEMO, "short memo"])
    for path in sorted(long_export.glob("*.dta")):
        _check_strings(path, pyreadstat_strings(path), path.with_suffix(".csv"))


def test_dta_long_strings_read_back_whole_with_haven(long_export):
    documents = haven_strings(long_export / "documents.dta")
    assert documents["text"] == [LONG_TEXT]
    annotations = haven_strings(long_export / "annotations.dta")
    assert sorted(annotations["memo"]) == sorted([LONG_MEMO, "short memo"])
    for path in sorted(long_export.glob("*.dta")):
        # haven drops the trailing spaces of str variables (not of strL ones)
        _check_strings(path, haven_strings(path), path.with_suffix(".csv"), False)
