"""``annotator search``: keyword-in-context lines for scripts."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

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
