"""The export replaces the previous one in its folder as one step."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from annotator.io import export_folder
from annotator.io.export_analysis import export_for_analysis
from annotator.io.export_folder import ExportNotPlaced
from annotator.io.export_model import ExportOptions
from tests.io.coded_example import build


@pytest.fixture
def example(project):
    return build(project)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _fail_on(monkeypatch, name: str, error: BaseException) -> None:
    """os.replace fails when it moves ``name`` (as a locked file makes it fail)."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(src).name == name and Path(src).parent.name.startswith(".export-"):
            raise error
        if Path(dst).name == name and Path(dst).parent.name.startswith(".annotator-previous"):
            raise error
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(export_folder.os, "replace", replace)


@pytest.mark.parametrize("name", ["documents.csv", "claims.csv", "manifest.json"])
def test_a_file_that_cannot_be_replaced_leaves_the_previous_export(
    example, tmp_path, monkeypatch, name
):
    out = tmp_path / "out"
    export_for_analysis(example.project, out, ExportOptions())
    before = _snapshot(out)
    example.project.add_actor("Seoul")
    _fail_on(monkeypatch, name, PermissionError(13, "Permission denied"))
    with pytest.raises(ExportNotPlaced, match=f"{name} could not be replaced .Permission denied.; "
                                              "is it open in another program"):
        export_for_analysis(example.project, out, ExportOptions())
    assert _snapshot(out) == before  # the whole previous export, nothing hidden left


def test_an_interrupt_while_moving_leaves_the_previous_export(example, tmp_path, monkeypatch):
    out = tmp_path / "out"
    export_for_analysis(example.project, out, ExportOptions(profile="excel"))
    before = _snapshot(out)
    _fail_on(monkeypatch, "statements.csv", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        export_for_analysis(example.project, out, ExportOptions())
    assert _snapshot(out) == before


def test_a_failed_first_export_leaves_no_folder(example, tmp_path, monkeypatch):
    out = tmp_path / "new" / "out"
    _fail_on(monkeypatch, "annotations.csv", OSError(28, "No space left on device"))
    with pytest.raises(ExportNotPlaced, match="No space left on device"):
        export_for_analysis(example.project, out, ExportOptions())
    assert not out.exists()


def test_files_of_the_previous_export_it_does_not_write_are_removed(example, tmp_path):
    out = tmp_path / "out"
    export_for_analysis(example.project, out, ExportOptions())
    stata = b"an older export's Stata file"
    (out / "annotations.dta").write_bytes(stata)
    (out / "export.xlsx").write_bytes(b"a workbook the user added a sheet to")
    (out / "annotations.sav").mkdir()  # a folder of that name: never touched
    (out / "my notes.txt").write_text("the user's own file", encoding="utf-8")
    (out / "study.annotator").write_bytes(b"a project")
    (tmp_path / "outside.txt").write_text("not the export's", encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    listed = {"annotations.dta": hashlib.sha256(stata).hexdigest(),
              "export.xlsx": hashlib.sha256(b"the workbook as exported").hexdigest(),
              "annotations.sav": "", "my notes.txt": "", "study.annotator": "",
              "../outside.txt": ""}
    manifest["files"].update({name: {"rows": 1, "sha256": h} for name, h in listed.items()})
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = export_for_analysis(example.project, out, ExportOptions())
    names = set(os.listdir(out))
    assert "annotations.dta" not in names
    assert {"export.xlsx", "annotations.sav", "my notes.txt", "study.annotator"} <= names
    assert (tmp_path / "outside.txt").exists()
    assert result.warnings == ["export.xlsx was changed since the previous export and was "
                               "left in the folder; it is not part of this export"]
    listed = json.loads((out / "manifest.json").read_text("utf-8"))["files"]
    assert names == {*listed, "manifest.json", "my notes.txt", "export.xlsx",
                     "annotations.sav", "study.annotator"}


def test_a_folder_where_a_file_goes_stops_the_export(example, tmp_path):
    out = tmp_path / "out"
    export_for_analysis(example.project, out, ExportOptions())
    (out / "claims.csv").unlink()
    (out / "claims.csv").mkdir()
    (out / "claims.csv" / "inside.txt").write_text("kept", encoding="utf-8")
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(ExportNotPlaced, match="claims.csv in .* is a folder"):
        export_for_analysis(example.project, out, ExportOptions())
    assert sorted(p.name for p in out.iterdir()) == before
    assert (out / "claims.csv" / "inside.txt").read_text(encoding="utf-8") == "kept"


def test_a_failed_undo_says_where_the_previous_files_are(example, tmp_path, monkeypatch):
    out = tmp_path / "out"
    export_for_analysis(example.project, out, ExportOptions())
    before = _snapshot(out)
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        src, dst = Path(src), Path(dst)
        if src.name == "claims.csv" and src.parent.name.startswith(".export-"):
            raise PermissionError(13, "Permission denied")  # claims.csv will not go in
        if src.name == "documents.csv" and src.parent.name.startswith(".annotator-previous-"):
            raise PermissionError(13, "Permission denied")  # the old one will not go back
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(export_folder.os, "replace", replace)
    with pytest.raises(ExportNotPlaced, match="could not all be put back as it was") as raised:
        export_for_analysis(example.project, out, ExportOptions())
    aside = Path(str(raised.value.strerror).rsplit(" are in ", 1)[1])
    assert aside.parent == out and aside.name.startswith(".annotator-previous-")
    assert (aside / "documents.csv").read_bytes() == before["documents.csv"]
    now = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert now == {name: data for name, data in before.items() if name != "documents.csv"}


def test_staging_folders_left_by_a_killed_export_are_cleared(example, tmp_path):
    out = tmp_path / "out"
    old, recent = out / ".export-killed", out / ".export-running"
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / "annotations.csv").write_text("partial", encoding="utf-8")
    hour_ago = time.time() - 3700
    os.utime(old, (hour_ago, hour_ago))
    export_for_analysis(example.project, out, ExportOptions())
    assert not old.exists() and recent.exists()
