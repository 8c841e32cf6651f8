"""Stata, SPSS and Excel writers of the export for analysis."""

from __future__ import annotations

import builtins
import math
import sys

import pytest

from annotator.exporting import stata_spss
from annotator.exporting import xlsx as xlsx_export
from annotator.exporting.model import ID, INTEGER, NUMBER, STRING, Column, ExportTable

pyreadstat = pytest.importorskip("pyreadstat")
openpyxl = pytest.importorskip("openpyxl")

TRICKY = 'He said, "no"\nthen =SUM(A1:A2) 😀'
LONG = "ä" * 2500 + "x" * 2500  # 5,000 characters, 7,500 UTF-8 bytes
POLARITY_LABELS = (("1", "support"), ("-1", "oppose"), ("0", "neutral"))


def annotations_table() -> ExportTable:
    columns = [
        Column("annotation_id", ID, "UUID of the annotation"),
        Column("quote", STRING, "the coded text"),
        Column("start", INTEGER, "start offset in code points"),
        Column(
            "stance.polarity",
            STRING,
            "polarity of the stance",
            value_labels=POLARITY_LABELS,
            code_column="stance.polarity_code",
        ),
        Column("stance.polarity_code", NUMBER, "code of stance.polarity"),
        Column("memo", STRING, "the coder's note " + "x" * 100),
    ]
    rows = [
        ["a-1", TRICKY, 0, "support", 1, ""],
        ["a-2", LONG, 12, "oppose", -1, None],
        ["a-3", "=1+1", 40, None, None, "note"],
        ["a-4", "plain", 7, "neutral", 0, "x"],
    ]
    return ExportTable("annotations", "one row per annotation", columns, rows)


def claims_table() -> ExportTable:
    columns = [
        Column("claim_id", ID, "UUID of the claim"),
        Column(
            "polarity",
            STRING,
            "stance polarity",
            value_labels=POLARITY_LABELS,
            code_column="polarity_code",
        ),
        Column("polarity_code", NUMBER, "code of polarity"),
        Column("weight", NUMBER, "a fractional number"),
    ]
    rows = [["c-1", "oppose", -1, 2.5], ["c-2", None, None, None]]
    return ExportTable("claims", "one row per claim", columns, rows)


# -- names --------------------------------------------------------------------


def test_stata_names_valid_unique_and_deterministic():
    names = [
        "stance.polarity_code",
        "stance_polarity_code",
        "1st",
        "var.größe",
        "in",
        "x" * 40,
        "x" * 40 + ".b",
        "Start",
        "start",
        "",
    ]
    out = stata_spss.variable_names(names, 32, stata_spss.STATA_RESERVED)
    assert out == stata_spss.variable_names(names, 32, stata_spss.STATA_RESERVED)
    assert len({n.lower() for n in out}) == len(out)
    for name in out:
        assert len(name) <= 32
        assert name[0].isalpha()
        assert all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in name)
    # An already valid name keeps it; the dotted one that clashes gets a suffix.
    assert out[1] == "stance_polarity_code"
    assert out[0] == "stance_polarity_code_2"
    assert out[2] == "v1st"
    assert out[3] == "var_gro_e"
    assert out[4] == "in_"
    assert out[7] == "Start"
    assert out[8] == "start_2"


def test_spss_names_up_to_64():
    out = stata_spss.variable_names(["y" * 70, "and"], 64, stata_spss.SPSS_RESERVED)
    assert out == ["y" * 64, "and_"]


# -- Stata --------------------------------------------------------------------


def _check_common_round_trip(df):
    """What .dta and .sav both keep of the annotations table."""
    assert list(df.columns) == [
        "annotation_id",
        "quote",
        "start",
        "stance_polarity",
        "stance_polarity_code",
        "memo",
    ]
    assert df["quote"].tolist() == [TRICKY, LONG, "=1+1", "plain"]
    assert df["start"].tolist() == [0, 12, 40, 7]


def test_dta_round_trip(tmp_path):
    path = tmp_path / "annotations.dta"
    stata_spss.write_dta(annotations_table(), path)
    df, meta = pyreadstat.read_dta(str(path))

    _check_common_round_trip(df)
    assert df["stance_polarity"].tolist() == ["support", "oppose", "", "neutral"]
    codes = df["stance_polarity_code"].tolist()
    assert codes[0] == 1 and codes[1] == -1 and math.isnan(codes[2]) and codes[3] == 0
    assert df["memo"].tolist() == ["", "", "note", "x"]

    assert meta.variable_value_labels == {
        "stance_polarity_code": {1: "support", -1: "oppose", 0: "neutral"}
    }
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["annotation_id"] == "UUID of the annotation"
    assert labels["stance_polarity_code"].startswith("stance.polarity_code: ")
    assert all(len(label) <= 80 for label in meta.column_labels)
    assert labels["memo"].endswith("…")
    assert meta.file_label == "one row per annotation"
    assert not [p.name for p in tmp_path.iterdir() if p.name != "annotations.dta"]


def test_dta_claims_value_labels(tmp_path):
    path = tmp_path / "claims.dta"
    stata_spss.write_dta(claims_table(), path)
    df, meta = pyreadstat.read_dta(str(path))
    assert list(df.columns) == ["claim_id", "polarity", "polarity_code", "weight"]
    assert meta.variable_value_labels == {
        "polarity_code": {1: "support", -1: "oppose", 0: "neutral"}
    }
    assert df["weight"].tolist()[0] == 2.5


def test_dta_replaces_existing_file(tmp_path):
    path = tmp_path / "claims.dta"
    path.write_bytes(b"old")
    stata_spss.write_dta(claims_table(), path)
    df, _ = pyreadstat.read_dta(str(path))
    assert len(df) == 2


def test_dta_empty_table(tmp_path):
    table = ExportTable("empty", "", [Column("id", ID), Column("n", INTEGER)], [])
    path = tmp_path / "empty.dta"
    stata_spss.write_dta(table, path)
    df, _ = pyreadstat.read_dta(str(path))
    assert list(df.columns) == ["id", "n"] and len(df) == 0


def test_dta_and_sav_carry_a_fixed_time_not_the_time_of_writing(tmp_path):
    pandas = pytest.importorskip("pandas")
    dta, sav = tmp_path / "claims.dta", tmp_path / "claims.sav"
    stata_spss.write_dta(claims_table(), dta)
    stata_spss.write_sav(claims_table(), sav)
    assert b"<timestamp>\x1101 Jan 2000 00:00</timestamp>" in dta.read_bytes()[:4096]
    assert sav.read_bytes()[92:109] == b"01 Jan 0000:00:00"
    for path, read in ((dta, pyreadstat.read_dta), (sav, pyreadstat.read_sav)):
        frame, meta = read(str(path))
        assert str(meta.creation_time) == "2000-01-01 00:00:00"
        assert meta.file_label == "one row per claim" and len(frame) == 2
    assert pandas.read_stata(dta)["polarity_code"].tolist()[0] == "oppose"
    assert pandas.read_spss(sav)["polarity_code"].tolist()[0] == "oppose"


def test_time_fixing_leaves_unexpected_headers_alone(tmp_path):
    path = tmp_path / "x.dta"
    path.write_bytes(b"<stata_dta><header><release>120</release>")
    assert not stata_spss.fix_dta_time(path)
    path.write_bytes(b"$FL2" + b"\0" * 200)
    assert not stata_spss.fix_sav_time(path)
    assert path.read_bytes() == b"$FL2" + b"\0" * 200


# -- SPSS ---------------------------------------------------------------------


def test_sav_round_trip(tmp_path):
    path = tmp_path / "annotations.sav"
    stata_spss.write_sav(annotations_table(), path)
    df, meta = pyreadstat.read_sav(str(path))

    _check_common_round_trip(df)
    codes = df["stance_polarity_code"].tolist()
    assert codes[:2] == [1, -1] and math.isnan(codes[2])
    assert meta.variable_value_labels == {
        "stance_polarity_code": {1.0: "support", -1.0: "oppose", 0.0: "neutral"}
    }
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["stance_polarity_code"] == "stance.polarity_code: code of stance.polarity"
    assert labels["quote"] == "the coded text"


# -- Excel --------------------------------------------------------------------


def test_xlsx_round_trip(tmp_path):
    path = tmp_path / "export.xlsx"
    warnings: list[str] = []
    xlsx_export.write_xlsx([annotations_table(), claims_table()], path, warnings)
    assert warnings == []
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["annotations", "claims"]

    sheet = book["annotations"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header == [c.name for c in annotations_table().columns]
    assert all(c.font.b for c in sheet[1])

    rows = list(sheet.iter_rows(min_row=2))
    assert rows[0][1].value == TRICKY and rows[0][1].data_type == "s"
    assert rows[1][1].value == LONG
    formula_like = rows[2][1]
    assert formula_like.value == "=1+1" and formula_like.data_type == "s"
    assert rows[1][2].value == 12 and rows[1][2].data_type == "n"
    assert rows[1][4].value == -1 and rows[1][4].data_type == "n"
    assert rows[2][4].value is None
    assert rows[0][0].value == "a-1"
    assert 10 <= sheet.column_dimensions["B"].width <= 60

    claims = book["claims"]
    assert claims["D2"].value == 2.5
    assert claims["C2"].value == -1


def test_xlsx_truncates_overlong_cells(tmp_path):
    huge = "😀" + "y" * 40_000
    table = ExportTable("documents", "", [Column("text", STRING)], [[huge], ["\x01ok"]])
    path = tmp_path / "d.xlsx"
    warnings: list[str] = []
    xlsx_export.write_xlsx([table], path, warnings)
    sheet = openpyxl.load_workbook(path)["documents"]
    value = sheet["A2"].value
    assert value.endswith(xlsx_export.TRUNCATION_MARK)
    assert xlsx_export._utf16_len(value) <= xlsx_export.EXCEL_CELL_MAX
    assert value.startswith("😀yyy")
    assert sheet["A3"].value == "\ufffdok"
    assert len(warnings) == 1
    assert warnings[0].startswith("documents.csv, column text, row 1: text longer than Excel")


def test_xlsx_deterministic_and_sheet_names(tmp_path):
    tables = [
        ExportTable("a" * 40, "", [Column("x", INTEGER)], [[1]]),
        ExportTable("a" * 40, "", [Column("x", INTEGER)], [[2]]),
        ExportTable("odd:name?", "", [Column("x", INTEGER)], [[3]]),
    ]
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    xlsx_export.write_xlsx(tables, first)
    xlsx_export.write_xlsx(tables, second)
    assert first.read_bytes() == second.read_bytes()
    assert openpyxl.load_workbook(first).properties.modified.year == 2000  # not the save time
    names = openpyxl.load_workbook(first).sheetnames
    assert names == ["a" * 31, "a" * 29 + "_2", "odd_name_"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.xlsx", "2.xlsx"]


# -- missing libraries ----------------------------------------------------------


def _block_import(monkeypatch, blocked: str) -> None:
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == blocked or name.startswith(blocked + "."):
            raise ImportError(f"No module named {blocked!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_missing_pyreadstat(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyreadstat", None)
    with pytest.raises(stata_spss.MissingExtra, match=r'pip install "annotator\[stats\]"'):
        stata_spss.write_dta(claims_table(), tmp_path / "c.dta")
    monkeypatch.setattr(sys, "frozen", True, raising=False)  # the installed bundle
    with pytest.raises(stata_spss.MissingExtra, match="DATA_DICTIONARY.md") as missing:
        stata_spss.write_sav(claims_table(), tmp_path / "c.sav")
    assert "pip install" not in str(missing.value)
    assert list(tmp_path.iterdir()) == []


def test_missing_pandas(monkeypatch, tmp_path):
    _block_import(monkeypatch, "pandas")
    with pytest.raises(stata_spss.MissingExtra, match="pandas"):
        stata_spss.write_dta(claims_table(), tmp_path / "c.dta")


def test_missing_openpyxl(monkeypatch, tmp_path):
    _block_import(monkeypatch, "openpyxl")
    with pytest.raises(xlsx_export.MissingExtra, match=r'pip install "annotator\[excel\]"'):
        xlsx_export.write_xlsx([claims_table()], tmp_path / "c.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_whole_number_display_formats(tmp_path):
    stata_spss.write_sav(claims_table(), tmp_path / "c.sav")
    _, meta = pyreadstat.read_sav(str(tmp_path / "c.sav"))
    assert meta.original_variable_types["polarity_code"] == "F8.0"
    assert meta.original_variable_types["weight"] == "F8.2"
    assert meta.variable_measure["polarity_code"] == "nominal"
    assert meta.variable_measure["weight"] == "scale"
    stata_spss.write_dta(claims_table(), tmp_path / "c.dta")
    _, meta = pyreadstat.read_dta(str(tmp_path / "c.dta"))
    assert meta.original_variable_types["polarity_code"] == "%9.0f"


def test_a_fractional_code_keeps_the_other_labels_in_dta(tmp_path):
    columns = [
        Column(
            "frame",
            STRING,
            "the frame",
            value_labels=(("1", "economic"), ("2", "moral"), ("0.5", "mixed")),
            code_column="frame_code",
        ),
        Column("frame_code", NUMBER, "its code"),
    ]
    table = ExportTable(
        "annotations", "rows", columns, [["economic", 1], ["mixed", 0.5], ["moral", 2]]
    )
    stata_spss.write_dta(table, tmp_path / "a.dta")
    df, meta = pyreadstat.read_dta(str(tmp_path / "a.dta"))
    assert meta.variable_value_labels == {"frame_code": {1: "economic", 2: "moral"}}
    assert df["frame_code"].tolist() == [1, 0.5, 2]
    stata_spss.write_sav(table, tmp_path / "a.sav")
    _, meta = pyreadstat.read_sav(str(tmp_path / "a.sav"))
    assert meta.variable_value_labels == {"frame_code": {1: "economic", 2: "moral", 0.5: "mixed"}}
