"""``annotator team prepare`` and ``annotator team merge``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store.project import create_project, open_project


def _lead(path: Path) -> list[str]:
    with create_project(path) as project:
        return [
            project.import_text(f"Text number {n}: Putin met Kim.", title=f"Doc {n}").id
            for n in range(10)
        ]


def test_prepare_then_merge_in_real_processes(tmp_path):
    lead = tmp_path / "lead.annotator"
    ids = _lead(lead)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}

    def run(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "annotator", "team", *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=120,
        )

    out = tmp_path / "copies"
    done = run("prepare", lead, "--coders", "Ana,Ben", "--out", out, "--sample", "20")
    assert done.returncode == 0, done.stderr
    assert "reliability sample: 2 documents" in done.stdout
    ana, ben = out / "lead-Ana.annotator", out / "lead-Ben.annotator"
    with open_project(ana) as copy:
        assert copy.copy_coder() == "Ana"
        docs = copy.documents()
        assert len(docs) == 6  # 2 in the sample, 4 of the 8 others
        copy.add_annotation(docs[0].id, 0, 4, "actor", coder="Ana")
    again = run("prepare", lead, "--coders", "Ana,Ben", "--out", out)
    assert again.returncode == 1 and "exist already" in again.stderr
    merged = run("merge", lead, ana, ben)
    assert merged.returncode == 0, merged.stderr
    assert "lead-Ana.annotator (Ana): 1 added, 0 updated, 0 deleted, 0 unchanged" in merged.stdout
    assert "lead-Ben.annotator (Ben): 0 added" in merged.stdout
    twice = run("merge", lead, ana)
    assert "0 added, 0 updated, 0 deleted, 1 unchanged, 0 conflicts" in twice.stdout
    with open_project(lead) as project:
        assert [a.coder for a in project.annotations()] == ["Ana"]
        assert {d.id for d in project.documents()} == set(ids)


def test_merge_of_a_foreign_file_exits_1_and_changes_nothing(tmp_path, capsys):
    lead = tmp_path / "lead.annotator"
    _lead(lead)
    other = tmp_path / "other.annotator"
    _lead(other)
    before = lead.read_bytes()
    assert main(["team", "merge", str(lead), str(other)]) == 1
    assert "refused: it belongs to another project" in capsys.readouterr().out
    with open_project(lead) as project:
        assert project.annotations() == [] and project.merge_history() == []
    assert len(before) > 0


def test_prepare_with_named_sample_documents_and_bad_arguments(tmp_path, capsys):
    lead = tmp_path / "lead.annotator"
    ids = _lead(lead)
    out = tmp_path / "c"
    code = main(
        ["team", "prepare", str(lead), "--coders", "A,B,C", "--out", str(out),
         "--sample-documents", f"{ids[3]},{ids[5]}"]
    )  # fmt: skip
    assert code == 0
    for name in ("A", "B", "C"):
        with open_project(out / f"lead-{name}.annotator") as copy:
            assert {ids[3], ids[5]} <= {d.id for d in copy.documents()}
    with pytest.raises(SystemExit):
        main(["team", "prepare", str(lead), "--coders", "A,a", "--out", str(out)])
    assert "named twice" in capsys.readouterr().err
    assert main(["team", "prepare", str(tmp_path / "none.annotator"), "--coders", "A",
                 "--out", str(out)]) == 1  # fmt: skip
    assert main(["team"]) == 2
