"""``annotator import-qdpx``: the report printed, a refused file said plainly."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store.project import open_project
from tests.importing.refi.refi_files import CODE_LEFT, Selection, Source, make_qdpx


def test_import_qdpx_prints_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Kim met Putin."
    qdpx = make_qdpx(tmp_path / "s.qdpx", [Source("s", text, [Selection(8, 13, (CODE_LEFT,))])])
    out = tmp_path / "made"
    assert main(["import-qdpx", str(qdpx), "--out", str(out), "--nested", "categories"]) == 0
    printed = capsys.readouterr().out
    assert "into made.annotator: 1 document, 5 categories" in printed
    assert "Coders: Ana." in printed
    with open_project(tmp_path / "made.annotator", read_only=True) as project:
        (annotation,) = project.annotations()
        assert (annotation.quote, annotation.category) == ("Putin", "left")


def test_import_qdpx_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.qdpx").write_text("not a zip", encoding="utf-8")
    assert main(["import-qdpx", str(tmp_path / "x.qdpx"), "--out", str(tmp_path / "p")]) == 1
    error = capsys.readouterr().err
    assert "x.qdpx: the file is not a REFI-QDA project (not a zip archive)" in error
    assert "nothing was imported" in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.qdpx"]
