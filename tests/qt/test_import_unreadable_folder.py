"""Import Folder… with a subfolder that cannot be listed: the report names it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.qt.importing import import_dialogs


def _import_folder(
    make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locked: Path, root: Path
):
    scandir = os.scandir

    def refuse_locked(path: str | os.PathLike[str] = ".") -> object:
        if Path(path) == locked:  # as root, permission bits would not stop it
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_locked)
    monkeypatch.setattr(import_dialogs, "choose_folder", lambda _p, _f: str(root))
    monkeypatch.setattr(import_dialogs, "choose_extensions", lambda _p, _s: [".txt"])
    window = make_window(tmp_path / "empty.annotator")
    window.menus.actions["import_folder"].trigger()
    return window


def test_an_unreadable_subfolder_is_named_in_the_report(
    qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _no_modal_dialogs
):
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "a.txt").write_text("Seen story\nBody.\n", encoding="utf-8")
    (root / "locked" / "b.txt").write_text("Never seen\nBody.\n", encoding="utf-8")
    window = _import_folder(make_window, tmp_path, monkeypatch, root / "locked", root)
    qtbot.waitUntil(lambda: window.import_runner is None, timeout=10000)
    assert [d.file_name for d in window.project.documents()] == ["a.txt"]
    message = _no_modal_dialogs[-1][1]
    assert "rejected  locked: the folder cannot be read (permission denied)" in message


def test_a_folder_that_cannot_be_read_at_all_is_named_too(
    make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _no_modal_dialogs
):
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text("Never seen\nBody.\n", encoding="utf-8")
    window = _import_folder(make_window, tmp_path, monkeypatch, root, root)
    assert window.import_runner is None and window.project.documents() == []
    message = _no_modal_dialogs[-1][1]
    assert message.startswith("There are no files to import there.")
    assert f"{root}: the folder cannot be read (permission denied)" in message
