"""Benchmark: the document list's counts on a built study project.

Copies the given project file (e.g. one kept by ``bench_study.py --keep PATH``) to a
scratch folder; if it is older than schema step 5, times that step alone (counting
every document from scratch, rolled back), then opening the copy, which backs it up
and migrates it. Then times what the document list costs: ``Project.documents()``,
``Project.document(id)``, ``incomplete_ids(id)``, adding one annotation through the
operations layer (each undone afterwards) and ``window.refresh_documents()`` with the
events it posts.

Run from the repository root:  .venv/bin/python bench/bench_counts.py /tmp/study.annotator
"""

from __future__ import annotations

from benchlib import isolated_folders

# Before anything imports Qt or reads the user's folders.
_TMP = isolated_folders("annotator-bench-counts-", offscreen=True)

import random  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from PySide6.QtWidgets import QApplication  # noqa: E402
from qtbench import settle, timed  # noqa: E402

from annotator.ops import annotations as annotation_ops  # noqa: E402
from annotator.qt.common.settings import AppSettings  # noqa: E402
from annotator.qt.main_window import MainWindow  # noqa: E402
from annotator.store import schema  # noqa: E402
from annotator.store.base import ProjectDatabase  # noqa: E402
from annotator.store.project import open_project  # noqa: E402

RUNS = 7


def line(name: str, values: list[float]) -> str:
    return f"{name:<36}{len(values):>5}{min(values):>10.2f} ms{statistics.median(values):>10.2f} ms"


def main(source: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    root = Path(_TMP.name)
    path = root / source.name
    shutil.copyfile(source, path)
    rows: list[tuple[str, list[float]]] = []
    conn = sqlite3.connect(path)
    if conn.execute("PRAGMA user_version").fetchone()[0] < schema.SCHEMA_VERSION:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")
        t0 = time.perf_counter()
        schema._document_counts(ProjectDatabase(conn))  # the step, as migrate runs it
        rows.append(("counting from scratch (step 5)", [(time.perf_counter() - t0) * 1000.0]))
        conn.execute("ROLLBACK")
    conn.close()
    t0 = time.perf_counter()
    project = open_project(path)
    rows.append(("open_project (backup, migration)", [(time.perf_counter() - t0) * 1000.0]))
    documents = project.documents(counts=False)
    rows.append(("Project.documents()", [timed(project.documents) for _ in range(RUNS)]))
    rng = random.Random(1)
    picks = [rng.choice(documents).id for _ in range(RUNS)]
    rows.append(("Project.document(id)", [timed(lambda d=d: project.document(d)) for d in picks]))
    rows.append(
        ("incomplete_ids(document)", [timed(lambda d=d: project.incomplete_ids(d)) for d in picks])
    )
    adds = []
    for doc_id in picks:
        text = project.document_text(doc_id)
        start = rng.randrange(len(text) - 20)
        t0 = time.perf_counter()
        result = annotation_ops.add_annotation(
            project, doc_id, start, start + 10, "claim", coder="Ana"
        )
        adds.append((time.perf_counter() - t0) * 1000.0)
        assert result.undo is not None
        result.undo(project)
    rows.append(("add_annotation (ops), store only", adds))
    window = MainWindow(AppSettings(root / "config" / "settings.ini"), project, "Ana")
    window.show()
    settle(window)

    def refresh() -> None:
        window.refresh_documents()
        QApplication.processEvents()

    rows.append(("window.refresh_documents()", [timed(refresh) for _ in range(RUNS)]))
    window.close()
    window.deleteLater()
    app.processEvents()
    project.close()
    print(f"{'measure':<36}{'runs':>5}{'min':>13}{'median':>13}")
    for name, values in rows:
        print(line(name, values))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
