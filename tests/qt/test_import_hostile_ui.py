"""The window's import given a named pipe among the files: refused with a reason,
the others imported (reading it would wait for a writer forever)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.qt.importing import import_dialogs

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def test_a_named_pipe_is_refused_and_the_files_after_it_imported(
    qtbot, make_window, tmp_path, monkeypatch, _no_modal_dialogs
):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("The first story.\n", encoding="utf-8")
    os.mkfifo(folder / "b.txt")
    (folder / "c.txt").write_text("The third story.\n", encoding="utf-8")
    chosen = [str(folder / name) for name in ("a.txt", "b.txt", "c.txt")]
    monkeypatch.setattr(import_dialogs, "choose_files", lambda _p, _f, _e: chosen)
    window = make_window(tmp_path / "p.annotator")
    window.menus.actions["import_documents"].trigger()
    qtbot.waitUntil(lambda: window.import_runner is None, timeout=10000)
    assert [d.file_name for d in window.project.documents()] == ["a.txt", "c.txt"]
    title, message = _no_modal_dialogs[-1]
    assert title == "Import Documents"
    assert (
        "rejected  b.txt: is a named pipe (FIFO), not a file; only regular files are imported"
        in message.splitlines()
    )
    assert Path(chosen[1]).exists()
