"""``annotator search``: keyword-in-context lines for scripts."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store.project import create_project

DATA = Path(__file__).resolve().parent / "data"
TEXT = "Putin 👍🏽 met Kim.\nExtended deterrence, said Putin; 한국은 agreed.\n"


def _project(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "p.annotator"
    with create_project(path) as project:
        doc = project.import_text(TEXT, title="Summit\tday one")
        project.import_text("Nothing here.", title="Other")
        project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    return path, doc.id


def test_search_prints_a_line_a_hit_in_a_real_process(tmp_path):
    path, _ = _project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "search", str(path), "putin"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    second = TEXT.rindex("Putin")
    assert [(t, int(s), int(e), coded) for t, s, e, _, coded in lines] == [
        ("Summit day one", 0, 5, "actor"),
        ("Summit day one", second, second + 5, ""),
    ]
    assert lines[0][3] == "[Putin] 👍🏽 met Kim. Extended deterrence, said…"  # six words
    assert result.stderr.strip() == "2 hits in 1 document"


def test_regex_limit_and_korean(tmp_path, capsys):
    path, _ = _project(tmp_path)
    assert main(["search", str(path), r"[A-Z]\w+", "--regex", "--limit", "2"]) == 0
    out, err = capsys.readouterr()
    assert [line.split("\t")[1] for line in out.splitlines()] == ["0", "13"]
    assert err.strip() == "5 hits in 2 documents (first 2 printed)"
    assert main(["search", str(path), "한국"]) == 0
    out, _ = capsys.readouterr()
    start = TEXT.index("한국")
    assert out.split("\t")[1:3] == [str(start), str(start + 2)]


def test_bad_query_and_older_file_say_why(tmp_path, capsys):
    path, _ = _project(tmp_path)
    assert main(["search", str(path), "(", "--regex"]) == 1
    assert "Not a regular expression" in capsys.readouterr().err
    old = tmp_path / "old.annotator"
    shutil.copy(DATA / "schema_5.annotator", old)
    before = old.read_bytes()
    assert main(["search", str(old), "putin"]) == 1
    assert "older version" in capsys.readouterr().err
    assert old.read_bytes() == before


def test_filters_status_source_dates_and_variables(tmp_path, capsys):
    from annotator.core.model import DocumentStatus

    path = tmp_path / "f.annotator"
    with create_project(path) as project:
        a = project.import_text("deal one", title="A", source="KBS", date="2024-03-05")
        project.import_text("deal two", title="B", source="Yonhap", date="2024-04-01")
        c = project.import_text("deal three", title="C", source="KBS", date="2024-05")
        project.add_variable("Outlet type", key="outlet")
        project.set_document_variables(c.id, {"outlet": "broadcast"})
        project.set_document_status(a.id, DocumentStatus.DONE)

    def titles(*options: str) -> list[str]:
        assert main(["search", str(path), "deal", *options]) == 0
        return [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]

    assert titles() == ["A", "B", "C"]
    assert titles("--status", "done") == ["A"]
    assert titles("--source", "KBS") == ["A", "C"]
    assert titles("--source", "KBS", "--source", "Yonhap", "--status", "todo") == ["B", "C"]
    assert titles("--from", "2024-04") == ["B", "C"]
    assert titles("--from", "2024-04", "--to", "2024-04") == ["B"]
    assert titles("--var", "outlet=broadcast") == ["C"]
    assert titles("--var", "outlet=print") == []
    with pytest.raises(SystemExit):
        main(["search", str(path), "deal", "--var", "outlet"])
    assert "--var takes KEY=VALUE" in capsys.readouterr().err


def test_a_runaway_regular_expression_fails_with_a_message(tmp_path, capsys):
    path = tmp_path / "r.annotator"
    with create_project(path) as project:
        project.import_text("a" * 34 + "b", title="Runaway")
    assert main(["search", str(path), r"(a|aa)+$", "--regex"]) == 1
    assert "ran over 2 s in “Runaway”" in capsys.readouterr().err
