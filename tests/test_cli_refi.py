"""``annotator export PROJECT --format qdpx|qdc --out FILE``."""

import zipfile

import pytest
from lxml import etree

from annotator.cli import main
from annotator.store.project import create_project
from tests.exporting.coded_example import build


def test_qdpx_and_qdc_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "study.annotator"
    with create_project(path) as project:
        example = build(project)
    assert main(["export", str(path), "--format", "qdpx", "--out", str(tmp_path / "study")]) == 0
    assert capsys.readouterr().out.strip() == (
        f"{tmp_path / 'study.qdpx'}: 1 documents, 4 annotations, 15 codes"
    )
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        assert f"sources/{example.doc.id}.txt" in archive.namelist()
    assert main(["export", str(path), "--format=QDC", "--out", str(tmp_path / "codes.qdc")]) == 0
    root = etree.parse(str(tmp_path / "codes.qdc")).getroot()
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"


def test_refi_export_refuses_what_it_cannot_do(tmp_path, capsys):
    path = tmp_path / "study.annotator"
    create_project(path).close()
    with pytest.raises(SystemExit):  # one coder's annotations: only the analysis export
        main(["export", str(path), "--format", "qdpx", "--coder", "Ana", "--out", "x.qdpx"])
    assert "unrecognized arguments: --coder Ana" in capsys.readouterr().err
    missing = tmp_path / "missing.annotator"
    assert main(["export", str(missing), "--format", "qdpx", "--out", str(tmp_path / "x")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "x.qdpx").exists()
