"""Waiting for the export the window runs behind it, and building a project big
enough for an export that takes a while."""

from __future__ import annotations

import random
import re
from pathlib import Path

from annotator.qt.exporting.export_runner import running_export
from annotator.qt.exporting.progress_lines import Message
from annotator.qt.main_window import MainWindow
from annotator.store.project import create_project

WORDS = "Kim met Moon in Seoul and they talked about the economy while Lee said no".split()


def wait_for_export(qtbot, window: MainWindow, timeout_ms: int = 30_000) -> Message:
    """Wait until the window's running export ends; how it ended."""
    run = running_export(window)
    assert run is not None, "no export is running"
    with qtbot.waitSignal(run.done, timeout=timeout_ms) as ended:
        pass
    return ended.args[0]


def build_project(path: Path, documents: int, per_document: int) -> Path:
    """A project of ``documents`` texts of 2,000 words, each with ``per_document``
    annotations by two coders, added in one transaction."""
    rng = random.Random(15)
    project = create_project(path)
    rows: list[tuple[str, int, int, str, str]] = []
    for number in range(documents):
        text = " ".join(rng.choice(WORDS) for _ in range(2000))
        doc = project.import_text(text, title=f"Article {number}")
        for j in range(per_document):
            start = rng.randrange(len(text) - 20)
            category = ("actor", "claim", "stance")[j % 3]
            end = start + rng.randint(1, 20)
            rows.append((doc.id, start, end, category, ("Ana", "Ben")[j % 2]))
    project.add_annotations(rows)
    project.close()
    return path


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def without_export_time(manifest: bytes) -> bytes:
    return re.sub(rb'"exported_at": "[^"]*"', b'"exported_at": ""', manifest)
