"""The .dta and .sav files of an export read back whole, strings and all, with
pyreadstat and with R's haven (where R and haven are installed)."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest

from annotator.exporting import stata_spss
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import FORMATS, ID, STRING, Column, ExportOptions, ExportTable
from annotator.exporting.tables import table_definition
from annotator.store.project import Project
from tests.exporting.readers import haven_strings, haven_strings_of, pyreadstat_strings

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
    delimiter = table_definition(csv_path.stem).delimiter  # ";" for dna_statements.csv
    with csv_path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle, delimiter=delimiter))
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
    read = haven_strings_of(sorted(long_export.glob("*.dta")))
    assert read[long_export / "documents.dta"]["text"] == [LONG_TEXT]
    annotations = read[long_export / "annotations.dta"]
    assert sorted(annotations["memo"]) == sorted([LONG_MEMO, "short memo"])
    for path, columns in read.items():
        # haven drops the trailing spaces of str variables (not of strL ones)
        _check_strings(path, columns, path.with_suffix(".csv"), False)


# -- SPSS string limit ----------------------------------------------------------


def _text_of_bytes(size: int) -> str:
    """A text of exactly ``size`` UTF-8 bytes, mostly two-byte letters."""
    return "a" * (size % 2) + "ä" * (size // 2)


SAV_SIZES = (32_767, 32_768, 99_999, 100_000, 5_000_000)


@pytest.fixture
def sized_sav(tmp_path: Path) -> tuple[Path, list[str], list[str]]:
    columns = [Column("id", ID, "row"), Column("text", STRING, "a long text")]
    texts = [_text_of_bytes(size) for size in SAV_SIZES]
    rows = [[f"r{i}", text] for i, text in enumerate(texts)]
    warnings: list[str] = []
    path = tmp_path / "long.sav"
    stata_spss.write_sav(ExportTable("long", "long texts", columns, rows), path, warnings)
    return path, texts, warnings


def _expected_sav(text: str) -> str:
    if len(text.encode("utf-8")) <= stata_spss.SAV_STRING_MAX:
        return text
    budget = stata_spss.SAV_STRING_MAX - len(stata_spss.TRUNCATION_MARK.encode("utf-8"))
    kept, used = 0, 0
    while used + len(text[kept].encode("utf-8")) <= budget:  # whole characters only
        used += len(text[kept].encode("utf-8"))
        kept += 1
    assert budget - used in (0, 1)
    return text[:kept] + stata_spss.TRUNCATION_MARK


def test_sav_strings_fit_what_spss_holds_read_back_with_pyreadstat(sized_sav):
    path, texts, warnings = sized_sav
    read = pyreadstat_strings(path)["text"]
    assert read == [_expected_sav(text) for text in texts]
    assert read[0] == texts[0]  # 32,767 bytes: whole
    assert all(len(cell.encode("utf-8")) <= stata_spss.SAV_STRING_MAX for cell in read)
    assert warnings == [
        f"long.csv, column text, row {row}: {size:,} bytes, over the 32,767 an SPSS string "
        "holds; cut in the .sav file (the CSV file keeps it whole)"
        for row, size in enumerate(SAV_SIZES, 1)
        if size > stata_spss.SAV_STRING_MAX
    ]


def test_sav_strings_fit_what_spss_holds_read_back_with_haven(sized_sav):
    path, texts, _warnings = sized_sav
    read = haven_strings(path)["text"]
    for cell, text in zip(read, texts, strict=True):
        expected = _expected_sav(text)
        # haven 2.5.1 loses the last character of some very long strings, at
        # lengths pyreadstat reads whole: never more, never the whole text.
        assert cell in (expected, expected[:-1]), len(cell)


def test_a_5_mb_text_is_cut_in_the_sav_kept_in_the_csv(project: Project, tmp_path: Path):
    text = _text_of_bytes(5_000_000)
    project.import_text(text, title="Huge", source="Yonhap", date="2024-06-20")
    out = tmp_path / "out"
    result = export_for_analysis(project, out, ExportOptions(formats=("csv", "sav")))
    assert pyreadstat_strings(out / "documents.sav")["text"] == [_expected_sav(text)]
    limit = csv.field_size_limit(10_000_000)
    try:
        with (out / "documents.csv").open(encoding="utf-8", newline="") as handle:
            assert [row["text"] for row in csv.DictReader(handle)] == [text]
    finally:
        csv.field_size_limit(limit)
    assert [w for w in result.warnings if "SPSS" in w] == [
        "documents.csv, column text, row 1: 5,000,000 bytes, over the 32,767 an SPSS string "
        "holds; cut in the .sav file (the CSV file keeps it whole)"
    ]
    dictionary = (out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "a text over 32,767 bytes (UTF-8), the most an SPSS string holds" in dictionary
    assert "the CSV file holds the full text" in dictionary
    for path in sorted(out.glob("*.sav")):  # the others whole, less trailing spaces
        if path.stem != "documents":
            _check_strings(path, pyreadstat_strings(path), path.with_suffix(".csv"), False)


# -- trailing spaces ------------------------------------------------------------


def test_the_dictionary_says_sav_drops_trailing_spaces(project: Project, tmp_path: Path):
    doc = project.import_text("One two  three", title="Spaces ", source="Yonhap ")
    project.add_annotation(doc.id, 0, 4, "claim", coder="Ana", memo="ends in spaces  ")
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(formats=("csv", "dta", "sav")))
    assert pyreadstat_strings(out / "annotations.sav")["quote"] == ["One"]
    assert pyreadstat_strings(out / "annotations.sav")["memo"] == ["ends in spaces"]
    assert pyreadstat_strings(out / "annotations.dta")["memo"] == ["ends in spaces  "]
    dictionary = (out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "- `.sav`: trailing spaces of a text are dropped" in dictionary
    assert "R's haven drops them in a column whose texts all fit in 2,045 bytes" in dictionary
    csv_only = tmp_path / "csv"
    export_for_analysis(project, csv_only, ExportOptions(formats=("csv", "dta")))
    dictionary = (csv_only / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "trailing spaces of a text are dropped" not in dictionary
    assert "R's haven drops them" in dictionary


def test_haven_reads_sav_and_dta_trailing_spaces_as_the_dictionary_says(
    project: Project, tmp_path: Path
):
    doc = project.import_text("One two  three", title="Spaces ", source="Yonhap ")
    project.add_annotation(doc.id, 0, 4, "claim", coder="Ana", memo="ends in spaces  ")
    project.add_annotation(doc.id, 4, 8, "claim", coder="Ana", memo=LONG_MEMO + "  ")
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(formats=("csv", "dta", "sav")))
    memos = sorted(haven_strings(out / "annotations.sav")["memo"])
    assert memos == sorted(["ends in spaces", LONG_MEMO])
    dta = haven_strings(out / "annotations.dta")
    assert sorted(dta["quote"]) == ["One", "two"]  # str: dropped
    assert sorted(dta["memo"]) == sorted(["ends in spaces  ", LONG_MEMO + "  "])  # strL: kept


# -- permissions ----------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_dta_sav_and_xlsx_get_the_permissions_of_the_csv_files(
    project: Project, tmp_path: Path, umask: int
):
    pytest.importorskip("openpyxl")
    _long_project(project)
    out = tmp_path / "out"
    previous = os.umask(umask)
    try:
        export_for_analysis(project, out, ExportOptions(formats=("csv", "dta", "sav", "xlsx")))
    finally:
        os.umask(previous)
    modes = {path.name: stat.S_IMODE(os.stat(path).st_mode) for path in out.iterdir()}
    assert modes["documents.csv"] == 0o666 & ~umask
    for suffix in (".dta", ".sav", ".xlsx"):
        written = [name for name in modes if name.endswith(suffix)]
        assert written
        assert {modes[name] for name in written} == {modes["documents.csv"]}, suffix


# -- warnings -------------------------------------------------------------------


def test_every_warning_names_a_cell_the_same_way(project: Project, tmp_path: Path):
    pytest.importorskip("openpyxl")
    project.import_text("ab" * 20_000, title="Long")  # over SPSS's and Excel's limits
    project.import_text("short", title="Short")
    result = export_for_analysis(
        project, tmp_path / "out", ExportOptions(profile="excel", formats=FORMATS)
    )
    about_text = sorted(w for w in result.warnings if "column text" in w)
    assert [w.split(": ", 1)[0] for w in about_text] == [
        "documents.csv, column text, row 1"
    ] * 3  # the CSV (Excel's limit), the .sav and the .xlsx
    assert any("cut in the .xlsx file" in w for w in about_text)
    assert any("cut in the .sav file" in w for w in about_text)
    assert any("as Excel counts them" in w for w in about_text)
