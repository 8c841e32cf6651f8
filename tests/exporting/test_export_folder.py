"""The export replaces the previous one in its folder as one step."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from annotator.core.progress import Cancelled, Progress
from annotator.exporting import folder as export_folder
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.folder import LOCK_NAME, STAGING_PREFIX, ExportNotPlaced
from annotator.exporting.model import ExportOptions
from tests.exporting.coded_example import build


@pytest.fixture
def example(project):
    return build(project)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _fail_on(monkeypatch, name: str, error: BaseException) -> None:
    """os.replace fails when it moves ``name`` (as a locked file makes it fail)."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(src).name == name and Path(src).parent.name.startswith(STAGING_PREFIX):
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
    with pytest.raises(
        ExportNotPlaced,
        match=f"{name} could not be put in the folder "
        r"\(Permission denied\); is it open in another",
    ):
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
    out = tmp_path / "new" / "nested" / "out"
    _fail_on(monkeypatch, "annotations.csv", OSError(28, "No space left on device"))
    with pytest.raises(ExportNotPlaced, match="No space left on device.*as it was before"):
        export_for_analysis(example.project, out, ExportOptions())
    assert "new" not in os.listdir(tmp_path)


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
    listed = {
        "annotations.dta": hashlib.sha256(stata).hexdigest(),
        "export.xlsx": hashlib.sha256(b"the workbook as exported").hexdigest(),
        "annotations.sav": "",
        "my notes.txt": "",
        "study.annotator": "",
        "../outside.txt": "",
    }
    manifest["files"].update({name: {"rows": 1, "sha256": h} for name, h in listed.items()})
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = export_for_analysis(example.project, out, ExportOptions())
    names = set(os.listdir(out))
    assert "annotations.dta" not in names
    assert {"export.xlsx", "annotations.sav", "my notes.txt", "study.annotator"} <= names
    assert (tmp_path / "outside.txt").exists()
    assert result.warnings == [
        "export.xlsx was changed since the previous export and was "
        "left in the folder; it is not part of this export"
    ]
    listed = json.loads((out / "manifest.json").read_text("utf-8"))["files"]
    assert names == {
        *listed,
        "manifest.json",
        "my notes.txt",
        "export.xlsx",
        "annotations.sav",
        "study.annotator",
    }


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
        if src.name == "claims.csv" and src.parent.name.startswith(STAGING_PREFIX):
            raise PermissionError(13, "Permission denied")  # claims.csv will not go in
        if src.name == "documents.csv" and src.parent.name.startswith(".annotator-previous-"):
            raise PermissionError(13, "Permission denied")  # the old one will not go back
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(export_folder.os, "replace", replace)
    with pytest.raises(
        ExportNotPlaced, match="could not all be put back as it was: the previous documents.csv in "
    ) as raised:
        export_for_analysis(example.project, out, ExportOptions())
    aside = Path(str(raised.value.strerror).rsplit(" in ", 1)[1])
    assert aside.parent == out and aside.name.startswith(".annotator-previous-")
    assert (aside / "documents.csv").read_bytes() == before["documents.csv"]
    now = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert now == {name: data for name, data in before.items() if name != "documents.csv"}


def test_what_a_killed_export_left_is_cleared(example, tmp_path):
    out = tmp_path / "out"
    killed, mine = out / f"{STAGING_PREFIX}abc123", out / ".export-mine"
    for folder in (killed, mine):
        folder.mkdir(parents=True)
        (folder / "annotations.csv").write_text("partial", encoding="utf-8")
    (out / LOCK_NAME).write_text("999999999\n", encoding="utf-8")  # no such process
    export_for_analysis(example.project, out, ExportOptions())
    assert not killed.exists() and mine.exists()
    assert not (out / LOCK_NAME).exists()


def test_a_running_export_keeps_others_out_of_its_folder(example, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text(f"{os.getpid()}\n", encoding="utf-8")  # a live process
    with pytest.raises(ExportNotPlaced, match="another export is writing to"):
        export_for_analysis(example.project, out, ExportOptions())
    assert os.listdir(out) == [LOCK_NAME]
    old = time.time() - 3600  # a lock that old was left by an export that was killed
    os.utime(out / LOCK_NAME, (old, old))
    export_for_analysis(example.project, out, ExportOptions())
    assert (out / "manifest.json").exists() and not (out / LOCK_NAME).exists()


@pytest.mark.parametrize("step", [0, 5, 12, 13, 19, 25])  # 13 files aside, then 13 in
def test_an_interrupt_just_after_any_move_leaves_the_previous_export(
    example, tmp_path, monkeypatch, step
):
    out = tmp_path / "out"
    export_for_analysis(example.project, out, ExportOptions(profile="excel"))
    before = _snapshot(out)
    real = os.replace
    moves = []

    def replace(src, dst, *args, **kwargs):
        real(src, dst, *args, **kwargs)
        moves.append(src)
        if len(moves) == step + 1:
            raise KeyboardInterrupt  # Ctrl+C lands as the rename returns

    monkeypatch.setattr(export_folder.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        export_for_analysis(example.project, out, ExportOptions())
    assert _snapshot(out) == before


def test_an_interrupt_just_after_a_move_into_a_new_folder_leaves_nothing(
    example, tmp_path, monkeypatch
):
    real = os.replace
    moves = []

    def replace(src, dst, *args, **kwargs):
        real(src, dst, *args, **kwargs)
        moves.append(src)
        if len(moves) == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(export_folder.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        export_for_analysis(example.project, tmp_path / "out", ExportOptions())
    assert not (tmp_path / "out").exists()


def test_an_odd_previous_manifest_is_ignored_safely(example, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stata = b"the user's own Stata file"
    (out / "Annotations.dta").write_bytes(stata)  # no export writes this name
    deep = "[" * 100_000 + "]" * 100_000
    digest = hashlib.sha256(stata).hexdigest()
    listed = '{"files": {"Annotations.dta": {"sha256": "' + digest + '"}}, "x": '
    (out / "manifest.json").write_text(listed + deep + "}", encoding="utf-8")
    export_for_analysis(example.project, out, ExportOptions())
    assert (out / "Annotations.dta").read_bytes() == stata
    (out / "manifest.json").unlink()
    if hasattr(os, "mkfifo"):  # reading a FIFO would wait for ever: it is not read
        os.mkfifo(out / "manifest.json")
        export_for_analysis(example.project, out, ExportOptions())
        assert json.loads((out / "manifest.json").read_text("utf-8"))["files"]


@pytest.mark.parametrize("after", [1, 5, None])
def test_a_cancelled_export_leaves_the_previous_one(example, tmp_path, after):
    """Cancelled at the ``after``-th report, or (None) at the last one, when every
    file is written and only moving them in is left."""
    out = tmp_path / "out"
    export_for_analysis(example.project, out, ExportOptions())
    before = _snapshot(out)
    example.project.add_actor("Seoul")
    reports: list[tuple[int, int, str]] = []

    def report(done: int, total: int, label: str) -> None:
        reports.append((done, total, label))
        if len(reports) == after or (after is None and done == total):
            progress.cancel()

    progress = Progress(report)
    with pytest.raises(Cancelled):
        export_for_analysis(example.project, out, ExportOptions(), progress)
    assert _snapshot(out) == before
    assert reports[-1][0] == (reports[-1][1] if after is None else after - 1)
    assert not [p for p in out.iterdir() if p.name.startswith(".annotator-")]
