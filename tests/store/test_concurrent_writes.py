"""Two connections writing one project: the second waits its turn instead of being refused.

A write transaction begins ``IMMEDIATE``: it takes the write lock when it begins, so
SQLite's busy timeout applies. With a plain ``BEGIN`` a transaction that read first
is refused at once ("busy") when another connection holds the lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.store.errors import ProjectError
from annotator.store.project import create_project, open_project

HOLD = 0.25  # seconds the other connection keeps its write transaction open


def _hold_write_lock(
    path: Path, doc_id: str, holding: threading.Event, release: threading.Event, seconds: float
) -> None:
    """Another writer (its own connection): adds an annotation and keeps the lock for
    ``seconds`` or until ``release`` is set."""
    with open_project(path) as other:
        with other._transaction():
            other.add_annotation(doc_id, 0, 5, "actor", coder="Script")
            holding.set()
            release.wait(seconds)


def _project_with_document(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "shared.annotator"
    with create_project(path) as project:
        doc = project.import_text("Putin met Kim in Pyongyang.\n", title="Summit")
    return path, doc.id


def _while_locked(path: Path, doc_id: str, seconds: float, write: Callable[[], object]) -> float:
    """Run ``write`` while another connection holds the write lock (for ``seconds`` at
    most, released as soon as ``write`` returns); how long ``write`` took."""
    holding, release = threading.Event(), threading.Event()
    args = (path, doc_id, holding, release, seconds)
    thread = threading.Thread(target=_hold_write_lock, args=args)
    thread.start()
    try:
        assert holding.wait(10), "the other writer did not start"
        started = time.monotonic()
        write()
        return time.monotonic() - started
    finally:
        release.set()
        thread.join(10)


def test_second_writer_waits_for_the_first_and_succeeds(tmp_path: Path) -> None:
    path, doc_id = _project_with_document(tmp_path)
    with open_project(path) as project:
        project.documents(counts=False)  # the window has read the project before
        added = []
        waited = _while_locked(
            path,
            doc_id,
            HOLD,
            lambda: added.append(project.add_annotation(doc_id, 6, 9, "actor", coder="Ann")),
        )
        assert waited < 5  # it waited for the other writer, within the busy timeout
        coders = sorted(a.coder for a in project.annotations(doc_id))
        assert coders == ["Ann", "Script"]
        assert added[0].id in {a.id for a in project.annotations(doc_id)}


def test_outer_atomic_block_waits_too(tmp_path: Path) -> None:
    """Imports wrap the store's transactions in ``db.atomic()``: it waits as well, and
    the store's own transactions inside stay savepoints."""
    path, doc_id = _project_with_document(tmp_path)
    with open_project(path) as project:

        def write() -> None:
            with project.db.atomic():
                project.documents(counts=False)  # a read first, then writes
                project.add_annotation(doc_id, 6, 9, "actor", coder="Ann")
                project.add_annotation(doc_id, 10, 13, "actor", coder="Ann")

        _while_locked(path, doc_id, HOLD, write)
        assert len(project.annotations(doc_id)) == 3


def test_a_writer_that_never_lets_go_is_refused_after_the_timeout(tmp_path: Path) -> None:
    path, doc_id = _project_with_document(tmp_path)
    with open_project(path) as project:
        project.db.execute("PRAGMA busy_timeout = 100")
        project.documents(counts=False)

        def write() -> None:
            with pytest.raises(ProjectError, match="busy"):
                project.add_annotation(doc_id, 6, 9, "actor", coder="Ann")

        waited = _while_locked(path, doc_id, 10, write)
        assert waited >= 0.08  # refused only after waiting, not at once
        assert [a.coder for a in project.annotations(doc_id)] == ["Script"]
