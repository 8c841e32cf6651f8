"""agreement.csv, agreement_units.csv and their dictionary, read back; the command line."""

from __future__ import annotations

import csv

import pytest

import annotator
from annotator.cli import main
from annotator.exporting.agreement_files import AgreementRefused
from tests.agreement_project import build


def read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_files_hold_every_figure_and_unit(tmp_path):
    project, ids = build(tmp_path / "p.annotator")
    with project:
        report = annotator.agreement(project, out=tmp_path / "out")
    figures = read(tmp_path / "out" / "agreement.csv")
    assert len(figures) == len(report.figures)
    kappa = [
        row
        for row in figures
        if row["scope"] == "pooled" and row["measure"] == "cohen_kappa"
        and row["category"] == "stance" and row["attribute"] == "polarity"
    ]  # fmt: skip
    assert len(kappa) == 1
    assert float(kappa[0]["value"]) == pytest.approx(0.5)
    assert (kappa[0]["units_paired"], kappa[0]["units_total"]) == ("4", "5")
    assert kappa[0]["coders"] == "ann | bob"
    units = read(tmp_path / "out" / "agreement_units.csv")
    stances = [row for row in units if row["category"] == "stance"]
    # Five stance units, each with a row for ann and for bob; bob's row of the fifth is empty.
    assert len(stances) == 10
    alone = [row for row in stances if row["unit_coders"] == "1"]
    assert [(row["coder"], bool(row["annotation_id"])) for row in alone] == [
        ("ann", True),
        ("bob", False),
    ]
    polarities = {row["stance.polarity"] for row in stances if row["annotation_id"]}
    assert polarities == {"support", "oppose", ""}
    claims = [row for row in units if row["category"] == "claim"]
    assert {row["claim.claimant"] for row in claims} == {"Angela Merkel"}
    assert {row["claim.claimant_id"] for row in claims} == {"actor:" + ids["merkel"]}
    # The dictionary lists every column of both files and says how units were matched.
    dictionary = read(tmp_path / "out" / "data_dictionary.csv")
    listed = {(row["file"], row["column"]) for row in dictionary}
    assert {("agreement.csv", name) for name in figures[0]} <= listed
    assert {("agreement_units.csv", name) for name in units[0]} <= listed
    text = (tmp_path / "out" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "at least 50% of the code points either covers" in text
    assert "Krippendorff (2011)" in text and "Fleiss 1971" in text and "Gwet 2008" in text


def test_the_match_rule_is_adjustable(tmp_path):
    project, _ids = build(tmp_path / "p.annotator")
    with project:
        strict = annotator.agreement(project, min_overlap=1.0)
        with pytest.raises(AgreementRefused):
            annotator.agreement(project, min_overlap=1.5)
    assert strict.rule.min_overlap == 1.0


def test_an_export_folder_is_refused(tmp_path):
    project, _ids = build(tmp_path / "p.annotator")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "manifest.json").write_text("{}", encoding="utf-8")
    with project, pytest.raises(AgreementRefused, match="holds an export"):
        annotator.agreement(project, out=tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["manifest.json"]


def test_command_line_prints_the_pooled_figures_and_writes_the_files(tmp_path, capsys):
    project, _ids = build(tmp_path / "p.annotator", ("ann", "bob", "cat"))
    project.close()
    code = main(
        ["team", "agreement", str(tmp_path / "p.annotator"), "--coders", "ann,bob",
         "--out", str(tmp_path / "out")]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "Agreement of ann, bob over 1 document(s)" in out
    line = next(
        x for x in out.splitlines() if x.split()[:3] == ["stance", "polarity", "cohen_kappa"]
    )
    assert line.split()[-2:] == ["0.500", "4/5"]
    assert (tmp_path / "out" / "agreement.csv").exists()
    assert main(["team", "agreement", str(tmp_path / "p.annotator"), "--coders", "zed"]) == 1
    assert "No coder named zed" in capsys.readouterr().err
    assert main(["team", "agreement", str(tmp_path / "missing.annotator")]) == 1
