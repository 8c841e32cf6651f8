"""Our ``.qdpx`` read by QualCoder's own REFI-QDA import: the same texts, the same
spans (text and code-point positions), the same coders, codes and notes.

QualCoder (LGPL, PyQt6) is not a dependency: the test runs only where its source
and an interpreter that can import it are given, and skips otherwise::

    QUALCODER_SRC=/path/to/QualCoder/src QUALCODER_PYTHON=/path/to/venv/bin/python pytest ...

(``QUALCODER_PYTHON`` defaults to this interpreter; it needs PyQt6.) The import
runs in a process of its own (``qualcoder_refi_import.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.exporting.refi import write_qdpx
from annotator.store.project import Project
from tests.exporting.coded_example import MIXED_TEXT, build_mixed

HELPER = Path(__file__).with_name("qualcoder_refi_import.py")


def _qualcoder() -> tuple[str, Path]:
    src = os.environ.get("QUALCODER_SRC", "")
    if not src or not (Path(src) / "qualcoder" / "refi.py").is_file():
        pytest.skip("QualCoder's source is not here (set QUALCODER_SRC to its src folder)")
    python = os.environ.get("QUALCODER_PYTHON") or sys.executable
    probe = subprocess.run(
        [python, "-c", "import PyQt6.QtWidgets"], capture_output=True, text=True, timeout=120
    )
    if probe.returncode != 0:
        pytest.skip(f"{python} cannot import PyQt6, which QualCoder needs (QUALCODER_PYTHON)")
    return python, Path(src)


def test_qualcoder_imports_the_same_spans(project: Project, tmp_path: Path):
    python, src = _qualcoder()
    example = build_mixed(project)
    folder = tmp_path / "exchange"
    folder.mkdir()
    qdpx = folder / "study.qdpx"
    write_qdpx(project, qdpx)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [python, str(HELPER), str(src), str(qdpx), str(tmp_path / "qualcoder")],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    imported = json.loads((tmp_path / "qualcoder" / "imported.json").read_text("utf-8"))

    (source,) = imported["sources"]
    assert (source["name"], source["fulltext"]) == (example.doc.title, MIXED_TEXT)
    names = {c["cid"]: c["name"] for c in imported["codes"]}
    codebook = project.codebook()
    got = {
        (c["pos0"], c["pos1"], c["seltext"], c["owner"], names.get(c["cid"]))
        for c in imported["codings"]
    }
    polarity = codebook.attribute("stance", "polarity")
    expected = set()
    for annotation in project.annotations():
        category = codebook.category(annotation.category).label
        expected.add(
            (annotation.start, annotation.end, annotation.quote, annotation.coder, category)
        )
    for stance, label in ((example.oppose, "oppose"), (example.support, "support")):
        expected.add(
            (stance.start, stance.end, stance.quote, stance.coder, f"{polarity.label}: {label}")
        )
    assert got == expected
    memos = {(c["pos0"], c["pos1"]): c["memo"] for c in imported["codings"]}
    assert memos[(example.mention.start, example.mention.end)] == (
        f"{codebook.attribute('actor', 'actor').label}: Vladimir Putin"
    )
    # Sub-codes nest under their category's code.
    by_name = {c["name"]: c for c in imported["codes"]}
    stance_code = by_name[codebook.category("stance").label]
    assert by_name[f"{polarity.label}: oppose"]["supercid"] == stance_code["cid"]
    # The document's fields arrive as QualCoder file attributes.
    assert {(a["name"], a["value"]) for a in imported["attributes"]} >= {
        ("Source", "Yonhap"),
        ("Date", "2024-06"),
    }
    # Annotator's own entry in the zip is unpacked and left alone; QualCoder cleans up.
    assert imported["leftover"] == ["study.qdpx"]
