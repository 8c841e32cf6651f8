import csv
import os
import subprocess
import sys

from annotator.cli import main
from annotator.store.project import create_project


def test_export_command_in_a_real_process(tmp_path):
    path = tmp_path / "p.annotator"
    with create_project(path) as project:
        doc = project.import_text("Putin 👍🏽 visited Pyongyang.", title="Visit")
        project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "export", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "annotations.csv: 1 rows" in result.stdout
    with (out / "annotations.csv").open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["quote"], row["category"], row["coder"]) == ("Putin", "actor", "Ana")


def test_export_of_a_bad_file_fails_with_a_message(tmp_path, capsys):
    bad = tmp_path / "notes.annotator"
    bad.write_text("not a project")
    assert main(["export", str(bad), "--out", str(tmp_path / "out")]) == 1
    assert "not an Annotator project" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    assert bad.read_text() == "not a project"
