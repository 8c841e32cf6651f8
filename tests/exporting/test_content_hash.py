"""The manifest's content hash, read from the files, equals the hash of the
image SQLite serialises for the same read transaction."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from annotator.exporting.content_hash import hash_image, plan_image


def _fill(conn: sqlite3.Connection, rows: int, start: int = 0) -> None:
    with conn:
        conn.executemany(
            "INSERT INTO t (k, v) VALUES (?, ?)",
            [(i, f"value {i} " * 20) for i in range(start, start + rows)],
        )


def _database(path: Path, mode: str) -> sqlite3.Connection:
    """A database in journal ``mode`` whose writer keeps its log (no checkpoints)."""
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute(f"PRAGMA journal_mode = {mode}")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
    _fill(writer, 2000)
    return writer


def _both(path: Path) -> tuple[str | None, str]:
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        plan = plan_image(reader, path)
        assert plan is not None
        streamed = hash_image(plan)
        return streamed, hashlib.sha256(reader.serialize()).hexdigest()
    finally:
        reader.execute("COMMIT")
        reader.close()


@pytest.mark.parametrize("mode", ["wal", "delete"])
def test_the_hash_is_that_of_the_serialised_image(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "p.db"
    writer = _database(path, mode)
    streamed, serialised = _both(path)
    assert streamed == serialised
    writer.close()


def test_pages_still_in_the_log_are_read_from_it(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    writer = _database(path, "wal")
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _fill(writer, 500, start=5000)  # in the log only
    with writer:
        writer.execute("UPDATE t SET v = 'changed' WHERE k < 100")
    assert (tmp_path / "p.db-wal").stat().st_size > 0
    streamed, serialised = _both(path)
    assert streamed == serialised
    writer.close()


def test_commits_after_the_transaction_began_are_not_in_the_hash(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    writer = _database(path, "wal")
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    plan = plan_image(reader, path)
    assert plan is not None
    serialised = hashlib.sha256(reader.serialize()).hexdigest()
    _fill(writer, 500, start=9000)  # appended to the log while the export reads
    with writer:
        writer.execute("UPDATE t SET v = 'later' WHERE k < 100")
    writer.execute("PRAGMA wal_checkpoint(PASSIVE)")  # as far as the reader allows
    assert hash_image(plan) == serialised
    reader.execute("COMMIT")
    reader.close()
    writer.close()


def test_the_export_records_the_hash_of_the_serialised_project(project, tmp_path):
    """The project's recent changes are still in its write-ahead log; the manifest's
    hash is the one ``serialize`` gives, as it always was."""
    import json

    from annotator.exporting.analysis import export_for_analysis
    from annotator.exporting.model import ExportOptions

    doc = project.import_text("Putin met Kim in Pyongyang.", title="Summit")
    project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    log = Path(f"{project.path}-wal")
    assert log.exists() and log.stat().st_size > 0
    export_for_analysis(project, tmp_path / "out", ExportOptions())
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    expected = hashlib.sha256(project.db.conn.serialize()).hexdigest()
    assert manifest["project"]["content_sha256"] == expected
